"""Pilot helpers shared by the UI tests: open a screen, fill the form, wait for a state."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from textual.screen import Screen
from textual.widgets import DataTable, Input

from tests.support.app import AppPilot, until
from tui.app import RegsecretApp
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.import_key import ImportKeyScreen
from tui.screens.manage import ManageScreen
from tui.screens.modals import ConfirmModal
from tui.screens.profile_form import ProfileFormScreen
from tui.screens.result import ResultScreen
from tui.widgets.chooser import Chooser, ChooserList
from tui.widgets.status_line import StatusLine

SIZE = (100, 30)
PASSWORD = "pw-Zq8!unique-token"

S = TypeVar("S", bound=Screen[Any])


async def open_credentials(app: RegsecretApp, pilot: AppPilot) -> CredentialsScreen:
    """From the profiles screen, with the demo profile loaded, enter opens the form."""
    await app.wait_for_emulator()
    await pilot.pause()
    profiles = app.screen
    assert isinstance(profiles, ProfilesScreen)
    await until(pilot, lambda: profiles.result is not None and profiles.result.get("demo"))
    await pilot.press("enter")
    return await wait_for(pilot, app, CredentialsScreen)


async def type_form(pilot: AppPilot, name: str = "my-registry", host: str = "ghcr.io") -> None:
    """Typed key by key, as a person would: enter walks from field to field."""
    await pilot.press(*name, "enter")
    await pilot.press(*host, "enter")
    await pilot.press(*"alice", "enter")
    await pilot.press(*PASSWORD)


async def fill_form(pilot: AppPilot, name: str = "my-registry", host: str = "ghcr.io") -> None:
    """The same values set directly (typing is slow under Pilot; one test types everything)."""
    screen = pilot.app.screen
    for field, value in (
        ("name", name),
        ("registry", host),
        ("username", "alice"),
        ("password", PASSWORD),
    ):
        widget = screen.query_one(f"#{field}", Input)
        if not widget.disabled:
            widget.value = value
    await pilot.pause()


async def fill_profile_form(pilot: AppPilot, form: Screen[Any], **more: str) -> None:
    """A new profile's name, URLs and client id set directly, and ``more`` fields by id (such
    as ``client_secret``)."""
    values = {
        "pname": "dev",
        "api_url": "https://api.example.com",
        "token_url": "https://x.authentication.example.com",
        "client_id": "cid",
        **more,
    }
    for field, value in values.items():
        form.query_one(f"#{field}", Input).value = value
    await pilot.pause()


async def choose(pilot: AppPilot, screen: Screen[Any], chooser_id: str, label: str) -> None:
    """Open a form's chooser from the keyboard and pick ``label``, as a person does."""
    chooser = screen.query_one(chooser_id, Chooser)
    screen.set_focus(chooser)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ChooserList))
    labels = [shown for shown, _value in chooser.options]
    await pilot.press("home")
    for _ in range(labels.index(label)):
        await pilot.press("down")
    await pilot.press("enter")
    await until(pilot, lambda: not chooser.expanded and pilot.app.screen is screen)
    await pilot.pause()


async def register_confirmed(pilot: AppPilot, app: RegsecretApp) -> ResultScreen:
    """ctrl+s on a filled form, yes to its confirmation: the result screen."""
    await pilot.press("ctrl+s")
    await wait_for(pilot, app, ConfirmModal)
    await pilot.press("y")
    return await wait_for(pilot, app, ResultScreen)


async def wait_for_workers(pilot: AppPilot, *groups: str, tries: int = 500) -> None:
    """Until the app's workers (of these groups, or all) have finished, then one more refresh.

    A worker awaiting a dialog does not finish until the dialog is answered: name its group
    apart, or wait for the dialog with :func:`wait_for` instead.
    """

    def running() -> bool:
        return any(
            not worker.is_finished and (not groups or worker.group in groups)
            for worker in pilot.app.workers
        )

    await until(pilot, lambda: not running(), tries)
    await pilot.pause()


