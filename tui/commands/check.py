"""``regsecret check``: log in to a registry before the credentials go to AI Core.

One line of result on stdout; exit 0 accepted, 1 rejected (or image denied, or not a registry),
2 bad input, 3 unreachable. The password comes from standard input only, so it never lands in shell
history or a process list.
"""

from __future__ import annotations

import argparse
import asyncio

from tui.commands.password_stdin import read_password_stdin

EXIT_BAD_INPUT = 2


def run(args: argparse.Namespace) -> int:
    password_text = read_password_stdin()
    if password_text is None:
        print("The password on standard input is not UTF-8 text; pipe the token as plain text.")
        return EXIT_BAD_INPUT

    # httpx and the checker load only now: `regsecret --help` stays fast.
    from tui.core.registry_login import check_login
    from tui.core.secret import Secret

    password = Secret(password_text)
    del password_text
    result = asyncio.run(check_login(args.registry, args.username, password, image=args.image))
    print(result.sentence, flush=True)
    return result.exit_code
