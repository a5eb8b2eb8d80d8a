"""A save that waits on the keyring (seconds, or an unlock prompt) goes on in its thread whatever
the form does: while it runs, escape and ctrl+s say so and do nothing. Found: escape asked
"Discard what you typed? The new profile is not saved", closed the form, and the profile was
saved after all, unseen; a second ctrl+s (or enter) said the name was taken, by the first save.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.support.app import AppPilot, make_app, until, write_service_key
from tests.support.keyring_memory import MemoryKeyring, installed, trusted
from tests.support.pilot import fill_profile_form, loaded, new_profile_form, wait_for
from tui import type_ahead
from tui.core.profile_actions import ProfileStore
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.import_key import STILL_IMPORTING, ImportKeyScreen
from tui.screens.profile_form import STILL_SAVING, ProfileFormScreen
from tui.widgets.status_line import StatusLine


@trusted
class SlowKeyring(MemoryKeyring):
    """Stores a secret only once the test lets it, as an unlock prompt would."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = threading.Event()
        self.unlocked = threading.Event()

    def set_password(self, service: str, username: str, password: str) -> None:
        self.asked.set()
        self.unlocked.wait(20)
        super().set_password(service, username, password)


@pytest.fixture
def slow_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowKeyring]:
    # Keys behind a key whose worker runs wait at most this long: then they go through, as a
    # person's escape does seconds into an unlock prompt.
    monkeypatch.setattr(type_ahead, "HOLD_LIMIT", 0.1)
    with installed(SlowKeyring()) as ring:
        try:
            yield ring
        finally:
            ring.unlocked.set()


async def unlock_and_see_it_listed(pilot: AppPilot, ring: SlowKeyring, name: str) -> None:
    ring.unlocked.set()
    profiles = await wait_for(pilot, pilot.app, ProfilesScreen)  # type: ignore[arg-type]
    await until(pilot, lambda: profiles.result and name in profiles.result.names())
    assert ring.entries == {("regsecret", name): "csecret"}


async def test_escape_and_ctrl_s_during_a_slow_save_wait_for_it(
    sealed_home: Path, slow_keyring: SlowKeyring
) -> None:
    app = make_app(sealed_home)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_profile_form(app, pilot)
        await fill_profile_form(pilot, form, client_secret="csecret")
        await pilot.press("ctrl+s")
        await until(pilot, slow_keyring.asked.is_set)
        status = form.query_one("#form-problem", StatusLine)
        for key in ("escape", "ctrl+s"):
            status.say("")
            await pilot.press(key)
            await until(pilot, lambda: status.said == STILL_SAVING)
            assert app.screen is form  # no "not saved" question, no second save
        await unlock_and_see_it_listed(pilot, slow_keyring, "dev")
        assert not any(isinstance(s, ProfileFormScreen) for s in app.screen_stack)


async def test_escape_and_enter_during_a_slow_import_wait_for_it(
    sealed_home: Path, slow_keyring: SlowKeyring
) -> None:
    key = write_service_key(sealed_home / "aicore-key.json", secret="csecret")
    app = make_app(sealed_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(app, pilot)
        await pilot.press("i")
        dialog = await wait_for(pilot, app, ImportKeyScreen)
        dialog.query_one("#path", Input).value = str(key)
        dialog.query_one("#profile-name", Input).value = "dev"
        await pilot.press("ctrl+s")
        await until(pilot, slow_keyring.asked.is_set)
        problem = dialog.query_one("#import-problem", Static)
        dialog.set_focus(dialog.query_one("#profile-name", Input))
        for pressed in ("escape", "enter"):
            problem.update("")
            await pilot.press(pressed)
            await until(pilot, lambda: str(problem.render()) == STILL_IMPORTING)
            assert app.screen is dialog  # not closed unseen, not imported twice
        await unlock_and_see_it_listed(pilot, slow_keyring, "dev")
    assert ProfileStore().get("dev") is not None
