"""The demo's tenants exist only inside ``regsecret --demo``: what a command says when one is
named, or when ``--demo`` comes with a command (ignoring it would act on the user's own
profiles while they think they are in the demo)."""

from __future__ import annotations

from tui.emulator.demo_fleet import TENANTS

DEMO_PROFILES = tuple(f"demo-{tenant}" for tenant in TENANTS)


def is_demo_profile(name: str | None) -> bool:
    return name in DEMO_PROFILES


def demo_stays_in_the_app(lead: str) -> str:
    """``lead``, then where the demo's tenants are and how the command line gets a tenant."""
    return (
        f"{lead} The demo's tenants ({', '.join(DEMO_PROFILES)}) live only inside "
        "'regsecret --demo', the app; no command reaches them. To give the command line a "
        "tenant, run 'regsecret emulator --service-key FILE' in another terminal, then "
        "'regsecret profiles import FILE --name emulator', or set the AICORE_* variables it "
        "prints."
    )
