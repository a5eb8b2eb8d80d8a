"""The whole keyboard flow against the emulator over loopback: create, exists -> update, errors."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input

from tests.support.app import MemoryClipboard, make_app, seed_secret, until
from tests.support.pilot import (
    PASSWORD,
    fill_form,
    open_credentials,
    open_manage,
    register_confirmed,
    type_form,
    wait_for,
)
from tui.core.snippets import serving_snippet, workflow_snippet
from tui.emulator.server import Emulator
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.modals import BusyModal, ConfirmModal, ErrorModal
from tui.screens.preview import PreviewScreen
from tui.screens.result import ResultScreen

SIZE = (100, 30)


async def test_register_with_keyboard_alone_then_copy_yaml(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    clipboard = MemoryClipboard()
    app = make_app(sealed_home, emulator=emulator, clipboard=clipboard)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await type_form(pilot)
        # Leaving the form and coming back keeps everything, the password still masked.
        await pilot.press("escape")
        await wait_for(pilot, app, ProfilesScreen)
        await pilot.press("enter")
        screen = await wait_for(pilot, app, CredentialsScreen)
        assert screen.query_one("#name", Input).value == "my-registry"
        assert screen.query_one("#password", Input).value == PASSWORD
        assert screen.query_one("#password", Input).password
        await pilot.press("ctrl+s")
        confirm = await wait_for(pilot, app, ConfirmModal)
        text = confirm.query_one(".dialog-body").render()
        assert "my-registry" in str(text) and "demo" in str(text)
        await pilot.press("y")
        result = await wait_for(pilot, app, ResultScreen)
        assert result.secret_name == "my-registry" and not result.updated
        assert emulator.secret_names() == ["my-registry"]
        await pilot.press("w")
        await until(pilot, lambda: app.clipboard == workflow_snippet("my-registry"))
        await pilot.press("s")
        await until(pilot, lambda: app.clipboard == serving_snippet("my-registry"))
        assert clipboard.copies[-1] == serving_snippet("my-registry")
    # The POST carried the real password, in the escaped .dockerconfigjson string...
    post = next(r for r in emulator.requests if r.method == "POST" and "docker" in r.path)
    assert PASSWORD in post.body.decode()
    # ...and nothing on disk did: not the config dir, not the home the app saw.
    for path in sealed_home.parent.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


async def test_already_exists_offers_update_in_place(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "my-registry")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await fill_form(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("y")
        offer = await wait_for(pilot, app, ConfirmModal)
        assert "already" in str(offer.query_one(".dialog-title").render())
        await pilot.press("y")
        result = await wait_for(pilot, app, ResultScreen)
        assert result.updated
    methods = [r.method for r in emulator.requests if "dockerRegistrySecrets" in r.path]
    assert methods[-2:] == ["POST", "PATCH"]


async def test_a_name_in_the_tenant_s_list_is_asked_about_once(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Seen in the demo: a name from the secrets list, registered again, asked "Register?" and
    # then "already exists: update?". The list said so already: one question, the update.
    seed_secret(emulator, "my-registry")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_manage(app, pilot)  # the list holds my-registry
        await pilot.press("n")
        await wait_for(pilot, app, CredentialsScreen)
        await fill_form(pilot)
        before = len(emulator.requests)
        # The preview shows what ctrl+s will send: the update.
        await pilot.press("f2")
        preview = await wait_for(pilot, app, PreviewScreen)
        assert preview.patch
        await pilot.press("escape")
        await wait_for(pilot, app, CredentialsScreen)
        await pilot.press("ctrl+s")
        question = await wait_for(pilot, app, ConfirmModal)
        title = str(question.query_one(".dialog-title").render())
        assert title == "“my-registry” already exists: update it?"
        assert "Update (y)" in str(question.query_one("#yes", Button).label)
        await pilot.press("y")
        result = await wait_for(pilot, app, ResultScreen)
        assert result.updated
    methods = [r.method for r in emulator.requests[before:] if "dockerRegistrySecrets" in r.path]
    assert methods == ["PATCH"]


async def test_server_error_shows_details_and_keeps_the_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await fill_form(pilot)
        emulator.fail_next(500, count=10)
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("y")
        modal = await wait_for(pilot, app, ErrorModal)
        labels = [str(w.render()) for w in modal.query(".detail-label")]
        assert "Status:" in labels
        await pilot.press("escape")
        screen = await wait_for(pilot, app, CredentialsScreen)
        assert screen.query_one("#name", Input).value == "my-registry"
        assert screen.query_one("#registry", Input).value == "ghcr.io"
        assert screen.query_one("#username", Input).value == "alice"
        assert screen.query_one("#password", Input).value == PASSWORD
        # And once the server is well again, the same form goes through.
        emulator.faults.clear()
        await register_confirmed(pilot, app)
    assert emulator.secret_names() == ["my-registry"]


async def test_expired_token_is_renewed_silently(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await fill_form(pilot, name="first")
        await register_confirmed(pilot, app)
        emulator.expire_tokens()
        await pilot.press("n")  # back to the form, name and password cleared
        screen = await wait_for(pilot, app, CredentialsScreen)
        assert screen.query_one("#password", Input).value == ""
        assert screen.query_one("#username", Input).value == "alice"
        screen.query_one("#name", Input).value = "second"
        screen.query_one("#password", Input).value = PASSWORD
        await register_confirmed(pilot, app)
    assert emulator.secret_names() == ["first", "second"]
    assert emulator.token_requests >= 2


async def test_new_after_a_registration_opens_a_form_that_does_not_scold(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Seen in tmux: n on the result screen, and the fresh form said "Enter a name" and "Enter
    # the password or access token" under fields the person had not reached yet.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await type_form(pilot, name="first")
        await register_confirmed(pilot, app)
        await pilot.press("n")
        screen = await wait_for(pilot, app, CredentialsScreen)
        await pilot.pause(0.3)
        assert screen.query_one("#name", Input).value == ""
        assert screen._problems.get("name", []) == []
        assert screen._problems.get("password", []) == []
        assert "Enter a name" not in app.export_screenshot()


async def test_a_second_submit_while_one_runs_is_impossible(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        await fill_form(pilot)
        # Held until the keys below are pressed: a 2 s delay ran out under load while they were.
        release = emulator.hold_next(30)
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("y")
        await wait_for(pilot, app, BusyModal)
        # escape is the one key that acts here (it stops the request: tests/ui/test_app_stop.py).
        await pilot.press("ctrl+s", "enter", "y", "n", "f1", "ctrl+p")
        assert isinstance(app.screen, BusyModal)
        screen.action_submit()  # even calling the action directly is refused
        await pilot.pause()
        assert isinstance(app.screen, BusyModal)
        release.set()
        await wait_for(pilot, app, ResultScreen)
    posts = [r for r in emulator.requests if r.method == "POST" and "docker" in r.path]
    assert len(posts) == 1


async def test_invalid_fields_block_submit_and_say_why(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        await pilot.press(*"Bad_Name!")
        await pilot.pause()
        problem = screen.query_one("#name-note")
        assert problem.display and str(problem.render()).strip()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CredentialsScreen)
    assert not [r for r in emulator.requests if r.method == "POST" and "docker" in r.path]
