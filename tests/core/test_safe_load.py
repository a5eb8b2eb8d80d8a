"""The safe loader: hostile JSON, TOML and files end in a sentence, never a traceback or hang."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tui.core.errors import ForeignDataError
from tui.core.safe_load import (
    load_json,
    load_toml,
    read_small_bytes,
    read_small_file,
)


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        ("[" * 60_000, "nested more than 64 levels"),
        ('{"a":' * 10_000, "nested more than 64 levels"),
        ('{"n": ' + "9" * 5000 + "}", "more than 100 digits"),
        ("[NaN]", "NaN"),
        ("[-Infinity]", "-Infinity"),
        ("[1e999]", "too large"),
        (b"\xff\xfe{}", "not UTF-8"),
        ('{"a": 1,}', "line 1: not valid JSON"),
        ("x" * 2_000_001, "larger than 2 MB"),
    ],
)
def test_hostile_json_is_a_sentence(data: str | bytes, sentence: str) -> None:
    with pytest.raises(ForeignDataError) as caught:
        load_json(data, "The service key")
    assert sentence in caught.value.explanation
    assert caught.value.explanation.startswith("The service key")


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert load_json('{"a": "' + "[" * 1000 + '"}', "x") == {"a": "[" * 1000}
    assert load_json(b'\xef\xbb\xbf{"bom": [1, 2.5, true]}', "x") == {"bom": [1, 2.5, True]}


def test_json_errors_name_the_line_but_never_the_text() -> None:
    with pytest.raises(ForeignDataError) as caught:
        load_json('{\n "clientsecret": "hunter2",\n oops\n}', "key.json")
    assert caught.value.line == 3
    assert "hunter2" not in caught.value.explanation


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"a": "b\x01"}', "(Invalid control character at column 9)"),
        ('{"a": "b', "(Unterminated string starting at column 7)"),
    ],
)
def test_json_error_says_at_once(text: str, said: str) -> None:
    # json's own message ends in "at", written before its line and column.
    with pytest.raises(ForeignDataError) as caught:
        load_json(text, "config.json")
    assert said in caught.value.explanation and " at at " not in caught.value.explanation


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        ("a = " + "[" * 5000, "nested too deeply"),
        ("a = " + "9" * 5000, "number too long"),
        ("a = nan", "too large"),
        ("a = 1\nb =", "not valid TOML"),
        (b"a = '\xff'", "not UTF-8"),
    ],
)
def test_hostile_toml_is_a_sentence(data: str | bytes, sentence: str) -> None:
    with pytest.raises(ForeignDataError) as caught:
        load_toml(data, "profiles.toml")
    assert sentence in caught.value.explanation


def test_toml_error_has_its_line() -> None:
    with pytest.raises(ForeignDataError) as caught:
        load_toml("a = 1\n\nb = = 2\n", "profiles.toml")
    assert caught.value.line == 3
    assert caught.value.explanation.startswith("profiles.toml line 3:")


def test_devices_fifos_and_folders_are_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    for path, sentence in (
        (Path("/dev/zero"), "not a regular file"),
        (fifo, "not a regular file"),
        (tmp_path, "is a folder"),
        (tmp_path / "missing.json", "does not exist"),
    ):
        with pytest.raises(ForeignDataError, match=sentence):
            read_small_file(path)
    assert time.monotonic() - started < 2


def test_size_cap_holds_even_when_the_size_lies(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2001)
    with pytest.raises(ForeignDataError, match="larger than 2 kB"):
        read_small_bytes(big, limit=2000)
    # /proc files say 0 bytes; the cap still applies to what is read.
    assert read_small_bytes(Path("/proc/self/status"), limit=100_000)
    with pytest.raises(ForeignDataError, match="larger than"):
        read_small_bytes(Path("/proc/self/maps"), limit=10)


def test_not_utf8_file_is_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ForeignDataError, match="not a text file"):
        read_small_file(path)


@pytest.mark.parametrize(
    "text", ['"\\' * 500_000, '"\\' * 499_999 + '"x\\'], ids=["escapes", "lone-backslash"]
)
def test_unterminated_strings_are_refused_in_linear_time(text: str) -> None:
    """A megabyte of ``"\\"\\"...`` (every string escaped open to the end) made the depth scan
    start over at each quote and scan to the end: hours of CPU for one server answer, in the
    event loop, where no deadline can stop it. It is refused at once."""
    started = time.monotonic()
    with pytest.raises(ForeignDataError):
        load_json(text, "The answer")
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "text",
    [
        "a" + ".a" * 40_000 + " = 1\n",
        "[t" + " . t" * 30_000 + "]\n",
        'x = {"k"' + '."k"' * 30_000 + " = 1}",
    ],
    ids=["dotted-key", "table-header", "inline-table"],
)
def test_toml_keys_dotted_thousands_deep_are_refused_at_once(text: str) -> None:
    """tomllib takes time quadratic in the parts of a dotted key: 40,000 of them (80 kB of a
    profiles.toml or an apply file) held it for half a minute, a megabyte for hours."""
    started = time.monotonic()
    with pytest.raises(ForeignDataError, match="nested more than"):
        load_toml(text, "profiles.toml")
    assert time.monotonic() - started < 2


def test_dots_in_values_strings_and_comments_are_no_nesting() -> None:
    dots = "." * 200
    text = f'a = "{dots}"\nb = \'{dots}\'\nc = """\n{dots}\n"""\n# {dots}\nd = 1.5\n'
    assert load_toml(text, "profiles.toml")["b"] == dots
