"""Every command's --help at 80 columns: each option and argument says what it is, no line is
wider than the terminal, and no line is broken inside a token (an example must paste whole)."""

from __future__ import annotations

import argparse
import re

import pytest

from tui.cli import build_parser

WIDTH = 80
# A line ending in a letter or digit and a hyphen: a word such as eu-central-1 cut in two.
CUT_AT_HYPHEN = re.compile(r"[A-Za-z0-9]-$")


def _parsers() -> dict[str, argparse.ArgumentParser]:
    """Every parser, the top one and each (sub)command's, by its name on the command line."""
    found: dict[str, argparse.ArgumentParser] = {}
    waiting = [build_parser()]
    while waiting:
        parser = waiting.pop()
        found[parser.prog] = parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                waiting.extend(action.choices.values())
    return found


PARSERS = _parsers()


def test_every_command_is_seen() -> None:
    assert {"regsecret body", "regsecret rotate", "regsecret profiles import"} <= set(PARSERS)


@pytest.mark.parametrize("prog", sorted(PARSERS))
def test_every_option_and_argument_says_what_it_is(prog: str) -> None:
    silent = [
        "/".join(action.option_strings) or action.dest
        for action in PARSERS[prog]._actions
        if not isinstance(action, argparse._SubParsersAction)
        and action.help != argparse.SUPPRESS
        and not (action.help or "").strip()
    ]
    assert silent == []


@pytest.mark.parametrize("prog", sorted(PARSERS))
def test_help_fits_80_columns_and_breaks_only_between_tokens(
    prog: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    lines = PARSERS[prog].format_help().splitlines()
    # argparse keeps a mutually exclusive group on one usage line whatever the width (the
    # password sources): the usage is left out of the width, not of the cut check.
    body = lines[next(i for i, line in enumerate(lines) if not line.strip()) :]
    wide = [line for line in body if len(line) > WIDTH]
    cut = [line for line in lines if CUT_AT_HYPHEN.search(line)]
    assert (wide, cut) == ([], [])
