"""A program in a pseudo-terminal, as a person's terminal would run it: for the benchmarks here.

The screen is read as the raw bytes the program writes; `plain()` strips escape sequences so a
benchmark can wait for text to appear. Peak memory comes from wait4() when the program exits.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Callable

ANSI = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)"
)

ALT_SCREEN = b"\x1b[?1049h"


def plain(raw: bytes) -> bytes:
    return ANSI.sub(b"", raw)


class PtyProgram:
    """One run of ``argv`` in a ``columns`` x ``lines`` pseudo-terminal."""

    def __init__(
        self, argv: list[str], env: dict[str, str], *, cwd: str, columns: int = 100, lines: int = 30
    ) -> None:
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the program
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.seen = b""
        self.rusage: os.struct_rusage | None = None

    def read(self, timeout: float) -> bytes:
        """What the program wrote within ``timeout`` seconds (b"" if nothing)."""
        if not select.select([self.fd], [], [], timeout)[0]:
            return b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return b""
        self.seen += chunk
        return chunk

    def wait_for(
        self, condition: Callable[[bytes], bool], timeout: float = 20.0, *, poke: bytes = b""
    ) -> float:
        """Seconds from start until ``condition(plain screen bytes)`` holds.

        With ``poke``, those bytes are typed every 20 ms until it holds (to time when a form
        takes keys: typed-ahead keys that reach no input are lost, as for a person).
        """
        deadline = time.perf_counter() + timeout
        next_poke = 0.0
        while time.perf_counter() < deadline:
            # Before the program switches to the alternate screen the terminal is still in
            # cooked mode and echoes what is typed itself: poke, and look, only after that.
            app_screen = self.seen.find(ALT_SCREEN)
            if poke and app_screen >= 0 and time.perf_counter() >= next_poke:
                os.write(self.fd, poke)
                next_poke = time.perf_counter() + 0.02
            self.read(0.005)
            screen = self.seen[app_screen:] if poke and app_screen >= 0 else self.seen
            if (not poke or app_screen >= 0) and condition(plain(screen)):
                return time.perf_counter() - self.started
        tail = plain(self.seen)[-400:]
        raise RuntimeError(f"the awaited text never appeared; last output: {tail!r}")

    def type_key(self, key: bytes, quiet: float = 0.015, timeout: float = 2.0) -> float:
        """Type one key; seconds until the screen's answer to it is complete.

        The answer is the burst of output after the key, ended by ``quiet`` seconds of silence
        (the time to the burst's last byte is what a person sees: the redraw and its hints).
        """
        self.drain(quiet)
        sent = time.perf_counter()
        os.write(self.fd, key)
        last = None
        deadline = sent + timeout
        while time.perf_counter() < deadline:
            if self.read(quiet):
                last = time.perf_counter()
            elif last is not None:
                return last - sent
        raise RuntimeError(f"no answer to key {key!r} within {timeout} s")

    def drain(self, quiet: float) -> None:
        while self.read(quiet):
            pass

    def stop(self, quit_keys: bytes = b"\x11") -> os.struct_rusage:
        """Quit (ctrl+q), drain, reap (kill after 5 s); the child's resource usage."""
        with contextlib.suppress(OSError):
            os.write(self.fd, quit_keys)
        end = time.perf_counter() + 5
        usage: os.struct_rusage | None = None
        while time.perf_counter() < end:
            self.read(0.05)
            waited, _, got = os.wait4(self.pid, os.WNOHANG)
            if waited:
                usage = got
                break
        if usage is None:
            os.kill(self.pid, signal.SIGKILL)
            usage = os.wait4(self.pid, 0)[2]
        os.close(self.fd)
        self.rusage = usage
        return usage
