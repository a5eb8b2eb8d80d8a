"""Escape stops a running request, and quitting with one in flight asks first (issues 10, 16).

The emulator holds the request (a delay fault that its stop releases, so no test waits out a
timer); the dialog and the sentences say whether the request may have reached AI Core, and what
was typed stays in the form.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from textual.widgets import Input

from tests.support.app import AppPilot, make_app, seed_foreign_secret, seed_secret, until
from tests.support.emulator import stored_password
from tests.support.fleet_app import RotateForm, rotate_form
from tests.support.pilot import (
    PASSWORD,
    SIZE,
    fill_form,
    open_credentials,
    open_manage,
    status_lines,
    wait_for,
)
from tests.support.slow_servers import held_server, silent_server
from tui.app import RegsecretApp
from tui.core.exit_codes import EXIT_STOPPED
from tui.emulator.server import Emulator
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.modals import BusyModal, ConfirmModal, TypedConfirmModal

T = TypeVar("T")
HELD = 600.0  # the emulator holds the request this long, or until it stops (the test's end)


async def until_value(pilot: AppPilot, value: Callable[[], T | None]) -> T:
    """Let the app run until ``value()`` is set; that value."""
    await until(pilot, lambda: value() is not None)
    found = value()
    assert found is not None
    return found


def secret_posts(emulator: Emulator) -> int:
    return len([r for r in emulator.requests if r.method == "POST" and "docker" in r.path])


def token_asked(emulator: Emulator) -> bool:
    return any(r.path.startswith("/oauth/token") for r in emulator.requests)


def toasts(app: RegsecretApp) -> list[str]:
    return [n.message for n in app._notifications]


def busy_text(busy: BusyModal) -> str:
    return " ".join(str(w.render()) for w in busy.query(".dialog-body, .hint"))


async def submit_held(app: RegsecretApp, pilot: AppPilot, emulator: Emulator) -> BusyModal:
    """Fill the form, ctrl+s, yes: the busy dialog while the emulator holds the create."""
    await fill_form(pilot)
    await pilot.press("ctrl+s")
    await wait_for(pilot, app, ConfirmModal)
    await pilot.press("y")
    return await wait_for(pilot, app, BusyModal)


def form_values(app: RegsecretApp) -> list[str]:
    return [app.screen.query_one(f"#{f}", Input).value for f in ("name", "registry", "username")]


async def test_escape_after_the_create_went_out_says_it_may_exist_and_keeps_the_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    emulator.delay_next(HELD)
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        busy = await submit_held(app, pilot, emulator)
        await until(pilot, lambda: secret_posts(emulator) == 1)
        assert "escape stops the request" in busy_text(busy)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, BusyModal))
        await until(pilot, lambda: any("Stopped" in t for t in toasts(app)))
        assert (
            "Stopped after the request was sent: AI Core may have created “my-registry”; list "
            "the secrets again to see whether it is there." in toasts(app)
        )
        assert form_values(app) == ["my-registry", "ghcr.io", "alice"]
        assert app.screen.query_one("#password", Input).value == PASSWORD


async def test_escape_before_the_create_went_out_says_ai_core_has_not_received_it(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # The token is held: the create itself never leaves.
    emulator.delay_next(HELD, scope="token")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await submit_held(app, pilot, emulator)
        await until(pilot, lambda: token_asked(emulator))
        await pilot.press("escape")
        await until(pilot, lambda: any("Stopped" in t for t in toasts(app)))
        assert (
            "Stopped before anything was sent: AI Core has not received it, so “my-registry” "
            "was not registered." in toasts(app)
        )
        assert secret_posts(emulator) == 0 and emulator.secret_names() == []
        assert app.screen.query_one("#password", Input).value == PASSWORD


async def test_escape_stops_a_delete_in_manage_and_the_list_is_read_again(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "old-one")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        manage = await open_manage(app, pilot)
        emulator.delay_next(HELD)
        await pilot.press("d")
        dialog = await wait_for(pilot, app, TypedConfirmModal)
        dialog.query_one("#typed", Input).value = "old-one"
        await pilot.press("enter")
        await wait_for(pilot, app, BusyModal)
        await until(pilot, lambda: any(r.method == "DELETE" for r in emulator.requests))
        lists_before = len([r for r in emulator.requests if r.method == "GET"])
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is manage)
        # Under the list, which it is about, not in a toast over it.
        await until(pilot, lambda: status_lines(app))
        assert not toasts(app)
        assert status_lines(app)[0] == (
            "Stopped after the request was sent: AI Core may have deleted “old-one”; list the "
            "secrets again to see whether it is still there."
        )
        await until(
            pilot, lambda: len([r for r in emulator.requests if r.method == "GET"]) > (lists_before)
        )


async def test_escape_stops_the_registry_login_check(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    with silent_server() as registry:
        app = make_app(sealed_home, emulator=emulator)
        async with app.run_test(size=SIZE) as pilot:
            await open_credentials(app, pilot)
            await fill_form(pilot, host=registry.url.removeprefix("http://"))
            await pilot.press("ctrl+l")
            await wait_for(pilot, app, BusyModal)
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, BusyModal))
            await until(pilot, lambda: toasts(app))
            assert "Stopped the login check: nothing was sent to AI Core." in toasts(app)
            assert app.screen.query_one("#password", Input).value == PASSWORD


async def test_escape_stops_the_profile_connection_test(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    emulator.delay_next(HELD, scope="token")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await app.wait_for_emulator()
        profiles = await wait_for(pilot, app, ProfilesScreen)
        await until(pilot, lambda: profiles.result is not None and profiles.result.get("demo"))
        await pilot.press("t")
        await wait_for(pilot, app, BusyModal)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is profiles)
        await until(pilot, lambda: "Stopped the connection test" in profiles._status)
        assert profiles._status == "Stopped the connection test of “demo”; nothing changed."


async def test_quit_with_the_create_sent_asks_and_n_keeps_waiting(
    sealed_home: Path,
    memory_keyring: object,
    emulator: Emulator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    emulator.delay_next(HELD)
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        busy = await submit_held(app, pilot, emulator)
        await until(pilot, lambda: secret_posts(emulator) == 1)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and app.screen is busy
        assert (
            "Quit while this runs? The request was sent and its answer has not come back: AI "
            "Core may have created “my-registry” already, whether you quit or not."
        ) in busy_text(busy)
        assert "y quits now · n keeps waiting" in busy_text(busy)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and app.screen is busy
        assert not busy.query_one("#busy-question").display
        # The palette's Quit runs the same action: it asks too.
        await app.run_action("quit")
        await pilot.pause()
        assert "Quit while this runs?" in busy_text(busy)
        await pilot.press("y")
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == EXIT_STOPPED
    said = " ".join(capsys.readouterr().err.split())  # printed once the terminal is back
    assert "AI Core may have created “my-registry”" in said


async def test_quit_before_the_create_went_out_says_it_has_not_been_sent(
    sealed_home: Path,
    memory_keyring: object,
    emulator: Emulator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    emulator.delay_next(HELD, scope="token")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        busy = await submit_held(app, pilot, emulator)
        await until(pilot, lambda: token_asked(emulator))
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert (
            "The request has not been sent yet: quitting now stops it before AI Core gets it."
            in busy_text(busy)
        )
        await pilot.press("y")
        await until(pilot, lambda: not app.is_running)
    assert secret_posts(emulator) == 0
    said = " ".join(capsys.readouterr().err.split())  # printed once the terminal is back
    assert "Stopped before anything was sent: AI Core has not received it" in said


async def test_quit_with_nothing_in_flight_quits_at_once(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == 0 and not app._exit_renderables


@contextlib.asynccontextmanager
async def held_rotation(home: Path) -> AsyncIterator[RotateForm]:
    """A rotation of "ghcr" sent to dev and test: done in dev, test's request held."""
    async with rotate_form(home, "dev", "test", holders=("dev", "test")) as form:
        tenants, app, pilot, rotate = form
        rotate.query_one("#password", Input).value = "demo-registry-token"
        tenants["test"].delay_next(HELD)
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("y")
        rotation = await until_value(pilot, lambda: rotate.rotation)
        await until(pilot, lambda: rotation.done() == ["dev"])
        yield form


