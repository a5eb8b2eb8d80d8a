"""File-path completion for an Input: the suggestion appears greyed, right arrow accepts it."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.suggester import Suggester


def complete_path(text: str, home: Path | None = None) -> str | None:
    """The longest unambiguous completion of a typed path, or None when there is none."""
    if not text:
        return None
    expanded = os.path.expanduser(text) if home is None else text.replace("~", str(home), 1)
    folder, _, stem = expanded.rpartition(os.sep)
    directory = Path(folder or ".")
    try:
        entries = sorted(
            entry.name + (os.sep if entry.is_dir() else "")
            for entry in os.scandir(directory)
            if entry.name.startswith(stem)
            and (stem.startswith(".") or not entry.name.startswith("."))
        )
    except OSError:
        return None
    if not entries:
        return None
    common = os.path.commonprefix(entries)  # noqa: RUF071 (name prefixes, not paths)
    if len(common) <= len(stem):
        # Several candidates share nothing more: suggest the first so right arrow still helps.
        common = entries[0]
    return text + common[len(stem) :]


class PathSuggester(Suggester):
    def __init__(self, home: Path | None = None) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._home = home

    async def get_suggestion(self, value: str) -> str | None:
        # Directory listings can block on network mounts: keep the event loop free.
        return await asyncio.to_thread(complete_path, value, self._home)
