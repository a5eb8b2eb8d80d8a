"""The update form of a secret: it starts from what is known of it, and pretends nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input

from tests.support.app import AppPilot, make_app, seed_secret
from tests.support.pilot import (
    PASSWORD,
    loaded,
    manage_loaded,
    open_credentials,
    wait_for,
)
from tui.app import RegsecretApp
from tui.emulator.server import Emulator
from tui.screens.credentials import CredentialsScreen
from tui.screens.manage import ManageScreen
from tui.screens.modals import CarefulConfirmModal, ConfirmModal
from tui.screens.result import ResultScreen
from tui.widgets.chooser import Chooser

SIZE = (100, 30)


async def open_update(app: RegsecretApp, pilot: AppPilot, name: str) -> CredentialsScreen:
    await open_credentials(app, pilot)
    app.nav.update_secret(name)
    form = await wait_for(pilot, app, CredentialsScreen)
    assert form.fixed_name == name
    return form


def context(form: CredentialsScreen) -> str:
    return " ".join(str(form.query_one("#context").render()).split())


async def test_a_secret_registered_elsewhere_starts_with_no_registry_chosen(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "theirs")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_update(app, pilot, "theirs")
        select = form.query_one("#preset", Chooser)
        host = form.query_one("#registry", Input)
        # No Docker Hub beside an empty host: nothing is chosen, and the form says why.
        assert select.is_blank()
        assert (host.value, host.has_focus) == ("", True)
        assert "docker.io" not in host.value
        assert "its registry is not known here: choose it (or type its host)" in context(form)
        assert "They replace the stored ones." in context(form)
        await pilot.press(*"ghcr.io")
        await pilot.pause()
        assert select.value == "ghcr"
        form.query_one("#username", Input).value = "octo"
        form.query_one("#password", Input).value = PASSWORD
        await pilot.press("ctrl+s")
        confirm = await wait_for(pilot, app, ConfirmModal)
        assert "Registry: ghcr.io, user octo" in str(confirm.query_one(".dialog-body").render())
        await pilot.press("y")
        result = await wait_for(pilot, app, ResultScreen)
        assert result.updated
    patch = next(r for r in emulator.requests if r.method == "PATCH")
    sent = json.loads(json.loads(patch.body)["data"][".dockerconfigjson"])
    assert list(sent["auths"]) == ["ghcr.io"] and sent["auths"]["ghcr.io"]["username"] == "octo"


async def test_a_secret_the_ledger_knows_starts_from_its_registry_and_username(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    from tui.core.ledger import Ledger, tenant_key

    seed_secret(emulator, "gamma")
    app = make_app(sealed_home, emulator=emulator)
    Ledger(app.demo_ledger_dir).record(
        tenant_key("demo", emulator.api_url), "gamma", registry="ghcr.io", username="octo",
        created=True,
    )  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        form = await open_update(app, pilot, "gamma")
        assert form.query_one("#preset", Chooser).value == "ghcr"
        assert form.query_one("#registry", Input).value == "ghcr.io"
        assert form.query_one("#username", Input).value == "octo"
        password = form.query_one("#password", Input)
        assert (password.value, password.has_focus) == ("", True)
        assert "Registry and username as regsecret last registered them here" in context(form)


async def test_an_update_form_leaves_no_draft_for_a_new_registration(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "theirs")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("m")  # straight from the profiles to the list: no new form yet
        await manage_loaded(app, pilot)
        await pilot.press("enter")
        form = await wait_for(pilot, app, CredentialsScreen)
        assert form.fixed_name == "theirs"
        await pilot.press(*"docker.io", "escape")
        await wait_for(pilot, app, CarefulConfirmModal)  # typed: asked first
        await pilot.press("y")
        await wait_for(pilot, app, ManageScreen)
        await pilot.press("n")
        form = await wait_for(pilot, app, CredentialsScreen)
        await pilot.pause()
        # A new registration starts blank: not on "theirs", which ctrl+s would overwrite.
        assert form.fixed_name is None
        assert form.query_one("#name", Input).value == ""


async def test_escape_from_an_update_with_something_typed_asks_before_it_goes(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Seen in tmux: host, user and token typed into the update of a secret, escape, and the
    # manage list again; enter on the secret opened an empty form. An update is never kept.
    seed_secret(emulator, "theirs")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_update(app, pilot, "theirs")
        await pilot.press("escape")  # nothing typed: it leaves at once
        await pilot.pause(0.2)
        assert app.screen is not form and not isinstance(app.screen, CarefulConfirmModal)
        app.nav.update_secret("theirs")
        await pilot.pause(0.2)
        again = app.screen
        assert isinstance(again, CredentialsScreen) and again.fixed_name == "theirs"
        form = again
        await pilot.press(*"ghcr.io")
        await pilot.pause()
        await pilot.press("escape")
        asked = await wait_for(pilot, app, CarefulConfirmModal)
        assert "Discard what you typed?" in str(asked.query_one(".dialog-title").render())
        assert "“theirs”" in str(asked.query_one(".dialog-body").render())
        await pilot.press("enter")  # out of habit: the highlighted answer keeps editing
        await pilot.pause(0.2)
        assert app.screen is form
        assert form.query_one("#registry", Input).value == "ghcr.io"
        await pilot.press("f3")  # Manage leaves the update too: the same question
        await wait_for(pilot, app, CarefulConfirmModal)
        await pilot.press("n")
        await pilot.pause(0.2)
        assert app.screen is form
        await pilot.press("escape")
        await wait_for(pilot, app, CarefulConfirmModal)
        await pilot.press("y")
        await pilot.pause(0.2)
        assert form not in app.screen_stack
