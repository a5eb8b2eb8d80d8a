"""An Input for passwords: masked by default, and no copy or cut of the hidden text."""

from __future__ import annotations

import json

from tui.widgets.bounded_input import SECRET_LIMIT, BoundedInput


class PasswordInput(BoundedInput):
    """Copying from a masked field would move a secret the user cannot even see: refuse it."""

    MULTILINE_HINT = (
        "For a key file (Google's _json_key), paste it whole as JSON, or use its base64 form "
        "(base64 -w0 key.json) with the username _json_key_base64."
    )

    def one_line(self, text: str) -> str | None:
        pem = super().one_line(text)
        if pem is not None:
            return pem
        # A JSON key file: registries read the password as JSON, so the same JSON without its
        # line breaks is the same key (line breaks inside its strings are escaped, never raw).
        try:
            value = json.loads(text)
        except ValueError:
            return None
        if not isinstance(value, dict):
            return None
        self.notify("Pasted a JSON key, kept whole on one line (the same JSON).", timeout=6)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def __init__(self, *, pem: bool = False, **kwargs: object) -> None:
        super().__init__(password=True, limit=SECRET_LIMIT, pem=pem, **kwargs)

    @property
    def revealed(self) -> bool:
        return not self.password

    def toggle_reveal(self) -> bool:
        self.password = not self.password
        return self.revealed

    def action_copy(self) -> None:
        if self.password:
            self.notify(
                "Copy is disabled while the password is hidden (ctrl+r shows it).",
                severity="warning",
            )
            return
        super().action_copy()

    def action_cut(self) -> None:
        if self.password:
            self.notify("Cut is disabled while the password is hidden.", severity="warning")
            return
        super().action_cut()
