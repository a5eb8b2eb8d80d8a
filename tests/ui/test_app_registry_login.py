"""The login check of the credentials screen, in the app, against the registry emulator."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from tests.support.app import make_app, until, write_service_key
from tests.support.pilot import import_key, record_pushed, wait_for
from tests.support.slow_servers import held_server
from tui.emulator.registry import RegistryEmulator
from tui.emulator.server import Emulator
from tui.screens.credentials import CredentialsScreen
from tui.screens.modals import BusyModal, ConfirmModal, DialogScreen, ErrorModal
from tui.screens.result import ResultScreen

SIZE = (100, 30)


def fill(screen: CredentialsScreen, registry: str, password: str) -> None:
    screen.query_one("#name", Input).value = "checked"
    screen.query_one("#registry", Input).value = registry
    screen.query_one("#username", Input).value = "demo"
    screen.query_one("#password", Input).value = password


def posts(emulator: Emulator) -> int:
    return len([r for r in emulator.requests if r.method == "POST" and "docker" in r.path])


async def test_check_login_key_reports_accepted(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    from tests.support.pilot import open_credentials

    with RegistryEmulator() as registry:
        app = make_app(sealed_home, emulator=emulator)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_credentials(app, pilot)
            fill(screen, registry.host, "demo-registry-token")
            await pilot.press("ctrl+l")
            await until(pilot, lambda: verdict_line(screen) != "")
            # The answer is the line under the password; no toast covers the form's last
            # fields (the Test image field the person may be typing in).
            line = verdict_line(screen)
            assert line.startswith("Login accepted at ") and verdict_kind(screen) == "ok"
            assert "demo-registry-token" not in line
            assert not app._notifications


def dialog_text(dialog: ConfirmModal) -> tuple[str, str]:
    return (
        str(dialog.query_one(".dialog-title").render()),
        str(dialog.query_one(".dialog-body").render()),
    )


def verdict_line(screen: CredentialsScreen) -> str:
    # The line is made the first time there is a verdict to say.
    lines = screen.query("#login-verdict").results(Static)
    return "".join(str(line.render()) for line in lines if line.display)


def verdict_kind(screen: CredentialsScreen) -> str:
    """How the verdict line stands out: ok (accepted), warning (anything else), or plain."""
    for line in screen.query("#login-verdict"):
        return "ok" if line.has_class("ok") else "warning" if line.has_class("-warning") else ""
    return ""


async def test_a_refused_login_is_one_confirmation_with_every_warning_and_one_yes_registers(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    key = write_service_key(sealed_home / "key.json", emulator)
    with RegistryEmulator() as registry:
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            await import_key(app, pilot, key, "tenant")
            await pilot.press("enter")
            screen = await wait_for(pilot, app, CredentialsScreen)
            fill(screen, registry.host, "wrong-token")
            screen.query_one("#email", Input).value = "octo"  # no @: a warning, not an error
            pushed = record_pushed(app)
            await pilot.press("ctrl+s")
            question = await wait_for(pilot, app, ConfirmModal)
            title, body = dialog_text(question)
            assert title == "The registry did not accept this login"
            assert f"Login refused: {registry.host} refused" in body
            assert "• Email: does not look like an email address (it is optional)" in body
            assert body.endswith("Register it anyway?")
            await pilot.pause()
            # Fix it is highlighted: an enter out of habit stores nothing the registry refused.
            assert app.focused is question.query_one("#no")
            await pilot.press("enter")  # fix it: back to the form, nothing sent
            await wait_for(pilot, app, CredentialsScreen)
            assert posts(emulator) == 0
            # The refusal stays on the form, under the password.
            assert verdict_line(screen).startswith("Login refused at ")
            await pilot.press("ctrl+s")
            again = await wait_for(pilot, app, ConfirmModal)
            assert dialog_text(again)[0] == "The registry did not accept this login"
            await pilot.press("y")  # register anyway: one yes, no second question
            await wait_for(pilot, app, ResultScreen)
            assert posts(emulator) == 1
            dialogs = [s for s in pushed if isinstance(s, DialogScreen | ErrorModal)]
            assert dialogs == [question, again]


async def test_the_verdict_stays_under_the_password_until_a_field_it_depends_on_changes(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    from tests.support.pilot import open_credentials

    with RegistryEmulator() as registry:
        app = make_app(sealed_home, emulator=emulator)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_credentials(app, pilot)
            fill(screen, registry.host, "demo-registry-token")
            await pilot.pause()
            assert verdict_line(screen) == ""
            await pilot.press("ctrl+l")
            await until(pilot, lambda: verdict_line(screen) != "")
            line = verdict_line(screen)
            assert line.startswith("Login accepted at ") and registry.host in line
            assert "demo-registry-token" not in line
            assert screen.query_one("#login-verdict").has_class("ok")
            screen.query_one("#email", Input).value = "demo@example.com"  # not a login field
            await pilot.pause()
            assert verdict_line(screen) == line
            screen.query_one("#password", Input).value = "wrong-token"
            await pilot.pause()
            assert verdict_line(screen) == ""
            await pilot.press("ctrl+l")
            await until(pilot, lambda: verdict_line(screen) != "")
            assert verdict_line(screen).startswith("Login refused at ")
            assert screen.query_one("#login-verdict").has_class("-warning")
            for field, value in (("username", "other"), ("registry", "ghcr.io")):
                screen.query_one("#password", Input).value = "demo-registry-token"
                screen.query_one("#username", Input).value = "demo"
                screen.query_one("#registry", Input).value = registry.host
                await pilot.pause()
                await pilot.press("ctrl+l")
                await until(pilot, lambda: verdict_line(screen) != "")
                screen.query_one(f"#{field}", Input).value = value
                await pilot.pause()
                assert verdict_line(screen) == "", field


async def test_demo_tenant_offers_its_own_registry_and_checks_it_before_submit(
    sealed_home: Path, memory_keyring: object
) -> None:
    from tests.support.pilot import open_credentials
    from tui.widgets.chooser import Chooser

    with Emulator(with_registry=True) as demo:
        app = make_app(sealed_home, emulator=demo)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_credentials(app, pilot)
            # A newcomer's first form already points at the demo registry ...
            assert screen.query_one("#preset", Chooser).value == "demo"
            assert screen.query_one("#registry", Input).value == demo.registry_host
            screen.query_one("#name", Input).value = "first-try"
            screen.query_one("#username", Input).value = "demo"
            screen.query_one("#password", Input).value = "demo-registry-token"
            await pilot.pause()
            await pilot.press("ctrl+s")
            # ... and the login check runs on its own and passes: straight to the confirmation.
            question = await wait_for(pilot, app, ConfirmModal)
            assert "Register secret" in str(question.query_one(".dialog-title").render())
            assert "Login accepted: " in str(question.query_one(".dialog-body").render())
            assert demo.registry is not None
            assert any(
                seen.path.startswith("/v2/demo") or seen.path == "/v2/"
                for seen in demo.registry.seen
            )
            await pilot.press("y")
            await wait_for(pilot, app, ResultScreen)
            assert demo.secret_names() == ["first-try"]


async def test_the_demo_forms_empty_login_fields_do_not_read_as_filled_in(
    sealed_home: Path, memory_keyring: object
) -> None:
    # Seen at 80x24: "demo" in Username and "demo-registry-token" in Password, placeholders in
    # a grey close to the text's, and "Enter the user name." under the first.
    from tests.support.pilot import open_credentials

    with Emulator(with_registry=True) as demo:
        app = make_app(sealed_home, emulator=demo)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_credentials(app, pilot)
            for field, wanted in (("username", "demo"), ("password", "demo-registry-token")):
                box = screen.query_one(f"#{field}", Input)
                assert box.value == ""
                assert box.placeholder != wanted and box.placeholder.startswith("e.g. ")
                assert wanted in box.placeholder  # still says what to type


async def test_check_login_with_a_test_image_says_whether_it_can_be_pulled(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    from tests.support.pilot import open_credentials

    with RegistryEmulator() as registry:
        app = make_app(sealed_home, emulator=emulator)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_credentials(app, pilot)
            fill(screen, registry.host, "demo-registry-token")
            image = screen.query_one("#image", Input)
            outcomes = []
            for ref in (f"{registry.host}/demo/app:1.0", f"{registry.host}/demo/app:9.9"):
                image.value = ref  # a field the verdict depends on: the line goes
                await until(pilot, lambda: verdict_line(screen) == "")
                await pilot.press("ctrl+l")
                await until(pilot, lambda: verdict_line(screen) != "")
                outcomes.append((verdict_kind(screen), verdict_line(screen)))
            assert outcomes[0][0] == "ok" and "demo/app:1.0" in outcomes[0][1]
            assert outcomes[1][0] == "warning" and "not found" in outcomes[1][1]
            assert any(seen.path.endswith("/manifests/1.0") for seen in registry.seen)


async def test_check_login_with_a_broken_ssl_cert_file_is_a_sentence(
    sealed_home: Path, memory_keyring: object, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Once "Something unexpected went wrong": now plain http to this machine still checks, and
    # HTTPS says what is wrong with SSL_CERT_FILE.
    from tests.support.pilot import open_credentials

    monkeypatch.setenv("SSL_CERT_FILE", str(sealed_home / "missing.pem"))
    with RegistryEmulator() as registry:
        app = make_app(sealed_home, emulator=emulator)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_credentials(app, pilot)
            for typed, kind, words in (
                (registry.host, "ok", "accepted the credentials"),
                (f"https://{registry.host}", "warning", "SSL_CERT_FILE names"),
            ):
                fill(screen, typed, "demo-registry-token")
                await until(pilot, lambda: verdict_line(screen) == "")
                await pilot.press("ctrl+l")
                await until(pilot, lambda: verdict_line(screen) != "")
                assert verdict_kind(screen) == kind, verdict_line(screen)
                assert words in verdict_line(screen)


async def test_a_long_confirmation_scrolls_and_keeps_its_buttons_in_sight_at_80x24(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    from tests.support.pilot import open_credentials
    from tui.core.registry_login import CheckResult
    from tui.core.registry_login import Outcome as Login
    from tui.core.request import SecretDraft
    from tui.core.secret import Secret
    from tui.core.session import Tenant
    from tui.core.workflows import draft_warnings, send_question, verdict_of

    draft = SecretDraft("my_registry", "ghcr.io", "octo ", Secret(" token "), "octo")
    refused = CheckResult(Login.REJECTED, "ghcr.io refused the login for user octo. " * 3)
    question = send_question(
        draft,
        Tenant("profile “a-rather-long-profile-name” at api.ai.example.com", "api"),
        update=True,
        login=verdict_of(refused),
        warnings=draft_warnings(draft),
    )
    assert len(question.warnings) >= 3
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_credentials(app, pilot)
        answers: list[bool | None] = []
        dialog = ConfirmModal(question.title, question.body, yes=question.yes, no=question.no)
        await app.push_screen(dialog, answers.append)
        await pilot.pause()
        scroll = dialog.query_one(".dialog-scroll")
        assert scroll.max_scroll_y > 0  # too long for 24 rows: the body scrolls ...
        for button in dialog.query(Button):
            assert button.region.bottom <= 24, button.region  # ... and the buttons are seen
        await pilot.press("pagedown")  # the keys read the rest, the focus stays on a button
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y and isinstance(app.focused, Button)
        await pilot.press("up")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y - 1
        await pilot.press("y")
        await pilot.pause()
        assert answers == [True]


async def test_the_login_check_answers_under_the_password_and_covers_no_field(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Its toast covered the Test image field at 80x24, where the person may be typing.
    from tests.support.pilot import open_credentials
    from tests.support.screen import screen_text

    with RegistryEmulator() as registry:
        app = make_app(sealed_home, emulator=emulator)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            screen = await open_credentials(app, pilot)
            fill(screen, registry.host, "demo-registry-token")
            image = screen.query_one("#image", Input)
            image.value = f"{registry.host}/demo/app:1.0"
            image.focus()
            await pilot.press("ctrl+l")
            await until(pilot, lambda: verdict_line(screen) != "")
            await pilot.pause()
            assert verdict_line(screen).startswith("Login accepted at ")
            assert not app._notifications
            row = next(line for line in screen_text(app).splitlines() if "Test image" in line)
            assert image.value in row, row


async def test_a_login_changed_while_it_was_checked_gets_no_verdict_and_says_so(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    from tests.support.pilot import open_credentials

    release = threading.Event()
    with held_server(release) as registry:
        app = make_app(sealed_home, emulator=emulator)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_credentials(app, pilot)
            fill(screen, registry.url.removeprefix("http://"), "demo-registry-token")
            await pilot.press("ctrl+l")
            await wait_for(pilot, app, BusyModal)
            screen.query_one("#password", Input).value = "another-token"  # a paste, say
            release.set()
            await until(pilot, lambda: app._notifications)
            (toast,) = [n.message for n in app._notifications]
            assert toast == "The login changed during the check: ctrl+l checks it again."
            assert verdict_line(screen) == ""
