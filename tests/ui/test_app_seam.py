"""The app's seam: an unexpected worker failure is shown, and changes travel on signals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from tests.support.app import make_app, seed_secret, until
from tests.support.pilot import fill_form, open_credentials, open_manage, shown, wait_for
from tui.emulator.server import Emulator
from tui.screens.credentials import CredentialsScreen
from tui.screens.manage import ManageScreen
from tui.screens.modals import ConfirmModal, ErrorModal
from tui.screens.result import ResultScreen

SIZE = (100, 30)


async def test_a_worker_that_raises_is_shown_not_lost(
    sealed_home: Path, memory_keyring: object, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_secret(emulator, "alpha")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_manage(app, pilot)

        def broken() -> object:
            raise RuntimeError("no client for you")

        monkeypatch.setattr(app.state, "client", broken)
        screen.action_refresh()
        modal = await wait_for(pilot, app, ErrorModal)
        assert str(modal.query_one(".dialog-title").render()) == "Something went wrong"
        body = str(modal.query_one(".dialog-body", Static).render())
        # The type is named, the foreign message is not.
        assert "RuntimeError" in body and "no client for you" not in body
        assert app.return_code in (None, 0)


async def test_a_secret_registered_from_the_list_is_in_it_afterwards(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "alpha")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        manage = await open_manage(app, pilot)
        assert shown(manage) == ["alpha"]
        # ctrl+n goes back to the form under the list; m after registering opens a fresh list.
        manage.action_new()
        await wait_for(pilot, app, CredentialsScreen)
        await fill_form(pilot, name="beta")
        form = app.screen
        assert isinstance(form, CredentialsScreen)
        form.action_submit()
        (await wait_for(pilot, app, ConfirmModal)).action_answer(True)
        result = await wait_for(pilot, app, ResultScreen)
        result.action_manage()
        manage = await wait_for(pilot, app, ManageScreen)
        await until(pilot, lambda: shown(manage) == ["alpha", "beta"])


async def test_the_secrets_changed_signal_marks_a_list_below_stale(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        manage = await open_manage_empty(app, pilot)
        app.nav.update_secret("elsewhere")
        await wait_for(pilot, app, CredentialsScreen)
        # Opened by the navigator directly, so only the signal can tell the list it is stale.
        seed_secret(emulator, "elsewhere")
        app.secrets_changed.publish("elsewhere")
        await pilot.pause()
        app.pop_screen()
        await until(pilot, lambda: shown(manage) == ["elsewhere"])


async def open_manage_empty(app: Any, pilot: Any) -> ManageScreen:
    await open_credentials(app, pilot)
    await pilot.press("f3")
    screen = await wait_for(pilot, app, ManageScreen)
    await until(pilot, lambda: not screen.query_one("#secret-table").loading)
    return screen


async def test_the_error_dialog_shows_foreign_words_as_plain_text(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    from tui.core.errors import ApiError

    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        hostile = "\x1b]52;c;aGk=\x07[bold red]boom[/]\u202e"
        app.show_error(f"“{hostile}” could not be deleted", ApiError(hostile, message=hostile))
        modal = await wait_for(pilot, app, ErrorModal)
        texts = [
            str(modal.query_one(".dialog-title").render()),
            str(modal.query_one(".dialog-body").render()),
            *(str(w.render()) for w in modal.query(".detail-value")),
        ]
        for text in texts:
            assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
            # Markup is shown as typed, not interpreted.
            assert "[bold red]boom[/]" in text
