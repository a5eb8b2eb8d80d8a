"""Typing into the form stays cheap: no key re-lays out the screen, and long values still scroll."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input

from tests.support.app import make_app
from tests.support.pilot import SIZE, open_credentials
from tui.emulator.server import Emulator


async def test_keys_repaint_the_field_without_a_layout_and_long_values_scroll(
    sealed_home: Path, memory_keyring: object, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts = 0
    original = Screen._refresh_layout

    def counting(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        nonlocal layouts
        layouts += 1
        original(self, *args, **kwargs)

    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        field = screen.query_one("#username", Input)
        field.focus()
        await pilot.press("a")  # the first key may show a hint below the field: a real layout
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        text = "".join(chr(ord("b") + i % 24) for i in range(150))
        await pilot.press(*text)
        await pilot.pause()
        monkeypatch.undo()
        assert field.value == "a" + text
        # Each key costs a repaint, not a layout of the whole screen (that was ~20 ms a key).
        assert layouts <= 2, layouts
        # The field scrolled with the cursor: its last characters are what is shown.
        assert field.scroll_x > 0
        shown = "".join(segment.text for segment in field.render_line(0))
        assert text[-10:] in shown
