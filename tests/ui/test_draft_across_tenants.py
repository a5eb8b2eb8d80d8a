"""What was typed on one tenant's form is kept for the next tenant's, and the form says so.

Found by a fresh-eyes tester: after demo-dev, demo-test's form held dev's name, user and password
without a word.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from tests.support.app import AppPilot, make_app, until
from tests.support.fleet import running_tenants, sdk_profiles
from tests.support.pilot import SIZE, wait_for
from tui.app import RegsecretApp
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.credentials import CredentialsScreen
from tui.widgets.plain import PlainStatic


async def _open(pilot: AppPilot, app: RegsecretApp, name: str) -> CredentialsScreen:
    profiles = await wait_for(pilot, app, ProfilesScreen)
    await until(pilot, lambda: profiles.result is not None and name in profiles.result.names())
    assert profiles.result is not None
    profiles.query_one("#profiles-table", DataTable).move_cursor(
        row=profiles.result.names().index(name)
    )
    await pilot.press("enter")
    return await wait_for(pilot, app, CredentialsScreen)


async def test_the_next_tenants_form_names_where_its_values_were_typed(sealed_home: Path) -> None:
    with running_tenants("dev", "test") as tenants:
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            form = await _open(pilot, app, "dev")
            context = form.query_one("#context", PlainStatic)
            assert "Kept from" not in str(context.render())
            await pilot.press(*"dev-secret")
            await pilot.press("escape")
            form = await _open(pilot, app, "test")
            context = form.query_one("#context", PlainStatic)
            said = str(context.render())
            assert "Kept from the form for profile “dev”" in said, said
            assert form.query_one("#name", Input).value == "dev-secret"
