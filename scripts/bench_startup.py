"""Measure start-up: time from process start until the first screen is drawn, and peak memory.

Runs `regsecret --demo` and a minimal Textual app (scripts/minimal_app.py) alternately in a
pseudo-terminal of 100x30, so both see the same machine state. A run ends when the first screen's
title text has been drawn; then ctrl+q is sent and the process's peak RSS is read from wait4().

    python scripts/bench_startup.py [--runs 15]

Not part of the test run: it measures, it does not assert (except with --check, which exits 1 when
the budget of issue 6 is missed: ratio <= 1.15, memory <= 1.25x).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = b"Choose a connection profile"
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\x1b\][^\x07]*\x07")
COMMANDS = {
    "regsecret --demo": [sys.executable, "-m", "tui", "--demo"],
    "minimal textual": [sys.executable, str(ROOT / "scripts" / "minimal_app.py")],
}


def run_once(argv: list[str], env: dict[str, str], timeout: float = 20.0) -> tuple[float, int]:
    """Seconds until MARKER is on screen, and peak RSS in KiB."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.chdir(ROOT)
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    seen = b""
    ready_at: float | None = None
    deadline = start + timeout
    while ready_at is None and time.perf_counter() < deadline:
        readable, _, _ = select.select([fd], [], [], 0.05)
        if not readable:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        seen += chunk
        if MARKER in ANSI.sub(b"", seen):
            ready_at = time.perf_counter()
    os.write(fd, b"\x11")  # ctrl+q
    usage = _reap(pid, fd)
    os.close(fd)
    if ready_at is None:
        raise RuntimeError(
            f"{argv} never drew {MARKER!r}; last output: {ANSI.sub(b'', seen)[-300:]!r}"
        )
    return ready_at - start, usage.ru_maxrss


def _reap(pid: int, fd: int) -> os.struct_rusage:
    """Drain the pty until the child exits (kill it after 5 s); its resource usage."""
    end = time.perf_counter() + 5
    while time.perf_counter() < end:
        if select.select([fd], [], [], 0.05)[0]:
            with contextlib.suppress(OSError):
                os.read(fd, 65536)
        waited, _, usage = os.wait4(pid, os.WNOHANG)
        if waited:
            return usage
    os.kill(pid, signal.SIGKILL)
    return os.wait4(pid, 0)[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--check", action="store_true", help="exit 1 when the budget is missed")
    args = parser.parse_args()
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="100", LINES="30")
    env.pop("TEXTUAL", None)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    rss: dict[str, list[int]] = {name: [] for name in COMMANDS}
    for argv in COMMANDS.values():  # warm the file cache once, untimed
        run_once(argv, env)
    for _ in range(args.runs):
        for name, argv in COMMANDS.items():
            seconds, kib = run_once(argv, env)
            times[name].append(seconds)
            rss[name].append(kib)
    ours, base = COMMANDS
    for name in COMMANDS:
        print(
            f"{name:18} median {statistics.median(times[name]) * 1000:6.0f} ms"
            f"  (min {min(times[name]) * 1000:.0f}, max {max(times[name]) * 1000:.0f})"
            f"  peak RSS {statistics.median(rss[name]) / 1024:5.1f} MiB"
        )
    ratio = statistics.median(times[ours]) / statistics.median(times[base])
    mem_ratio = statistics.median(rss[ours]) / statistics.median(rss[base])
    print(f"time ratio {ratio:.2f} (budget 1.15), memory ratio {mem_ratio:.2f} (budget 1.25)")
    print(f"runs: {args.runs} each, alternating, 100x30 pty, python {sys.version.split()[0]}")
    if args.check and (ratio > 1.15 or mem_ratio > 1.25):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
