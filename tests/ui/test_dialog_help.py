"""f1 over a dialog is titled by the dialog's question, not by its class name."""

from __future__ import annotations

from pathlib import Path

from tests.support.app import make_app
from tests.support.pilot import new_profile_form, wait_for
from tui.screens.help import HelpScreen
from tui.screens.modals import CarefulConfirmModal


async def test_help_over_the_discard_question_is_titled_by_it(
    sealed_home: Path, memory_keyring: object
) -> None:
    app = make_app(sealed_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_profile_form(app, pilot)
        await pilot.press(*"dev", "escape")
        await wait_for(pilot, app, CarefulConfirmModal)
        await pilot.press("f1")
        help_screen = await wait_for(pilot, app, HelpScreen)
        title = str(help_screen.query_one(".dialog-title").render())
        assert title == "Help: Discard what you typed?"
