"""After "Fix it" (the answer to a refused login) the cursor is where the fixing starts: at the
end of the first field the refusal names, wherever it was before (the register form, through the
preview too, and the rotate form)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.widgets.input import Selection

from tests.support.app import AppPilot, make_app, until
from tests.support.fleet_app import rotate_form
from tests.support.pilot import open_credentials, wait_for
from tui.emulator.server import Emulator
from tui.screens.credentials import CredentialsScreen
from tui.screens.modals import ConfirmModal
from tui.screens.preview import PreviewScreen

SIZE = (80, 24)
REFUSED = "The registry did not accept this login"


async def answer_fix_it(pilot: AppPilot) -> None:
    question = await wait_for(pilot, pilot.app, ConfirmModal)  # type: ignore[arg-type]
    assert str(question.query_one(".dialog-title").render()) == REFUSED
    await pilot.press("n")  # Fix it


async def cursor_at_end(pilot: AppPilot, screen: Screen[Any], field: str) -> Input:
    """Until ``field`` has the cursor, after its whole value and nothing selected."""
    widget = screen.query_one(f"#{field}", Input)
    end = Selection.cursor(len(widget.value))
    await until(
        pilot,
        lambda: pilot.app.screen is screen and screen.focused is widget and widget.selection == end,
    )
    return widget


@pytest.mark.parametrize("via_preview", [False, True], ids=["ctrl+s", "f2-then-ctrl+s"])
async def test_fix_it_lands_at_the_end_of_the_username_not_where_the_cursor_was(
    via_preview: bool, sealed_home: Path, memory_keyring: object
) -> None:
    with Emulator(with_registry=True) as demo:
        app = make_app(sealed_home, emulator=demo)
        assert demo.registry_host is not None
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_credentials(app, pilot)
            for field, value in (
                ("name", "checked"),
                ("registry", demo.registry_host),
                ("username", "demo"),
                ("password", "wrong-token"),
                ("email", "octo@example.com"),
            ):
                screen.query_one(f"#{field}", Input).value = value
            # Typed last, as a person fills the form top to bottom.
            screen.set_focus(screen.query_one("#email", Input))
            await pilot.pause()
            if via_preview:
                await pilot.press("f2")
                await wait_for(pilot, app, PreviewScreen)
            await pilot.press("ctrl+s")
            await answer_fix_it(pilot)
            # "check the username and the password or token": the username comes first.
            username = await cursor_at_end(pilot, screen, "username")
            await pilot.press("x")
            await until(pilot, lambda: username.value == "demox")  # added to, not replaced
            assert screen.query_one("#email", Input).value == "octo@example.com"


async def test_a_test_image_the_check_cannot_use_gets_the_cursor(
    sealed_home: Path, memory_keyring: object
) -> None:
    with Emulator(with_registry=True) as demo:
        app = make_app(sealed_home, emulator=demo)
        assert demo.registry_host is not None
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_credentials(app, pilot)
            for field, value in (
                ("name", "checked"),
                ("registry", demo.registry_host),
                ("username", "demo"),
                ("password", "demo-registry-token"),
                ("image", f"{demo.registry_host}/Not An Image"),
            ):
                screen.query_one(f"#{field}", Input).value = value
            screen.set_focus(screen.query_one("#email", Input))
            await pilot.pause()
            await pilot.press("ctrl+s")
            # Blocked before any question: the line under the password says why (no toast over
            # the field), the cursor goes to the image.
            verdict = screen.query_one("#login-verdict", Static)
            await until(pilot, lambda: "An image reference has no" in str(verdict.render()))
            await cursor_at_end(pilot, screen, "image")
            assert not any(n.title == "Fix the login first" for n in app._notifications)
            assert isinstance(app.screen, CredentialsScreen)


async def test_fix_it_on_the_rotate_form_lands_at_the_end_of_the_username(
    sealed_home: Path,
) -> None:
    async with rotate_form(sealed_home, "dev", "test", size=SIZE) as (_, _, pilot, rotate):
        rotate.query_one("#password", Input).value = "wrong-token"
        rotate.query_one("#email", Input).value = "octo@example.com"
        rotate.set_focus(rotate.query_one("#email", Input))
        await pilot.pause()
        assert rotate.chosen() == ["dev"]
        await pilot.press("ctrl+s")
        await answer_fix_it(pilot)
        await cursor_at_end(pilot, rotate, "username")
        assert rotate.rotation is None  # nothing sent
