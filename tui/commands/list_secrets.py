"""``regsecret list``: the tenant's secret names, one per line on stdout; its quota on stderr."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.commands.secret_commands import (
    CommandPerson,
    emit,
    error_json,
    say,
    shown,
    with_tenant,
)
from tui.core import exit_codes
from tui.core.errors import explain
from tui.core.wording import counted

if TYPE_CHECKING:
    from tui.core.profile_model import Profile
    from tui.core.session import Tenant
    from tui.core.workflows import SecretsApi


def run(args: argparse.Namespace) -> int:
    person = CommandPerson()

    async def work(client: SecretsApi, tenant: Tenant, profile: Profile) -> int:
        from tui.core.workflows import list_secrets, titled

        listing = await list_secrets(client, person, tenant)
        label = tenant.label
        if listing.error is not None:
            code = exit_codes.for_error(listing.error)
            sentence = titled(listing.title, explain(listing.error))
            if not args.json:
                say(sentence)
            return emit(args, code, "failed", sentence, error=error_json(listing.error))
        quota = listing.quota
        described = quota.describe() if quota is not None else "quota unknown"
        count = len(listing.names)
        sentence = f"{counted(count, 'secret')} in {label}; {described}."
        if not args.json:
            for name in listing.names:
                print(shown(name))
            cleaned = sum(1 for name in listing.names if shown(name) != name)
            if cleaned:
                # A cleaned name is not the stored one: piped into delete it would miss (or hit
                # another secret), so say so rather than let a script act on it.
                say(
                    f"{cleaned} of these names hold characters a terminal must not print, so "
                    "they are shown cleaned and will not match in AI Core; `regsecret list "
                    "--json` gives them exactly."
                )
            say(sentence)
        return emit(
            args,
            exit_codes.EXIT_OK,
            "listed",
            sentence,
            secrets=listing.names,
            quota={"used": quota.used, "limit": quota.limit} if quota is not None else None,
        )

    return with_tenant(args, work, person=person)
