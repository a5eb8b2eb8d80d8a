"""One line that shows a form's choice, and a list to change it: a Select, as one widget.

A compact Textual Select is six widgets (its current value, two arrows, an overlay and its option
list) created, styled and laid out before a form's first frame: on the credentials form that was
~84 M instructions of it, where a bare Textual app's whole first frame is ~940 M. The list here is
made only when it is opened, as a small screen over the form, under the chooser.

Keys: enter, space or down open the list (enter in the list chooses, escape closes it); left
and right step to the previous or next option without opening it; a letter opens it on the first
option that starts with it. In the open list a letter moves to the first option that starts with
it, the same letter again to the next one, letters typed in a row to the first that starts with
them all. Only a choice made that way posts :class:`Chooser.Changed`: setting
:attr:`Chooser.value` from code says nothing, so a form filling itself in never reads as the
person's choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.widgets.labelled import LabelledField
from tui.widgets.plain import plain

if TYPE_CHECKING:
    from textual.timer import Timer


class Chooser(LabelledField, Widget, can_focus=True):
    DEFAULT_CSS = """
    Chooser {
        height: 1;
        background: $surface;
        color: $foreground;
        pointer: pointer;
    }
    Chooser > .chooser--arrow {
        color: $foreground 50%;
    }
    Chooser > .chooser--prompt {
        color: $text-disabled;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"chooser--arrow", "chooser--prompt"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space,down", "open", "Open the list", show=False, id="chooser-open"),
        Binding("left", "step(-1)", "Previous choice", show=False, id="chooser-previous"),
        Binding("right", "step(1)", "Next choice", show=False, id="chooser-next"),
    ]

    class Changed(Message):
        """The person chose ``value`` (from the list, or by stepping to it).

        Not a dataclass, as Textual's own messages are: each costs the first frame ~3 M
        instructions to make (tui/core/record.py).
        """

        def __init__(self, chooser: Chooser, value: str) -> None:
            super().__init__()
            self.chooser = chooser
            self.value = value

        @property
        def control(self) -> Chooser:
            return self.chooser

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        *,
        prompt: str,
        value: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        #: (label, value) pairs, in the order shown.
        self.options = list(options)
        self.prompt = prompt
        # A value that is none of the options (a stored choice the options no longer offer):
        # nothing chosen, the prompt shown. It was kept, and the first frame raised KeyError.
        self._value = value if any(value == known for _label, known in self.options) else None
        self.expanded = False

    @property
    def value(self) -> str | None:
        """The chosen option's value; None while nothing is chosen."""
        return self._value

    @value.setter
    def value(self, value: str | None) -> None:
        if value is not None and value not in self._values():
            raise ValueError(f"{value!r} is not one of the options")
        if value != self._value:
            self._value = value
            self.refresh()

    def is_blank(self) -> bool:
        return self._value is None

    def clear(self) -> None:
        self.value = None

    def _values(self) -> list[str]:
        return [value for _label, value in self.options]

    def render(self) -> Content:
        labels = {value: label for label, value in self.options}
        if self._value is None:
            shown = Content.styled(self.prompt, self.get_visual_style("chooser--prompt"))
        else:
            shown = plain(labels[self._value], multiline=False)
        arrow = Content.styled(" ▼ ", self.get_visual_style("chooser--arrow"))
        room = max(0, self.content_size.width - arrow.cell_length)
        return Content.assemble(shown.truncate(room, ellipsis=True, pad=True), arrow)

    def action_open(self) -> None:
        self._open()

    def _can_open(self) -> bool:
        return bool(self.options) and not self.expanded

    def _open(self, typed: events.Key | None = None) -> None:
        if self._can_open():
            self.expanded = True
            self.app.push_screen(ChooserList(self, typed), self._chosen)

    def on_key(self, event: events.Key) -> None:
        # A letter typed on the closed chooser opens its list there (it was dropped, unseen),
        # unless the screen or the app binds that key (? is help).
        if self._can_open() and _finds(event) and event.key not in self.screen.active_bindings:
            event.stop()
            event.prevent_default()
            self._open(event)

    def _chosen(self, value: str | None) -> None:
        self.expanded = False
        if self.is_attached:
            self.screen.set_focus(self)
        if value is not None:
            self._choose(value)

    def action_step(self, step: int) -> None:
        values = self._values()
        if not values:
            return
        at = values.index(self._value) + step if self._value is not None else 0
        self._choose(values[max(0, min(at, len(values) - 1))])

    def _choose(self, value: str) -> None:
        changed = value != self._value
        self.value = value
        if changed:
            self.post_message(self.Changed(self, value))

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.action_open()


