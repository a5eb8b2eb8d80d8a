"""The secret-leak sweep: a full flow with marker secrets, then a search everywhere.

Markers carry a quote, a backslash and a non-ASCII letter, so the JSON-escaped (and doubly escaped,
as inside ``.dockerconfigjson``), base64 and URL-encoded forms differ from the raw one and each is
searched for. Only the in-memory keyring and what the emulator received may hold them. Places that
show a secret on purpose (the revealed preview, the clipboard after copying it) are positive
controls: the search must find the marker there, or it proves nothing.
"""

from __future__ import annotations

import base64
import html
import inspect
import json
import logging
import os
import re
import stat
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
import textual.constants
from rich.console import Console
from rich.traceback import Traceback
from textual import events
from textual._log import LogGroup, LogVerbosity
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import DataTable, Input

from tests.support import keyring_memory
from tests.support.app import AppPilot, MemoryClipboard, make_app, until
from tests.support.pilot import wait_for
from tui.app import RegsecretApp
from tui.emulator.server import Emulator
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.manage import ManageScreen
from tui.screens.modals import ConfirmModal, ErrorModal, TypedConfirmModal
from tui.screens.preview import PreviewScreen
from tui.screens.profile_form import ProfileFormScreen
from tui.screens.result import ResultScreen

SIZE = (100, 30)
REPO = Path(__file__).resolve().parents[2]
CLIENT_SECRET = 'cs-LEAKMARK-"q\\7f3ä'
USERNAME = "leak-user"
PASSWORD = 'pw-LEAKMARK-"q\\b81ö'
NEW_PASSWORD = 'pw2-LEAKMARK-"q\\c92ü'
SECRET_NAME = "leak-sweep"


def forms(secret: str, user: str | None = None) -> set[str]:
    """Every spelling of ``secret`` worth searching for."""
    once = json.dumps(secret)[1:-1]
    spellings = {
        secret,
        once,
        json.dumps(secret, ensure_ascii=False)[1:-1],
        json.dumps(once)[1:-1],
        json.dumps(json.dumps(secret, ensure_ascii=False)[1:-1], ensure_ascii=False)[1:-1],
        quote(secret, safe=""),
        quote_plus(secret),
        base64.b64encode(secret.encode()).decode(),
    }
    if user is not None:
        spellings.add(base64.b64encode(f"{user}:{secret}".encode()).decode())
    return spellings


PROBE = "probe-of-the-sweep-7d2e-ß"  # not a marker of the flow: see the sweep's own test
MARKERS = forms(CLIENT_SECRET) | forms(PASSWORD, USERNAME) | forms(NEW_PASSWORD, USERNAME)
PASSWORD_FORMS = forms(PASSWORD, USERNAME)


def hits(text: str, markers: set[str] = MARKERS) -> list[str]:
    return sorted(m for m in markers if m in text)


