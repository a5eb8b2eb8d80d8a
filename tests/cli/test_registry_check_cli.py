"""``regsecret check`` as a user runs it: a real process, the password on stdin, exit codes."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.cli import main
from tui.emulator.registry import RegistryEmulator

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-registry-token"


@pytest.fixture(scope="module")
def registry() -> Iterator[RegistryEmulator]:
    with RegistryEmulator() as emulator:
        yield emulator


def regsecret(*args: str, stdin: bytes) -> subprocess.CompletedProcess[str]:
    process = subprocess.run(
        [sys.executable, "-m", "tui", "check", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=30,
    )
    return subprocess.CompletedProcess(
        process.args,
        process.returncode,
        process.stdout.decode("utf-8"),
        process.stderr.decode("utf-8"),
    )


def one_line(process: subprocess.CompletedProcess[str]) -> str:
    lines = process.stdout.splitlines()
    assert len(lines) == 1, process.stdout + process.stderr
    assert PASSWORD not in process.stdout + process.stderr
    return lines[0]


def test_accepted_exits_0(registry: RegistryEmulator) -> None:
    done = regsecret(
        "--registry",
        registry.host,
        "--username",
        "demo",
        "--password-stdin",
        "--image",
        f"{registry.host}/demo/app:1.0",
        stdin=f"{PASSWORD}\n".encode(),
    )
    assert done.returncode == 0, done.stderr
    assert one_line(done) == (
        f"{registry.host} accepted the credentials for user demo, and they can pull demo/app:1.0."
    )
    assert done.stderr == ""


def test_rejected_exits_4(registry: RegistryEmulator) -> None:
    done = regsecret(
        "--registry",
        registry.host,
        "--username",
        "demo",
        "--password-stdin",
        stdin=b"not-the-token",
    )
    assert done.returncode == 4
    line = one_line(done)
    assert "refused the login for user demo" in line
    assert "not-the-token" not in done.stdout + done.stderr


def test_image_without_pull_permission_exits_5(registry: RegistryEmulator) -> None:
    done = regsecret(
        "--registry",
        registry.host,
        "--username",
        "reader",
        "--password-stdin",
        "--image",
        f"{registry.host}/demo/app:1.0",
        stdin=b"reader-token",
    )
    assert done.returncode == 5
    assert "may not pull demo/app:1.0" in one_line(done)


def test_unknown_host_exits_3() -> None:
    done = regsecret(
        "--registry",
        "no-such-host.invalid",
        "--username",
        "demo",
        "--password-stdin",
        stdin=PASSWORD.encode(),
    )
    assert done.returncode == 3
    line = one_line(done)
    assert "no-such-host.invalid could not be found" in line
    assert "not a verdict on the credentials" in line


def test_refused_port_exits_3() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = regsecret(
        "--registry",
        f"127.0.0.1:{port}",
        "--username",
        "demo",
        "--password-stdin",
        stdin=PASSWORD.encode(),
    )
    assert done.returncode == 3
    assert "refused" in one_line(done)


def in_process(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    stdin: bytes,
) -> tuple[int, str]:
    """``regsecret`` run in this process: for the cases that need no separate interpreter."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(["check", *argv])
    out = capsys.readouterr()
    assert PASSWORD not in out.out + out.err
    lines = out.out.splitlines()
    assert len(lines) == 1, out
    return code, lines[0]


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["--username", "demo"], b"\n", "Nothing came on standard input"),
        (["--username", "demo"], b"a\nb\n", "has 2 lines"),
        (["--username", "de:mo"], PASSWORD.encode(), "cannot contain ':'"),
        (["--username", "demo", "--image", "Not A Ref"], PASSWORD.encode(), "no spaces"),
        (["--username", "demo"], b"\xff\xfe-not-utf8", "not UTF-8"),
    ],
)
def test_bad_input_exits_2(
    registry: RegistryEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: bytes,
    words: str,
) -> None:
    argv = ["--registry", registry.host, *args, "--password-stdin"]
    code, line = in_process(monkeypatch, capsys, argv, stdin)
    assert code == 2
    assert words in line


@pytest.mark.parametrize("typed", ["http://demo:{token}@{host}", "{host}\u200b"])
def test_userinfo_or_invisible_character_in_the_registry_exits_2(
    registry: RegistryEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    typed: str,
) -> None:
    address = typed.format(token="ghp_UsErInFoToK", host=registry.host)
    argv = ["--registry", address, "--username", "demo", "--password-stdin"]
    code, line = in_process(monkeypatch, capsys, argv, PASSWORD.encode())
    assert code == 2
    assert line.startswith("The registry must")
    assert "ghp_UsErInFoToK" not in line


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b""])
def test_one_line_ending_is_dropped(
    registry: RegistryEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ending: bytes,
) -> None:
    argv = ["--registry", registry.host, "--username", "demo", "--password-stdin"]
    code, line = in_process(monkeypatch, capsys, argv, PASSWORD.encode() + ending)
    assert code == 0, line


def test_blank_lines_around_the_password_are_dropped(
    registry: RegistryEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The one rule for a password, the app's paste rule too: one line, blank lines dropped.
    argv = ["--registry", registry.host, "--username", "demo", "--password-stdin"]
    code, _ = in_process(monkeypatch, capsys, argv, b"\n" + PASSWORD.encode() + b"\n\n")
    assert code == 0


def test_missing_password_stdin_flag_exits_2(registry: RegistryEmulator) -> None:
    done = regsecret("--registry", registry.host, "--username", "demo", stdin=b"")
    assert done.returncode == 2
    assert "--password-stdin" in done.stderr


def test_check_loads_no_textual(registry: RegistryEmulator) -> None:
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        f"rc = main(['check', '--registry', '{registry.host}', '--username', 'demo',"
        " '--password-stdin'])\n"
        "assert 'textual' not in sys.modules, 'regsecret check imported textual'\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=PASSWORD,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
