"""The one way a command takes a password: standard input, never an argument (shell history)."""

from __future__ import annotations

import getpass
import sys


def read_password_stdin(prompt: str = "Password or token (not shown): ") -> str | None:
    """The password from standard input with one trailing newline (LF or CRLF) dropped.

    ``None`` when the bytes are not UTF-8. On a terminal it prompts without echo instead of
    waiting silently for end of file.
    """
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        try:
            return getpass.getpass(prompt)
        except EOFError:
            return ""
    try:
        text = sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")
