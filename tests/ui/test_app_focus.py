"""Where typing goes: the focused field's row is marked, and the mark follows focus."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.app import make_app
from tests.support.pilot import SIZE, open_credentials
from tui.emulator.server import Emulator


def _marked_rows(screen: object) -> list[str]:
    from textual.screen import Screen

    assert isinstance(screen, Screen)
    return [
        str(row.query_one(".field-label").render()) for row in screen.query(".field-row.-focused")
    ]


async def test_label_follows_focus_through_tabs_and_a_theme_change(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        assert _marked_rows(screen) == ["Secret name"]
        await pilot.press("tab")
        assert _marked_rows(screen) == ["Registry"]
        app.theme = "textual-light"
        await pilot.press("tab", "tab", "tab")
        await pilot.pause()
        assert isinstance(screen.focused, Input) and screen.focused.id == "password"
        assert _marked_rows(screen) == ["Password/token"]


async def test_no_focus_stop_after_the_last_field(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    """Tab from the last field goes back to the first; a key typed there is never lost."""
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        screen.query_one("#image", Input).focus()
        await pilot.pause()
        await pilot.press("tab", "x")
        await pilot.pause()
        assert isinstance(screen.focused, Input) and screen.focused.id == "name"
        assert screen.query_one("#name", Input).value == "x"
