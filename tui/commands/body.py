"""``regsecret body``: print the request body AI Core expects, for scripts and for checking by eye.

Exit 0 with the body on stdout (warnings, if any, on stderr); exit 2 with every problem on stderr at
once and nothing on stdout. The password comes from one password source (standard input, a
variable, a file, a command, the docker config), never from an argument: that would put it in
shell history and in the process list.
"""

from __future__ import annotations

import argparse
import sys

from tui.commands.password_source import credential_from
from tui.core.credential_sources import username_for
from tui.core.errors import InputError
from tui.core.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from tui.core.request import (
    Problem,
    SecretDraft,
    create_body,
    has_errors,
    masked_body,
    patch_body,
    validate_field,
    validate_password,
)

PROG = "regsecret body"


def report(problems: list[Problem]) -> None:
    """Every problem on stderr, errors first, one line each."""
    errors = [p for p in problems if not p.warning]
    if errors:
        lines = [f"{PROG}: cannot build the body:"]
        lines += [f"  {p.field}: {p.message}" for p in errors]
    else:
        lines = []
    lines += [f"{PROG}: warning: {p.field}: {p.message}" for p in problems if p.warning]
    if errors:
        lines.append("Nothing was printed on standard output; fix the above and run again.")
    if lines:
        sys.stderr.write("\n".join(lines) + "\n")


def run(args: argparse.Namespace) -> int:
    fields = ("name", "registry", "username", "email")
    draft = SecretDraft(
        name=args.name, registry=args.registry, username=args.username or "", email=args.email
    )
    problems = [
        p
        for field in fields
        if field != "username" or args.username is not None
        for p in validate_field(draft, field)
    ]
    on_terminal = sys.stdin is not None and sys.stdin.isatty()
    if has_errors(problems) and on_terminal and args.password_stdin:
        # Do not ask for a password that could not be used anyway.
        report(problems)
        return EXIT_BAD_INPUT
    try:
        credential = credential_from(args)
    except InputError as exc:
        report([*problems, Problem("password", exc.explanation)])
        return EXIT_BAD_INPUT
    if credential.note:
        problems.append(Problem("password", credential.note, warning=True))
    try:
        username = username_for(args.username, credential)
    except InputError as exc:
        problems.append(Problem("username", exc.explanation))
        username = ""
    else:
        if args.username is None:  # from the docker config: check it as if typed
            problems += validate_field(
                SecretDraft(registry=draft.registry, username=username), "username"
            )
    problems += validate_password(credential.password)
    report(problems)
    if has_errors(problems):
        return EXIT_BAD_INPUT
    draft = SecretDraft(draft.name, draft.registry, username, credential.password, draft.email)
    if args.masked:
        out = masked_body(draft, patch=args.patch)
    else:
        out = (patch_body(draft) if args.patch else create_body(draft)).reveal()
    # Bytes, not text: the body is UTF-8 whatever the terminal's locale says.
    sys.stdout.buffer.write(out.encode() + b"\n")
    sys.stdout.flush()
    return EXIT_OK
