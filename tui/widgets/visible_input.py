"""The Input every field of the app is built on: it draws its value, never plays it.

A value put into a field by code comes from outside as often as from the keyboard: a secret name
from the server (the update form), a docker config key, a credential helper's username, a
password file (revealed with ctrl+r), a profile's client id, a file name the path prompt
suggests. Textual draws an Input's value and its suggestion as they are, so an ``ESC ] 0 ;`` in a
name set the terminal's title and ``ESC [ 2 J`` cleared the screen the moment the form opened,
before any check could say a word. Here the drawn text is :func:`~tui.core.foreign_text.field_text`
(one visible character for each character) while ``value`` stays exactly what was put in: it is
what gets checked, refused with a sentence, or sent.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.strip import Strip
from textual.widgets import Input

from tui.core.foreign_text import field_text


class VisibleInput(Input):
    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value  # one bullet per character: nothing of the value is drawn
        text = Text(field_text(self.value), no_wrap=True, overflow="ignore", end="")
        return text if self.highlighter is None else self.highlighter(text)

    def render_line(self, y: int) -> Strip:
        # Textual adds the suggestion's tail to the drawn value itself: draw it from its visible
        # form for this one render, and put the real one back, which accepting it puts in the
        # value (set_reactive, so that neither is a change that asks for another render).
        suggestion = self._suggestion
        if not suggestion or (suggestion.isascii() and suggestion.isprintable()):
            return super().render_line(y)
        self.set_reactive(Input._suggestion, field_text(suggestion))
        try:
            return super().render_line(y)
        finally:
            self.set_reactive(Input._suggestion, suggestion)

    # The cursor, the scroll and a mouse click count cells of the drawn text, not of the value:
    # a control character takes no cell in the value and one in the drawing (and a masked wide
    # character one bullet).
    def _drawn(self, value: str) -> str:
        return "•" * len(value) if self.password else field_text(value)

    def _position_to_cell(self, position: int) -> int:
        return cell_len(self._drawn(self.value[:position]))

    def _cell_offset_to_index(self, offset: int) -> int:
        shown = self._drawn(self.value)
        scroll_x, _ = self.scroll_offset
        offset += scroll_x
        cells = 0
        for index, char in enumerate(shown):
            width = cell_len(char)
            if cells <= offset < cells + width:
                return index
            cells += width
        return max(0, min(offset, len(shown)))


def type_over(field: Input, text: str) -> None:
    """``text`` put into ``field`` as typed keys would put it: over the selection, if any, else
    at the cursor (a paste; keys typed ahead of the field's focus)."""
    selection = field.selection
    if selection.is_empty:
        field.insert_text_at_cursor(text)
    else:
        field.replace(text, *selection)
