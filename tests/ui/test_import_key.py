"""The import dialog checks what it can before it asks the keyring, and puts the cursor in the
field its sentence is about."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from tests.support.app import make_app, until, write_service_key
from tests.support.keyring_memory import MemoryKeyring
from tests.support.pilot import loaded, wait_for
from tests.support.scenes import DEV
from tui.core.profile_actions import ProfileStore
from tui.core.secret_store import SecretStore
from tui.screens.import_key import ImportKeyScreen


def problem(dialog: ImportKeyScreen) -> str:
    return str(dialog.query_one("#import-problem", Static).render())


async def test_a_file_problem_is_said_before_any_keyring_is_asked_with_the_cursor_on_the_path(
    sealed_home: Path, memory_keyring: MemoryKeyring
) -> None:
    ProfileStore().add(DEV)
    key = write_service_key(sealed_home / "aicore-key.json")
    asked: list[SecretStore] = []

    def counting() -> SecretStore:
        store = SecretStore()
        asked.append(store)
        return store

    app = make_app(sealed_home)
    app._secret_store_factory = counting
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(app, pilot)
        await pilot.press("i")
        dialog = await wait_for(pilot, app, ImportKeyScreen)
        path, name = dialog.query_one("#path", Input), dialog.query_one("#profile-name", Input)
        for missing, said in (
            (sealed_home / "nope.json", "does not exist. Check the path."),
            (sealed_home, "is a folder, not a file."),
        ):
            path.value, name.value = str(missing), "fresh"
            dialog.query_one("#import-problem", Static).update("")
            name.focus()
            await pilot.press("enter")  # from the name, as a person imports
            await until(pilot, lambda: bool(problem(dialog)))
            await pilot.pause()
            assert said in problem(dialog)
            assert asked == []  # no keyring was asked for a file that is not there
            assert dialog.focused is path  # the sentence is about the path
            assert not list(app._notifications)
        # The cursor is at the end of the path, nothing selected: a key mends it.
        await pilot.press("x")
        assert path.value == f"{sealed_home}x"
        # A good file under a name that is taken: the keyring is reached, the name is at fault.
        path.value, name.value = str(key), "dev"
        dialog.query_one("#import-problem", Static).update("")
        path.focus()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(problem(dialog)))
        await pilot.pause()
        assert "A profile named “dev” already exists" in problem(dialog)
        assert dialog.focused is name
        await pilot.press("2")
        assert name.value == "dev2"
        assert app.screen is dialog and path.value == str(key)
    assert memory_keyring.entries == {}
