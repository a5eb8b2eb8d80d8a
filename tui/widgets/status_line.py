"""A screen's status line: the whole sentence about what was just done, near what it is about.

A toast lands in the corner whatever the screen holds there (a table's rows, the field being
typed in) and a long one covers it. So a screen that copies, sorts or deletes says it here, in
full (where the copy landed, what could not be checked, what becomes of a secret on the
clipboard), and raises no toast (see ``RegsecretApp.report``). The line takes no room while it
says nothing; its text passes the display boundary (it quotes names).
"""

from __future__ import annotations

from tui.core.foreign_text import displayable
from tui.widgets.field_note import FieldNote

# A few sentences about one thing; a longer text (a name with line breaks, 4,000 characters
# of it) would push the table it is about off the screen.
STATUS_LIMIT = 600


class StatusLine(FieldNote):
    """A field note for the whole screen: the same say(), made one bounded paragraph."""

    DEFAULT_CSS = """
    StatusLine {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    StatusLine.-warning {
        color: $text-warning;
    }
    """

    def say(self, text: str, *, warning: bool = False, hint: bool = False) -> None:
        """Show ``text`` (nothing: the line goes); a warning stands out."""
        # One paragraph: line breaks in a quoted name are spaces here, and it is bounded.
        super().say(displayable(text, limit=STATUS_LIMIT), warning=warning, hint=hint)
