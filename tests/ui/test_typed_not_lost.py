"""Nothing a person typed is lost: ctrl+q asks first when a form holds something not sent or
saved, the register form's kept draft keeps the registry chosen, the import dialog keeps what
was typed in it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.app import AppPilot, make_app, seed_secret, until, write_service_key
from tests.support.fleet_app import rotate_again, rotate_form
from tests.support.keyring_memory import MemoryKeyring
from tests.support.pilot import (
    PASSWORD,
    choose,
    fill_form,
    fill_profile_form,
    loaded,
    manage_loaded,
    new_profile_form,
    open_credentials,
    register_confirmed,
    wait_for,
)
from tui.app import RegsecretApp
from tui.core.registries import PRESETS_BY_ID
from tui.emulator.server import Emulator
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.import_key import ImportKeyScreen
from tui.screens.modals import CarefulConfirmModal
from tui.widgets.chooser import Chooser

SIZE = (100, 30)
QUIT_TITLE = "Quit and discard what you typed?"


def said(dialog: CarefulConfirmModal) -> str:
    return " ".join(str(dialog.query_one(".dialog-body").render()).split())


async def asked_to_quit(pilot: AppPilot, app: RegsecretApp) -> CarefulConfirmModal:
    """ctrl+q, and the one question it asks: its title, and "Keep editing" highlighted."""
    await pilot.press("ctrl+q")
    dialog = await wait_for(pilot, app, CarefulConfirmModal)
    assert str(dialog.query_one(".dialog-title").render()) == QUIT_TITLE
    assert dialog.focused is not None and dialog.focused.id == "no"
    return dialog


async def quits(pilot: AppPilot, app: RegsecretApp) -> None:
    await until(pilot, lambda: not app.is_running)
    assert app.return_code == 0


async def test_ctrl_q_on_a_typed_registration_asks_once_and_keeps_it_unless_told_to_quit(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        await fill_form(pilot)
        dialog = await asked_to_quit(pilot, app)
        assert said(dialog) == (
            "Quitting drops the new secret “my-registry”: what you typed there is not sent or "
            "saved, and nothing of it is kept once regsecret has quit. Keep editing and press "
            "ctrl+s to send or save it."
        )
        await pilot.press("ctrl+q")  # again, while it asks: still the one question
        await pilot.pause()
        assert [type(s) for s in app.screen_stack].count(CarefulConfirmModal) == 1
        await pilot.press("enter")  # out of habit: the highlighted answer keeps editing
        await until(pilot, lambda: app.screen is form)
        assert app.is_running and form.query_one("#password", Input).value == PASSWORD
        await app.run_action("quit")  # the palette's Quit asks the same
        await wait_for(pilot, app, CarefulConfirmModal)
        await pilot.press("y")
        await quits(pilot, app)


async def test_ctrl_q_quits_at_once_once_the_registration_is_sent(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # The form under the result still holds what was sent; "new" leaves its registry and user.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await fill_form(pilot)
        await register_confirmed(pilot, app)
        await pilot.press("n")
        form = await wait_for(pilot, app, CredentialsScreen)
        assert form.query_one("#username", Input).value == "alice"
        await pilot.press("ctrl+q")
        await quits(pilot, app)


async def test_one_question_names_every_form_that_would_lose_what_was_typed(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "theirs")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await fill_form(pilot)
        await pilot.press("f3")
        await manage_loaded(app, pilot)
        app.nav.update_secret("theirs")
        update = await wait_for(pilot, app, CredentialsScreen)
        await pilot.press(*"ghcr.io")
        dialog = await asked_to_quit(pilot, app)
        assert said(dialog).startswith(
            "Quitting drops the update of “theirs” and the new secret “my-registry”: "
        )
        await pilot.press("n")
        await until(pilot, lambda: app.screen is update)
        assert update.query_one("#registry", Input).value == "ghcr.io"


async def test_new_from_the_secrets_list_goes_back_to_a_registration_typed_not_cleared(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Found: n on the list went back to the form in the stack and cleared its name and password,
    # as after a registration; nothing had been sent.
    seed_secret(emulator, "theirs")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        await fill_form(pilot)
        await pilot.press("f3")
        await manage_loaded(app, pilot)
        await pilot.press("n")
        await until(pilot, lambda: app.screen is form)
        await pilot.pause()
        assert form.query_one("#name", Input).value == "my-registry"
        assert form.query_one("#password", Input).value == PASSWORD


async def test_the_register_forms_kept_draft_keeps_the_registry_chosen(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Found: the typed fields came back, the registry list did not: "Other registry" chosen
    # for a host that looks like GitHub's opened again as GitHub (its hints, its rules).
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        form.query_one("#registry", Input).value = "ghcr.io"
        await pilot.pause()
        await choose(pilot, form, "#preset", PRESETS_BY_ID["custom"].label)
        await pilot.press("escape")
        await wait_for(pilot, app, ProfilesScreen)
        again = await open_credentials(app, pilot)
        assert again is not form
        assert again.query_one("#registry", Input).value == "ghcr.io"
        assert again.query_one("#preset", Chooser).value == "custom"
        # A host typed afterwards is the person's: the list follows it again.
        again.query_one("#registry", Input).value = "quay.io"
        await pilot.pause()
        assert again.query_one("#preset", Chooser).value == "quay"


async def test_ctrl_q_on_a_rotate_form_asks_even_with_its_draft_kept(sealed_home: Path) -> None:
    # Kept for the next form of the secret, but in the session, which quitting ends.
    async with rotate_form(sealed_home, "dev", size=(80, 24)) as (_, app, pilot, rotate):
        await pilot.press("escape")  # no password typed: left at once, the rest kept
        again = await rotate_again(pilot, rotate)
        assert again.query_one("#username", Input).value == "demo"
        dialog = await asked_to_quit(pilot, app)
        assert said(dialog).startswith("Quitting drops the rotation of “ghcr”: ")
        await pilot.press("y")
        await quits(pilot, app)


async def test_ctrl_q_on_a_profile_form_with_typing_asks(
    sealed_home: Path, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(sealed_home)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_profile_form(app, pilot)
        await fill_profile_form(pilot, form)
        dialog = await asked_to_quit(pilot, app)
        assert said(dialog).startswith("Quitting drops the new profile “dev”: ")
        await pilot.press("escape")  # a second escape keeps editing too
        await until(pilot, lambda: app.screen is form)
        assert form.query_one("#api_url", Input).value == "https://api.example.com"


async def test_the_import_dialog_keeps_what_was_typed_when_closed_and_quitting_asks(
    sealed_home: Path, memory_keyring: MemoryKeyring
) -> None:
    # Found: escape dropped a long path typed; the next opening was empty.
    (sealed_home / "downloads").mkdir()
    key = write_service_key(sealed_home / "downloads" / "aicore-dev-key.json")
    app = make_app(sealed_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(app, pilot)
        await pilot.press("i")
        dialog = await wait_for(pilot, app, ImportKeyScreen)
        await pilot.press(*str(key)[:-5])
        await pilot.press("escape")
        await wait_for(pilot, app, ProfilesScreen)
        await pilot.press("i")
        dialog = await wait_for(pilot, app, ImportKeyScreen)
        path = dialog.query_one("#path", Input)
        assert path.value == str(key)[:-5] and dialog.focused is path
        await pilot.press(*".json")  # the cursor at its end: the path goes on
        assert path.value == str(key)
        asked = await asked_to_quit(pilot, app)
        assert said(asked).startswith(
            "Quitting drops the service key import from “aicore-dev-key.json”: "
        )
        await pilot.press("n")
        await until(pilot, lambda: app.screen is dialog)
        await pilot.press("ctrl+s")  # imported: the next opening starts afresh
        profiles = await wait_for(pilot, app, ProfilesScreen)
        await until(pilot, lambda: bool(profiles.result and profiles.result.get("aicore-dev")))
        await pilot.press("i")
        dialog = await wait_for(pilot, app, ImportKeyScreen)
        assert dialog.query_one("#path", Input).value == ""


async def test_a_registration_sent_leaves_its_form_ready_for_the_next_however_it_is_left(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # m from the result, then escape, came back to the form still holding the name and the
    # password sent: it read as a registration not sent, and its draft went to the next tenant.
    for leave in (["m", "escape"], ["escape"]):
        app = make_app(sealed_home, emulator=emulator)
        async with app.run_test(size=SIZE) as pilot:
            await open_credentials(app, pilot)
            await fill_form(pilot)
            await register_confirmed(pilot, app)
            for key in leave:
                await pilot.press(key)
                await pilot.pause()
            form = await wait_for(pilot, app, CredentialsScreen)
            draft = form.read_draft()
            assert (draft.name, draft.password.reveal()) == ("", ""), leave
            assert draft.username == "alice"  # the next one likely has the same login
            assert app.state.draft is not None and not app.state.draft.password
        emulator.reset()