async def test_quit_during_a_rotation_asks_and_says_which_tenants_may_have_it(
    sealed_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The rotation's table, not a busy dialog, shows its requests: the app asks all the same.
    async with held_rotation(sealed_home) as (_, app, pilot, rotate):
        await pilot.press("ctrl+q")
        question = await wait_for(pilot, app, ConfirmModal)
        body = " ".join(str(question.query_one(".dialog-body").render()).split())
        assert body == (
            "1 of 2 tenants answered. To test the new credentials are sent or being sent, "
            "with no answer yet: AI Core may take them there whether you quit or not."
        )
        await pilot.press("n")
        await until(pilot, lambda: app.screen is rotate)
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("y")
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == EXIT_STOPPED
    said = " ".join(capsys.readouterr().err.split())
    assert (
        "regsecret: Quit during the rotation of “ghcr”: AI Core may have taken the new "
        "credentials in test; look at the secret there to be sure." in said
    )


HOSTILE = "old\x1b]0;PWNED-TITLE\x07\x1b]52;c;aGk=\x07\x9b2J\x1b[2Jone"


async def test_quit_during_a_delete_prints_a_hostile_name_made_safe(
    sealed_home: Path,
    memory_keyring: object,
    emulator: Emulator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The sentence is printed after the screen is gone, on the user's own terminal: a name from
    # the server must not set its title, write its clipboard or clear it there.
    seed_foreign_secret(emulator, HOSTILE)
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_manage(app, pilot)
        emulator.delay_next(HELD)
        await pilot.press("d")
        dialog = await wait_for(pilot, app, TypedConfirmModal)
        dialog.query_one("#typed", Input).value = dialog._expected
        await pilot.press("enter")
        await wait_for(pilot, app, BusyModal)
        await until(pilot, lambda: any(r.method == "DELETE" for r in emulator.requests))
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: not app.is_running)
    assert app.return_code == EXIT_STOPPED
    said = capsys.readouterr().err
    assert "AI Core may have deleted “oldone”" in " ".join(said.split())
    assert not any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in said)


