"""Counting and listing in sentences, one way: "1 of 1 tenants" read wrong."""

from __future__ import annotations

from tui.core.wording import counted, joined


def test_counted_takes_an_s_unless_there_is_one() -> None:
    assert [counted(n, "tenant") for n in (0, 1, 2)] == ["0 tenants", "1 tenant", "2 tenants"]


def test_joined_lists_as_a_sentence_does() -> None:
    assert joined([]) == ""
    assert joined(["a"]) == "a"
    assert joined(["a", "b"]) == "a and b"
    assert joined(["a", "b", "c"]) == "a, b and c"
