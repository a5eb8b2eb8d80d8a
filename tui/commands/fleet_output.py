"""What ``rotate`` and ``apply`` share: choosing the tenants, one line per tenant, the exit code.

Both work on several tenants at once through the core (``tui/core/fleet.py``,
``tui/core/rotation.py``). Each tenant's result is one line on stdout as it finishes
(``PROFILE  what happened``); the summary goes to stderr; ``--json`` prints one object instead.
The exit code is 0 only when every tenant did what it should; a tenant that failed after others
were changed is exit 9 (``EXIT_SOME_FAILED``), failures before anything was sent keep their rows.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tui.commands.secret_commands import error_json, say
from tui.core import exit_codes
from tui.core.errors import InputError, ProfileError
from tui.core.foreign_text import displayable, named, named_list

if TYPE_CHECKING:
    from tui.core.profile_model import Profile
    from tui.core.rotation import TenantRotation


def chosen_profiles(names: list[str] | None, every: bool) -> list[Profile]:
    """The profiles named with --profile (in order), or all of them with --all."""
    from tui.core.profile_actions import load_all_profiles

    result = load_all_profiles()
    for problem in result.problems:
        say(f"warning: {problem.message}")
    if every:
        if not result.profiles:
            raise ProfileError(
                "There are no connection profiles yet: import a service key with 'regsecret "
                "profiles import SERVICE_KEY.json --name NAME'."
            )
        return _trusted(list(result.profiles))
    if not names:
        raise InputError("Say which tenants: --profile NAME (repeat it) or --all.")
    unknown = [n for n in dict.fromkeys(names) if result.get(n) is None]
    if unknown:
        from tui.commands.demo_profiles import demo_stays_in_the_app, is_demo_profile

        lead = f"There is no profile named {named_list(unknown)}."
        if any(is_demo_profile(name) for name in unknown):
            raise ProfileError(demo_stays_in_the_app(lead))
        listed = named_list(result.names()) or "none"
        raise ProfileError(f"{lead} Profiles: {listed}.")
    chosen = [p for n in dict.fromkeys(names) if (p := result.get(n)) is not None]
    return _trusted(chosen)


def _trusted(profiles: list[Profile]) -> list[Profile]:
    """``profiles``; InputError when this machine's TLS setting (SSL_CERT_FILE, SSL_CERT_DIR)
    would fail every tenant over HTTPS: one sentence and exit 2 before anything is sent, not a
    failed line per tenant and exit 9."""
    from tui.core.trust import setting_problem

    unusable = setting_problem(*(url for p in profiles for url in (p.api_url, p.token_url)))
    if unusable is not None:
        raise unusable
    return profiles


def fleet_failure(args: argparse.Namespace, error: BaseException, name: str | None = None) -> int:
    """A failure before any tenant was sent anything: the usual exit-code row, one sentence."""
    from tui.core.errors import explain

    code = exit_codes.for_error(error)
    outcome = "bad-input" if code == exit_codes.EXIT_BAD_INPUT else "failed"
    named = {"name": name} if args.command == "rotate" else {"file": getattr(args, "file", None)}
    return emit_json(args, code, outcome, explain(error), error=error_json(error), **named)


def width_of(names: Iterable[str]) -> int:
    """The width of a column of these names as :func:`line` shows them (bounded)."""
    return max((len(named(n)) for n in names), default=0)


def line(profile: str, words: str, width: int, secret: str = "", secret_width: int = 0) -> str:
    """One tenant's line: its profile (and the secret), then what happened, made safe to show.

    The profile comes from a file or the environment and the secret from AI Core's list or the
    apply file: each goes through :func:`~tui.core.foreign_text.named` (bounded, no control)."""
    column = f"{named(secret).ljust(secret_width)}  " if secret_width else ""
    return f"{named(profile).ljust(width)}  {column}{displayable(words, limit=400)}"


def print_line(
    args: argparse.Namespace,
    profile: str,
    words: str,
    width: int,
    secret: str = "",
    secret_width: int = 0,
) -> None:
    if not getattr(args, "json", False):
        print(line(profile, words, width, secret, secret_width), flush=True)


def rotation_json(state: TenantRotation) -> dict[str, Any]:
    return {
        "profile": state.member,
        "status": state.step.value,
        "outcome": state.outcome.value if state.outcome is not None else None,
        "sentence": state.sentence,
        "sent": state.sent,
        "error": error_json(state.error),
    }


def emit_json(
    args: argparse.Namespace, code: int, outcome: str, sentence: str, **fields: Any
) -> int:
    """With --json, one object on stdout: ok, command, exit_code, outcome, sentence and fields."""
    if getattr(args, "json", False):
        from tui.commands.json_output import print_object

        print_object(args, code, outcome, sentence, **fields)
    elif sentence:
        print(f"regsecret: {sentence}", file=sys.stderr, flush=True)
    return code
