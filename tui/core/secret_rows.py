"""The manage table's rows: a tenant's secret names beside what the ledger knows, and their order.

AI Core lists only names; the registry, the user and when a secret was last rotated come from the
ledger, for the secrets regsecret registered or updated. The rest are "registered outside
regsecret" and sort after the known ones whatever the order, so a column sorted by registry
never mixes "nothing known" into the registries. Nothing here imports Textual; every value is
returned as it came (the screen shows it through the display boundary).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from datetime import datetime

    from tui.core.ledger import LedgerEntry

OUTSIDE = "registered outside regsecret"
UNCONFIRMED = "unconfirmed"

#: The table's columns: key and heading, in the order shown and cycled through by the sort key.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("registry", "Registry"),
    ("username", "Username"),
    ("rotated", "Last rotated"),
)
_KEYS = tuple(key for key, _heading in COLUMNS)


#: The narrowest a name column is cut to: enough to tell most names apart (the whole name of the
#: highlighted secret is shown beside or under the table).
NAME_MIN_WIDTH = 12


def column_minimums(headings: Sequence[int]) -> list[int]:
    """How narrow each column of COLUMNS may become, from its heading's width (with the sort
    arrow on the sorted one, so the arrow is never cut): a heading, a name a little more."""
    return [
        max(width, NAME_MIN_WIDTH if key == "name" else 0)
        for (key, _heading), width in zip(COLUMNS, headings, strict=True)
    ]


def fit_widths(natural: Sequence[int], minimum: Sequence[int], room: int) -> list[int]:
    """Column widths within ``room`` (the table's width less its padding and scroll bar).

    Each column gets what its widest cell needs when all fit. When they do not, the widest
    columns are cut to one common width (a long name first, then a long registry), the largest
    that fits, but never below a column's ``minimum``: so every column, and its heading with the
    sort arrow, stays on screen. Below the sum of the minimums (a tiny terminal) the table scrolls.
    """
    want = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    if sum(want) <= room:
        return want
    for cap in range(max(want), -1, -1):
        widths = [min(w, max(cap, m)) for w, m in zip(want, minimum, strict=True)]
        if sum(widths) <= room:
            return widths
    return [min(w, m) for w, m in zip(want, minimum, strict=True)]


def when(moment: datetime | None) -> str:
    """A ledger time as the table and the details show it: to the minute, in UTC."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else ""


@dataclass(frozen=True)
class SortOrder:
    """Which column the rows are sorted by, and which way."""

    column: str = "name"
    descending: bool = False

    def cycled(self) -> SortOrder:
        """The next order of the sort key: this column the other way, then the next column."""
        if not self.descending:
            return SortOrder(self.column, True)
        following = _KEYS[(_KEYS.index(self.column) + 1) % len(_KEYS)]
        return SortOrder(following)

    def by(self, column: str) -> SortOrder:
        """A click on a heading: that column ascending, or the other way if it is the sorted one."""
        if column == self.column:
            return SortOrder(column, not self.descending)
        return SortOrder(column)

    def heading(self, column: str, text: str) -> str:
        """A column's heading, with an arrow on the sorted one."""
        if column != self.column:
            return text
        return f"{text} {'▼' if self.descending else '▲'}"

    def describe(self) -> str:
        heading = dict(COLUMNS)[self.column].lower()
        if self.column == "rotated":
            return f"sorted by {heading}, {'newest' if self.descending else 'oldest'} first"
        return f"sorted by {heading}, {'Z to A' if self.descending else 'A to Z'}"


def _value(name: str, entry: LedgerEntry, column: str) -> tuple[object, ...]:
    if column == "registry":
        return (entry.registry.lower(), entry.registry)
    if column == "username":
        return (entry.username.lower(), entry.username)
    if column == "rotated":
        rotated = entry.last_rotated
        return (rotated.timestamp() if rotated is not None else float("-inf"),)
    return (name.lower(), name)


def sorted_names(
    names: Iterable[str], known: Mapping[str, LedgerEntry], order: SortOrder
) -> list[str]:
    """``names`` in ``order``; ties by name, and the ledger's unknown secrets last, by name."""
    names = list(names)
    by_name = sorted(names, key=lambda name: (name.lower(), name))
    if order.column == "name":
        return by_name[::-1] if order.descending else by_name
    ours = [name for name in by_name if name in known]
    theirs = [name for name in by_name if name not in known]
    # Stable: sorting by the column keeps the name order among equal values.
    ours.sort(key=lambda name: _value(name, known[name], order.column), reverse=order.descending)
    return ours + theirs


def cells(name: str, entry: LedgerEntry | None) -> tuple[str, str, str, str]:
    """One row: name, registry, username, last rotated; what regsecret did not make says so."""
    if entry is None:
        return (name, OUTSIDE, "", "")
    # The day only, as in the fleet view: the table fits 80 columns; the details have the time.
    rotated = entry.last_rotated
    day = rotated.strftime("%Y-%m-%d") if rotated else ""
    # Sent but stopped before AI Core answered: regsecret's, but not known to have taken.
    return (name, entry.registry, entry.username, UNCONFIRMED if entry.unconfirmed_at else day)


#: The details of a secret the ledger does not know.
UNKNOWN = (
    f"This secret was {OUTSIDE}: AI Core never returns a secret's registry or user, so "
    "nothing more is known. An update from this list (enter) records them."
)


def details(entry: LedgerEntry) -> list[tuple[str, str]]:
    """What the ledger knows of one secret, as label and value, for the details pane."""
    if entry.verified_at is None:
        verified = "not checked for this credential"
    elif entry.verified_image:
        verified = f"{when(entry.verified_at)}: login and image {entry.verified_image}"
    else:
        verified = f"{when(entry.verified_at)}: login only, no image"
    expires = when(entry.expires_at) or "not known"
    if entry.expired():
        expires += " (expired)"
    elif entry.expires_soon():
        expires += " (soon)"
    rows = [
        ("Registry key", entry.registry),
        ("Username", entry.username),
        ("Email", entry.email or "none"),
        ("Registered", when(entry.registered_at) or "outside regsecret"),
        ("Updated", when(entry.updated_at) or "never by regsecret"),
        ("Verified", verified),
        ("Expires", expires),
    ]
    if entry.unconfirmed_at is not None:
        rows.append(
            (
                "Unconfirmed",
                f"{when(entry.unconfirmed_at)}: stopped after the request was sent, so AI Core "
                "may not hold these credentials; update it again to be sure",
            )
        )
    if entry.source:
        rows.append(("Source", entry.source))
    return rows