# --- a quit question asked while a job runs stays until it is answered (no y lands elsewhere) ---


def finished_text(busy: BusyModal) -> str:
    return " ".join(busy_text(busy).split())


async def login_check_ends_under_the_quit_question(
    app: RegsecretApp, pilot: AppPilot, registry_host: str, release: threading.Event
) -> BusyModal:
    """ctrl+s, the registry holds the login check, ctrl+q asks, the check ends under it."""
    await open_credentials(app, pilot)
    await fill_form(pilot, host=registry_host)
    await pilot.press("ctrl+s")
    busy = await wait_for(pilot, app, BusyModal)
    await pilot.press("ctrl+q")
    await until(pilot, lambda: "Quit while this runs?" in busy_text(busy))
    release.set()
    await until(pilot, lambda: "It has finished." in busy_text(busy))
    assert app.screen is busy
    return busy


async def test_a_login_check_that_ends_under_the_quit_question_leaves_it_asked_and_y_quits(
    sealed_home: Path, memory_keyring: object, capsys: pytest.CaptureFixture[str]
) -> None:
    release = threading.Event()
    with Emulator(with_registry=True) as emulator, held_server(release) as registry:
        app = make_app(sealed_home, emulator=emulator)
        async with app.run_test(size=SIZE) as pilot:
            host = registry.url.removeprefix("http://")
            busy = await login_check_ends_under_the_quit_question(app, pilot, host, release)
            assert finished_text(busy).endswith(
                "It has finished. Nothing in AI Core was changed. Quit now? y quits · n goes on"
            )
            await pilot.press("y")
            await until(pilot, lambda: not app.is_running)
        assert secret_posts(emulator) == 0
    assert app.return_code == EXIT_STOPPED
    said = " ".join(capsys.readouterr().err.split())
    assert "regsecret: quit once it had finished. Nothing in AI Core was changed." in said


async def test_n_after_the_login_check_ended_under_the_quit_question_goes_on_to_confirm(
    sealed_home: Path, memory_keyring: object
) -> None:
    release = threading.Event()
    with Emulator(with_registry=True) as emulator, held_server(release) as registry:
        app = make_app(sealed_home, emulator=emulator)
        async with app.run_test(size=SIZE) as pilot:
            host = registry.url.removeprefix("http://")
            await login_check_ends_under_the_quit_question(app, pilot, host, release)
            await pilot.press("n")
            question = await wait_for(pilot, app, ConfirmModal)
            assert "Register" in str(question.query_one(".dialog-title").render())
            await pilot.press("n")
            await until(pilot, lambda: not isinstance(app.screen, ConfirmModal))
            assert app.is_running
        assert secret_posts(emulator) == 0


async def test_a_create_answered_409_under_the_quit_question_does_not_take_y_as_update(
    sealed_home: Path,
    memory_keyring: object,
    emulator: Emulator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed_secret(emulator, "my-registry")
    stored = stored_password(emulator, "my-registry")
    release = emulator.hold_next()
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        busy = await submit_held(app, pilot, emulator)
        await until(pilot, lambda: secret_posts(emulator) == 1)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: "Quit while this runs?" in busy_text(busy))
        release.set()
        await until(pilot, lambda: "It has finished." in busy_text(busy))
        assert app.screen is busy
        assert "AI Core answered that “my-registry” already exists there" in finished_text(busy)
        await pilot.press("y")
        await until(pilot, lambda: not app.is_running)
    assert not [r for r in emulator.requests if r.method == "PATCH"]
    assert stored_password(emulator, "my-registry") == stored
    assert app.return_code == EXIT_STOPPED
    said = " ".join(capsys.readouterr().err.split())
    assert (
        "regsecret: quit once it had finished. AI Core answered that “my-registry” already "
        "exists there: nothing was changed." in said
    )


async def test_escape_during_a_rotation_asks_and_stopping_says_what_each_tenant_got(
    sealed_home: Path,
) -> None:
    # Escape used to pop the rotation silently, dropping the held tenant's connection.
    async with held_rotation(sealed_home) as (_, app, pilot, rotate):
        await pilot.press("escape")
        question = await wait_for(pilot, app, ConfirmModal)
        body = " ".join(str(question.query_one(".dialog-body").render()).split())
        assert "AI Core may take them there whether you leave or not" in body
        await pilot.press("n")
        await until(pilot, lambda: app.screen is rotate)
        await pilot.press("escape")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("y")
        await until(pilot, lambda: rotate not in app.screen_stack)
        await until(pilot, lambda: any("Stopped the rotation" in t for t in toasts(app)))
        said = next(t for t in toasts(app) if "Stopped the rotation" in t)
        assert said == (
            "Stopped the rotation of “ghcr”. Done in dev. Sent with no answer to test: AI "
            "Core may have taken the new credentials there; look at the secret to be sure."
        )
