"""A resize can reach a screen as it closes, after its parts are gone: answering a confirmation
while the layout settled took the app down in CI (NoMatches in the dialog's resize handler).
Each screen that fits itself to the window on a resize must then do nothing, not fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.pilot import Pilot
from textual.screen import Screen

from tests.support import scenes
from tests.support.app import until
from tui.screens.modals import ConfirmModal
from tui.screens.preview import PreviewScreen
from tui.widgets.chooser import Chooser, ChooserList


async def resize_with_parts_gone(pilot: Pilot[Any], screen: Screen[Any]) -> None:
    """Remove the screen's parts, as closing it does, then deliver a resize and a refresh."""
    assert screen.children, "the screen was not composed yet"
    await screen.remove_children()
    size = Size(70, 20)
    screen.post_message(events.Resize(size, size))
    await pilot.pause()
    screen.refresh(layout=True)
    await pilot.pause()
    await pilot.pause()


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Chooser(
            [("Docker Hub", "dockerhub"), ("Quay.io", "quay")], prompt="Registry", id="chooser"
        )


async def test_a_confirmation_resized_as_it_closes_stays_up() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        modal = ConfirmModal("Register it?", "A body.")
        app.push_screen(modal)
        await until(pilot, lambda: app.screen is modal and bool(modal.query(".dialog-scroll")))
        await resize_with_parts_gone(pilot, modal)
        assert app.is_running and app._exception is None


async def test_a_chooser_list_resized_as_it_closes_stays_up() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(Chooser).focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChooserList))
        await resize_with_parts_gone(pilot, app.screen)
        assert app.is_running and app._exception is None


async def test_the_preview_resized_as_it_closes_stays_up(
    sealed_home: Path, memory_keyring: object
) -> None:
    scenes.write_profiles()
    app = scenes.scene_app(sealed_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await scenes.preview(pilot)
        assert isinstance(app.screen, PreviewScreen)
        await resize_with_parts_gone(pilot, app.screen)
        assert app.is_running and app._exception is None
