"""The chooser's list (tui/widgets/chooser.py) on the app's forms, where the form goes on around
it: a form that closes itself while the list is open over it, a terminal resized under it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

import tui.screens.profile_form as profile_form
from tests.support.app import make_app, until
from tests.support.keyring_memory import MemoryKeyring
from tests.support.pilot import SIZE, loaded, new_profile_form
from tui.core.profile_actions import save_new_profile
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
