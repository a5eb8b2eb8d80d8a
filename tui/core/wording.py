"""How a sentence counts and lists: “1 tenant”, “2 tenants”; “a, b and c”. Nothing else here.

Each sentence used to write its own plural and its own list; some said “1 of 1 tenants”.
"""

from __future__ import annotations

from collections.abc import Sequence


def counted(count: int, word: str) -> str:
    """“1 change”, “2 changes”: ``word`` takes an s unless there is one."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def joined(words: Sequence[str]) -> str:
    """“a”, “a and b”, “a, b and c”: as a sentence lists them ("" for none)."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
