"""``regsecret delete NAME``: delete a secret; ``--yes`` or, on a terminal, the name typed out."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.commands.secret_commands import CommandPerson, failure, report_result, with_tenant
from tui.core.errors import InputError
from tui.core.foreign_text import named

if TYPE_CHECKING:
    from tui.core.profile_model import Profile
    from tui.core.session import Tenant
    from tui.core.workflows import SecretsApi


def run(args: argparse.Namespace) -> int:
    on_terminal = sys.stdin is not None and sys.stdin.isatty()
    if not args.yes and not on_terminal:
        return failure(
            args,
            InputError(
                f"Deleting “{named(args.name)}” needs --yes when standard input is not a terminal "
                "(nobody can confirm it); nothing was deleted."
            ),
            name=args.name,
        )
    person = CommandPerson(yes=args.yes, ask_delete=on_terminal)

    async def work(client: SecretsApi, tenant: Tenant, profile: Profile) -> int:
        from tui.core.workflows import delete

        result = await delete(client, person, args.name, tenant)
        return report_result(args, result, person, tenant)

    return with_tenant(args, work, name=args.name, person=person)
