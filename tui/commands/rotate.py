"""``regsecret rotate NAME``: one credential into several tenants, checked once, sent concurrently.

``--profile A --profile B`` or ``--all`` choose the tenants; ``--only-existing`` keeps those whose
live list holds NAME (a tenant that cannot be listed then fails: nobody can tell). The registry
login is checked once (``--no-check`` skips it; a refused login stops before anything is sent).
Then every tenant gets create-or-update at once, and each prints one line as it finishes. Exit 0
when every tenant was rotated, 9 when some failed (their lines say why).
"""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from tui.commands.fleet_output import (
    chosen_profiles,
    emit_json,
    fleet_failure,
    print_line,
    rotation_json,
    width_of,
)
from tui.commands.secret_commands import (
    CommandPerson,
    read_draft,
    result_exit_code,
    say,
    source_of,
)
from tui.core import exit_codes
from tui.core.errors import InputError, KeyringError, ProfileError
from tui.core.foreign_text import named

if TYPE_CHECKING:
    from datetime import datetime

    from tui.core.fleet import Fleet, Member
    from tui.core.registry_login import CheckResult
    from tui.core.request import SecretDraft
    from tui.core.rotation import Rotation, TenantRotation
    from tui.core.workflows import Record


def run(args: argparse.Namespace) -> int:
    from tui.core.fleet import open_fleet
    from tui.core.ledger import parse_expiry

    try:
        profiles = chosen_profiles(args.profiles, args.all)
        expires_at = parse_expiry(args.expires) if args.expires else None
        draft = read_draft(args, "rotate")
    except (InputError, ProfileError, KeyringError) as exc:
        return fleet_failure(args, exc, name=args.name)
    fleet = open_fleet(profiles)
    return asyncio.run(_rotate(args, fleet, draft, expires_at))


async def _rotate(
    args: argparse.Namespace, fleet: Fleet, draft: SecretDraft, expires: datetime | None
) -> int:
    from tui.core.rotation import check_once
    from tui.core.workflows import Record

    async with fleet:
        members = fleet.members
        width = width_of(m.name for m in members)
        skipped: list[TenantRotation] = []
        if args.only_existing:
            members, skipped = await _holders(fleet, draft.name)
            for state in skipped:
                print_line(args, state.member, f"failed: {state.sentence}", width)
        login = None
        if not args.no_check and members:
            person = CommandPerson()
            go, login = await check_once(person, draft, image=args.image)
            if not go:
                return _stopped(args, draft, login)
        record = Record(
            source=str(source_of(args)),
            expires_at=expires,
            checked=login,
            checked_image=args.image if login is not None else None,
        )
        # --only-existing listed them: they hold it and are updated (a failure says "updated").
        holders = frozenset(m.name for m in members) if args.only_existing else frozenset()
        rotation = _rotation(args, draft, members, record, width, holders)
        await rotation.run()
    states = skipped + [rotation.states[m.name] for m in members]
    failed = [s for s in states if s.step.value != "done"]
    code = exit_codes.EXIT_SOME_FAILED if failed else exit_codes.EXIT_OK
    done = len(states) - len(failed)
    sentence = f"Rotated “{named(draft.name)}” in {done} of {len(states)} tenants."
    if not members and not skipped:
        sentence = f"No tenant holds “{named(draft.name)}”; nothing was sent."
    for note in rotation.notes():
        say(f"warning: {note}")
    return emit_json(
        args,
        code,
        "rotated" if not failed else "some-failed",
        sentence,
        name=draft.name,
        login=_login_json(login),
        tenants=[rotation_json(s) for s in states],
    )


def _rotation(
    args: argparse.Namespace,
    draft: SecretDraft,
    members: list[Member],
    record: Record,
    width: int,
    holders: frozenset[str],
) -> Rotation:
    from tui.core.rotation import Rotation, Step

    def show(state: TenantRotation) -> None:
        if state.step is Step.DONE:
            print_line(args, state.member, state.sentence, width)
        elif state.step is Step.FAILED:
            print_line(args, state.member, f"failed: {state.sentence}", width)

    return Rotation(draft, members, record, show, holders=holders)


async def _holders(fleet: Fleet, name: str) -> tuple[list[Member], list[TenantRotation]]:
    """--only-existing: the members that hold ``name``; the unlisted ones as failures."""
    from tui.core.fleet import Load, load_fleet
    from tui.core.rotation import Step, TenantRotation

    states = [s async for s in load_fleet(fleet.members) if s.status is not Load.LOADING]
    holders = {s.member for s in states if s.status is Load.LOADED and name in s.names}
    unknown = [
        TenantRotation(s.member, s.tenant, Step.FAILED, s.sentence, error=s.error)
        for s in states
        if s.status is Load.UNREACHABLE
    ]
    return [m for m in fleet.members if m.name in holders], unknown


def _login_json(login: CheckResult | None) -> dict[str, str] | None:
    if login is None:
        return None
    return {"outcome": login.outcome.value, "sentence": login.sentence}


def _stopped(args: argparse.Namespace, draft: SecretDraft, login: CheckResult | None) -> int:
    """The login check said no: nothing was sent to any tenant."""
    from tui.core.workflows import Outcome, Result

    result = Result(Outcome.BLOCKED, draft.name, "", sent=False, login=login)
    code = result_exit_code(result)
    said = login.sentence if login is not None else "The login could not be checked."
    sentence = (
        f"{said} Nothing was sent to any tenant. Fix the login, or add --no-check to rotate it "
        "anyway."
    )
    return emit_json(
        args, code, "login-refused", sentence, name=draft.name, login=_login_json(login), tenants=[]
    )
