"""What today's forms keep, attacked: a rotate form left unsent opens again exactly as it was
left (the registry chosen too), and nothing typed lands where it was not meant."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.app import AppPilot
from tests.support.fleet_app import rotate_again, rotate_form
from tests.support.pilot import choose
from tui.core.registries import PRESETS_BY_ID
from tui.screens.rotate import RotateScreen
from tui.widgets.chooser import Chooser


async def retype(pilot: AppPilot, rotate: RotateScreen, field: str, text: str) -> None:
    rotate.set_focus(rotate.query_one(f"#{field}", Input))
    await pilot.press("ctrl+a", "ctrl+k", *text)
    await pilot.pause()


async def test_a_kept_other_registry_opens_again_as_chosen_not_as_the_host_looks(
    sealed_home: Path,
) -> None:
    # Found: the form opened on "Harbor" (its hints, its rules), and kept that over the choice:
    # the Changed of each field's first value counted as a key typed, and the list followed it.
    async with rotate_form(sealed_home, "dev", size=(80, 24)) as (_, app, pilot, rotate):
        await retype(pilot, rotate, "registry", "harbor.corp.example:8443")
        await choose(pilot, rotate, "#preset", PRESETS_BY_ID["custom"].label)
        await pilot.press("escape")
        again = await rotate_again(pilot, rotate)
        await pilot.pause()
        chooser = again.query_one("#preset", Chooser)
        assert (chooser.value, again.query_one("#registry", Input).value) == (
            "custom",
            "harbor.corp.example:8443",
        )
        assert app.state.rotate_drafts["ghcr"].preset == "custom"
        # A key typed in the host afterwards is the person's: the list follows it again.
        await retype(pilot, again, "registry", "harbor.corp.example")
        assert chooser.value == "harbor"
