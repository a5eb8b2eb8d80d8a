"""An Input that refuses text longer than any real value, with a sentence instead of a freeze.

Textual re-measures the whole value on every render: a 10 MB paste (a log file, a wrong
clipboard) froze the form for many seconds. A value over the limit is refused as a whole (a cut
password would be wrong anyway) and what was in the field stays.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

# Far above any registry name, host, username or email; passwords get more (cloud tokens and
# base64 service-account keys run to a few kilobytes).
FIELD_LIMIT = 2048
SECRET_LIMIT = 16384


class BoundedInput(Input):
    # Input sets its virtual size (a layout reactive on Widget) at every keystroke, and a layout
    # re-arranges the whole screen: on the credentials form that cost ~20 ms a key against ~5 ms
    # for a bare Input. An Input's own region never depends on its text (one line, the width
    # comes from CSS); the virtual size only bounds its horizontal scroll, which a repaint shows.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(
        self,
        value: str | None = None,
        *,
        limit: int = FIELD_LIMIT,
        pem: bool = False,
        **kwargs: object,
    ) -> None:
        self.limit = limit
        # A field that takes PEM text keeps a pasted block as one line with literal \n, the way
        # service keys carry PEM (the profile code turns them back into newlines).
        self.pem = pem
        super().__init__(value, **kwargs)  # type: ignore[arg-type]

    def _on_paste(self, event: events.Paste) -> None:
        # Textual keeps the first line of a multi-line paste and drops the rest without a word;
        # a key cut that way fails hours later, as an image pull. Say so instead. (Textual then
        # runs Input's own paste handler too, unless the default is prevented.)
        if len(event.text) > self.limit:
            event.stop()
            event.prevent_default()
            self._refuse_too_long(len(event.text))
            return
        lines = [line for line in event.text.splitlines() if line.strip()]
        if len(lines) <= 1:
            return
        event.stop()
        event.prevent_default()
        joined = self.one_line(event.text)
        if joined is None:
            self.notify(
                f"The pasted text has {len(lines)} lines and this field takes one, so nothing was "
                "put in. " + self.MULTILINE_HINT,
                title="More than one line",
                severity="error",
                timeout=12,
            )
            return
        self.insert_text_at_cursor(joined)

    #: What to do instead of pasting several lines.
    MULTILINE_HINT = "Check what is on the clipboard and paste one line."

    def one_line(self, text: str) -> str | None:
        """Text of several lines as one line, when that loses nothing; None otherwise."""
        if self.pem and "-----BEGIN " in text:
            return "\\n".join(line.strip() for line in text.strip().splitlines())
        return None

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
