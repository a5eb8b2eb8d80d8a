"""The rotate screen takes the password from every source the command line knows: a docker login
(inline or from its credential helper), an environment variable, a file, a command's output.

Each is read by the command line's own reader, lands masked in the password field, is named (never
shown) in the notice and the preview, and is what the ledger notes as the source.
"""

from __future__ import annotations

import base64
import itertools
import shlex
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.support.app import AppPilot, until
from tests.support.credential_helper import (
    asked,
    install_fake_helper,
    path_with,
    write_docker_config,
)
from tests.support.emulator import stored_password
from tests.support.fleet import Tenants
from tests.support.fleet_app import rotate_again, rotate_form, send
from tests.support.pilot import wait_for, wait_for_workers
from tests.support.processes import lock_held_elsewhere, process_gone
from tests.support.screen import screen_text
from tui.core.ledger import LOCK_NAME, LOCK_WAIT, Ledger
from tui.screens.load_credential import STOPPED_COMMAND
from tui.screens.modals import (
    BusyModal,
    CarefulConfirmModal,
    ChoiceModal,
    ConfirmModal,
    ErrorModal,
    TextPromptModal,
)
from tui.screens.rotate import PASSWORD_HINT, RotateScreen, TenantList
from tui.widgets.field_note import FieldNote

TOKEN = "demo-registry-token"  # the test registry's password: the login check passes with it
SOURCES = ["docker-config", "env", "file", "command"]


async def load(pilot: AppPilot, kind: str, answer: str | None = None) -> None:
    """ctrl+o, the source chosen in the list, and (for a variable, file, command) its answer."""
    app = pilot.app
    await pilot.press("ctrl+o")
    await wait_for(pilot, app, ChoiceModal)  # type: ignore[arg-type]
    await pilot.press(*["down"] * SOURCES.index(kind), "enter")
    if answer is not None:
        await wait_for(pilot, app, TextPromptModal)  # type: ignore[arg-type]
        await pilot.press(*answer, "enter")


def password(rotate: RotateScreen) -> Input:
    return rotate.query_one("#password", Input)


def hint(rotate: RotateScreen) -> str:
    """The password's one note: the registry's advice, then how it was loaded or can be."""
    assert not rotate.query("#password-hint")  # one note a field, not a second under it
    note = rotate.query_one("#password-note", FieldNote)
    return note.said if note.display else ""


def notices(pilot: AppPilot) -> str:
    return " ".join(n.message for n in pilot.app._notifications)


async def sent_from(pilot: AppPilot, rotate: RotateScreen, tenants: Tenants, source: str) -> None:
    """Send to both tenants: each holds the token, and the ledger names the source, not it."""
    await send(pilot, rotate)
    assert rotate.rotation is not None and rotate.rotation.ok
    for name in ("dev", "test"):
        assert stored_password(tenants[name], "ghcr", tenants.registry_host()) == TOKEN
        entry = Ledger().load().get(tenants.key(name), "ghcr")
        assert entry is not None and entry.source == source
    assert TOKEN.encode() not in Ledger().path.read_bytes()
    assert TOKEN not in notices(pilot)


async def test_a_variable_gives_the_password_and_the_ledger_notes_it(sealed_home: Path) -> None:
    async with rotate_form(sealed_home, "dev", "test", env={"ROTATE_TOKEN": TOKEN}) as (
        tenants,
        _,
        pilot,
        rotate,
    ):
        assert PASSWORD_HINT in hint(rotate)
        await load(pilot, "env", "ROTATE_TOKEN")
        await until(pilot, lambda: password(rotate).value == TOKEN)
        assert password(rotate).password  # masked
        assert "Loaded from $ROTATE_TOKEN; ctrl+o loads another." in hint(rotate)
        assert PASSWORD_HINT not in hint(rotate) and "$ROTATE_TOKEN" in notices(pilot)
        assert rotate.source is not None and str(rotate.source) == "env:ROTATE_TOKEN"
        rotate.query_one(TenantList).select_all()
        await sent_from(pilot, rotate, tenants, "env:ROTATE_TOKEN")


