"""``regsecret body``: print the request body AI Core expects, for scripts and for checking by eye.

Exit 0 with the body on stdout (warnings, if any, on stderr); exit 2 with every problem on stderr at
once and nothing on stdout. The password comes from standard input only: a flag would put it in
shell history and in the process list.
"""

from __future__ import annotations

import argparse
import sys

from tui.commands.password_stdin import read_password_stdin
from tui.core.request import (
    Problem,
    SecretDraft,
    check_field,
    check_password,
    create_body,
    has_errors,
    masked_body,
    patch_body,
)
from tui.core.secret import Secret

EXIT_OK = 0
EXIT_BAD_INPUT = 2
PROG = "regsecret body"


def _password_problems(text: str | None) -> list[Problem]:
    if text is None:
        return [Problem("password", "standard input is not UTF-8 text; pipe the token as text")]
    if not text:
        return [
            Problem(
                "password",
                "nothing on standard input; pipe the password or token in, "
                "e.g. regsecret body ... --password-stdin < token.txt",
            )
        ]
    return check_password(Secret(text))


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
    draft = SecretDraft(
        name=args.name, registry=args.registry, username=args.username, email=args.email
    )
    problems = [
        p for field in ("name", "registry", "username", "email") for p in check_field(draft, field)
    ]
    on_terminal = sys.stdin is not None and sys.stdin.isatty()
    if has_errors(problems) and on_terminal:
        # Do not ask for a password that could not be used anyway.
        report(problems)
        return EXIT_BAD_INPUT
    text = read_password_stdin("Registry password or token (not shown): ")
    problems += _password_problems(text)
    report(problems)
    if has_errors(problems) or text is None:
        return EXIT_BAD_INPUT
    draft = SecretDraft(draft.name, draft.registry, draft.username, Secret(text), draft.email)
    del text
    if args.masked:
        out = masked_body(draft, patch=args.patch)
    else:
        out = (patch_body(draft) if args.patch else create_body(draft)).reveal()
    # Bytes, not text: the body is UTF-8 whatever the terminal's locale says.
    sys.stdout.buffer.write(out.encode() + b"\n")
    sys.stdout.flush()
    return EXIT_OK
