"""A form field that draws its own label and focus bar, in its left padding: one widget a row.

A label and a row container beside each field cost a Textual form two more widgets a field, each
one created, styled, given its own message task and laid out: on the credentials form that was
~95 M instructions of a first frame (a bare Textual app's whole first frame is ~940 M). Drawn by
the field itself, a label is a few cells of its first line.

Where typing goes must be obvious, as a token typed into the wrong field is shown in clear: the
focused field's label is in reverse bold accent and a bar stands between label and field (a
glyph, visible without colour too). A click on the label focuses its field, as in a browser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

from rich.segment import Segment
from rich.style import Style
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.widget import Widget

    _Field = Widget
else:
    # Not a Widget itself: Textual follows a class's first Widget base alone for its CSS and
    # component classes, and a Widget mixin before Input would hide Input's.
    _Field = object

#: The label's cells (right-aligned, then a space), and the focus bar's after them.
LABEL_CELLS = 16
INDENT = LABEL_CELLS + 1
_BAR = "▌"


class FormBody(VerticalScroll):
    """A form's scrolling body: the colours of its fields' labels are its parts, styled once for
    the whole form (as parts of each field, Textual styled them again for every field: ~2.5 M
    instructions a field on the first frame)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"form--label", "form--label-focused", "form--bar"}

    def __init__(self, *, classes: str = "form") -> None:
        # Not a focus stop of its own: after the last field, a typed key would vanish into it.
        super().__init__(classes=classes, can_focus=False)

    def label_styles(self, focused: bool) -> tuple[Style, Style]:
        """The label's and the focus bar's style, each on the form's background."""
        label = "form--label-focused" if focused else "form--label"
        # Whole styles, not partial ones: "auto 60%" (the theme's muted text) is a colour only
        # against a background.
        return self.get_component_rich_style(label), self.get_component_rich_style("form--bar")


class LabelledField(_Field):
    """Mixed in before a field's class; :meth:`labelled` gives it a label, its FormBody colours."""

    field_label = ""

    def labelled(self, label: str) -> Self:
        """This field, with ``label`` drawn before it (app.tcss gives ``.labelled`` the room)."""
        self.field_label = label
        # Not yet mounted, a class added with an update restyles the widget at once, and its
        # mount styles it again: that first styling is skipped.
        self.add_class("labelled", update=self.is_mounted)
        return self

    def render_lines(self, crop: Region) -> list[Strip]:
        strips = super().render_lines(crop)
        if not self.field_label or not strips or crop.x >= INDENT:
            return strips
        # The label on the first line; under it, on a field of several lines (a list), what is
        # around the field, as beside the label (the field's own background from the bar on).
        lines = []
        for y, strip in enumerate(strips, crop.y):
            head = self._label_strip() if y == 0 else self._blank_strip()
            rest = strip.crop(INDENT - crop.x, crop.width)
            lines.append(Strip.join([head.crop(crop.x, min(INDENT, crop.right)), rest]))
        return lines

    def _blank_strip(self) -> Strip:
        outside, inside = self.background_colors
        around = Segment(" " * LABEL_CELLS, Style(bgcolor=outside.rich_color))
        return Strip([around, Segment(" ", Style(bgcolor=inside.rich_color))], INDENT)

    def _label_strip(self) -> Strip:
        focused = self.has_focus
        form = self.parent
        label, bar = (
            form.label_styles(focused) if isinstance(form, FormBody) else (Style(), Style())
        )
        outside, inside = self.background_colors
        # The label stands on what is around the field; the bar on the field's own background.
        around = Style(bgcolor=outside.rich_color)
        text = self.field_label[: LABEL_CELLS - 1]
        return Strip(
            [
                # Right-aligned: the reverse style of a focused label covers its words alone.
                Segment(" " * (LABEL_CELLS - 1 - len(text)), around),
                Segment(text, label + around),
                Segment(" ", around),
                Segment(_BAR if focused else " ", bar + Style(bgcolor=inside.rich_color)),
            ],
            INDENT,
        )
