"""Nothing a person typed is lost: the register form's kept draft keeps the registry chosen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.app import make_app
from tests.support.pilot import choose, open_credentials, wait_for
from tui.core.registries import PRESETS_BY_ID
from tui.emulator.server import Emulator
from tui.screens.choose_profile import ProfilesScreen
from tui.widgets.chooser import Chooser

SIZE = (100, 30)


async def test_the_register_forms_kept_draft_keeps_the_registry_chosen(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Found: the typed fields came back, the registry list did not: "Other registry" chosen
    # for a host that looks like GitHub's opened again as GitHub (its hints, its rules).
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        form.query_one("#registry", Input).value = "ghcr.io"
        await pilot.pause()
        await choose(pilot, form, "#preset", PRESETS_BY_ID["custom"].label)
        await pilot.press("escape")
        await wait_for(pilot, app, ProfilesScreen)
        again = await open_credentials(app, pilot)
        assert again is not form
        assert again.query_one("#registry", Input).value == "ghcr.io"
        assert again.query_one("#preset", Chooser).value == "custom"
        # A host typed afterwards is the person's: the list follows it again.
        again.query_one("#registry", Input).value = "quay.io"
        await pilot.pause()
        assert again.query_one("#preset", Chooser).value == "quay"
