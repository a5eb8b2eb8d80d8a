"""An Input for passwords: masked by default, and no copy or cut of the hidden text."""

from __future__ import annotations

from typing import Unpack

from tui.core.one_line import PASSWORD_HINT
from tui.widgets.bounded_input import SECRET_LIMIT, BoundedInput, InputOptions


class PasswordInput(BoundedInput):
    """Copying from a masked field would move a secret the user cannot even see: refuse it."""

    MULTILINE_HINT = PASSWORD_HINT
    JSON_KEY = True

    def __init__(self, *, pem: bool = False, **kwargs: Unpack[InputOptions]) -> None:
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
