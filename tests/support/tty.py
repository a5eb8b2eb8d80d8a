"""A pseudo-terminal for command-line tests: what a person at a terminal sees and types."""

from __future__ import annotations

import os
import subprocess
import sys
import time


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
