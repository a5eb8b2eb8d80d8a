"""``regsecret apply FILE``: make every tenant hold what FILE declares (tui/core/declared.py).

Lists the tenants the file names (concurrently), plans from their live lists and the ledger, and
prints one line per tenant and secret: ``PROFILE  SECRET  what``. ``--dry-run`` stops there;
otherwise creates, updates (and with ``--prune`` deletes) concurrently, each line saying what
happened. Running it again changes nothing that is not due. Exit 0 when every step is done (or
there was nothing to do), 9 when some tenant failed or could not be listed, 2 for a file problem.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.commands.fleet_output import (
    chosen_profiles,
    emit_json,
    fleet_failure,
    print_line,
    width_of,
)
from tui.commands.secret_commands import error_json
from tui.core import exit_codes
from tui.core.errors import InputError, KeyringError, ProfileError
from tui.core.foreign_text import named_list

if TYPE_CHECKING:
    from tui.core.declared import Declared, PlanStep, StepResult
    from tui.core.fleet import Fleet


def run(args: argparse.Namespace) -> int:
    from tui.core.declared import read_declarations, unknown_tenants
    from tui.core.fleet import open_fleet

    try:
        declared = read_declarations(Path(args.file))
        every = any(d.tenants is None for d in declared)
        names = [t for d in declared if d.tenants is not None for t in d.tenants]
        profiles = chosen_profiles(list(dict.fromkeys(names)), every)
    except (InputError, ProfileError, KeyringError) as exc:
        return fleet_failure(args, exc)
    fleet = open_fleet(profiles)
    missing = unknown_tenants(declared, fleet.members)
    if missing:
        said = f"No profile named {named_list(missing)}."
        return fleet_failure(args, ProfileError(said))
    return asyncio.run(_apply(args, fleet, declared))


async def _apply(args: argparse.Namespace, fleet: Fleet, declared: list[Declared]) -> int:
    from tui.core.declared import (
        Action,
        applied_sentence,
        carry_out,
        make_plan,
        plan_sentence,
    )
    from tui.core.fleet import Load, load_fleet
    from tui.core.ledger import Ledger

    async with fleet:
        members = fleet.members
        states = [s async for s in load_fleet(members) if s.status is not Load.LOADING]
        plan = make_plan(declared, members, states, Ledger().load(), prune=args.prune)
        width = width_of(m.name for m in members)
        name_width = width_of(p.name for p in plan)
        if args.dry_run:
            for step in plan:
                print_line(args, step.member, step.sentence, width, step.name, name_width)
            failed = sum(1 for p in plan if p.action is Action.UNREACHABLE)
            rows = [_plan_json(p) for p in plan]
            sentence = plan_sentence(plan)
        else:
            results = await carry_out(declared, members, plan)
            for result in results:
                step = result.step
                words = result.sentence if result.ok else f"failed: {result.sentence}"
                print_line(args, step.member, words, width, step.name, name_width)
            failed = sum(1 for r in results if not r.ok)
            rows = [_result_json(r) for r in results]
            sentence = applied_sentence(args.file, results)
    code = exit_codes.EXIT_SOME_FAILED if failed else exit_codes.EXIT_OK
    outcome = ("planned" if args.dry_run else "applied") if not failed else "some-failed"
    return emit_json(
        args, code, outcome, sentence, file=args.file, dry_run=args.dry_run, prune=args.prune,
        actions=rows,
    )  # fmt: skip


def _plan_json(step: PlanStep) -> dict[str, Any]:
    from tui.core.declared import Action

    # A tenant that could not be listed has no plan: its row is that failure, not "planned".
    unlisted = step.action is Action.UNREACHABLE
    return {
        "profile": step.member,
        "name": step.name or None,
        "action": step.action.value,
        "status": "failed" if unlisted else "planned",
        "sentence": step.sentence,
        "sent": False,
        "error": error_json(step.error),
    }


def _result_json(result: StepResult) -> dict[str, Any]:
    row = _plan_json(result.step)
    row.update(
        status="done" if result.ok else "failed",
        sentence=result.sentence,
        sent=result.sent,
        error=error_json(result.error or result.step.error),
    )
    return row