async def wait_for(pilot: AppPilot, app: RegsecretApp, kind: type[S], tries: int = 500) -> S:
    for _ in range(tries):
        screen = app.screen
        if isinstance(screen, kind) and screen.is_mounted:
            await pilot.pause()
            return screen
        if app._exception is not None:
            break  # the app failed: its own error says why, not 500 more pauses
        await pilot.pause(0.02)
    mounted = "" if app.screen.is_mounted else " (not mounted)"
    raise AssertionError(f"expected {kind.__name__}, got {type(app.screen).__name__}{mounted}")


async def loaded(app: RegsecretApp, pilot: AppPilot) -> ProfilesScreen:
    screen = await wait_for(pilot, app, ProfilesScreen)
    await until(pilot, lambda: screen.result is not None)
    await pilot.pause()
    return screen


async def new_profile_form(app: RegsecretApp, pilot: AppPilot) -> ProfileFormScreen:
    """From the profiles screen, n opens an empty profile form."""
    await loaded(app, pilot)
    await pilot.press("n")
    return await wait_for(pilot, app, ProfileFormScreen)


async def import_key(app: RegsecretApp, pilot: AppPilot, key: Path, name: str) -> ProfilesScreen:
    """Import a service key through the dialog (i, path, name, ctrl+s) and wait for its row."""
    await loaded(app, pilot)
    await pilot.press("i")
    dialog = await wait_for(pilot, app, ImportKeyScreen)
    dialog.query_one("#path", Input).value = str(key)
    dialog.query_one("#profile-name", Input).value = name
    await pilot.press("ctrl+s")
    screen = await loaded(app, pilot)
    await until(pilot, lambda: screen.result and name in screen.result.names())
    return screen


def record_pushed(app: RegsecretApp) -> list[Screen[Any]]:
    """Every screen pushed from now on, in order: count the dialogs one action opens."""
    pushed: list[Screen[Any]] = []
    original = app.push_screen

    def push(screen: Any, *args: Any, **kwargs: Any) -> Any:
        pushed.append(screen)
        return original(screen, *args, **kwargs)

    app.push_screen = push  # type: ignore[method-assign]
    return pushed


def rows(screen: ProfilesScreen) -> list[str]:
    assert screen.result is not None
    return screen.result.names()


async def manage_loaded(app: RegsecretApp, pilot: AppPilot) -> ManageScreen:
    """The manage screen once its list has arrived (it has at least one secret)."""
    screen = await wait_for(pilot, app, ManageScreen)
    await until(pilot, lambda: screen.names)
    return screen


async def open_manage(app: RegsecretApp, pilot: AppPilot) -> ManageScreen:
    await open_credentials(app, pilot)
    await pilot.press("f3")
    return await manage_loaded(app, pilot)


def shown(screen: ManageScreen) -> list[str]:
    """The names in the manage table, top to bottom."""
    table: DataTable[Any] = screen.query_one("#secret-table", DataTable)
    return [str(row.key.value) for row in table.ordered_rows]


def manage_row(screen: ManageScreen, name: str) -> dict[str, str]:
    """One row of the manage table as heading (without the sort arrow) -> text shown."""
    table: DataTable[Any] = screen.query_one("#secret-table", DataTable)
    headings = [str(column.label).rstrip(" ▲▼") for column in table.ordered_columns]
    return dict(zip(headings, map(str, table.get_row(name)), strict=True))


def status_lines(app: RegsecretApp) -> list[str]:
    """What the status lines of the screens in the stack say, top screen first (the whole
    sentences that toasts only sum up: see tui.widgets.status_line)."""
    return [
        line.said
        for screen in reversed(app.screen_stack)
        for line in screen.query(StatusLine)
        if line.said
    ]


def record_reports(app: RegsecretApp) -> list[str]:
    """Every sentence the app puts on a status line from now on, in order (a later one, such as
    the clipboard being cleared, replaces it on screen)."""
    reported: list[str] = []
    report = app.report

    def recording(screen: Screen[Any], sentence: str, **kw: Any) -> None:
        reported.append(sentence)
        report(screen, sentence, **kw)

    app.report = recording  # type: ignore[method-assign]
    return reported
