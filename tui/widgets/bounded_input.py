"""An Input that refuses text longer than any real value, with a sentence instead of a freeze.

Textual re-measures the whole value on every render: a 10 MB paste (a log file, a wrong
clipboard) froze the form for many seconds. A value over the limit is refused as a whole (a cut
password would be wrong anyway) and what was in the field stays.
"""

from __future__ import annotations

from textual.widgets import Input

# Far above any registry name, host, username or email; passwords get more (cloud tokens and
# base64 service-account keys run to a few kilobytes).
FIELD_LIMIT = 2048
SECRET_LIMIT = 16384


class BoundedInput(Input):
    def __init__(self, *, limit: int = FIELD_LIMIT, **kwargs: object) -> None:
        self.limit = limit
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def validate_value(self, value: str) -> str:
        limit = getattr(self, "limit", 0)
        if not limit or len(value) <= limit:
            return value
        self.notify(
            f"That text is {len(value):,} characters long; this field takes at most {limit:,}, "
            "so it was not put in. Check what is on the clipboard and paste again.",
            title="Too long",
            severity="error",
            timeout=10,
        )
        previous = self.value if hasattr(self, "_reactive_value") else ""
        return previous if len(previous) <= limit else ""
