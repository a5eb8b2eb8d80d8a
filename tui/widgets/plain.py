"""The UI half of the display boundary: foreign text shown as plain text, never as markup.

Textual reads a ``str`` as content markup almost everywhere: ``Label``, ``Static``, an
``OptionList`` prompt, a ``DataTable`` cell, a toast. A secret name
``[@click=app.quit]x[/]`` then becomes a link that runs an action, ``bad[/]name`` raises a
MarkupError, and ``github-actions[bot]`` loses ``[bot]``. ``markup=False`` alone is not enough
either: Textual passes control characters through to the terminal. So anything that may hold
foreign text goes through :func:`plain` (a :class:`~textual.content.Content` built from
:func:`~tui.core.foreign_text.displayable`, which Textual never parses) or :class:`PlainStatic`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Static

from tui.core.foreign_text import displayable

# A screen of text; enough for every sentence of ours and any reasonable foreign one.
SCREEN_LIMIT = 4000


def plain(text: object, *, limit: int = SCREEN_LIMIT, multiline: bool = True) -> Content:
    """``text`` made displayable, as Content that no markup parser will ever read."""
    return Content(displayable(text, limit=limit, multiline=multiline))


def plain_cell(text: object, *, limit: int = 200) -> Text:
    """A DataTable cell: DataTable reads a ``str`` cell as markup, a ``Text`` as it is."""
    return Text(displayable(text, limit=limit), end="")


def farewell(sentence: str) -> Text:
    """What the app prints on the terminal after it exits: it quotes server names, so it is foreign.

    Printed after the screen is gone, an escape in a name would reach the user's shell terminal
    (its title, its clipboard) with nothing left to redraw over it.
    """
    return Text("regsecret: " + displayable(sentence, limit=SCREEN_LIMIT))


def _safe(content: VisualType) -> VisualType:
    return plain(content) if isinstance(content, str) else content


class PlainStatic(Static):
    """A Static whose text, at creation and at every update, is shown exactly (made safe)."""

    def __init__(self, content: VisualType = "", **kwargs: Any) -> None:
        super().__init__(_safe(content), markup=False, **kwargs)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(_safe(content), layout=layout)


class PlainLabel(PlainStatic):
    """A one-line text for foreign words: titles that quote a name, a profile, a tenant.

    Sized as Textual's Label, without being one: Label's stylesheet (its colour variants) was
    parsed before the first frame for a title alone.
    """

    DEFAULT_CSS = """
    PlainLabel {
        width: auto;
        height: auto;
        min-height: 1;
    }
    """
