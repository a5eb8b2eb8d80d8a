"""Where each key leads after a registration or an update, and what an update form starts from."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.app import AppPilot, make_app, seed_secret
from tests.support.pilot import (
    PASSWORD,
    choose,
    fill_form,
    manage_loaded,
    open_credentials,
    wait_for,
)
from tui.app import RegsecretApp
from tui.core.registries import PRESETS_BY_ID
from tui.emulator.server import Emulator
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.manage import ManageScreen
from tui.screens.modals import ConfirmModal
from tui.screens.result import ResultScreen
from tui.widgets.chooser import Chooser
from tui.widgets.field_note import FieldNote

SIZE = (100, 30)


async def register(app: RegsecretApp, pilot: AppPilot, name: str = "my-registry") -> ResultScreen:
    await fill_form(pilot, name=name, host="ghcr.io")
    await pilot.press("ctrl+s")
    await wait_for(pilot, app, ConfirmModal)
    await pilot.press("y")
    return await wait_for(pilot, app, ResultScreen)


async def register_then_update(app: RegsecretApp, pilot: AppPilot) -> ResultScreen:
    """Register a secret, then update it from the list: the result screen of the update."""
    await open_credentials(app, pilot)
    await register(app, pilot)
    await pilot.press("m")
    await manage_loaded(app, pilot)
    await pilot.press("enter")
    form = await wait_for(pilot, app, CredentialsScreen)
    form.query_one("#password", Input).value = PASSWORD
    await pilot.press("ctrl+s")
    await wait_for(pilot, app, ConfirmModal)
    await pilot.press("y")
    return await wait_for(pilot, app, ResultScreen)


def stack(app: RegsecretApp) -> list[str]:
    return [type(screen).__name__ for screen in app.screen_stack]


async def test_update_of_a_secret_from_this_session_starts_from_its_registry_and_user(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await register(app, pilot)
        await pilot.press("m")
        manage = await manage_loaded(app, pilot)
        assert manage.names == ["my-registry"]
        await pilot.press("enter")
        form = await wait_for(pilot, app, CredentialsScreen)
        assert form.fixed_name == "my-registry"
        # What this session registered comes back, except the password, which is never kept.
        assert form.query_one("#registry", Input).value == "ghcr.io"
        assert form.query_one("#username", Input).value == "alice"
        assert form.query_one("#password", Input).value == ""
        assert form.query_one("#preset", Chooser).value == "ghcr"
        assert app.focused is form.query_one("#password", Input)
        assert "registered in this session" in str(form.query_one("#context").render())
        assert PASSWORD not in repr(app.state.logins)


async def test_update_of_an_unknown_secret_says_the_whole_login_is_needed(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "older")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await pilot.press("f3")
        await manage_loaded(app, pilot)
        await pilot.press("enter")
        form = await wait_for(pilot, app, CredentialsScreen)
        assert form.query_one("#username", Input).value == ""
        # The host starts empty: a new token alone cannot quietly move the secret to Docker Hub.
        assert form.query_one("#registry", Input).value == ""
        assert "its registry is not known here" in str(form.query_one("#context").render())
        assert app.focused is form.query_one("#registry", Input)
        # ctrl+s is called what it does here.
        titles = [command.title for command in app.get_system_commands(form)]
        assert "Update" in titles and "Register" not in titles


async def test_after_an_update_keys_lead_back_to_the_list_or_a_fresh_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        result = await register_then_update(app, pilot)
        assert result.updated
        # escape: back to the list; the finished update form is gone, no stale result below.
        await pilot.press("escape")
        await wait_for(pilot, app, ManageScreen)
        assert stack(app) == ["ProfilesScreen", "CredentialsScreen", "ManageScreen"]
        # ctrl+n from the list: the one register form, emptied for a new secret.
        await pilot.press("n")
        fresh = await wait_for(pilot, app, CredentialsScreen)
        assert fresh.fixed_name is None
        assert fresh.query_one("#name", Input).value == ""
        assert stack(app) == ["ProfilesScreen", "CredentialsScreen"]


async def test_new_secret_after_an_update_opens_the_register_form_not_the_update_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await register_then_update(app, pilot)
        await pilot.press("n")
        fresh = await wait_for(pilot, app, CredentialsScreen)
        assert fresh.fixed_name is None
        assert not fresh.query_one("#name", Input).disabled
        assert stack(app) == ["ProfilesScreen", "CredentialsScreen"]
        # And from the result of a plain registration, m then escape goes back to the form.
        await register(app, pilot, name="second")
        await pilot.press("m")
        await manage_loaded(app, pilot)
        assert stack(app) == ["ProfilesScreen", "CredentialsScreen", "ManageScreen"]
        await pilot.press("escape")
        await wait_for(pilot, app, CredentialsScreen)
        await pilot.press("escape")
        await wait_for(pilot, app, ProfilesScreen)


async def test_registry_list_follows_any_host_typed_even_an_unknown_one(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        form.query_one("#registry", Input).focus()
        form.query_one("#registry", Input).value = "registry.internal.example:5000"
        await pilot.pause()
        assert form.query_one("#preset", Chooser).value == "custom"
        form.query_one("#registry", Input).value = "quay.io"
        await pilot.pause()
        assert form.query_one("#preset", Chooser).value == "quay"


async def test_a_username_placeholder_reads_as_a_hint_and_is_never_sent(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        username = form.query_one("#username", Input)
        for preset in PRESETS_BY_ID.values():
            await choose(pilot, form, "#preset", preset.label)
            # A bare word ("AWS", "_json_key") in the empty field read as a value typed in.
            shown = username.placeholder
            assert username.value == "" and " " in shown, (preset.id, shown)
            assert preset.username_example in shown
        await choose(pilot, form, "#preset", PRESETS_BY_ID["ecr"].label)
        form.query_one("#name", Input).value = "ecr-pull"
        form.query_one("#registry", Input).value = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
        form.query_one("#password", Input).value = PASSWORD
        await pilot.pause()
        # The placeholder is no value: ctrl+s asks for the username, and nothing is sent.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.read_draft().username == "" and not isinstance(app.screen, ConfirmModal)
        assert "AWS" in form.query_one("#username-note", FieldNote).said
        assert form.focused is username
        assert emulator.secret_names() == []


async def test_choosing_other_registry_keeps_the_host_typed(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        host = form.query_one("#registry", Input)
        host.value = "harbor.corp.example:8443"
        await pilot.pause()
        assert form.query_one("#preset", Chooser).value == "harbor"
        await choose(pilot, form, "#preset", PRESETS_BY_ID["custom"].label)
        assert form.query_one("#preset", Chooser).value == "custom"
        assert host.value == "harbor.corp.example:8443"
        # The hints are those of the registry chosen, not Harbor's the host looks like.
        custom = PRESETS_BY_ID["custom"]
        assert form.query_one("#username", Input).placeholder == custom.username_placeholder
        assert form.query_one("#username-note", FieldNote).said == custom.username_hint
        # A registry with a host of its own still brings it.
        await choose(pilot, form, "#preset", PRESETS_BY_ID["quay"].label)
        assert host.value == "quay.io"


async def test_a_registry_chosen_with_the_host_empty_brings_its_own_sentence(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Google, then Azure, then ECR, the host left empty: the host's note still asked for
    # Google's host ("Enter the host. Google Artifact Registry's host names its region").
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        host = form.query_one("#registry", Input)
        await choose(pilot, form, "#preset", PRESETS_BY_ID["gar"].label)
        await pilot.press("ctrl+s")  # every field checked: the empty host is asked for
        await pilot.pause()
        note = form.query_one("#registry-note", FieldNote)
        assert PRESETS_BY_ID["gar"].host_hint in note.said
        for preset in ("acr", "ecr"):
            await choose(pilot, form, "#preset", PRESETS_BY_ID[preset].label)
            await pilot.pause()
            assert host.value == ""
            assert PRESETS_BY_ID[preset].host_hint in note.said, note.said
            others = [p.host_hint for p in PRESETS_BY_ID.values() if p.id != preset]
            assert not [hint for hint in others if hint in note.said], note.said
