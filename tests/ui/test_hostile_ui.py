"""The app against a hostile server and hostile files: nothing runs, nothing breaks, nothing leaks.

Names in the list, error fields and profile names carry escape sequences and Textual markup; the
screen must show them as plain text, no action may run when they are clicked, and the app must
keep running with what was typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Static

from tests.support.app import make_app, until
from tests.support.hostile_server import (
    BAD_MARKUP,
    BOT,
    CLICK_QUIT,
    ESCAPES,
    Answer,
    HostileServer,
    carries_no_control,
    hostile_error,
    screenshot_click,
)
from tests.support.pilot import open_manage, wait_for, wait_for_workers
from tests.support.screen import screen_lines, screen_text
from tui.core.profile_store import default_config_dir
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.manage import ManageScreen
from tui.screens.modals import ErrorModal

SIZE = (100, 30)


def hostile_names(hostile: HostileServer, tmp_path: Path) -> tuple[tuple[str, ...], Path]:
    """The server lists names that are markup, actions and escapes; an action would write to
    the folder returned."""
    shots = tmp_path / "shots"
    shots.mkdir()
    names = (CLICK_QUIT, screenshot_click(str(shots)), BAD_MARKUP, BOT, "x" + ESCAPES + "y")
    hostile.secrets(*names)
    return names, shots


async def test_hostile_secret_names_show_as_typed_and_run_nothing(
    sealed_home: Path, memory_keyring: object, hostile: HostileServer, tmp_path: Path
) -> None:
    names, shots = hostile_names(hostile, tmp_path)
    app = make_app(sealed_home, emulator=hostile)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_manage(app, pilot)
        table: DataTable[Any] = screen.query_one("#secret-table", DataTable)
        # The Name column shows each name as typed, the escape sequence removed; one too long
        # for the column is cut with an ellipsis (the row's key is still the exact name).
        cells = {name: str(table.get_row(name)[0]) for name in names}
        for name in names[:4]:
            cell = cells[name]
            assert cell == name or (cell.endswith("…") and name.startswith(cell[:-1])), cell
        assert any(cells[name] == name for name in names[:4])
        assert cells[names[4]] == "xy"
        for row in range(len(names)):
            # A click on a row would run an @click action if the name were read as markup; the
            # second click on the highlighted row opens its update form.
            for _ in range(2):
                if app.screen is screen:
                    await pilot.click("#secret-table", offset=(4, row + 1))
                    await pilot.pause()
            if app.screen is not screen:
                app.pop_screen()
                await pilot.pause()
        assert app.is_running and app.return_code is None
        assert list(shots.iterdir()) == []
        # Back from a form the list reloads: look once its rows are there again.
        await wait_for_workers(pilot, "manage-load")
        await until(pilot, lambda: not table.loading and table.row_count == len(names))
        await pilot.pause()
        text = screen_text(app)
        assert carries_no_control(text)
        assert BOT in text


async def test_hostile_error_fields_in_the_dialog_and_a_toast(
    sealed_home: Path, memory_keyring: object, hostile: HostileServer
) -> None:
    hostile.secrets("ok-name")
    app = make_app(sealed_home, emulator=hostile)  # type: ignore[arg-type]
    # Toasts drawn (run_test hides them by default): the toast is part of what is checked.
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_manage(app, pilot)
        hostile.answers["DELETE /v2/admin/dockerRegistrySecrets/*"] = Answer(
            400, hostile_error(f"{BAD_MARKUP} {BOT} {CLICK_QUIT} {ESCAPES}")
        )
        await pilot.press("d")  # delete (the one key map: d on every list)
        await pilot.pause()
        app.screen.query_one(Input).value = "ok-name"
        await pilot.press("enter")
        dialog = await wait_for(pilot, app, ErrorModal)
        text = screen_text(app)
        assert carries_no_control(text)
        assert BOT in text and BAD_MARKUP in text
        app.notify(f"registry said {DENIED_AND_BOT}")
        await pilot.pause()
        assert carries_no_control(screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, app, ManageScreen)
        assert app.is_running and dialog is not app.screen and screen is app.screen


DENIED_AND_BOT = f"denied [/] {BOT} {ESCAPES}"


async def test_a_registry_refusal_with_markup_is_plain_text_and_keeps_the_form(
    sealed_home: Path, memory_keyring: object, hostile: HostileServer
) -> None:
    # The registry's 401 message (the sentence quotes its first 120 characters): markup that
    # does not parse (it crashed the app and lost the form), a name with brackets that must
    # survive, and an action to run when clicked.
    said = f"denied [/] {BOT} {CLICK_QUIT}"
    hostile.registry_refuses(said)
    app = make_app(sealed_home, emulator=hostile)  # type: ignore[arg-type]
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        from tests.support.pilot import fill_form, open_credentials

        await open_credentials(app, pilot)
        await fill_form(pilot, host=hostile.registry_host)
        await pilot.press("ctrl+l")
        verdict = app.screen.query_one("#login-verdict", Static)
        await until(pilot, lambda: verdict.display)
        await pilot.pause()
        line = str(verdict.render())
        assert "denied [/]" in line and BOT in line
        text = screen_text(app)
        assert carries_no_control(text)
        flat = " ".join(text.split())
        assert BOT in flat and "[@click=app.quit]" in flat  # shown as typed, never run

        # A click on the quoted action does nothing: the line is text, never markup.
        row, column = next(
            (y, x.index("[@click") + 2) for y, x in enumerate(screen_lines(app)) if "[@click" in x
        )
        await pilot.click(offset=(column, row))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.screen.query_one("#registry", Input).value == hostile.registry_host
        assert app.screen.query_one("#username", Input).value == "alice"


async def test_a_profile_named_with_broken_markup_starts_and_shows(
    sealed_home: Path, memory_keyring: object
) -> None:
    config = default_config_dir()
    config.mkdir(parents=True, exist_ok=True)
    (config / "profiles.toml").write_text(
        '[profiles."team [/] prod"]\napi_url = "https://api.example.com"\n'
        'token_url = "https://auth.example.com/oauth/token"\nclient_id = "c[/]id"\n',
        encoding="utf-8",
    )
    app = make_app(sealed_home, profile="x[/]y")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        profiles = await wait_for(pilot, app, ProfilesScreen)
        await until(pilot, lambda: profiles.result is not None)
        await pilot.pause()
        assert profiles.result is not None and profiles.result.names() == ["team [/] prod"]
        text = screen_text(app)
        assert "team [/] prod" in text
        # The status line on the unknown --profile quotes it as typed (it used to crash the app).
        assert "x[/]y" in str(profiles.query_one("#profile-status").render()) and "x[/]y" in text
        assert app.is_running and app.return_code is None


async def test_hostile_names_in_the_details_pane_show_as_typed_and_run_nothing(
    sealed_home: Path, memory_keyring: object, hostile: HostileServer, tmp_path: Path
) -> None:
    """At 160 columns the highlighted name is shown twice more (title and YAML): plain there too."""
    names, shots = hostile_names(hostile, tmp_path)
    app = make_app(sealed_home, emulator=hostile)  # type: ignore[arg-type]
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_manage(app, pilot)
        await pilot.click("#secret-table", offset=(3, 0))  # a heading click sorts, runs nothing
        for _ in names:
            await pilot.pause()
            text = screen_text(app)
            assert carries_no_control(text)
            name = screen.selected()
            assert name is not None
            if name in names[:4]:
                # The row, the pane's title and the YAML all carry the name as it was typed.
                assert text.count(name) >= 3, name
            else:
                assert "xy" in text and "name: xy" in text
            await pilot.press("down")
        assert app.is_running and app.return_code is None
        assert list(shots.iterdir()) == []


async def test_profile_names_with_markup_are_plain_in_the_rotate_form(
    sealed_home: Path, memory_keyring: object
) -> None:
    """The rotate form's tenant list read each profile name as markup: ``[@click=app.quit]q``
    became a link that quits, ``[b]loud`` lost its brackets, and ``team [/] prod`` (a name
    profiles.toml allows) raised MarkupError and took the app down."""
    from tests.support.fleet_app import rotate_form
    from tui.screens.rotate import TenantList

    def broken_markup_profile(tenants: object) -> None:
        config = default_config_dir()
        config.mkdir(parents=True, exist_ok=True)
        (config / "profiles.toml").write_text(
            '[profiles."team [/] prod"]\napi_url = "http://127.0.0.1:9"\n'
            'token_url = "http://127.0.0.1:9/oauth/token"\nclient_id = "c"\n',
            encoding="utf-8",
        )

    names = ["dev", "[b]loud", "[@click=app.quit]q"]
    async with rotate_form(sealed_home, *names, prepare=broken_markup_profile) as form:
        tenants = form.rotate.query_one(TenantList)
        shown = [tenants.render_line(y).text.strip() for y in range(tenants.option_count)]
        assert sorted(line[4:] for line in shown) == sorted([*names, "team [/] prod"])
        for y in range(tenants.option_count):
            await form.pilot.click(TenantList, offset=(6, y + 1))
            await form.pilot.pause()
        assert form.app.is_running and form.app.return_code is None
