"""Nothing a person typed is lost: the register form's kept draft keeps the registry chosen, the
import dialog keeps what was typed in it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.app import make_app, until, write_service_key
from tests.support.keyring_memory import MemoryKeyring
from tests.support.pilot import choose, loaded, open_credentials, wait_for
from tui.core.registries import PRESETS_BY_ID
from tui.emulator.server import Emulator
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.import_key import ImportKeyScreen
from tui.widgets.chooser import Chooser

SIZE = (100, 30)


async def test_the_register_forms_kept_draft_keeps_the_registry_chosen(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Found: the typed fields came back, the registry list did not: "Other registry" chosen
    # for a host that looks like GitHub's opened again as GitHub (its hints, its rules).
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        form.query_one("#registry", Input).value = "ghcr.io"
        await pilot.pause()
        await choose(pilot, form, "#preset", PRESETS_BY_ID["custom"].label)
        await pilot.press("escape")
        await wait_for(pilot, app, ProfilesScreen)
        again = await open_credentials(app, pilot)
        assert again is not form
        assert again.query_one("#registry", Input).value == "ghcr.io"
        assert again.query_one("#preset", Chooser).value == "custom"
        # A host typed afterwards is the person's: the list follows it again.
        again.query_one("#registry", Input).value = "quay.io"
        await pilot.pause()
        assert again.query_one("#preset", Chooser).value == "quay"


async def test_the_import_dialog_keeps_what_was_typed_when_closed(
    sealed_home: Path, memory_keyring: MemoryKeyring
) -> None:
    # Found: escape dropped a long path typed; the next opening was empty.
    (sealed_home / "downloads").mkdir()
    key = write_service_key(sealed_home / "downloads" / "aicore-dev-key.json")
    app = make_app(sealed_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(app, pilot)
        await pilot.press("i")
        dialog = await wait_for(pilot, app, ImportKeyScreen)
        await pilot.press(*str(key)[:-5])
        await pilot.press("escape")
        await wait_for(pilot, app, ProfilesScreen)
        await pilot.press("i")
        dialog = await wait_for(pilot, app, ImportKeyScreen)
        path = dialog.query_one("#path", Input)
        assert path.value == str(key)[:-5] and dialog.focused is path
        await pilot.press(*".json")  # the cursor at its end: the path goes on
        assert path.value == str(key)
        await pilot.press("ctrl+s")  # imported: the next opening starts afresh
        profiles = await wait_for(pilot, app, ProfilesScreen)
        await until(pilot, lambda: bool(profiles.result and profiles.result.get("aicore-dev")))
        await pilot.press("i")
        dialog = await wait_for(pilot, app, ImportKeyScreen)
        assert dialog.query_one("#path", Input).value == ""
