"""Import a service key file: a path (with completion) and a name for the new profile."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.core.errors import ProfileError, explain
from tui.core.profile_actions import (
    ProfileFileBroken,
    ProfileStore,
    check_profile_name,
    read_service_key,
    save_new_profile,
)
from tui.screens.base import AppScreen
from tui.screens.dialog_style import DIALOG_CSS
from tui.widgets.bounded_input import BoundedInput
from tui.widgets.form_focus import focus_at_end
from tui.widgets.labelled import FormBody
from tui.widgets.path_suggester import PathSuggester
from tui.widgets.plain import PlainStatic

if TYPE_CHECKING:
    from tui.core.workflows import Unsent

#: Said in the dialog when escape or ctrl+s is pressed while an import is under way.
STILL_IMPORTING = (
    "Still importing (the keyring may be asking to be unlocked): wait until it has finished."
)


def name_from_path(path: str) -> str:
    stem = Path(path).stem
    return stem.removesuffix("-key").removesuffix("_key") or "aicore"


class ImportKeyScreen(AppScreen[None], ModalScreen[None]):
    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False
    TITLE = "Import a service key"
    HELP = (
        "Type the path of the service key JSON you downloaded from the SAP BTP cockpit (right "
        "arrow accepts the greyed completion), and a name for the profile. The client secret "
        "goes to the OS keyring; the file is not changed or copied."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Import", priority=True, id="import"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        # An import under way (the keyring may take seconds, or wait to be unlocked): it goes
        # on in its thread whatever the dialog does, so neither escape nor ctrl+s may act.
        self._importing = False

    def compose(self) -> ComposeResult:
        # What was typed when it was last closed without importing: a long path is not typed
        # twice.
        path, name_typed = self.rapp.state.import_typed
        with Vertical(classes="dialog"):
            yield Label("Import a service key file", classes="dialog-title")
            # The fields draw their own labels, as in every form (tui/widgets/labelled.py).
            with FormBody(classes="form dialog-form"):
                yield BoundedInput(
                    path,
                    placeholder="~/Downloads/aicore-key.json",
                    id="path",
                    suggester=PathSuggester(self.rapp.home),
                ).labelled("File")
                name = BoundedInput(name_typed, placeholder="e.g. dev", id="profile-name")
                yield name.labelled("Profile name")
            yield PlainStatic("", id="import-problem", classes="problem")
            yield Label(
                "enter moves on and imports · → accepts completion · escape cancels", classes="hint"
            )

    def on_mount(self) -> None:
        # The cursor at the end of a path kept from the last opening, nothing selected: a key
        # typed next goes on with it, never replaces it.
        focus_at_end(self, self.query_one("#path", Input))

    def _typed(self) -> tuple[str, str]:
        return (self.query_one("#path", Input).value, self.query_one("#profile-name", Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        # Kept as typed: escape (or anything else that closes the dialog) loses nothing.
        self.rapp.state.import_typed = self._typed()

    def unsent(self) -> Unsent | None:
        """What quitting now would drop of what was typed here (tui/app.py asks first)."""
        from tui.core.workflows import Unsent

        path, name = self._typed()
        # Named by its file: the end of a long path is what tells it apart.
        return Unsent("import", Path(path.strip()).name) if path or name else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "path":
            name = self.query_one("#profile-name", Input)
            if not name.value:
                name.value = name_from_path(event.value)
            name.focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        if self._still_importing():
            return
        path = self.query_one("#path", Input).value.strip()
        name = self.query_one("#profile-name", Input).value.strip()
        if not path:
            self._problem("Type the path of the service key file first.", "#path")
            return
        self._importing = True
        self._import(path, name or name_from_path(path))

    def _still_importing(self) -> bool:
        """An import is under way: say so, and let the key do nothing. Escape closed the dialog
        while the import went on and saved the profile unseen; a second ctrl+s cancelled the
        first worker (not its thread) and then said the name was taken, by that import."""
        if self._importing:
            self._problem(STILL_IMPORTING)
        return self._importing

    def _problem(self, text: str, field: str = "") -> None:
        """Say ``text``; the cursor goes to the ``field`` it is about, if one."""
        self.query_one("#import-problem", Static).update(text)
        if field:
            # At the end, nothing selected: the next key mends the value, not replaces it.
            focus_at_end(self, self.query_one(field, Input))

    @work(exclusive=True, group="import", exit_on_error=False)
    async def _import(self, path: str, name: str) -> None:
        try:
            await self._import_now(path, name)
        finally:
            self._importing = False

    async def _import_now(self, path: str, name: str) -> None:
        # The name, then the file, then the keyring: each problem is said with the cursor in
        # the field it is about, and no keyring is asked (slow, maybe an unlock prompt) for a
        # file that is not there or not a service key.
        try:
            check_profile_name(name)
        except ProfileError as exc:
            self._problem(exc.explanation, "#profile-name")
            return
        file = _expand_home(path, self.rapp.home)
        try:
            profile, secret = await asyncio.to_thread(read_service_key, file, name=name)
        except Exception as exc:
            self._problem(explain(exc), "#path")
            return
        secrets = await self.rapp.secret_store()
        try:
            profile = await asyncio.to_thread(
                save_new_profile, profile, secret, store=ProfileStore(), secrets=secrets
            )
        except ProfileFileBroken as exc:
            self._problem(explain(exc))
            return
        except ProfileError as exc:  # the name is taken
            self._problem(explain(exc), "#profile-name")
            return
        except Exception as exc:
            self._problem(explain(exc))
            return
        self.rapp.state.import_typed = ("", "")  # imported: the next import starts afresh
        self.rapp.profiles_changed.publish(None)
        self.dismiss()
        # Said once this form has closed: about the list it went to, where t tests it.
        self.notify(f"Imported “{profile.name}” from {file.name}. Press t to test it.")

    def action_cancel(self) -> None:
        if not self._still_importing():
            self.dismiss()


def _expand_home(path: str, home: Path | None) -> Path:
    """``~`` or ``~/...`` at the start is the app's home; anywhere else ``~`` is just a letter."""
    if home is not None and (path == "~" or path.startswith("~/")):
        return home / path[2:]
    return Path(path).expanduser()
