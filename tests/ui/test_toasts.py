"""A toast is about the screen it was said on: it goes when that screen is left (another pushed
over it, or it closed), and stays while a list of its own is open over it. The keyring's notice
is the session's: it stays until it times out, short, with its detail in help."""

from __future__ import annotations

from pathlib import Path

import keyring.backends.fail
from textual.widgets import Input

from tests.support import keyring_memory
from tests.support.app import AppPilot, make_app, until
from tests.support.pilot import (
    choose,
    fill_form,
    fill_profile_form,
    loaded,
    new_profile_form,
    open_credentials,
    wait_for,
)
from tui.app import RegsecretApp
from tui.core.registries import PRESETS_BY_ID
from tui.emulator.server import Emulator
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.manage import ManageScreen
from tui.screens.preview import PreviewScreen

SIZE = (80, 24)
SHOWN = "Password shown: mind who can see your screen."


def toasts(app: RegsecretApp) -> list[str]:
    return [n.message for n in app._notifications]


async def said(pilot: AppPilot, app: RegsecretApp, message: str) -> None:
    await until(pilot, lambda: message in toasts(app))


async def test_a_form_s_toast_goes_when_another_screen_opens_and_does_not_come_back(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        await fill_form(pilot)
        await pilot.press("ctrl+r")
        await said(pilot, app, SHOWN)
        # The preview: the form's toast no longer applies there, and covered its lines.
        await pilot.press("f2")
        await wait_for(pilot, app, PreviewScreen)
        await pilot.pause()
        assert toasts(app) == []
        await pilot.press("escape")
        await wait_for(pilot, app, CredentialsScreen)
        await pilot.pause()
        assert toasts(app) == []  # said once, on a screen since covered: not said again
        # The secrets screen, the same.
        await pilot.press("ctrl+r")
        await said(pilot, app, "Password hidden.")
        await pilot.press("f3")
        await wait_for(pilot, app, ManageScreen)
        await pilot.pause()
        assert toasts(app) == []
        assert form.is_attached


async def test_a_screen_s_toast_goes_with_it_when_it_closes(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await pilot.press("f3")
        manage = await wait_for(pilot, app, ManageScreen)
        await until(pilot, lambda: not manage.query_one("#secret-table").loading)
        await pilot.press("w")  # the tenant has no secret: nothing to copy
        await said(pilot, app, "No secret selected.")
        await pilot.press("escape")
        await wait_for(pilot, app, CredentialsScreen)
        await pilot.pause()
        assert toasts(app) == []


async def test_a_form_s_toast_stays_while_its_own_list_is_open(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        form.query_one("#password", Input).focus()
        await pilot.press("ctrl+r")
        await said(pilot, app, SHOWN)
        # The registry list belongs to the form: choosing in it leaves the form's toast.
        await choose(pilot, form, "#preset", PRESETS_BY_ID["quay"].label)
        assert SHOWN in toasts(app)


async def test_the_keyring_notice_is_short_stays_after_its_screen_and_help_has_the_rest(
    sealed_home: Path,
) -> None:
    with keyring_memory.installed(keyring.backends.fail.Keyring()):
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            form = await new_profile_form(app, pilot)
            await fill_profile_form(pilot, form, client_secret="s3cret")
            await pilot.press("ctrl+s")
            # Said while the form saved; about the session, so it stays on the list it went to.
            await loaded(app, pilot)
            await until(pilot, lambda: "Saved profile “dev”." in toasts(app))
            notice = next(n for n in app._notifications if n.title == "No usable keyring")
            # A line or two at 80 columns (the whole sentence ran to a dozen and covered rows).
            assert notice.message == (
                "Secrets are kept for this session only. f1 says why and what to do."
            )
            assert isinstance(app.screen, ProfilesScreen)
            await pilot.press("f1")
            await until(pilot, lambda: bool(app.screen.query("#help-keyring")))
            detail = str(app.screen.query_one("#help-keyring").render())
            assert "No OS keyring" in detail or "does not use" in detail
            assert "this session only" in detail and "To keep secrets between sessions" in detail


async def test_ctrl_c_outside_a_field_says_how_to_quit_without_markup(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Textual's own sentence is markup ("Press [b]ctrl+q[/b] ..."); toasts here are plain text.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, ProfilesScreen)
        await pilot.press("ctrl+c")
        await said(pilot, app, "Press ctrl+q to quit regsecret.")
        assert not [words for words in toasts(app) if "[" in words]
        assert app.is_running
