"""A pseudo-terminal for command-line tests: what a person at a terminal sees and types."""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path


def tty_session(
    argv: list[str], answer: bytes, *, wait_for: bytes | None = b"not shown"
) -> tuple[int, bytes, bytes]:
    """Run ``regsecret argv`` with a pseudo-terminal as stdin and controlling terminal.

    Types ``answer`` and Enter once ``wait_for`` shows on the terminal (at once when None).
    Returns the exit code, stdout, and what the terminal showed followed by stderr.
    """
    import fcntl
    import select
    import termios

    master, slave = os.openpty()

    def become_tty_owner() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", *argv],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=become_tty_owner,
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 10
    while wait_for is not None and wait_for not in seen and time.monotonic() < deadline:
        if not select.select([master], [], [], 0.1)[0]:
            continue
        try:
            seen += os.read(master, 1024)
        except OSError:  # the child closed the terminal: it has finished
            break
    if proc.poll() is None:
        os.write(master, answer + b"\n")
    out, err = proc.communicate(timeout=10)
    try:
        while select.select([master], [], [], 0.1)[0]:
            chunk = os.read(master, 1024)
            if not chunk:
                break
            seen += chunk
    except OSError:
        pass
    os.close(master)
    return proc.returncode, out, seen + err


@contextlib.contextmanager
def app_on_pty(code: str, home: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``python -c code`` on a new pseudo-terminal (100x30), home in ``home``: the process and
    the leader fd; killed (if still running) and closed at the end."""
    process, leader = start(code, home)
    try:
        yield process, leader
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)


def quit_app(leader: int, process: subprocess.Popen[bytes], keys: bytes = b"\x11") -> int:
    """Press ctrl+q (or ``keys``: ctrl+q and y, where a form holds what was typed and the app
    asks first) and wait for the app to end: its exit code."""
    os.write(leader, keys)
    drain(leader, process, 15)
    return process.wait(timeout=5)


def start(code: str, home: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``python -c code`` on a new pseudo-terminal (100x30), home in ``home``; the leader fd."""
    import pty

    leader, follower = pty.openpty()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AICORE_")},
        "HOME": str(home),
        "REGSECRET_CONFIG_DIR": str(home / "config"),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "30",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(follower)
    return process, leader


def read_until(leader: int, needle: bytes, seconds: float) -> bytes:
    """What the program writes until ``needle`` shows or ``seconds`` pass."""
    seen = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end and needle not in seen:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                seen += os.read(leader, 65536)
            except OSError:
                break
    return seen


def drain(leader: int, process: subprocess.Popen[bytes], seconds: float) -> None:
    """Read (and drop) what the program writes until it ends or ``seconds`` pass."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and process.poll() is None:
        read_until(leader, b"\0never\0", 0.2)
