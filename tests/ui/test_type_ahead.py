"""Keys typed in one burst across a screen change go to the screen they were typed for.

Found by a tester: on the form, "f3 / g h" sent at once (tmux send-keys, a fast typist) typed
"gh" into the form's name field under the manage screen, instead of filtering its table. Textual
hands each key to the focused widget as it takes it from the app's queue, before the key in front
has bubbled up to its binding, or the screen it pushed has mounted and chosen its focus. Each test
sends its keys as a terminal does, all queued before the first is handled (tests/support/burst.py),
and then looks at where every character landed. The app's type-ahead gate (tui/type_ahead.py)
holds a key until the one before it is done.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TabbedContent

from tests.support.app import make_app, seed_secret, until
from tests.support.burst import burst_taken, cpu_burner
from tests.support.pilot import (
    SIZE,
    fill_form,
    loaded,
    open_credentials,
    open_manage,
    wait_for,
)
from tui.app import RegsecretApp
from tui.emulator.server import Emulator
from tui.screens.credentials import CredentialsScreen
from tui.screens.help import HelpScreen
from tui.screens.import_key import ImportKeyScreen
from tui.screens.manage import ManageScreen
from tui.screens.modals import BusyModal, ConfirmModal
from tui.screens.preview import PreviewScreen
from tui.screens.profile_form import ProfileFormScreen

HELD = 600.0  # the emulator holds the request this long, or until it stops (the test's end)


def field(app: RegsecretApp, name: str) -> str:
    return app.screen.query_one(f"#{name}", Input).value


async def test_f3_then_slash_and_letters_filter_the_manage_table(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        await burst_taken(pilot, app, ["f3", "slash", "g", "h"])
        manage = await wait_for(pilot, app, ManageScreen)
        assert form.query_one("#name", Input).value == ""
        assert manage.query_one("#filter", Input).value == "gh"
        assert manage.focused is manage.query_one("#filter", Input)


async def test_f3_burst_lands_in_the_filter_every_time_under_load(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        with cpu_burner(seconds=50):
            for round_ in range(5):
                # In, filter, and back out (escape clears the filter, escape leaves): one burst.
                await burst_taken(pilot, app, ["f3", "slash", "g", "h"])
                manage = await wait_for(pilot, app, ManageScreen)
                assert manage.query_one("#filter", Input).value == "gh", f"round {round_}"
                await burst_taken(pilot, app, ["escape", "escape", *"ab", "ctrl+u"])
                await wait_for(pilot, app, CredentialsScreen)
                assert form.query_one("#name", Input).value == "", f"round {round_}"


async def test_keys_typed_while_the_secrets_list_loads_are_the_manage_screens_keys(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # The table is covered while the list loads, and the filter had taken the focus: "n" (a new
    # secret) and what followed were typed into the filter.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        emulator.delay_next(HELD)  # the list does not come
        await burst_taken(pilot, app, ["f3", "n", *"ab"])
        await wait_for(pilot, app, CredentialsScreen)
        assert app.screen is form
        assert field(app, "name") == "ab"


async def test_enter_on_a_secret_then_the_host_typed_fills_the_update_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # "r" refreshes the list and "g" does nothing there: typed before the form, they were lost.
    seed_secret(emulator, "seeded")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_manage(app, pilot)
        await burst_taken(pilot, app, ["enter", *"ghcr.io"])
        form = await wait_for(pilot, app, CredentialsScreen)
        assert form.fixed_name == "seeded"
        assert field(app, "registry") == "ghcr.io"


async def test_enter_on_a_profile_then_the_name_typed_fills_the_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # "m" is Manage on the profiles screen: typed before the form took the keys, it left.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        profiles = await loaded(app, pilot)
        await until(pilot, lambda: profiles.result is not None and profiles.result.get("demo"))
        await burst_taken(pilot, app, ["enter", *"my-reg"])
        await wait_for(pilot, app, CredentialsScreen)
        assert type(app.screen) is CredentialsScreen
        assert field(app, "name") == "my-reg"


async def test_n_on_the_profiles_then_the_name_typed_fills_the_new_profile_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        # "d" (delete) and "e" (edit) are the profiles screen's keys too.
        await burst_taken(pilot, app, ["n", *"dev-eu"])
        await wait_for(pilot, app, ProfileFormScreen)
        assert field(app, "pname") == "dev-eu"


async def test_i_on_the_profiles_then_the_path_typed_fills_the_import_dialog(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await burst_taken(pilot, app, ["i", *"key.json", "enter", *"dev"])
        await wait_for(pilot, app, ImportKeyScreen)
        assert field(app, "path") == "key.json"
        assert field(app, "profile-name") == "dev"


async def test_f2_then_a_tab_number_shows_that_preview_tab(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        await fill_form(pilot)
        await burst_taken(pilot, app, ["f2", "2"])
        preview = await wait_for(pilot, app, PreviewScreen)
        assert preview.query_one(TabbedContent).active == "config"
        assert form.query_one("#name", Input).value == "my-registry"


async def test_escape_from_the_preview_then_typing_goes_to_the_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await fill_form(pilot)
        await pilot.press("f2")
        await wait_for(pilot, app, PreviewScreen)
        await burst_taken(pilot, app, ["escape", *"xy"])
        await wait_for(pilot, app, CredentialsScreen)
        assert field(app, "name") == "my-registryxy"


async def test_help_opened_and_closed_in_a_burst_leaves_the_letters_in_the_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await burst_taken(pilot, app, ["f1", "escape", *"ab"])
        await wait_for(pilot, app, CredentialsScreen)
        assert not any(isinstance(s, HelpScreen) for s in app.screen_stack)
        assert field(app, "name") == "ab"


async def test_escape_from_manage_then_typing_goes_to_the_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "seeded")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_manage(app, pilot)
        await burst_taken(pilot, app, ["escape", *"ab"])
        await wait_for(pilot, app, CredentialsScreen)
        assert field(app, "name") == "ab"


async def test_a_confirmation_answered_no_in_the_burst_then_typing_goes_to_the_form(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await fill_form(pilot)
        await burst_taken(pilot, app, ["ctrl+s", "n", *"zz"])
        await wait_for(pilot, app, CredentialsScreen)
        assert not emulator.requests or all(r.method != "POST" for r in emulator.requests)
        assert field(app, "name") == "my-registryzz"


async def test_what_is_typed_before_ctrl_s_is_in_what_is_registered(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # ctrl+s is bound with priority: it ran at once, before the Input had taken the letters.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await fill_form(pilot, name="my-reg")
        await burst_taken(pilot, app, [*"istry", "ctrl+s"])
        confirm = await wait_for(pilot, app, ConfirmModal)
        assert "my-registry" in " ".join(str(w.render()) for w in confirm.query(".dialog-body"))


async def test_keys_typed_while_a_request_runs_are_refused_where_they_can_be_seen(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    emulator.delay_next(HELD)
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await fill_form(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ConfirmModal)
        # y answers the confirmation; what follows is typed while the create runs.
        await burst_taken(pilot, app, ["y", *"ab", "f1"])
        busy = await wait_for(pilot, app, BusyModal)
        await until(pilot, lambda: busy.refused == 3)
        said = str(busy.query_one("#busy-refused").render())
        assert busy.query_one("#busy-refused").display
        assert "3 keys pressed while this runs were not typed anywhere" in said
        assert "press them again once it has finished" in said
        assert "ab" not in said  # the keys are not echoed: they may be a password's
        await pilot.press("escape")
        form = await wait_for(pilot, app, CredentialsScreen)
        assert form.query_one("#name", Input).value == "my-registry"
        assert not any(isinstance(s, HelpScreen) for s in app.screen_stack)


async def test_keys_typed_while_the_busy_dialog_is_up_are_refused_there(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Found under load: a key typed while the dialog was up vanished without a word.
    emulator.delay_next(HELD)
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await fill_form(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("y")
        busy = await wait_for(pilot, app, BusyModal)
        await burst_taken(pilot, app, ["x"])
        said = str(busy.query_one("#busy-refused").render())
        assert busy.refused == 1
        assert "The key pressed while this runs was not typed anywhere" in said
        assert "press it again once it has finished" in said
        await burst_taken(pilot, app, ["enter", "ctrl+p", "question_mark"])
        assert busy.refused == 4
        assert app.screen is busy  # nothing stacked over it


async def test_keys_typed_ahead_into_a_form_are_not_selected_by_its_focus(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    """Found by an attacker: enter on a secret in manage with "ghcr" behind it put "ghcr" in the
    update form's host, selected by the field's focus a moment later, so ".io" typed next
    replaced it."""
    seed_secret(emulator, "seeded")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_manage(app, pilot)
        await burst_taken(pilot, app, ["enter", *"ghcr"])
        form = await wait_for(pilot, app, CredentialsScreen)
        host = form.query_one("#registry", Input)
        await until(pilot, lambda: host.value == "ghcr")
        await pilot.pause()
        assert host.selection.is_empty
        await burst_taken(pilot, app, [*".io"])
        await until(pilot, lambda: host.value == "ghcr.io")
