"""The chooser's list (tui/widgets/chooser.py) on the app's forms, where the form goes on around
it: a form that closes itself while the list is open over it, a terminal resized under it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Footer, Input, OptionList
from textual.widgets._footer import FooterKey

import tui.screens.profile_form as profile_form
from tests.support.app import make_app, until
from tests.support.keyring_memory import MemoryKeyring
from tests.support.pilot import SIZE, loaded, new_profile_form, open_credentials, wait_for
from tui.core.profile_actions import save_new_profile
from tui.emulator.server import Emulator
from tui.screens.help import HelpScreen
from tui.widgets.chooser import Chooser, ChooserList


async def test_a_profile_saved_while_its_auth_list_is_open_closes_the_form_not_the_list(
    sealed_home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow keyring (an unlock prompt): the save runs for seconds and the person goes on.
    # When it ended, Textual's dismiss popped the screen on top, the list: the saved form stayed
    # open, its chooser stuck "open" (it never opened again), the profiles never came back.
    saving, release = threading.Event(), threading.Event()

    def slow_save(*args: Any, **kwargs: Any) -> None:
        saving.set()
        release.wait(30)
        save_new_profile(*args, **kwargs)

    monkeypatch.setattr(profile_form, "save_new_profile", slow_save)
    app = make_app(sealed_home)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_profile_form(app, pilot)
        for field, value in (
            ("pname", "dev"),
            ("api_url", "https://api.ai.example.com"),
            ("token_url", "https://dev.authentication.eu10.hana.ondemand.com"),
            ("client_id", "sb-client"),
            ("client_secret", "s3cret-value"),
        ):
            form.query_one(f"#{field}", Input).value = value
        await pilot.press("ctrl+s")
        await until(pilot, saving.is_set)
        chooser = form.query_one("#auth", Chooser)
        form.set_focus(chooser)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChooserList))
        release.set()
        profiles = await loaded(app, pilot)
        await until(pilot, lambda: bool(profiles.result and "dev" in profiles.result.names()))
        assert not any(isinstance(s, (ChooserList, type(form))) for s in app.screen_stack)
        assert not chooser.expanded


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_the_open_registry_list_shows_its_own_keys_and_its_own_help(
    sealed_home: Path, memory_keyring: MemoryKeyring, emulator: Emulator, size: tuple[int, int]
) -> None:
    # With the list open, the footer showed the form's keys (Register, Preview...), which do
    # nothing there, and f1 gave "Help: ChooserList" with Textual's tab and copy keys.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=size) as pilot:
        form = await open_credentials(app, pilot)
        form.set_focus(form.query_one("#preset", Chooser))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChooserList))
        listed = app.screen
        await pilot.pause()
        shown = [(key.key_display, key.description) for key in listed.query(FooterKey)]
        assert ("⏎", "Choose") in shown and ("esc", "Close") in shown, shown
        assert not {"Register", "Preview", "Reveal"} & {words for _key, words in shown}
        footer = listed.query_one(Footer)
        assert footer.region.bottom == size[1]
        assert listed.query_one(OptionList).region.bottom <= footer.region.y
        for key in ("f1", "question_mark"):
            await pilot.press(key)
            help_screen = await wait_for(pilot, app, HelpScreen)
            assert help_screen._title == "Registry list"
            assert "escape closes the list" in help_screen._about
            keys = {item.description for item in help_screen._keys}
            assert "Choose the highlighted option" in keys
            assert not {"Register", "Focus Next", "Copy selected text"} & keys, keys
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is listed)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is form)
        # On the closed chooser a letter opens the list, but ? is still the app's help key.
        await pilot.press("question_mark")
        help_screen = await wait_for(pilot, app, HelpScreen)
        assert help_screen._title == form.title
        assert not any(isinstance(screen, ChooserList) for screen in app.screen_stack)
