"""The manage table's rows and order: ledger columns, unknown secrets last, the sort key's cycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.core.ledger import LedgerEntry
from tui.core.secret_rows import (
    COLUMNS,
    NAME_MIN_WIDTH,
    OUTSIDE,
    UNKNOWN,
    SortOrder,
    cells,
    column_minimums,
    details,
    fit_widths,
    sorted_names,
)

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def entry(name: str, registry: str, username: str, days: int = 0, **kw: object) -> LedgerEntry:
    moment = T0 + timedelta(days=days)
    return LedgerEntry("dev@api", name, registry, username, registered_at=moment, **kw)  # type: ignore[arg-type]


KNOWN = {
    "b-quay": entry("b-quay", "quay.io", "zed", days=3),
    "c-ghcr": entry("c-ghcr", "ghcr.io", "Amy", days=1),
    "e-ghcr2": entry("e-ghcr2", "ghcr.io", "bob", days=5),
}
NAMES = ["e-ghcr2", "D-theirs", "c-ghcr", "a-theirs", "b-quay"]


def test_by_name_both_ways_ignoring_case() -> None:
    assert sorted_names(NAMES, KNOWN, SortOrder()) == [
        "a-theirs", "b-quay", "c-ghcr", "D-theirs", "e-ghcr2",
    ]  # fmt: skip
    assert sorted_names(NAMES, KNOWN, SortOrder("name", True)) == [
        "e-ghcr2", "D-theirs", "c-ghcr", "b-quay", "a-theirs",
    ]  # fmt: skip


def test_a_ledger_column_keeps_the_unknown_secrets_last_in_either_direction() -> None:
    up = sorted_names(NAMES, KNOWN, SortOrder("registry"))
    assert up == ["c-ghcr", "e-ghcr2", "b-quay", "a-theirs", "D-theirs"]  # ties by name
    down = sorted_names(NAMES, KNOWN, SortOrder("registry", True))
    assert down[:1] == ["b-quay"] and down[-2:] == ["a-theirs", "D-theirs"]
    assert sorted_names(NAMES, KNOWN, SortOrder("username"))[:3] == ["c-ghcr", "e-ghcr2", "b-quay"]
    newest = sorted_names(NAMES, KNOWN, SortOrder("rotated", True))
    assert newest == ["e-ghcr2", "b-quay", "c-ghcr", "a-theirs", "D-theirs"]


def test_the_sort_key_cycles_every_column_both_ways_and_comes_back() -> None:
    order = SortOrder()
    seen = []
    for _ in range(2 * len(COLUMNS)):
        seen.append((order.column, order.descending))
        order = order.cycled()
    assert order == SortOrder()
    assert seen == [(key, down) for key, _heading in COLUMNS for down in (False, True)]


def test_a_click_on_a_heading_sorts_by_it_then_turns_it_round() -> None:
    order = SortOrder().by("username")
    assert order == SortOrder("username")
    assert order.by("username") == SortOrder("username", True)
    assert order.heading("username", "Username") == "Username ▲"
    assert order.by("username").heading("username", "Username") == "Username ▼"
    assert order.heading("name", "Name") == "Name"
    assert SortOrder("rotated", True).describe() == "sorted by last rotated, newest first"


def test_cells_of_a_known_and_an_unknown_secret() -> None:
    assert cells("c-ghcr", KNOWN["c-ghcr"]) == ("c-ghcr", "ghcr.io", "Amy", "2026-11-21")
    assert cells("a-theirs", None) == ("a-theirs", OUTSIDE, "", "")
    assert OUTSIDE in UNKNOWN


def test_details_say_what_the_ledger_knows_and_what_it_does_not() -> None:
    checked = entry(
        "x", "ghcr.io", "amy", email="a@example.com", updated_at=T0 + timedelta(days=1),
        verified_at=T0, verified_image="ghcr.io/acme/app:1", expires_at=T0 - timedelta(days=1),
        source="env:GHCR_TOKEN",
    )  # fmt: skip
    rows = dict(details(checked))
    assert rows["Registry key"] == "ghcr.io" and rows["Username"] == "amy"
    assert rows["Email"] == "a@example.com"
    assert rows["Registered"] == "2026-11-20 09:30 UTC"
    assert rows["Updated"] == "2026-11-21 09:30 UTC"
    assert rows["Verified"] == "2026-11-20 09:30 UTC: login and image ghcr.io/acme/app:1"
    assert rows["Expires"] == "2026-11-19 09:30 UTC (expired)"
    assert rows["Source"] == "env:GHCR_TOKEN"
    bare = dict(details(LedgerEntry("dev@api", "y", "quay.io", "bob", updated_at=T0)))
    assert bare["Registered"] == "outside regsecret"
    assert bare["Email"] == "none" and bare["Expires"] == "not known"
    assert bare["Verified"] == "not checked for this credential"
    assert "Source" not in bare


def test_columns_keep_their_widths_when_they_fit() -> None:
    assert fit_widths([10, 7, 8, 12], [12, 8, 8, 12], 60) == [12, 8, 8, 12]


def test_the_widest_columns_are_cut_first_and_never_below_their_minimum() -> None:
    # A 61-character name beside a long registry, in 68 columns: the two widest give way to one
    # common width; the narrow ones keep theirs.
    widths = fit_widths([61, 28, 8, 14], column_minimums([6, 8, 8, 14]), 68)
    assert widths == [23, 23, 8, 14] and sum(widths) == 68
    # Only the name is too long: it alone is cut, to what is left.
    assert fit_widths([61, 15, 8, 14], column_minimums([6, 8, 8, 14]), 68) == [31, 15, 8, 14]
    # Narrower than the minimums: the minimums (the table scrolls), the headings whole.
    assert fit_widths([61, 28, 8, 14], column_minimums([6, 10, 8, 12]), 20) == [12, 10, 8, 12]


def test_the_sorted_heading_keeps_its_arrow() -> None:
    # The heading's width (with its arrow) is the column's floor, however tight the room.
    minimums = column_minimums(
        [len("Name"), len("Registry"), len("Username"), len("Last rotated ▼")]
    )
    assert minimums == [NAME_MIN_WIDTH, 8, 8, 14]
    assert fit_widths([61, 28, 8, 14], minimums, 40)[3] == 14
