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
    wide = [line for line in lines if len(line) > WIDTH]
    cut = [line for line in lines if CUT_AT_HYPHEN.search(line)]
    assert (wide, cut) == ([], [])


@pytest.mark.parametrize("prog", sorted(PARSERS))
def test_the_usage_fits_80_columns_and_keeps_every_option(
    prog: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # argparse keeps a mutually exclusive group (the five password sources) on one usage line
    # whatever the width: 140 columns. The usage, as --help and an argument error print it.
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    usage = PARSERS[prog].format_usage()
    assert [line for line in usage.splitlines() if len(line) > WIDTH] == []
    monkeypatch.setenv("COLUMNS", "1000")
    whole = PARSERS[prog].format_usage()
    assert " ".join(usage.split()) == " ".join(whole.split())  # broken, nothing lost


def test_the_password_sources_break_inside_their_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    usage = PARSERS["regsecret register"].format_usage().splitlines()
    start = next(i for i, line in enumerate(usage) if "(--password-stdin" in line)
    column = usage[start].index("(") + 1
    group = usage[start : next(i for i in range(start, len(usage)) if ")" in usage[i]) + 1]
    assert len(group) > 1 and all(line.endswith(" |") for line in group[:-1])
    assert all(line.index("--") == column for line in group[1:])


def test_an_argument_error_prints_a_usage_and_a_sentence_that_fit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.cli import main

    monkeypatch.setenv("COLUMNS", str(WIDTH))
    with pytest.raises(SystemExit) as stopped:
        main(["register", "x", "--registry", "ghcr.io"])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "--password-stdin" in err
    assert [line for line in err.splitlines() if len(line) > WIDTH] == []
