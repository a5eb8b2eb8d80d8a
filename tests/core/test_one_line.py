"""The one rule for one-line values, shared by the app's paste and every command's password."""

from __future__ import annotations

import json

import pytest

from tui.core.one_line import (
    JSON_KEY_NOTE,
    SECRET_LIMIT,
    MultipleLines,
    TooLong,
    one_line,
    password_value,
)

KEY = json.dumps({"type": "service_account", "private_key": "-----BEGIN X-----\nAA\n"}, indent=2)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("tok", "tok"),
        ("tok\n", "tok"),
        ("tok\r\n", "tok"),
        ("tok\n\n", "tok"),
        ("\n  \ntok\n", "tok"),
        (" tok ", " tok "),  # spaces are the checks' business (a warning), not this rule's
        ("", ""),
        ("\n", ""),
    ],
)
def test_one_line_with_its_line_breaks_dropped(text: str, value: str) -> None:
    kept = password_value(text, "Standard input")
    assert (kept.value, kept.note) == (value, "")


@pytest.mark.parametrize("text", ["zq1\nzq2\n", "zq1\rzq2", "zq1\u2028zq2", "zq1\n\nzq2"])
def test_several_lines_are_refused_with_a_sentence_without_the_text(text: str) -> None:
    with pytest.raises(MultipleLines) as refused:
        password_value(text, "The password on standard input")
    sentence = refused.value.explanation
    assert sentence.startswith("The password on standard input has 2 lines")
    assert "_json_key_base64" in sentence
    assert "zq" not in sentence


def test_a_json_key_is_kept_as_the_same_json_on_one_line() -> None:
    kept = password_value(KEY, "The file")
    assert "\n" not in kept.value and json.loads(kept.value) == json.loads(KEY)
    assert kept.note == JSON_KEY_NOTE
    with pytest.raises(MultipleLines):
        one_line(KEY)  # only where a password goes
    with pytest.raises(MultipleLines):
        password_value("[1,\n2]", "x")  # JSON, but not a key file


def test_pem_only_where_the_field_takes_pem() -> None:
    pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    assert one_line(pem, pem=True).value == (
        "-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----"
    )
    with pytest.raises(MultipleLines):
        password_value(pem, "x")


def test_too_long_is_refused_before_anything_else() -> None:
    with pytest.raises(TooLong) as refused:
        password_value("x" * (SECRET_LIMIT + 1), "$TOKEN")
    assert "$TOKEN is 16,385 characters long" in refused.value.explanation
    assert password_value("x" * SECRET_LIMIT, "$TOKEN").value == "x" * SECRET_LIMIT


def test_a_deeply_nested_json_is_refused_not_a_crash() -> None:
    with pytest.raises(MultipleLines):
        password_value("[" * 5000 + "\n" + "]" * 5000, "x")


def test_repr_never_shows_the_value() -> None:
    assert "s3cret" not in repr(password_value("s3cret", "x"))