async def test_a_file_then_a_command_and_typing_over_it_makes_it_typed(
    sealed_home: Path, tmp_path: Path
) -> None:
    token_file = tmp_path / "token.txt"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("from-a-command\n", encoding="utf-8")
    async with rotate_form(sealed_home, "dev", "test") as (_, _, pilot, rotate):
        await load(pilot, "file", str(token_file))
        await until(pilot, lambda: password(rotate).value == TOKEN)  # the newline dropped
        assert str(rotate.source) == f"file:{token_file}"
        # A command's standard output, run without a shell; the token is in no argument.
        command = f"{shlex.quote(sys.executable)} -c {shlex.quote('import sys; sys.stdout.write(open(sys.argv[1]).read())')} {shlex.quote(str(other))}"  # noqa: E501
        await load(pilot, "command", command)
        await until(pilot, lambda: password(rotate).value == "from-a-command")
        assert rotate.source is not None and rotate.source.kind == "command"
        assert "the output of" in hint(rotate)
        # Typed over, it is no longer what the command printed: it counts as typed.
        password(rotate).focus()
        await pilot.press("x")
        await until(pilot, lambda: rotate.source is None)
        assert hint(rotate).endswith(PASSWORD_HINT) and "Loaded" not in hint(rotate)


async def test_a_path_that_failed_is_there_to_fix_at_the_next_ctrl_o(
    sealed_home: Path, tmp_path: Path
) -> None:
    # Seen in tmux: a typo in the path, "does not exist", and the next ctrl+o asked for the
    # whole path again.
    missing = tmp_path / "tokn.txt"
    async with rotate_form(sealed_home, "dev", "test") as (_, app, pilot, _rotate):
        await load(pilot, "file", str(missing))
        await wait_for(pilot, app, ErrorModal)
        await pilot.press("enter")
        await wait_for(pilot, app, RotateScreen)
        await load(pilot, "file")
        prompt = await wait_for(pilot, app, TextPromptModal)
        assert prompt.query_one("#answer", Input).value == str(missing)
        # Another source does not open with it.
        await pilot.press("escape")
        await wait_for(pilot, app, RotateScreen)
        await load(pilot, "env")
        prompt = await wait_for(pilot, app, TextPromptModal)
        assert prompt.query_one("#answer", Input).value == ""