#: Letters typed in an open list this close together (seconds) are one search.
FIND_PAUSE = 1.0
#: How long the list's foot says that nothing starts with what was typed.
_NOT_FOUND_SHOWN = 3.0
#: The footer's line at the foot of the screen, which the list leaves in sight.
_FOOTER_LINES = 1


def _finds(event: events.Key) -> bool:
    """A key that searches a list: a printable character, not a space (a space chooses)."""
    return event.is_printable and event.character is not None and not event.character.isspace()


def find_option(labels: Sequence[str], typed: str, highlighted: int | None) -> int | None:
    """Where ``typed`` (what was typed in a row in the list) moves the highlight: the first
    option whose label starts with it, else the first with a word that does. One letter, once
    or again and again: from an option that starts with it, the next that does (round to the
    first), so each press moves on. None: no label starts so.
    """
    wanted = typed.casefold()
    one_letter = wanted == wanted[:1] * len(wanted)
    if one_letter:
        wanted = wanted[:1]
    starts = [at for at, label in enumerate(labels) if label.casefold().startswith(wanted)]
    if not starts:
        # Else a word of the label: "ecr" finds "Amazon ECR", "hub" "Docker Hub".
        starts = [
            at
            for at, label in enumerate(labels)
            if any(word.startswith(wanted) for word in label.casefold().split())
        ]
    if highlighted is not None and highlighted in starts:
        if not one_letter:
            return highlighted
        return ([at for at in starts if at > highlighted] or starts)[0]
    return starts[0] if starts else None


# The list's own keys, in its own footer. Priority: the focused option list binds enter and the
# arrows itself, unseen (show=False), and a footer shows a key's first binding it meets.
_MOVE = Binding.Group("Move", compact=True)