def _walk(root: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk without git object stores and virtualenvs: a shared /tmp holds other checkouts'
    clones and environments (hundreds of thousands of files), which the app never writes into,
    and reading them file by file outlasted the test's time limit."""
    for top, folders, names in os.walk(root):
        folders[:] = [
            folder
            for folder in folders
            if folder != ".git" and not os.path.exists(os.path.join(top, folder, "pyvenv.cfg"))
        ]
        yield top, folders, names


def file_hits(
    root: Path, since: float | None = None, markers: set[str] = MARKERS
) -> dict[str, list[str]]:
    found = {}
    # os.walk, not rglob: other processes' temporary folders come and go under /tmp while the
    # sweep reads it, and a vanished folder must not end the sweep.
    paths = (Path(top, name) for top, _, names in _walk(root) for name in names)
    for path in paths:
        try:
            if not path.is_file() or (since is not None and path.stat().st_mtime < since):
                continue
            data = path.read_bytes()
        except OSError:
            continue
        text = data.decode("utf-8", "replace") + data.decode("latin-1")
        if marks := hits(text, markers):
            found[str(path)] = marks
    return found


def screen_text(svg: str) -> str:
    """The characters a screenshot shows, unescaped and joined (SVG splits them into spans)."""
    spans = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    return html.unescape("".join(spans)).replace("\xa0", " ")


class Record:
    """Everything the app showed or said during the flow."""

    def __init__(self, app: RegsecretApp) -> None:
        self.app = app
        self.shots: dict[str, str] = {}
        self.notes: list[str] = []
        self.textual_log: list[str] = []
        self.errors: list[str] = []
        notify, log = app.notify, app._log

        def recording_notify(
            message: str,
            *,
            title: str = "",
            severity: SeverityLevel = "information",
            timeout: float | None = None,
            markup: bool = True,
            lasting: bool = False,
        ) -> None:
            self.notes.append(f"{title}: {message}")
            notify(
                message,
                title=title,
                severity=severity,
                timeout=timeout,
                markup=markup,
                lasting=lasting,
            )

        def recording_log(
            group: LogGroup,
            verbosity: LogVerbosity,
            _textual_calling_frame: inspect.Traceback,
            *objects: object,
            **kw: object,
        ) -> None:
            self.textual_log.append(" ".join(map(str, objects)) + repr(kw))
            log(group, verbosity, _textual_calling_frame, *objects, **kw)

        report = app.report

        def recording_report(screen: Screen[Any], sentence: str, **kw: Any) -> None:
            # What a screen's status line says (a copy, a delete, a stop) is swept as a toast is.
            self.notes.append(f"{kw.get('title', '')}: {sentence}")
            report(screen, sentence, **kw)

        # Wrapped on this one instance, to record what the app shows and logs; assigning to a
        # method is what the checker rightly flags everywhere else.
        app.notify = recording_notify  # type: ignore[method-assign]
        app.report = recording_report  # type: ignore[method-assign]
        app._log = recording_log  # type: ignore[method-assign]

    def shot(self, label: str) -> None:
        svg = self.app.export_screenshot()
        self.shots[label] = svg + screen_text(svg)

    def error(self, modal: ErrorModal) -> None:
        exc = modal._error
        self.errors.append(str(exc) + repr(exc) + "".join(traceback.format_exception(exc)))
        console = Console(record=True, width=120, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(Traceback.from_exception(type(exc), exc, exc.__traceback__, show_locals=True))
        self.errors.append(console.export_text())
        console.file.close()


async def confirm_all(pilot: AppPilot, app: RegsecretApp, kind: type[Screen[Any]]) -> Screen[Any]:
    """Say yes to every question until ``kind`` is on screen (the login check may ask too)."""
    for _ in range(300):
        if isinstance(app.screen, ConfirmModal):
            app.screen.action_answer(True)
        elif isinstance(app.screen, kind | ErrorModal):
            await pilot.pause()
            return app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"never reached {kind.__name__}")


async def run_flow(app: RegsecretApp, pilot: AppPilot, emu: Emulator, rec: Record) -> None:
    registry_host = emu.registry_host
    assert registry_host is not None, "the sweep's emulator runs a registry"
    profiles = await wait_for(pilot, app, ProfilesScreen)
    await until(pilot, lambda: profiles.result is not None and profiles.result.get("demo"))
    rec.shot("profiles")
    # A profile of our own, typed in, its client secret masked in the field.
    profiles.action_new()
    form = await wait_for(pilot, app, ProfileFormScreen)
    for wid, value in {
        "pname": "leaky",
        "api_url": emu.api_url,
        "token_url": emu.base_url,
        "client_id": "demo",
        "client_secret": CLIENT_SECRET,
    }.items():
        form.query_one(f"#{wid}", Input).value = value
    await pilot.pause()
    rec.shot("profile form")
    form.action_save()
    await until(pilot, lambda: profiles.result is not None and profiles.result.get("leaky"))
    await pilot.pause()
    rec.shot("profiles with ours")
    assert profiles.result is not None
    profiles.query_one(DataTable).move_cursor(row=profiles.result.names().index("leaky"))
    profiles.action_test()
    await until(pilot, lambda: "works" in profiles._status)
    profiles.action_select()
    creds = await wait_for(pilot, app, CredentialsScreen)
    for wid, value in {
        "name": SECRET_NAME,
        "registry": registry_host,
        "username": USERNAME,
    }.items():
        creds.query_one(f"#{wid}", Input).value = value
    # The password typed key by key, so Textual's log sees every key event of it.
    creds.set_focus(creds.query_one("#password", Input))
    await pilot.pause()
    await pilot.press(*PASSWORD)
    assert creds.query_one("#password", Input).value == PASSWORD
    rec.shot("credentials")
    # Preview: masked, then revealed (a positive control), copied, masked again.
    creds.action_preview()
    preview = await wait_for(pilot, app, PreviewScreen)
    for tab in ("body", "config", "curl", "shell"):
        preview.action_tab(tab)
        await pilot.pause()
        rec.shot(f"preview {tab}")
    preview.action_tab("config")
    preview.action_reveal()
    await pilot.pause()
    revealed = screen_text(app.export_screenshot())
    preview.action_copy()
    await until(pilot, lambda: any("Copied" in n for n in rec.notes))
    board = app._clipboard_backend
    assert isinstance(board, MemoryClipboard)
    copied = board.text  # the system clipboard: a secret does not go through the terminal then
    preview.action_reveal()
    await pilot.pause()
    rec.shot("preview masked again")
    # Submit: a server error first (an exception to sweep), then through.
    emu.fail_next(500)
    preview.action_submit()
    modal = await confirm_all(pilot, app, ErrorModal)
    assert isinstance(modal, ErrorModal)
    rec.shot("error")
    rec.error(modal)
    modal.action_close()
    await wait_for(pilot, app, CredentialsScreen)
    creds.action_submit()
    result = await confirm_all(pilot, app, ResultScreen)
    assert isinstance(result, ResultScreen), type(result)
    rec.shot("result")
    result.action_copy_workflow()
    result.action_copy_serving()
    await pilot.pause()
    # Update the credentials from the manage screen, then delete the secret.
    result.action_manage()
    manage = await wait_for(pilot, app, ManageScreen)
    await until(pilot, lambda: manage.names == [SECRET_NAME])
    rec.shot("manage")
    manage.action_update()
    update = await wait_for(pilot, app, CredentialsScreen)
    assert update.fixed_name == SECRET_NAME
    for wid, value in {
        "registry": registry_host,
        "username": USERNAME,
    }.items():
        update.query_one(f"#{wid}", Input).value = value
    # The new password pasted, as most people do: a Paste event in Textual's log.
    password = update.query_one("#password", Input)
    update.set_focus(password)
    await pilot.pause()
    password.post_message(events.Paste(NEW_PASSWORD))
    await until(pilot, lambda: password.value == NEW_PASSWORD)
    rec.shot("update form")
    update.action_submit()
    updated = await confirm_all(pilot, app, ResultScreen)
    assert isinstance(updated, ResultScreen) and updated.updated
    rec.shot("updated")
    updated.action_manage()
    manage = await wait_for(pilot, app, ManageScreen)
    await until(pilot, lambda: manage.names == [SECRET_NAME])
    manage.action_delete()
    typed = await wait_for(pilot, app, TypedConfirmModal)
    rec.shot("delete confirm")
    typed.dismiss(True)
    await until(pilot, lambda: emu.secret_names() == [])
    await until(pilot, lambda: isinstance(app.screen, ManageScreen) and not manage.names)
    rec.shot("after delete")
    # Positive controls: the search finds what is shown or copied on purpose.
    assert hits(revealed, PASSWORD_FORMS), "the revealed preview must show the password"
    assert hits(copied, PASSWORD_FORMS), "the copied body must hold the password"


async def test_full_flow_leaks_no_secret(
    sealed_home: Path,
    memory_keyring: keyring_memory.MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    # TEXTUAL_LOG=<file>, as a user debugging the app would set it (Textual reads it at import).
    textual_log = sealed_home.parent / "textual.log"
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(textual_log))
    started = time.time() - 1
    tmp_root = sealed_home.parent
    with Emulator(client_secret=CLIENT_SECRET, with_registry=True) as emu:
        assert emu.registry is not None
        emu.registry.users[USERNAME] = PASSWORD
        clipboard = MemoryClipboard()
        app = make_app(sealed_home, emulator=emu, clipboard=clipboard)
        rec = Record(app)
        async with app.run_test(size=SIZE) as pilot:
            # The updated password is not the registry's: the flow registers it anyway.
            await run_flow(app, pilot, emu, rec)
        bodies = b"".join(emu.received_bodies).decode("utf-8")
    assert app._exception is None and app.return_code in (None, 0)

    # The only holders: the keyring (client secret) and the emulator (what it received).
    assert memory_keyring.entries == {("regsecret", "leaky"): CLIENT_SECRET}
    assert hits(bodies, forms(CLIENT_SECRET)) and hits(bodies, PASSWORD_FORMS)

    leaks: dict[str, Any] = {}
    for label, svg in rec.shots.items():
        if marks := hits(svg):
            leaks[f"screenshot {label}"] = marks
    for i, text in enumerate(rec.notes + rec.textual_log + rec.errors):
        if marks := hits(text):
            leaks[f"message {i}: {text[:80]}"] = marks
    log_text = caplog.text + "".join(
        f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records
    )
    if marks := hits(log_text):
        leaks["logging"] = marks
    leaks.update(file_hits(tmp_root))
    leaks.update(file_hits(Path(tempfile.gettempdir()), since=started))
    for folder in ("screenshots", "tests/ui/__snapshots__"):
        leaks.update(file_hits(REPO / folder))
    assert rec.errors and rec.notes and len(rec.shots) >= 12  # the sweep looked at something
    # Textual's log file (searched above with the rest of the tmp dir) is private, and it did
    # log the flow: keys, the other fields' values, pastes and workers.
    assert stat.S_IMODE(textual_log.stat().st_mode) == 0o600
    logged = textual_log.read_text(encoding="utf-8")
    for control in (
        "Key(<a printable key, withheld>)",
        f"value='{SECRET_NAME}'",
        "value=<withheld>",
        "Paste(<",
        "<Worker SUCCESS name='_submit'",
    ):
        assert control in logged, control
    assert leaks == {}


def test_the_temp_sweep_finds_a_file_made_during_the_flow_in_a_new_or_old_folder(
    tmp_path: Path,
) -> None:
    # The sweep must reach a file made during the flow in a folder that existed before and in
    # one made during the flow, and pass over git objects and virtualenvs. With a marker of its
    # own: on another worker, the full flow's sweep of /tmp would find these files and call them
    # the app's leaks.
    old = tmp_path / "old" / "deep"
    old.mkdir(parents=True)
    (old / "before.txt").write_text(PROBE)
    started = time.time() + 0.01
    time.sleep(0.05)
    (old / "new.txt").write_text(PROBE)
    fresh = tmp_path / "fresh" / "inner"
    fresh.mkdir(parents=True)
    (fresh / "made.bin").write_bytes(PROBE.encode())
    (tmp_path / "clone" / ".git").mkdir(parents=True)
    (tmp_path / "clone" / ".git" / "object").write_text(PROBE)
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "pyvenv.cfg").write_text(PROBE)
    found = file_hits(tmp_path, since=started, markers={PROBE})
    assert set(found) == {str(old / "new.txt"), str(fresh / "made.bin")}