async def test_a_docker_login_kept_by_a_credential_helper(
    sealed_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = sealed_home / "bin"

    def helper_login(tenants: Tenants) -> None:
        host = tenants.registry_host()
        install_fake_helper(bin_dir, "desktop", {host: ("demo", TOKEN)})
        monkeypatch.setenv("PATH", path_with(bin_dir))
        write_docker_config(sealed_home / ".docker", {"auths": {host: {}}, "credsStore": "desktop"})

    async with rotate_form(
        sealed_home, "dev", "test", holders=("dev", "test"), prepare=helper_login
    ) as (tenants, _, pilot, rotate):
        host = tenants.registry_host()
        rotate.query_one("#registry", Input).value = "docker.io"
        rotate.query_one("#username", Input).value = ""
        await load(pilot, "docker-config")  # one login in the file: no second list
        await until(pilot, lambda: password(rotate).value == TOKEN)
        assert asked(bin_dir) == [host]
        assert rotate.query_one("#registry", Input).value == host
        assert rotate.query_one("#username", Input).value == "demo"
        assert "from “desktop”" in notices(pilot)
        await sent_from(pilot, rotate, tenants, "docker-config")


async def test_an_inline_docker_login_and_a_source_that_fails_keeps_the_form(
    sealed_home: Path,
) -> None:
    def two_logins(tenants: Tenants) -> None:
        auth = base64.b64encode(f"demo:{TOKEN}".encode()).decode()
        config: dict[str, object] = {
            "auths": {tenants.registry_host(): {"auth": auth}, "quay.io": {"auth": "eDp5"}}
        }
        write_docker_config(sealed_home / ".docker", config)

    async with rotate_form(sealed_home, "dev", "test", prepare=two_logins) as (
        _,
        app,
        pilot,
        rotate,
    ):
        password(rotate).value = "typed-by-hand"
        # A variable that is not set: the sentence says so, the typed password stays.
        await load(pilot, "env", "NOT_SET_ANYWHERE")
        modal = await wait_for(pilot, app, ErrorModal)
        body = str(modal.query_one(".dialog-body").render())
        assert "$NOT_SET_ANYWHERE is not set" in body
        await pilot.press("escape")
        await wait_for(pilot, app, RotateScreen)
        assert password(rotate).value == "typed-by-hand" and rotate.source is None
        # Two logins in the file: the same chooser as the credentials form.
        await load(pilot, "docker-config")
        chooser = await wait_for(pilot, app, ChoiceModal)
        assert "Which login" in str(chooser.query_one(".dialog-title").render())
        await pilot.press("enter")  # the first: this registry
        await until(pilot, lambda: password(rotate).value == TOKEN)
        assert rotate.query_one("#username", Input).value == "demo"
        assert str(rotate.source) == "docker-config"


async def test_escape_stops_a_slow_command_and_the_form_stays(
    sealed_home: Path, tmp_path: Path
) -> None:
    # Escape kills the command (its whole group), not only the wait for it: a command left
    # running held the terminal and could read what the person typed next.
    pid_file = tmp_path / "pid"
    async with rotate_form(sealed_home, "dev") as (_, app, pilot, rotate):
        password(rotate).value = "typed-by-hand"
        slow = f"sh -c 'echo $$ > {pid_file}; exec sleep 60'"
        await load(pilot, "command", slow)
        await wait_for(pilot, app, BusyModal)
        await until(pilot, lambda: pid_file.exists() and pid_file.read_text().strip() != "")
        pid = int(pid_file.read_text())
        started = time.monotonic()
        await pilot.press("escape")
        await wait_for(pilot, app, RotateScreen)
        await until(pilot, lambda: STOPPED_COMMAND in notices(pilot))
        await until(pilot, lambda: process_gone(pid))
        assert time.monotonic() - started < 10
        assert password(rotate).value == "typed-by-hand" and rotate.source is None


async def test_a_busy_ledger_lock_leaves_the_app_responsive_and_its_warning_in_sight(
    sealed_home: Path,
) -> None:
    # The ledger was written on the event loop: with its lock held elsewhere, the app froze
    # for 30 s after AI Core answered, keys and redraws unprocessed. And the warning that the
    # ledger does not note the change reached only the copied summary, never the screen.
    async with rotate_form(sealed_home, "dev", env={"ROTATE_TOKEN": TOKEN}) as (
        tenants,
        app,
        pilot,
        rotate,
    ):
        await load(pilot, "env", "ROTATE_TOKEN")
        await until(pilot, lambda: password(rotate).value == TOKEN)
        ticks: list[float] = []
        # A timer on the app's loop: a gap between its ticks is the loop not answering.
        app.set_interval(0.05, lambda: ticks.append(time.monotonic()))
        with lock_held_elsewhere(Ledger().config_dir / LOCK_NAME):
            started = time.monotonic()
            await pilot.press("ctrl+s")
            await wait_for(pilot, app, ConfirmModal)
            await pilot.press("y")
            await until(pilot, lambda: rotate.rotation is not None)
            # Until the ledger gave up waiting for its lock: the rotation is over.
            await wait_for_workers(pilot, "rotate")
            assert time.monotonic() - started < LOCK_WAIT + 15
        during = [tick for tick in ticks if tick >= started]
        gaps = [later - earlier for earlier, later in itertools.pairwise(during)]
        assert len(during) > 10 and max(gaps) < LOCK_WAIT / 2
        assert stored_password(tenants["dev"], "ghcr", tenants.registry_host()) == TOKEN
        assert rotate.rotation is not None and rotate.rotation.ok  # AI Core has it
        summary = str(rotate.query_one("#rotate-summary").render())
        assert "Done in 1 of 1 tenant. 1 warning below." in summary
        notes = rotate.query_one("#rotate-notes")
        assert notes.display and notes.region.height > 0
        said = str(notes.render())
        assert said.startswith("dev: The ledger was not updated: “ghcr” was updated in AI Core.")
        assert "The ledger was not updated" in screen_text(app)


async def test_escape_with_a_loaded_password_goes_back_at_once_and_the_next_form_loads_again(
    sealed_home: Path,
) -> None:
    async with rotate_form(sealed_home, "dev", env={"ROTATE_TOKEN": TOKEN}) as form:
        _, app, pilot, rotate = form
        await load(pilot, "env", "ROTATE_TOKEN")
        await until(pilot, lambda: password(rotate).value == TOKEN)
        # Not typed: ctrl+o loads it again, so nothing is asked; the token does not linger.
        await pilot.press("escape")
        again = await rotate_again(pilot, rotate)
        assert password(again).value == "" and again.source is None
        assert PASSWORD_HINT in hint(again)
        # Typed over, it is the person's: leaving asks first.
        await load(pilot, "env", "ROTATE_TOKEN")
        await until(pilot, lambda: password(again).value == TOKEN)
        again.set_focus(password(again))
        await pilot.press("end", "x", "escape")
        await wait_for(pilot, app, CarefulConfirmModal)
