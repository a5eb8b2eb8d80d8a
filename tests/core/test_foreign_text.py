"""The display boundary: nothing foreign reaches the terminal as an instruction."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.hostile_server import carries_no_control
from tui.core.foreign_text import (
    ELLIPSIS,
    PATH_LIMIT,
    displayable,
    first_unsafe,
    named_list,
    named_path,
    terminal_json,
    unescaped,
)

TITLE = "\x1b]0;PWNED\x07"
CLIPBOARD = "\x1b]52;c;aGVsbG8=\x1b\\"


@pytest.mark.parametrize(
    ("foreign", "shown"),
    [
        (f"denied{TITLE} now", "denied now"),
        (f"a{CLIPBOARD}b", "ab"),
        ("\x1b[2J\x1b[31mred\x1b[0m", "red"),
        ("\x9b31mred", "red"),  # C1 CSI
        ("\x9d0;title\x9cok", "ok"),  # C1 OSC ended by C1 ST
        ("\x90q\x1b\\x", "x"),  # DCS
        # An unterminated string loses its introducer only: the words after it are ours.
        ("unterminated \x1b]0;title for ever", "unterminated 0;title for ever"),
        ("before \x1bPq and the app says: CHECK", "before q and the app says: CHECK"),
        ("before \x9d0;x and the app says: CHECK", "before \ufffd0;x and the app says: CHECK"),
        ("ab\x1b]x” was not deleted", "abx” was not deleted"),
        ("bell\x07 nul\x00 del\x7f", "bell� nul� del�"),
        ("a\u202eevil\u202c b\u200bc\u2066d\u2069\ufeff", "aevil bcd"),
        ("tabs\tand\nlines\r\n", "tabs and lines"),
        ("lone \ud800 surrogate", "lone � surrogate"),
        ("github-actions[bot]", "github-actions[bot]"),
        ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
    ],
)
def test_controls_and_sequences_never_survive(foreign: str, shown: str) -> None:
    assert displayable(foreign) == shown


def test_multiline_keeps_line_breaks_only() -> None:
    assert displayable("one\x1b[1m\n  two\t2 \r\nthree", multiline=True) == "one\n  two 2\nthree"


def test_length_is_bounded_with_an_ellipsis() -> None:
    assert displayable("x" * 1000, limit=10) == "x" * 9 + ELLIPSIS
    huge = "y" * 5_000_000
    assert displayable(huge) == "y" * 299 + ELLIPSIS
    # Something cut before cleaning still says so, even when the rest was all controls.
    assert displayable("\x00" * 10_000 + "z", limit=2000).endswith(ELLIPSIS)


def test_non_text_values_become_text() -> None:
    assert displayable(12345) == "12345"
    assert displayable(None) == "None"


@given(st.text())
def test_no_control_or_format_character_ever_survives(text: str) -> None:
    for multiline in (False, True):
        shown = displayable(text, multiline=multiline)
        assert len(shown) <= 300
        bad = [
            c
            for c in shown
            if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") and c != "\n"
        ]
        assert bad == []
        assert multiline or "\n" not in shown


def test_first_unsafe_finds_what_would_change() -> None:
    assert first_unsafe("team prod") is None
    assert first_unsafe("bad\x9bname") == "\x9b"
    assert first_unsafe("rtl\u202e") == "\u202e"
    assert first_unsafe("tab\t") == "\t"


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_terminal_json_is_the_same_json_with_nothing_unsafe_in_it(payload: object) -> None:
    text = terminal_json(payload)
    assert json.loads(text) == payload
    assert first_unsafe(text.replace("\n", " ")) is None


def test_unescaped_keeps_a_laid_out_report_and_loses_every_escape() -> None:
    report = "│  said  \x1b]52;c;aGk=\x07 x\n│ \x1b[2J\x9b2J \x1b\x07 end  \n"
    cleaned = unescaped(report)
    assert "\x1b" not in cleaned and "\x9b" not in cleaned and "\x07" not in cleaned
    assert cleaned.startswith("│  said  ") and cleaned.endswith(" end  \n")  # layout kept
    assert cleaned.count("\n") == 2
    assert unescaped("  plain   text\n") == "  plain   text\n"


def test_a_long_path_keeps_its_end() -> None:
    shown = named_path("/a/" + "d" * 5000 + "/fle\x1b[31met.toml")
    assert len(shown) == PATH_LIMIT and shown.startswith("…d") and shown.endswith("/fleet.toml")
    assert named_path("/etc/fleet.toml") == "/etc/fleet.toml"


def test_names_listed_are_bounded_and_counted() -> None:
    assert named_list(["dev", "prod"]) == "dev, prod"
    assert named_list(["dev", "prod"], quote=True) == "“dev” and “prod”"
    assert named_list(["a" * 100]) == "a" * 63 + "…"
    assert named_list([f"p{i}" for i in range(25)]).endswith("p19 and 5 more")


@pytest.mark.parametrize(
    "text",
    ["\x9d" * 50_000, "\x90x" * 25_000],
    ids=["osc", "dcs"],
)
def test_unterminated_c1_strings_are_cleaned_in_linear_time(text: str) -> None:
    """Each C1 string introducer (OSC U+009D, DCS U+0090...) without a terminator read on past
    the next one to the end of the text, so every one of them scanned it all again: 50,000 of
    them in a crash report took 12 s, and a screen's worth held the app for a second a call."""
    import time

    started = time.monotonic()
    cleaned = unescaped(text)
    shown = displayable(text, limit=4000)
    assert time.monotonic() - started < 2
    assert carries_no_control(cleaned) and carries_no_control(shown)
