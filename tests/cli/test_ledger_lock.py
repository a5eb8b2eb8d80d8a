"""The ledger's lock held by another process: the command waits a few seconds, not thirty, says
the secret was registered and the ledger was not updated; ctrl+c meanwhile says what is true."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fleet import sdk_profile
from tests.support.processes import lock_held_elsewhere
from tui.core.exit_codes import EXIT_OK, EXIT_STOPPED
from tui.core.ledger import LOCK_NAME, LOCK_WAIT
from tui.emulator.server import Emulator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tenant(private_home: Path) -> Iterator[Emulator]:
    with Emulator() as emu:
        sdk_profile(private_home, "dev", emu)
        yield emu


def _lock() -> Path:
    folder = Path(os.environ["REGSECRET_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / LOCK_NAME


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _register(name: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui",
            "register",
            name,
            "--profile",
            "dev",
            "--registry",
            "ghcr.io",
            "--username",
            "octo",
            "--password-stdin",
            "--no-check",
            "--json",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
        preexec_fn=_default_sigint,  # as from a shell
    )
    assert child.stdin is not None
    child.stdin.write("token-1\n")
    child.stdin.close()
    child.stdin = None  # so that communicate() does not flush it again
    return child


def _created(emu: Emulator) -> bool:
    return any(
        r.method == "POST" and r.path.startswith("/v2/admin/dockerRegistrySecrets")
        for r in emu.requests
    )


def test_a_busy_ledger_lock_costs_a_few_seconds_and_is_told(tenant: Emulator) -> None:
    with lock_held_elsewhere(_lock()):
        started = time.monotonic()
        child = _register("locked")
        out, err = child.communicate(timeout=60)
        took = time.monotonic() - started
    assert child.returncode == EXIT_OK
    assert took < LOCK_WAIT + 12  # was 30 s and more
    answer = json.loads(out)
    assert answer["ok"] is True and answer["exit_code"] == EXIT_OK
    assert answer["outcome"] == "created"
    assert "The ledger was not updated: “locked” was created in AI Core." in err
    assert f"for more than {LOCK_WAIT:g} seconds" in err
    assert "Traceback" not in err


def test_ctrl_c_while_the_ledger_waits_says_the_secret_was_created(tenant: Emulator) -> None:
    with lock_held_elsewhere(_lock()):
        child = _register("held")
        deadline = time.monotonic() + 30
        while not _created(tenant):
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.5)  # its answer is back: the command now waits for the ledger's lock
        assert child.poll() is None
        pressed = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
        took = time.monotonic() - pressed
    assert took < 5  # was 30 s
    assert child.returncode == EXIT_STOPPED
    # One object, and not "ok" beside an exit status saying stopped; it says AI Core has it.
    answer = json.loads(out)
    assert answer["ok"] is False and answer["exit_code"] == EXIT_STOPPED
    assert answer["outcome"] == "stopped" and answer["command"] == "register"
    assert answer["sent"] is True and answer["name"] == "held" and answer["profile"] == "dev"
    assert answer["sentence"] == (
        "Stopped (ctrl+c) after AI Core confirmed that “held” was created; regsecret's ledger "
        "may not note it."
    )
    assert (
        "The ledger may not be updated: “held” was created in AI Core; stopped while noting it "
        "in the ledger, which may not note it." in err
    )
    assert f"regsecret: {answer['sentence']}" in err
    assert "Traceback" not in err
