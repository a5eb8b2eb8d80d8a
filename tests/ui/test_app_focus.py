"""Where typing goes: the focused field's label and bar are marked, and the mark follows focus."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.app import make_app
from tests.support.pilot import SIZE, open_credentials
from tui.emulator.server import Emulator


def _marked_rows(screen: object) -> list[str]:
    """The labels drawn marked, as the terminal gets them: in reverse, with the bar after them."""
    from textual.geometry import Region
    from textual.screen import Screen

    from tui.widgets.labelled import INDENT, LabelledField

    assert isinstance(screen, Screen)
    marked = []
    for field in screen.query(".labelled"):
        assert isinstance(field, LabelledField)
        line = field.render_lines(Region(0, 0, field.size.width, 1))[0]
        label = [s for s in line.crop(0, INDENT - 2) if s.text.strip()]
        bar = line.crop(INDENT - 1, INDENT).text
        reversed_ = all(s.style is not None and s.style.reverse for s in label)
        if reversed_ or bar == "▌":
            assert (reversed_, bar) == (True, "▌"), f"{field.field_label}: half marked"
            marked.append("".join(s.text for s in label))
    return marked


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
