"""Where ``regsecret`` starts: the app's own options are read here, everything else by tui/cli.py.

Most starts are the app itself (no words, ``--demo``, ``--profile NAME``), and for those argparse
and the parser of every command (~30 M instructions, about a tenth of what the first screen
costs over a bare Textual app) would only be built to be thrown away. Anything else, help and
every mistake included, goes to the command line parser, which explains it.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a one-shot command 3 ms
if TYPE_CHECKING:
    from collections.abc import Sequence


def app_options(words: Sequence[str]) -> tuple[bool, str | None] | None:
    """``(demo, profile)`` when ``words`` are only the app's options, read as argparse would.

    None for anything that is not plainly one of them (an abbreviation, a repeat, a missing or
    dash-led value, a command): tui/cli.py reads those.
    """
    demo = False
    profile: str | None = None
    rest = list(words)
    while rest:
        word = rest.pop(0)
        if word == "--demo" and not demo:
            demo = True
        elif word == "--profile" and profile is None and rest and not rest[0].startswith("-"):
            profile = rest.pop(0)
        elif word.startswith("--profile=") and profile is None:
            profile = word.removeprefix("--profile=")
        else:
            return None
    return demo, profile


def main() -> int:
    words = sys.argv[1:]
    options = app_options(words)
    if options is not None:
        from tui.app import run_app

        return run_app(*options)
    from tui.cli import main as command_line

    return command_line(words)


if __name__ == "__main__":
    sys.exit(main())
