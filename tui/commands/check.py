"""``regsecret check``: log in to a registry before the credentials go to AI Core.

One line of result on stdout, and an exit code of its own for each verdict (tui/core/exit_codes.py,
README "registry check: exit codes"). The password comes from one password source, never an
argument, so it never lands in shell history or a process list.
"""

from __future__ import annotations

import argparse
import asyncio

from tui.commands.password_source import credential_from
from tui.core.credential_sources import username_for
from tui.core.errors import InputError
from tui.core.exit_codes import EXIT_BAD_INPUT


def run(args: argparse.Namespace) -> int:
    try:
        credential = credential_from(args)
        username = username_for(args.username, credential)
    except InputError as exc:
        return _answer(args, EXIT_BAD_INPUT, "bad-input", exc.explanation, args.username)

    # httpx and the checker load only now: `regsecret --help` stays fast.
    from tui.core.registry_login import check_login

    result = asyncio.run(
        check_login(args.registry, username, credential.password, image=args.image)
    )
    return _answer(args, result.exit_code, result.outcome.value, result.sentence, username)


def _answer(
    args: argparse.Namespace, code: int, outcome: str, sentence: str, username: str | None
) -> int:
    """One line for people, or with --json one object; the exit code either way."""
    if not args.json:
        # The sentence may quote the registry: through the one boundary for foreign text.
        from tui.core.foreign_text import displayable

        print(displayable(sentence, limit=1000), flush=True)
        return code
    from tui.commands.json_output import print_object

    print_object(
        args, code, outcome, sentence, registry=args.registry, username=username, image=args.image
    )
    return code
