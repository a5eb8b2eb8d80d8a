"""The rotate form reads as the register form does: ticks without colour, notes under the fields
while typing, the first bad field focused on ctrl+s, and the registry's own hints."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.app import AppPilot, make_app
from tests.support.fleet import running_tenants, sdk_profiles, seed
from tests.support.fleet_app import start_rotation
from tests.support.pilot import SIZE
from tui.core.registries import PRESETS_BY_ID
from tui.core.request import Problem, validate_email
from tui.core.secret_name import validate_name
from tui.screens.rotate import RotateScreen, TenantList
from tui.widgets.field_note import FieldNote


def boxes(rotate: RotateScreen) -> list[str]:
    """What each tenant's line shows, as plain text (no colour)."""
    tenants = rotate.query_one(TenantList)
    return [tenants.render_line(y).text.strip() for y in range(tenants.option_count)]


async def test_chosen_and_not_chosen_tenants_differ_without_colour(sealed_home: Path) -> None:
    with running_tenants("dev", "test", registry=True) as tenants:
        seed(tenants["dev"], "ghcr")
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            rotate = await start_rotation(pilot, tenants)
            assert boxes(rotate) == ["[x] dev", "[ ] test"]
            rotate.query_one(TenantList).select_all()
            await pilot.pause()
            assert boxes(rotate) == ["[x] dev", "[x] test"]
            rotate.query_one(TenantList).deselect_all()
            await pilot.pause()
            assert boxes(rotate) == ["[ ] dev", "[ ] test"]


def note(rotate: RotateScreen, wid: str) -> str:
    """A note under a field, as shown: empty while it is hidden."""
    widget = rotate.query_one(f"#{wid}", FieldNote)
    return widget.said if widget.display else ""


def said(problems: list[Problem]) -> str:
    return "\n".join(p.message for p in problems)


async def retype(pilot: AppPilot, rotate: RotateScreen, field: str, text: str) -> None:
    rotate.set_focus(rotate.query_one(f"#{field}", Input))
    await pilot.press("ctrl+a", "ctrl+k", *text)
    await pilot.pause()


async def test_fields_are_checked_while_typing_and_ctrl_s_points_at_the_first_bad_one(
    sealed_home: Path,
) -> None:
    with running_tenants("dev", "test", registry=True) as tenants:
        seed(tenants["dev"], "ghcr")
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            rotate = await start_rotation(pilot, tenants)
            assert note(rotate, "name-problem") == "" == note(rotate, "email-problem")
            await retype(pilot, rotate, "name", "My_Reg")
            assert note(rotate, "name-problem") == said(validate_name("My_Reg"))
            await retype(pilot, rotate, "email", "bad-mail")
            assert note(rotate, "email-problem") == said(validate_email("bad-mail"))
            await pilot.press("ctrl+s")
            await pilot.pause()
            # The cursor goes back to the first bad field; no toast covers the form.
            assert rotate.focused is rotate.query_one("#name", Input)
            assert not list(app._notifications)
            assert rotate.rotation is None
            await retype(pilot, rotate, "name", "my-reg")
            assert note(rotate, "name-problem") == ""


async def test_the_registry_typed_brings_its_username_and_password_hints(
    sealed_home: Path,
) -> None:
    with running_tenants("dev", registry=True) as tenants:
        seed(tenants["dev"], "ghcr")
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            rotate = await start_rotation(pilot, tenants)
            custom, ghcr = PRESETS_BY_ID["custom"], PRESETS_BY_ID["ghcr"]
            assert note(rotate, "username-advice") == custom.username_hint
            await retype(pilot, rotate, "registry", "ghcr.io")
            assert note(rotate, "username-advice") == ghcr.username_hint
            assert note(rotate, "password-advice") == ghcr.password_hint
            assert rotate.query_one("#password", Input).placeholder == ghcr.password_example
