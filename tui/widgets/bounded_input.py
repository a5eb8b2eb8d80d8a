"""An Input that refuses text longer than any real value, with a sentence instead of a freeze.

Textual re-measures the whole value on every render: a 10 MB paste (a log file, a wrong
clipboard) froze the form for many seconds. A value over the limit is refused as a whole (a cut
password would be wrong anyway) and what was in the field stays. A paste goes through the one
rule for one-line values (``tui/core/one_line.py``), the same the command line applies.
"""

from __future__ import annotations

from typing import TypedDict, Unpack

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.suggester import Suggester

from tui.core.one_line import (
    FIELD_LIMIT,
    PASTE_HINT,
    SECRET_LIMIT,
    MultipleLines,
    TooLong,
    one_line,
)
from tui.widgets.labelled import LabelledField
from tui.widgets.visible_input import VisibleInput, type_over

__all__ = ["FIELD_LIMIT", "SECRET_LIMIT", "BoundedInput", "InputOptions"]


class InputOptions(TypedDict, total=False):
    """The keyword arguments of Textual's Input that our fields pass on, typed by name."""

    placeholder: str
    suggester: Suggester | None
    name: str | None
    id: str | None
    classes: str | None
    disabled: bool
    compact: bool
    select_on_focus: bool


class BoundedInput(LabelledField, VisibleInput):
    # Input sets its virtual size (a layout reactive on Widget) at every keystroke, and a layout
    # re-arranges the whole screen: on the credentials form that cost ~20 ms a key against ~5 ms
    # for a bare Input. An Input's own region never depends on its text (one line, the width
    # comes from CSS); the virtual size only bounds its horizontal scroll, which a repaint shows.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    #: What to do instead of pasting several lines.
    MULTILINE_HINT = PASTE_HINT
    #: A JSON key file pasted over several lines is kept, on one line (password fields).
    JSON_KEY = False

    def __init__(
        self,
        value: str | None = None,
        *,
        limit: int = FIELD_LIMIT,
        pem: bool = False,
        password: bool = False,
        **kwargs: Unpack[InputOptions],
    ) -> None:
        self.limit = limit
        # A field that takes PEM text keeps a pasted block as one line with literal \n, the way
        # service keys carry PEM (the profile code turns them back into newlines).
        self.pem = pem
        super().__init__(value, password=password, **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        # Textual inserts a printable key as soon as the Input takes it from its queue, but runs
        # an editing key (backspace, arrows, ctrl+u, ...) as a binding only once the key has
        # bubbled up to the App. In a burst, as a fast typist or a password manager sends it,
        # the letters behind an editing key overtake it: "abcd BS BS xy Left Left Q" became
        # "abcdx". Running this field's own bindings here, in the order the keys came, keeps
        # them in order. (Textual runs Input._on_key after this one, which inserts printable keys.)
        if event.is_printable:
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return

    def _on_paste(self, event: events.Paste) -> None:
        # Textual keeps the first line of a multi-line paste and drops the rest without a word;
        # a key cut that way fails hours later, as an image pull. The core rule decides instead,
        # and Input's own paste handler does not run.
        event.stop()
        event.prevent_default()
        if not event.text:
            return
        try:
            kept = one_line(
                event.text,
                hint=self.MULTILINE_HINT,
                limit=self.limit,
                json_key=self.JSON_KEY,
                pem=self.pem,
            )
        except MultipleLines as exc:
            self.notify(exc.explanation, title="More than one line", severity="error", timeout=12)
            return
        except TooLong as exc:
            self.notify(exc.explanation, title="Too long", severity="error", timeout=10)
            return
        if kept.note:
            self.notify(kept.note, timeout=6)
        type_over(self, kept.value)

    def validate_value(self, value: str) -> str:
        limit = getattr(self, "limit", 0)
        if not limit or len(value) <= limit:
            return value
        self._refuse_too_long(len(value))
        previous = self.value if hasattr(self, "_reactive_value") else ""
        return previous if len(previous) <= limit else ""

    def _refuse_too_long(self, length: int) -> None:
        self.notify(
            f"That text is {length:,} characters long; this field takes at most {self.limit:,}, "
            "so it was not put in. Check what is on the clipboard and paste again.",
            title="Too long",
            severity="error",
            timeout=10,
        )
