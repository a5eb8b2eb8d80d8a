"""An Input for passwords: masked by default, and no copy or cut of the hidden text."""

from __future__ import annotations

from typing import Unpack

from textual import events
from textual.widgets.input import Selection

from tui.core.one_line import PASSWORD_HINT
from tui.widgets.bounded_input import SECRET_LIMIT, BoundedInput, InputOptions


class PasswordInput(BoundedInput):
    """Copying from a masked field would move a secret the user cannot even see: refuse it."""

    #: Secret even while revealed: Textual's log never shows its value (tui.textual_log).
    secret_field = True

    MULTILINE_HINT = PASSWORD_HINT
    JSON_KEY = True

    def __init__(
        self, value: str | None = None, *, pem: bool = False, **kwargs: Unpack[InputOptions]
    ) -> None:
        # Not selected on focus: tabbing into a loaded login and typing one key would replace
        # the whole hidden value without anyone seeing it happen.
        kwargs["select_on_focus"] = False
        super().__init__(value, password=True, limit=SECRET_LIMIT, pem=pem, **kwargs)

    def _on_focus(self, event: events.Focus) -> None:
        # The cursor at the end, as after typing: the next key adds, never replaces.
        self.selection = Selection.cursor(len(self.value))

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
