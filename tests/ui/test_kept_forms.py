"""Today's rotate form, attacked: left unsent, it opens again exactly as it was left (the registry
chosen too); its host says what the register form's says of a path."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.app import AppPilot, until
from tests.support.fleet_app import rotate_again, rotate_form, send
from tests.support.pilot import choose, wait_for
from tui.core.registries import PRESETS_BY_ID
from tui.screens.fleet import FleetScreen
from tui.screens.modals import ConfirmModal, ErrorModal
from tui.screens.rotate import RotateScreen
from tui.widgets.chooser import Chooser
from tui.widgets.field_note import FieldNote


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


async def test_a_host_with_a_path_says_which_images_get_the_login_as_on_the_register_form(
    sealed_home: Path,
) -> None:
    # The register form said it; the rotate form sent ghcr.io/org/app (pasted from an image
    # reference) to every tenant with nothing said: that one repository's images got the login.
    async with rotate_form(sealed_home, "dev", size=(80, 24)) as (_, _app, pilot, rotate):
        note = rotate.query_one("#registry-note", FieldNote)
        await retype(pilot, rotate, "registry", "ghcr.io/octo-org/app")
        await until(pilot, lambda: "Used only for images under ghcr.io/octo-org/app/" in note.said)
        assert "Type ghcr.io alone" in note.said and note.display
        await retype(pilot, rotate, "registry", "ghcr.io")
        await until(pilot, lambda: not note.display)
        # Kept with its path, the next form of the secret says it from the start.
        await retype(pilot, rotate, "registry", "ghcr.io/octo-org")
        await pilot.press("escape")
        again = await rotate_again(pilot, rotate)
        await pilot.pause()
        assert "images under ghcr.io/octo-org/" in again.query_one("#registry-note", FieldNote).said


async def test_a_rotation_done_in_no_tenant_keeps_what_was_typed_for_the_next_form(
    sealed_home: Path,
) -> None:
    # Found: the draft was dropped as the rotation started; when every tenant failed, the next
    # form opened on the ledger's values, and all that was typed had to be typed again.
    async with rotate_form(sealed_home, "dev", size=(80, 24)) as (tenants, app, pilot, rotate):
        await retype(pilot, rotate, "email", "ops@example.com")
        rotate.query_one("#password", Input).value = "demo-registry-token"
        tenants["dev"].fail_next(500, body='{"error": {"message": "backend down"}}')
        await send(pilot, rotate)
        assert rotate.rotation is not None and rotate.rotation.failed() == ["dev"]
        kept = app.state.rotate_drafts["ghcr"]
        assert kept.email == "ops@example.com" and not hasattr(kept, "password")
        await pilot.press("escape")
        again = await rotate_again(pilot, rotate)
        assert again.query_one("#email", Input).value == "ops@example.com"
        assert again.query_one("#password", Input).value == ""
        # Done in a tenant, the next form starts from the ledger again.
        again.query_one("#password", Input).value = "demo-registry-token"
        await send(pilot, again)
        assert again.rotation is not None and again.rotation.ok
        assert "ghcr" not in app.state.rotate_drafts


async def test_a_rotation_stopped_before_any_tenant_answered_keeps_what_was_typed(
    sealed_home: Path,
) -> None:
    async with rotate_form(sealed_home, "dev", size=(80, 24)) as (tenants, app, pilot, rotate):
        await retype(pilot, rotate, "email", "ops@example.com")
        rotate.query_one("#password", Input).value = "demo-registry-token"
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ConfirmModal)
        answer = tenants["dev"].hold_next(30)  # the update is sent, its answer held back
        await pilot.press("y")
        await until(pilot, lambda: rotate.running)
        await pilot.press("escape")
        asked = await wait_for(pilot, app, ConfirmModal)
        assert asked._title == "Stop the rotation?"
        await pilot.press("y")
        await wait_for(pilot, app, FleetScreen)
        answer.set()
        assert not any(isinstance(s, ErrorModal) for s in app.screen_stack)
        kept = app.state.rotate_drafts["ghcr"]
        assert kept.email == "ops@example.com" and not hasattr(kept, "password")
