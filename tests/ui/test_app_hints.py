"""What the forms say while the user types: name warnings, per-registry hints, profile checks."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.app import make_app
from tests.support.pilot import SIZE, fill_form, open_credentials, wait_for
from tui.emulator.server import Emulator
from tui.screens.modals import ConfirmModal


async def test_a_name_kubernetes_refuses_warns_live_and_does_not_block(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        await pilot.press(*"a.-b")
        await pilot.pause()
        problem = screen.query_one("#name-problem")
        assert problem.display and problem.has_class("-warning")
        text = str(problem.render())
        assert "AI Core's pattern lets '.-' through, but Kubernetes" in text
        # A letter typed between the two makes it a Kubernetes name: the warning goes at once.
        await pilot.press("left", "left", "x")
        await pilot.pause()
        assert screen.query_one("#name", Input).value == "a.x-b"
        assert not problem.display
        # A warning never blocks: with the name put back, ctrl+s reaches the confirmation.
        await fill_form(pilot, name="a..b")
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ConfirmModal)
