"""Profiles screen: empty state, new, import with completion, test connection, delete, keyring."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from textual.widgets import DataTable, Input

from tests.support import keyring_memory
from tests.support.app import make_app, until, write_service_key
from tests.support.pilot import choose, import_key, loaded, rows, wait_for
from tui.core.profile_actions import ProfileStore
from tui.emulator.server import Emulator
from tui.screens.choose_profile import NO_PROFILES, ProfilesScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.help import HelpScreen
from tui.screens.import_key import ImportKeyScreen
from tui.screens.modals import ConfirmModal, ErrorModal
from tui.screens.profile_form import ProfileFormScreen
from tui.widgets.path_suggester import complete_path

SIZE = (100, 30)


async def test_no_profiles_says_how_to_get_a_service_key(
    sealed_home: Path, memory_keyring: object
) -> None:
    app = make_app(sealed_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        empty = screen.query_one("#profiles-empty")
        assert empty.display and not empty.has_class("-hidden")
        assert "--demo" in NO_PROFILES and "service key" in NO_PROFILES.lower()
        assert not screen.query_one(DataTable).display


async def test_import_new_test_connection_and_delete(
    sealed_home: Path, memory_keyring: keyring_memory.MemoryKeyring, emulator: Emulator
) -> None:
    key = write_service_key(sealed_home / "aicore-key.json", emulator)
    app = make_app(sealed_home)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("i")
        dialog = await wait_for(pilot, app, ImportKeyScreen)
        dialog.query_one("#path", Input).value = str(key)
        await pilot.press("enter")  # path -> name, proposed from the file name
        assert dialog.query_one("#profile-name", Input).value == "aicore"
        await pilot.press("enter")
        screen = await loaded(app, pilot)
        await until(pilot, lambda: "aicore" in (screen.result.names() if screen.result else []))
        assert rows(screen) == ["aicore"]
        assert memory_keyring.entries == {("regsecret", "aicore"): "demo-secret"}
        assert "demo-secret" not in ProfileStore().path.read_text()

        await pilot.press("t")
        await until(pilot, lambda: "works" in screen._status)
        assert "0 of 50 secrets used" in screen._status

        # A profile typed in by hand, with the secret masked in its field.
        await pilot.press("n")
        form = await wait_for(pilot, app, ProfileFormScreen)
        values = {
            "pname": "typed",
            "api_url": emulator.api_url,
            "token_url": emulator.base_url,
            "client_id": "demo",
            "client_secret": "demo-secret",
        }
        for wid, value in values.items():
            form.query_one(f"#{wid}", Input).value = value
        assert form.query_one("#client_secret", Input).password
        await pilot.press("ctrl+s")
        screen = await loaded(app, pilot)
        await until(pilot, lambda: "typed" in rows(screen))
        assert rows(screen) == ["aicore", "typed"]

        # Delete asks first, then removes the profile and its keyring entry.
        screen.query_one(DataTable).move_cursor(row=1)
        await pilot.press("d")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("y")
        await until(pilot, lambda: rows(screen) == ["aicore"])
        assert rows(screen) == ["aicore"]
        assert ("regsecret", "typed") not in memory_keyring.entries


async def test_wrong_client_secret_is_explained_on_test(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    key = write_service_key(sealed_home / "bad.json", emulator, secret="wrong")
    app = make_app(sealed_home)
    async with app.run_test(size=SIZE) as pilot:
        await import_key(app, pilot, key, "bad")
        await pilot.press("t")
        modal = await wait_for(pilot, app, ErrorModal)
        assert "401" in [str(w.render()) for w in modal.query(".detail-value")]


async def test_keyring_missing_says_so_once_and_keeps_the_secret_for_the_session(
    sealed_home: Path, emulator: Emulator
) -> None:
    previous = keyring_memory.install_keyring(keyring.backends.fail.Keyring())
    try:
        key = write_service_key(sealed_home / "k.json", emulator)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            await import_key(app, pilot, key, "dev")
            warnings = [n for n in app._notifications if "session only" in n.message]
            assert len(warnings) == 1
            await pilot.press("enter")  # the secret is still known in this session
            await wait_for(pilot, app, CredentialsScreen)
            assert app.keyring_warned
    finally:
        keyring_memory.restore_keyring(previous)


async def test_profile_option_opens_its_credentials_screen(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator, profile="demo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app, CredentialsScreen)
        assert app.state.profile is not None and app.state.profile.name == "demo"


async def test_profile_option_form_is_the_first_screen_and_escape_lists_the_profiles(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator, profile="demo")
    async with app.run_test(size=SIZE) as pilot:
        form = await wait_for(pilot, app, CredentialsScreen)
        # Nothing under the form: the profiles screen is built only when the user goes back.
        assert app.screen_stack == [form]
        await pilot.press("escape")
        screen = await loaded(app, pilot)
        assert app.screen_stack == [screen]
        assert rows(screen) == ["demo"]
        await pilot.pause(0.1)
        # --profile opened its form once; the profiles screen does not open it again.
        assert app.screen is screen and app.start_profile is None


async def test_unknown_profile_option_says_so(sealed_home: Path, memory_keyring: object) -> None:
    app = make_app(sealed_home, profile="nope")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        # Said on the line under the list, which it is about; no toast covers the list.
        status = app.screen.query_one("#profile-status")
        await until(pilot, lambda: "no profile named “nope”" in str(status.render()))
        assert isinstance(app.screen, ProfilesScreen) and not app._notifications


async def test_an_unknown_profile_option_however_long_leaves_the_list_in_view(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # The name as typed on the command line: 5000 characters filled the screen with it and the
    # list it is about (and its "Choose one above") was pushed out of view.
    app = make_app(sealed_home, emulator=emulator, profile="a" * 5000 + "\nb")
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        status = screen.query_one("#profile-status")
        await until(pilot, lambda: "Choose one above" in str(status.render()))
        said = str(status.render())
        assert len(said) < 200 and "\n" not in said and "no profile named “aaa" in said
        assert rows(screen) == ["demo"] and screen.query_one(DataTable).size.height >= 2


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("aic", "aicore-key.json"), ("sub/", "sub/only.json"), ("zzz", None)],
)
def test_path_completion(tmp_path: Path, typed: str, expected: str | None) -> None:
    (tmp_path / "aicore-key.json").write_text("{}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "only.json").write_text("{}")
    result = complete_path(f"{tmp_path}/{typed}")
    assert result == (f"{tmp_path}/{expected}" if expected else None)


async def test_broken_profile_file_is_named_with_its_line_and_left_alone(
    sealed_home: Path, memory_keyring: object
) -> None:
    path = ProfileStore().path
    path.parent.mkdir(parents=True, exist_ok=True)
    broken = '[profiles.dev]\napi_url = "https://api.example.com"\ntoken_url = \n'
    path.write_text(broken)
    app = make_app(sealed_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        banner = screen.query_one("#problems")
        text = str(banner.render())
        assert not banner.has_class("-hidden")
        assert str(path) in text and "line 3" in text
        # The problem's own sentence starts with the file and its line: said once.
        assert text.count(str(path)) == 1, text
    assert path.read_text() == broken


async def test_a_profile_whose_secret_was_not_kept_asks_for_it_and_keeps_it_for_the_session(
    sealed_home: Path, emulator: Emulator
) -> None:
    # Saved on a machine without a keyring, then the app restarted: the profile is on disk, the
    # secret nowhere. Choosing it asks for the secret instead of sending the user to edit it.
    from tui.core.profile_actions import Profile, ProfileStore
    from tui.screens.modals import SecretPromptModal

    ProfileStore().add(Profile("dev", emulator.api_url, emulator.token_url, "demo"))
    previous = keyring_memory.install_keyring(keyring.backends.fail.Keyring())
    try:
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            screen = await loaded(app, pilot)
            await until(pilot, lambda: screen.result and "dev" in screen.result.names())
            await pilot.press("enter")
            prompt = await wait_for(pilot, app, SecretPromptModal)
            body = str(prompt.query_one(".dialog-body").render())
            assert "no usable keyring" in body and "this session only" in body
            prompt.query_one("#secret", Input).value = "demo-secret"
            await pilot.press("enter")
            await wait_for(pilot, app, CredentialsScreen)
            assert app.state.profile_secret is not None
            assert app.state.profile_secret.reveal() == "demo-secret"
            # It works: the manage screen lists the (empty) tenant with its quota.
            quota = await app.state.client().quota()
            assert quota.limit == 50
        assert "demo-secret" not in (sealed_home.parent / "config" / "profiles.toml").read_text()
    finally:
        keyring_memory.restore_keyring(previous)


async def test_delete_with_the_keyring_locked_keeps_both_and_says_why(sealed_home: Path) -> None:
    from tui.core.profile_actions import Profile

    ProfileStore().add(Profile("dev", "https://api.example.com", "https://auth.example.com", "c"))
    with keyring_memory.installed(keyring_memory.LockableKeyring()) as lockable:
        lockable.entries[("regsecret", "dev")] = "client-secret"
        lockable.locked = True
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            screen = await loaded(app, pilot)
            await until(pilot, lambda: rows(screen) == ["dev"])
            await pilot.press("d")
            await wait_for(pilot, app, ConfirmModal)
            await pilot.press("y")
            modal = await wait_for(pilot, app, ErrorModal)
            body = str(modal.query_one(".dialog-body").render())
            assert "may still be in it" in body and "Unlock it" in body
            assert "held no secret" not in body
            await pilot.press("escape")
            await pilot.pause(0.1)
            assert rows(screen) == ["dev"]
        assert lockable.entries == {("regsecret", "dev"): "client-secret"}
        assert ProfileStore().load().get("dev") is not None


async def test_a_prompting_file_keyring_is_never_asked_while_the_app_runs(
    sealed_home: Path, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    from keyrings.alt.file import EncryptedKeyring

    asked: list[str] = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="", stream=None: asked.append(prompt))
    monkeypatch.setenv("XDG_DATA_HOME", str(sealed_home / "data"))
    with keyring_memory.installed(EncryptedKeyring()):
        key = write_service_key(sealed_home / "k.json", emulator)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            await import_key(app, pilot, key, "dev")
            warnings = [n for n in app._notifications if n.title == "No usable keyring"]
            assert len(warnings) == 1
            # The toast is a line or two (the whole sentence covered much of 80x24) and points
            # to help, which has the reason and what to do.
            assert "this session only" in warnings[0].message and "f1" in warnings[0].message
            assert len(warnings[0].message) <= 80
            await pilot.press("f1")
            help_screen = await wait_for(pilot, app, HelpScreen)
            detail = str(help_screen.query_one("#help-keyring").render())
            assert "keyrings.alt.file.EncryptedKeyring" in detail
            assert "this session only" in detail and "Secret Service" in detail
            await pilot.press("escape")
            await wait_for(pilot, app, ProfilesScreen)
            await pilot.press("enter")  # the secret is known for the session
            await wait_for(pilot, app, CredentialsScreen)
    assert asked == []
    assert not (sealed_home / "data").exists()


async def test_x509_key_without_its_begin_line_is_explained_and_never_echoed(
    sealed_home: Path, memory_keyring: keyring_memory.MemoryKeyring
) -> None:
    from textual.widgets import Static

    body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7KEYMARK+/Zq3"
    cert = "-----BEGIN CERTIFICATE-----\\nMIIBfake\\n-----END CERTIFICATE-----"
    app = make_app(sealed_home)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("n")
        form = await wait_for(pilot, app, ProfileFormScreen)
        await choose(pilot, form, "#auth", "X.509 certificate")
        values = {
            "pname": "cert",
            "api_url": "https://api.example.com",
            "token_url": "https://auth.example.com",
            "client_id": "sb-x509",
            "certificate": cert,
            "private_key": body,
        }
        for wid, value in values.items():
            form.query_one(f"#{wid}", Input).value = value
        await pilot.press("ctrl+s")
        problem = form.query_one("#form-problem", Static)
        await until(pilot, lambda: bool(str(problem.render())))
        assert "fix Private key first" in str(problem.render())
        # The reason is next to the field.
        text = str(form.query_one("#private_key-problem", Static).render())
        assert "private key looks like the inside of a PEM block" in text
        assert "KEYMARK" not in text and "KEYMARK" not in app.export_screenshot()
        assert memory_keyring.entries == {}
        assert isinstance(app.screen, ProfileFormScreen)


async def test_a_profile_regsecret_does_not_own_says_so_under_the_list(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # The demo's profile is not ours to edit or delete: the line under the list says where it
    # comes from; a toast of three lines covered the list.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await loaded(app, pilot)
        assert rows(screen) == ["demo"]
        for key, verb in (("e", "edit"), ("d", "delete")):
            said = f"regsecret does not {verb} it"
            await pilot.press(key)
            await until(pilot, lambda: said in screen._status)  # noqa: B023 (awaited here)
            assert screen._status.startswith("“demo” comes from demo")
            # Nowhere to change a demo tenant: the one way on is a profile of one's own.
            assert "where it comes from" not in screen._status
            assert screen._status.endswith("Press n for a profile of your own.")
            assert not app._notifications and app.screen is screen
