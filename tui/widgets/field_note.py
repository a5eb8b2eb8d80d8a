"""The line under a form field: its problem, its warning or its hint; hidden while it says nothing.

Both forms check every field at each key; most keys change nothing here, and an update re-lays
out the whole form, so :meth:`FieldNote.say` skips the ones that change nothing.
"""

from __future__ import annotations

from typing import Any

from tui.widgets.plain import PlainStatic


class FieldNote(PlainStatic):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.said = ""
        self._warning = False
        self.display = False

    def say(self, text: str, *, warning: bool = False) -> None:
        if (text, warning) == (self.said, self._warning):
            return
        self.said, self._warning = text, warning
        self.update(text)
        self.set_class(warning, "-warning")
        self.display = bool(text)
