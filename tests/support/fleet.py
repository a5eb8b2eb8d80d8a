"""Several emulated tenants at once, for the fleet, rotation and apply tests.

Each tenant is its own :class:`Emulator` on a free loopback port in this process, named like a
profile (``dev``, ``test``, ``prod``...), with a member whose client has short timeouts.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.emulator import connection_for
from tui.core.client import AICoreClient
from tui.core.fleet import Fleet, Member
from tui.core.ledger import tenant_key
from tui.core.request import SecretDraft, create_body
from tui.core.secret import Secret
from tui.core.session import Tenant
from tui.emulator.server import Emulator


@dataclass
class Tenants:
    """The running emulators by name, in order."""

    emulators: dict[str, Emulator]

    def __getitem__(self, name: str) -> Emulator:
        return self.emulators[name]

    def names(self) -> list[str]:
        return list(self.emulators)

    def registry_host(self) -> str:
        """``127.0.0.1:PORT`` of the registry the first tenant serves (``registry=True``)."""
        host = next(iter(self.emulators.values())).registry_host
        assert host is not None, "started without registry=True"
        return host

    def key(self, name: str) -> str:
        return tenant_key(name, self.emulators[name].api_url)

    def fleet(self, *names: str, read_timeout: float = 5.0) -> Fleet:
        """Members for the names given (all by default), each with a fresh client."""
        members = []
        for name in names or self.names():
            emu = self.emulators[name]
            tenant = Tenant(f"profile “{name}” at 127.0.0.1", "127.0.0.1", self.key(name))
            client = AICoreClient(connection_for(emu, read_timeout=read_timeout), backoff=0.01)
            members.append(Member(name, tenant, client))
        return Fleet(members)


@contextlib.contextmanager
def running_tenants(*names: str, registry: bool = False) -> Iterator[Tenants]:
    """One emulator per name, stopped afterwards; with ``registry``, the first serves a Docker
    registry too (user ``demo``, token ``demo-registry-token``) for the login check."""
    with contextlib.ExitStack() as stack:
        emulators = {
            name: stack.enter_context(Emulator(with_registry=registry and index == 0))
            for index, name in enumerate(names)
        }
        yield Tenants(emulators)


def seed(emu: Emulator, *names: str) -> None:
    """Secrets that exist before the test, registered outside regsecret."""
    for name in names:
        login = SecretDraft(name, "ghcr.io", "someone", Secret("seeded-outside"))
        emu.state.create(json.loads(create_body(login).reveal()))


def sdk_profile(home: Path, name: str, emu: Emulator, secret: str = "demo-secret") -> None:
    """A SAP AI Core SDK profile (``~/.aicore/config_NAME.json``) for one emulated tenant."""
    sdk_profile_at(home, name, emu.api_url, emu.token_url, secret)


def sdk_profile_at(
    home: Path, name: str, api_url: str, token_url: str, secret: str = "demo-secret"
) -> None:
    """A SAP AI Core SDK profile for a tenant at these URLs."""
    folder = home / ".aicore"
    folder.mkdir(exist_ok=True)
    config = {
        "AICORE_AUTH_URL": token_url,
        "AICORE_CLIENT_ID": "demo",
        "AICORE_CLIENT_SECRET": secret,
        "AICORE_BASE_URL": api_url,
    }
    (folder / f"config_{name}.json").write_text(json.dumps(config), encoding="utf-8")


def sdk_profiles(home: Path, tenants: Tenants, secret: str = "demo-secret") -> None:
    """An SDK profile per tenant, named as it is."""
    for name, emu in tenants.emulators.items():
        sdk_profile(home, name, emu, secret)
