"""``regsecret update NAME``: replace a secret's stored credentials (PATCH), login checked first.

AI Core never returns stored credentials, so the whole login is given again, registry included.
"""

from __future__ import annotations

import argparse

from tui.commands.secret_commands import send


def run(args: argparse.Namespace) -> int:
    return send(args, update=True)
