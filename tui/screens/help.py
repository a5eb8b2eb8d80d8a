"""f1: what this app does, in six steps, and every key of the screen you came from."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui.screens.base import FOCUS_KEYS, ScreenAction
from tui.screens.dialog_style import DIALOG_CSS
from tui.widgets.plain import PlainLabel, PlainStatic

FLOW = """\
1. Choose a connection profile (a service key of your SAP AI Core tenant), or start the app \
with the command “regsecret --demo” to look around on emulated tenants.
2. Enter the registry credentials: secret name, registry, username, password or token.
3. Preview exactly what will be sent (the password stays masked until you reveal it).
4. Submit. If the name exists already, you are offered to update it instead.
5. Copy the imagePullSecrets YAML into your workflow or serving template.
6. Manage: list, update or delete the secrets of the tenant.

The password never goes to a file or a log: it travels to AI Core and to the clipboard only when \
you ask for it. Profiles' client secrets live in the OS keyring."""


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False
    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_KEYS,
        Binding("escape,f1,q,question_mark", "close", "Close help", id="close-help"),
    ]

    def __init__(
        self, title: str, about: str, keys: list[ScreenAction], *, keyring: str = ""
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._about = about
        self._keys = keys
        # Why the keyring cannot be used and what to do (its toast says f1 tells it).
        self._keyring = keyring

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=True)
        table.add_column("Key", no_wrap=True, width=12)
        table.add_column("Does", ratio=1)
        for item in self._keys:
            table.add_row(item.key, item.description)
        with VerticalScroll(classes="dialog help-dialog"):
            yield PlainLabel(f"Help: {self._title}", classes="dialog-title")
            if self._about:
                yield PlainStatic(self._about, classes="help-about")
            if self._keyring:
                yield Label("Keyring", classes="help-heading")
                yield PlainStatic(self._keyring, id="help-keyring", classes="help-about")
            yield Label("Keys on this screen", classes="help-heading")
            yield Static(table, id="help-keys")
            yield Label("How it works", classes="help-heading")
            yield PlainStatic(FLOW, classes="help-flow")
            yield Label("escape closes this help.", classes="hint")

    def on_screen_resume(self) -> None:
        self.app.clear_notifications()

    def action_close(self) -> None:
        self.dismiss(None)
