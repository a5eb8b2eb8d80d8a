"""The line under a form field: its problem, its warning or its hint; hidden while it says nothing.

Both forms check every field at each key; most keys change nothing here, and an update re-lays
out the whole form, so :meth:`FieldNote.say` skips the ones that change nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.widgets.plain import PlainStatic

if TYPE_CHECKING:
    from tui.core.request import Problem


class FieldNote(PlainStatic):
    def __init__(self, hint: str = "", **kwargs: Any) -> None:
        """A note saying ``hint`` from the start: made so, not changed after its mount, it costs
        the first frame no second styling and layout."""
        if hint:
            kwargs["classes"] = f"{kwargs.get('classes') or ''} -hint"
        super().__init__(hint, **kwargs)
        self.said = hint
        self._warning = False
        self._hint = bool(hint)
        self.display = bool(hint)

    def say(self, text: str, *, warning: bool = False, hint: bool = False) -> None:
        """Show ``text`` as a problem (a ``warning``, or an error), or as a muted ``hint``."""
        if (text, warning, hint) == (self.said, self._warning, self._hint):
            return
        self.said, self._warning, self._hint = text, warning, hint
        self.update(text)
        self.set_class(warning, "-warning")
        self.set_class(hint, "-hint")
        self.display = bool(text)

    def explain(self, mine: list[Problem], advice: str) -> None:
        """A field's problems, else its advice: one note a field, as a problem says what to do
        (and ends with the same sentence the advice would)."""
        if mine:
            warning = all(p.warning for p in mine)
            self.say("\n".join(p.sentence for p in mine), warning=warning)
        else:
            self.say(advice, hint=True)
