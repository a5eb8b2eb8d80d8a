"""What the forms say while the user types: name warnings, per-registry hints, profile checks."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from tests.support.app import make_app, until
from tests.support.burst import burst_taken
from tests.support.keyring_memory import MemoryKeyring
from tests.support.pilot import (
    SIZE,
    choose,
    fill_form,
    new_profile_form,
    open_credentials,
    wait_for,
)
from tests.support.screen import screen_text
from tui.emulator.server import Emulator
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.modals import ConfirmModal
from tui.screens.profile_form import ProfileFormScreen
from tui.widgets.field_note import FieldNote


async def test_a_name_kubernetes_refuses_warns_live_and_does_not_block(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        await pilot.press(*"a.-b")
        await pilot.pause()
        problem = screen.query_one("#name-note")
        assert problem.display and problem.has_class("-warning")
        text = str(problem.render())
        assert "AI Core's pattern lets '.-' through, but Kubernetes" in text
        # A letter typed between the two makes it a Kubernetes name: the warning goes at once.
        await pilot.press("left", "left", "x")
        await pilot.pause()
        assert screen.query_one("#name", Input).value == "a.x-b"
        assert not problem.display
        # A warning never blocks: with the name put back, ctrl+s reaches the confirmation.
        await fill_form(pilot, name="a..b")
        await pilot.press("ctrl+s")
        confirm = await wait_for(pilot, app, ConfirmModal)
        # ...and the one confirmation lists the warning among the others.
        body = " ".join(str(confirm.query_one(".dialog-body").render()).split())
        assert "Warnings:" in body
        assert "Secret name: AI Core's pattern lets '..' through, but Kubernetes" in body


def _note(form: ProfileFormScreen, field: str) -> str:
    return form.query_one(f"#{field}-problem", FieldNote).said


async def test_the_profile_form_checks_every_field_while_typing(
    sealed_home: Path, memory_keyring: MemoryKeyring, emulator: Emulator
) -> None:
    app = make_app(sealed_home)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_profile_form(app, pilot)
        # Nothing is said about a field before it is touched.
        assert all(not _note(form, f) for f in ("pname", "api_url", "token_url", "client_id"))
        await pilot.press(*"dev", "tab", *"https://[x")
        await pilot.pause()
        assert not _note(form, "pname")
        assert "is not a web address. It should look like https://host." in _note(form, "api_url")
        assert not _note(form, "token_url")  # not touched yet
        # Saving shows every problem at once, each next to its field, and saves nothing.
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(_note(form, "client_secret")))
        assert _note(form, "token_url") == "The token URL is empty. Copy it from the service key."
        assert _note(form, "client_id").startswith("The client id is empty")
        assert _note(form, "client_secret").startswith("The client secret is empty")
        sentence = str(form.query_one("#form-problem", Static).render())
        assert sentence == (
            "Nothing was saved: fix AI API URL, Token URL, Client id and Client secret first; "
            "each says what is wrong."
        )
        assert isinstance(app.screen, ProfileFormScreen)
        assert memory_keyring.entries == {}
        # Nothing typed is lost, and each problem goes as its field is mended.
        assert form.query_one("#pname", Input).value == "dev"
        assert form.query_one("#api_url", Input).value == "https://[x"
        form.query_one("#api_url", Input).value = emulator.api_url
        await pilot.pause()
        assert not _note(form, "api_url") and _note(form, "token_url")
        for field, value in (
            ("token_url", emulator.base_url),
            ("client_id", "demo"),
            ("client_secret", "demo-secret"),
        ):
            form.query_one(f"#{field}", Input).value = value
        await pilot.pause()
        assert not any(_note(form, f) for f in ("token_url", "client_id", "client_secret"))
        assert not str(form.query_one("#form-problem", Static).render())
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ProfilesScreen)
    assert memory_keyring.entries == {("regsecret", "dev"): "demo-secret"}


async def test_the_profile_form_checks_the_x509_fields_it_shows(
    sealed_home: Path, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(sealed_home)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_profile_form(app, pilot)
        await choose(pilot, form, "#auth", "X.509 certificate")
        form.query_one("#certificate", Input).value = "-----BEGIN CERTIFICATE-----\\nMIIB"
        form.query_one("#private_key", Input).value = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwKEYMARK"
        await pilot.pause()
        assert "has a -----BEGIN line but no -----END line" in _note(form, "certificate")
        assert "looks like the inside of a PEM block" in _note(form, "private_key")
        assert "KEYMARK" not in _note(form, "private_key")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(_note(form, "client_id")))
        # The secret's field is hidden for an X.509 key, and says nothing.
        assert not form.query_one("#client_secret").display
        assert not _note(form, "client_secret")
        sentence = str(form.query_one("#form-problem", Static).render())
        assert "fix Name, AI API URL, Token URL, Client id, Certificate and Private key" in sentence
        assert "KEYMARK" not in app.export_screenshot()
    assert memory_keyring.entries == {}


async def test_a_burst_with_tab_puts_the_client_secret_in_its_own_field(
    sealed_home: Path, memory_keyring: MemoryKeyring
) -> None:
    # A password manager's auto-type: "id<tab>secret" at once must not leave the secret in clear
    # text in the client id field, nor in the key-kind list (after the id, a tab landed on it
    # and the secret's letters searched it): the secret follows the id.
    app = make_app(sealed_home)
    async with app.run_test(size=SIZE) as pilot:
        form = await new_profile_form(app, pilot)
        form.query_one("#client_id", Input).focus()
        await pilot.pause()
        await burst_taken(pilot, app, [*"sb-client", "tab", *"s3cret-value"])
        assert form.query_one("#client_id", Input).value == "sb-client"
        assert form.query_one("#client_secret", Input).value == "s3cret-value"
        assert app.screen is form  # no list opened
        assert "s3cret-value" not in screen_text(app)


async def test_field_notes_are_sentences_and_an_email_as_the_docker_hub_user_is_warned(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        await pilot.press("ctrl+s")  # nothing typed: every missing field is said
        await pilot.pause()
        username = form.query_one("#username-note", FieldNote).said
        assert username.startswith("Enter the user name. ") and username.endswith(".")
        # The toast only names the fields (each says what is wrong under it): a line or two.
        (toast,) = [n.message for n in app._notifications if n.message.startswith("Fix ")]
        assert toast.startswith("Fix ") and "Username" in toast and "Enter" not in toast
        assert len(toast) <= 74, toast
        form.query_one("#registry", Input).value = "docker.io"
        form.query_one("#username", Input).value = "me@example.com"
        await pilot.pause()
        note = form.query_one("#username-note", FieldNote)
        assert note.has_class("-warning") and note.said == (
            "Looks like an email address. Your Docker Hub account name, not your email address."
        )
        await fill_form(pilot, name="hub", host="docker.io")
        form.query_one("#username", Input).value = "me@example.com"
        await pilot.press("ctrl+s")
        confirm = await wait_for(pilot, app, ConfirmModal)
        body = " ".join(str(confirm.query_one(".dialog-body").render()).split())
        assert "Username: looks like an email address." in body
