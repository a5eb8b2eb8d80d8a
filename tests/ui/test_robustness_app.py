"""The robustness table, through the app: every fault ends in a sentence, nothing lost.

Each row injects one failure (emulator fault, dead port, wrong scheme, missing keyring or
clipboard, broken files, a huge paste) and checks three things: the app is still up, a sentence on
screen says what happened and what to do, and what the user typed is still in the form.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keyring.backends.fail
import pytest
from textual import events
from textual.widgets import Input, Static

from tests.support import keyring_memory
from tests.support.app import NoClipboard, make_app, seed_secret, until
from tests.support.pilot import PASSWORD, fill_form, open_credentials, status_lines, wait_for
from tui.app import RegsecretApp
from tui.core.profile_actions import Profile, ProfileStore
from tui.core.snippets import workflow_snippet
from tui.emulator.server import Emulator
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.import_key import ImportKeyScreen
from tui.screens.modals import ConfirmModal, ErrorModal
from tui.screens.result import ResultScreen

SIZE = (100, 30)
FORM = {"name": "my-registry", "registry": "ghcr.io", "username": "alice", "password": PASSWORD}
# Quick retries and a short read timeout, so the table runs in seconds, not minutes.
FAST = {"backoff": 0.01, "max_retry_after": 0.2}
READ_TIMEOUT = 0.4


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def point_at(app: RegsecretApp, api_url: str, token_url: str) -> None:
    """Switch the selected profile to other URLs, as a profile with a wrong URL would be."""
    assert app.state.profile is not None
    profile = app.state.profile.replace(api_url=api_url, token_url=token_url)
    app.state.select(profile, app.state.profile_secret)


def unreachable(app: RegsecretApp, emu: Emulator) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    point_at(app, url, f"{url}/oauth/token")


def html_instead_of_a_token(app: RegsecretApp, emu: Emulator) -> None:
    emu.expire_tokens()
    emu.fail_next(200, body="<html>", scope="token")


def tls_on_plain_port(app: RegsecretApp, emu: Emulator) -> None:
    url = emu.api_url.replace("http://", "https://")
    point_at(app, url, emu.token_url.replace("http://", "https://"))


@dataclass(frozen=True)
class Fault:
    """One row: how to break things, and the words the user must then read (None: it works)."""

    arrange: Callable[[RegsecretApp, Emulator], object]
    says: tuple[str, ...] | None


TABLE: dict[str, Fault] = {
    "401-expired-token-renewed": Fault(lambda app, emu: emu.expire_tokens(), None),
    "403": Fault(
        lambda app, emu: emu.fail_next(403, count=5),
        ("may not manage docker registry secrets", "administrator"),
    ),
    "404": Fault(
        lambda app, emu: emu.fail_next(404, count=5), ("AI API URL", "must not end in /v2")
    ),
    "429-with-retry-after": Fault(
        lambda app, emu: emu.fail_next(429, count=10, retry_after=0.05),
        ("limiting requests", "wait a minute"),
    ),
    "429-without-retry-after": Fault(
        lambda app, emu: emu.fail_next(429, count=10), ("limiting requests", "wait a minute")
    ),
    # A create is never repeated on a status, as SAP's SDK does not: the user hears it at once.
    "429-once-on-create": Fault(
        lambda app, emu: emu.fail_next(429, retry_after=0.05),
        ("limiting requests", "was not registered"),
    ),
    "500": Fault(lambda app, emu: emu.fail_next(500, count=5), ("internal error", "request id")),
    "502": Fault(lambda app, emu: emu.fail_next(502, count=5), ("HTTP 502", "try again")),
    "503-with-retry-after": Fault(
        lambda app, emu: emu.fail_next(503, count=5, retry_after=0.05), ("HTTP 503", "try again")
    ),
    "read-timeout": Fault(
        lambda app, emu: emu.delay_next(READ_TIMEOUT * 4),
        (f"did not answer within {READ_TIMEOUT:g} s", "refresh the list"),
    ),
    "dropped-connection": Fault(
        lambda app, emu: emu.drop_next(5), ("closed before an answer arrived", "try again")
    ),
    "error-body-not-json": Fault(
        lambda app, emu: emu.fail_next(502, count=5, body="<html><h1>Bad Gateway</h1></html>"),
        ("HTTP 502", "try again"),
    ),
    "token-body-not-json": Fault(
        html_instead_of_a_token, ("answered, but not with a token", "/oauth/token")
    ),
    "refused-connection": Fault(unreachable, ("connection refused", "regsecret emulator")),
    "tls-failure": Fault(tls_on_plain_port, ("TLS handshake", "plain http port")),
}


def form_values(screen: CredentialsScreen) -> dict[str, str]:
    return {field: screen.query_one(f"#{field}", Input).value for field in FORM}


# After a registration the form is ready for the next one: its login stays, name and password go.
AFTER_REGISTERED = FORM | {"name": "", "password": ""}


def assert_up(app: RegsecretApp) -> None:
    assert app._exception is None, app._exception
    assert app.return_code in (None, 0)


@pytest.mark.parametrize("row", list(TABLE))
async def test_submit_fault(
    row: str, sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    """One row, in its own app and emulator: a slow row cannot take the others down with it."""
    fault = TABLE[row]
    app = make_app(sealed_home, emulator=emulator)
    app.state.client_options.update(FAST)
    app.state.connection_overrides["read_timeout"] = READ_TIMEOUT
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        await fill_form(pilot)
        # A token is in hand before the fault, so token faults hit a renewal, as in a long session.
        await app.state.client().list_secrets()
        fault.arrange(app, emulator)
        # Actions called directly: a Pilot key press costs ~0.3 s; the keys have their own tests.
        screen.action_submit()
        (await wait_for(pilot, app, ConfirmModal)).action_answer(True)
        if fault.says is None:
            result = await wait_for(pilot, app, ResultScreen, tries=300)
            assert emulator.secret_names() == ["my-registry"]
            result.action_back()
        else:
            modal = await wait_for(pilot, app, ErrorModal, tries=300)
            sentence = str(modal.query_one(".dialog-body", Static).render())
            for words in fault.says:
                assert words in sentence, sentence
            assert PASSWORD not in sentence
            modal.action_close()
        await wait_for(pilot, app, CredentialsScreen)
        assert app.screen is screen
        assert form_values(screen) == (FORM if fault.says else AFTER_REGISTERED)
        assert_up(app)


async def test_a_server_error_gives_the_request_id_once_on_its_own_line(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # The command line quotes the id in its sentence; the dialog has a line of its own for it,
    # where it is copied from, and the sentence points there instead of saying it twice.
    app = make_app(sealed_home, emulator=emulator)
    app.state.client_options.update(FAST)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        await fill_form(pilot)
        emulator.fail_next(500, count=5)
        screen.action_submit()
        (await wait_for(pilot, app, ConfirmModal)).action_answer(True)
        modal = await wait_for(pilot, app, ErrorModal, tries=300)
        sentence = str(modal.query_one(".dialog-body", Static).render())
        assert "give SAP support the request id below." in sentence, sentence
        rows = dict(
            zip(
                [str(w.render()) for w in modal.query(".detail-label")],
                [str(w.render()) for w in modal.query(".detail-value")],
                strict=True,
            )
        )
        request_id = rows["Request id:"]
        assert len(request_id) == 32, rows
        shown = " ".join(str(w.render()) for w in modal.query(Static))
        assert shown.count(request_id) == 1, shown
        modal.action_copy_details()
        await until(pilot, lambda: request_id in (app.clipboard or ""))
        assert app.clipboard.count(request_id) == 1, app.clipboard


async def test_already_exists_declined_keeps_the_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "my-registry")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        await fill_form(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("y")
        offer = await wait_for(pilot, app, ConfirmModal)
        assert "already exists" in str(offer.query_one(".dialog-title").render())
        assert "update" in str(offer.query_one(".dialog-body").render()).lower()
        await pilot.press("n")
        await wait_for(pilot, app, CredentialsScreen)
        assert any("Nothing was changed" in n.message for n in app._notifications)
        assert form_values(screen) == FORM
        assert_up(app)


async def test_ten_megabyte_paste_is_refused_with_a_sentence(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    huge = "x" * 10_000_000
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        await fill_form(pilot)
        for field in ("password", "name"):
            widget = screen.query_one(f"#{field}", Input)
            widget.focus()
            # CPU time of the thread the app runs in: a freeze is work done, and a loaded
            # machine stretches wall time without making the app do more.
            started = time.thread_time()
            widget.post_message(events.Paste(huge))  # what a terminal sends on paste
            await pilot.pause()
            widget.value = huge  # and a programmatic fill, the other way in
            await pilot.press("end")  # still answering keys
            elapsed = time.thread_time() - started
            assert elapsed < 2.0, f"{field}: {elapsed:.1f} s of CPU"
            too_long = [n for n in app._notifications if "10,000,000 characters" in n.message]
            assert too_long and "paste again" in too_long[-1].message
            assert form_values(screen) == FORM
        # The form still works after the refused pastes.
        screen.action_submit()
        (await wait_for(pilot, app, ConfirmModal)).action_answer(True)
        await wait_for(pilot, app, ResultScreen)
        assert_up(app)
    assert emulator.secret_names() == ["my-registry"]


async def test_clipboard_missing_copies_through_the_terminal_and_says_so(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator, clipboard=NoClipboard())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        await fill_form(pilot)
        screen.action_submit()
        (await wait_for(pilot, app, ConfirmModal)).action_answer(True)
        result = await wait_for(pilot, app, ResultScreen)
        result.action_copy_workflow()
        # Said on the result screen's status line, not in a toast over the screen.
        await until(pilot, lambda: status_lines(app))
        (said,) = status_lines(app)
        assert said.startswith("Sent the workflow-template YAML through the terminal")
        assert "cannot check that it arrived" in said and NoClipboard.REASON in said
        assert "Copied" not in said and not app._notifications
        assert app.clipboard == workflow_snippet("my-registry")
        result.action_back()
        await wait_for(pilot, app, CredentialsScreen)
        assert form_values(screen) == AFTER_REGISTERED
        assert_up(app)


async def test_keyring_missing_stored_profile_says_what_to_do(sealed_home: Path) -> None:
    ProfileStore().add(
        Profile("dev", "https://api.example.com", "https://x.example/oauth/token", "c")
    )
    previous = keyring_memory.install_keyring(keyring.backends.fail.Keyring())
    try:
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            screen = await wait_for(pilot, app, ProfilesScreen)
            await until(pilot, lambda: screen.result is not None and screen.result.names())
            screen.action_select()
            from tui.screens.modals import SecretPromptModal

            prompt = await wait_for(pilot, app, SecretPromptModal)
            # The dialog clears toasts (they would cover it) and says the same itself.
            assert app.keyring_warned
            body = str(prompt.query_one(".dialog-body").render())
            assert "no usable keyring" in body and "Enter it from the service key" in body
            await pilot.press("escape")  # not now: back to the list, nothing chosen
            await wait_for(pilot, app, ProfilesScreen)
            assert app.state.profile is None
            assert_up(app)
    finally:
        keyring_memory.restore_keyring(previous)


BAD_KEYS = {
    "not-json": ("{ this is not json", "JSON"),
    "no-clientsecret": (json.dumps({"clientid": "c", "url": "https://x.example"}), "clientsecret"),
    "no-serviceurls": (
        json.dumps({"clientid": "c", "clientsecret": "s", "url": "https://x.example"}),
        "AI_API_URL",
    ),
}


async def test_broken_profile_file_and_bad_service_keys_are_explained(
    sealed_home: Path, memory_keyring: keyring_memory.MemoryKeyring
) -> None:
    store_path = ProfileStore().path
    store_path.parent.mkdir(parents=True, exist_ok=True)
    broken = '[profiles.dev\napi_url = "https://api.example.com"\n'
    store_path.write_text(broken)
    for name, (text, _) in BAD_KEYS.items():
        (sealed_home / f"{name}.json").write_text(text)
    app = make_app(sealed_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for(pilot, app, ProfilesScreen)
        await until(pilot, lambda: screen.result is not None)
        banner = str(screen.query_one("#problems", Static).render())
        assert str(store_path) in banner and "line 1" in banner
        screen.action_import_key()
        dialog = await wait_for(pilot, app, ImportKeyScreen)
        for name, (_, words) in BAD_KEYS.items():
            path = str(sealed_home / f"{name}.json")
            dialog.query_one("#path", Input).value = path
            dialog.query_one("#profile-name", Input).value = "dev2"
            dialog.query_one("#import-problem", Static).update("")
            dialog.action_save()
            await until(pilot, lambda: str(dialog.query_one("#import-problem", Static).render()))
            problem = str(dialog.query_one("#import-problem", Static).render())
            assert words in problem, (name, problem)
            assert app.screen is dialog
            assert dialog.query_one("#path", Input).value == path
            assert dialog.query_one("#profile-name", Input).value == "dev2"
        assert_up(app)
    assert store_path.read_text() == broken
    assert memory_keyring.entries == {}