class ChooserList(ModalScreen[str | None], inherit_bindings=False):
    """A chooser's options, under it (or over it, where the screen ends below), with a footer
    of the keys that work here: the form's do nothing while the list is open."""

    #: Part of the form it opens over: the form's toasts stay while it is open (tui/app.py).
    PART_OF_SCREEN_BELOW: ClassVar[bool] = True

    DEFAULT_CSS = """
    ChooserList {
        /* The form stays in sight around the list. */
        background: transparent;
    }
    ChooserList > OptionList {
        position: absolute;
        border: tall $border;
        background: $surface;
        padding: 0;
        height: auto;
        width: auto;
    }
    """
    # Not Textual's tab and shift+tab (the list is the one thing to focus here), nor its copy:
    # help and the palette list the keys of the list alone.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,space",
            "choose",
            "Choose",
            tooltip="Choose the highlighted option",
            priority=True,
            id="chooser-choose",
        ),
        Binding(
            "escape",
            "close",
            "Close",
            tooltip="Close the list, the choice as it was",
            id="chooser-close",
        ),
        Binding(
            "up",
            "move(-1)",
            "Previous",
            tooltip="Highlight the previous option",
            group=_MOVE,
            priority=True,
            id="chooser-up",
        ),
        Binding(
            "down",
            "move(1)",
            "Next",
            tooltip="Highlight the next option",
            group=_MOVE,
            priority=True,
            id="chooser-down",
        ),
        # The app's f1 (a priority key) opens help over the list too; here it is in sight.
        Binding("f1,question_mark", "app.help", "Help", tooltip="This help", id="chooser-help"),
    ]

    #: What help (f1) says over the list (tui/app.py reads it, as it does a screen's).
    HELP = (
        "The options to choose from. A letter highlights the first one that starts with it, "
        "the same letter again the next one; letters typed in a row, the first that starts "
        "with them all (or has a word that does: ecr finds Amazon ECR). ↑ and ↓ move the "
        "highlight, enter or space chooses the highlighted option, escape closes the list and "
        "changes nothing. Then the form's keys work again."
    )

    def __init__(self, chooser: Chooser, typed: events.Key | None = None) -> None:
        super().__init__()
        self.chooser = chooser
        label = chooser.field_label
        # What help (f1) is titled: this list, not the form under it (nor "ChooserList").
        self.title = f"{label} list" if label else "List of options"
        self._typed = ""
        self._typed_at = 0.0
        self._first_key = typed
        self._search_ends: Timer | None = None

    def compose(self) -> Iterable[Widget]:
        from textual.widgets import Footer  # with the list, not before the form's first frame

        yield OptionList(
            *(
                Option(plain(label, multiline=False), id=value)
                for label, value in self.chooser.options
            )
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = self.chooser._values()
        if self.chooser.value is not None:
            options.highlighted = values.index(self.chooser.value)
        else:
            options.highlighted = 0
        self._place(options)
        self.set_focus(options)
        if self._first_key is not None:
            self._find(self._first_key)

    def _place(self, options: OptionList) -> None:
        # Over the chooser's own box, below it if the options fit there; never over the footer.
        # A labelled chooser draws its label in its left padding and its focus bar in the last
        # cell of it, on its own background: its box starts at the bar, its value a cell later,
        # where the options' text starts then (inside the list's border).
        field = self.chooser.content_region
        left = max(0, field.x - 1) if self.chooser.field_label else field.x
        screen = self.size
        room = max(0, screen.height - _FOOTER_LINES)
        wanted = len(self.chooser.options) + 2
        below = room - field.bottom
        above = field.y
        height = min(wanted, max(below, above), room)
        y = field.bottom if below >= height or below >= above else field.y - height
        # Never wider than the screen, nor past its right edge: a narrow terminal cut it off.
        width = min(screen.width, max(20, min(field.right - left, screen.width - left)))
        x = min(left, screen.width - width)
        options.styles.width = width
        options.styles.max_height = height
        options.styles.offset = (x, min(max(0, y), room - height))

    def on_resize(self) -> None:
        # Placed as it opened, a list stayed there when the terminal changed size (cut off by
        # a narrower one). Placed again once the form under it is laid out for the new size;
        # not at all when the list was closed as the size changed (its options are gone).
        for options in self.query(OptionList):
            self.call_after_refresh(self._place, options)

    def on_key(self, event: events.Key) -> None:
        # Letters typed in the list were dropped unseen; here they move the highlight.
        if _finds(event) and event.key not in self.active_bindings:
            event.stop()
            event.prevent_default()
            self._find(event)

    def _find(self, key: events.Key) -> None:
        options = self.query_one(OptionList)
        if key.time - self._typed_at > FIND_PAUSE:
            self._typed = ""
        self._typed_at = key.time
        typed = self._typed + (key.character or "")
        labels = [label for label, _value in self.chooser.options]
        found = find_option(labels, typed, options.highlighted)
        if self._search_ends is not None:
            self._search_ends.stop()
            self._search_ends = None
        # What was typed is never drawn: keys meant for a password field (a password manager
        # typing user, tab, secret into a form whose tab lands here) would show in clear.
        if found is None:
            # Said at the list's foot, the highlight where it was; the letters that matched stay
            # the search, so a wrong letter is undone by typing the right one.
            options.border_subtitle = Content("no option starts with those letters")
            self._search_ends = self.set_timer(_NOT_FOUND_SHOWN, self._end_search)
            return
        self._typed = typed
        options.highlighted = found
        options.border_subtitle = None
        self._search_ends = self.set_timer(FIND_PAUSE, self._end_search)

    def _end_search(self) -> None:
        if self._search_ends is not None:
            self._search_ends.stop()
            self._search_ends = None
        self._typed = ""
        self.query_one(OptionList).border_subtitle = None

    def action_move(self, step: int) -> None:
        # Moved by hand, the highlight is where the next letter searches from, afresh.
        self._end_search()
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_choose(self) -> None:
        self.query_one(OptionList).action_select()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_click(self, event: events.Click) -> None:
        # A click beside the list closes it, as a click beside an open Select does. Where, not
        # event.widget: a click on an option reaches the screen as its own too, and closing the
        # list then dropped the choice (and the option's dismiss popped the form's screen). A
        # click on a key of the footer is that key's, pressed in the list.
        kept = (self.query_one(OptionList).region, self.query_one("Footer").region)
        if not any(region.contains(event.screen_x, event.screen_y) for region in kept):
            self.dismiss(None)
