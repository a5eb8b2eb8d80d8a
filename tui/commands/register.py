"""``regsecret register NAME``: check the login, then create the secret (``--update`` replaces it).

The same workflow as the app's ctrl+s (``tui/core/workflows.py``): the registry login is checked
first unless ``--no-check``; a refused login stops (exit 4 and the check's own codes); a name
that exists is exit 8 unless ``--update``, which replaces its credentials.
"""

from __future__ import annotations

import argparse

from tui.commands.secret_commands import send


def run(args: argparse.Namespace) -> int:
    return send(args, update=False)
