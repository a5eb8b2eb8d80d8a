"""Running a program the user named: a password command, a docker credential helper.

No shell (the user writes ``sh -c '...'`` to get one), nothing secret in its arguments, its output
capped, and an overall deadline, after which it is killed. Failures become :class:`ChildFailed`
with the words for a sentence; the callers say what the program was for.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from typing import IO

# A password, a token or a helper's JSON answer is a few kilobytes; far more is not one.
OUTPUT_CAP = 256 * 1024


class ChildFailed(Exception):
    """The program could not be started, ran too long, printed too much or exited non-zero."""

    def __init__(self, reason: str, *, kind: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        # "missing", "denied", "timeout", "too-much", "status", "signal", "start" or "stopped".
        self.kind = kind
        self.status = status


class Finished:
    __slots__ = ("status", "stderr", "stdout")

    def __init__(self, status: int, stdout: bytes, stderr: bytes) -> None:
        self.status = status
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self) -> str:
        # stdout may hold a password.
        return f"Finished(status={self.status}, stdout=<{len(self.stdout)} bytes>)"


def _read_into(stream: IO[bytes] | None, sink: list[bytes], cap: int) -> None:
    sink.append(stream.read(cap + 1) if stream is not None else b"")


def run_capped(
    argv: Sequence[str],
    *,
    timeout: float,
    input: bytes | None = None,
    stop: threading.Event | None = None,
    cap: int = OUTPUT_CAP,
) -> Finished:
    """Run ``argv`` and return its exit status and output; ChildFailed when that is not possible.

    Without ``stop`` (the command line) the program shares our terminal: its stdin is ours unless
    ``input`` is given and its stderr reaches the person, so an MFA prompt can be answered. With
    ``stop`` (the app, which owns the terminal) it gets none: stdin is ``input`` or /dev/null,
    stderr is captured and capped, and it runs in a session of its own, so it cannot open
    /dev/tty either, and setting ``stop`` kills it and everything it started.
    A non-zero exit status is returned, not raised: a credential helper reports "not found" so.
    """
    name = argv[0] if argv else ""
    detached = stop is not None
    if input is not None:
        stdin: int | None = subprocess.PIPE
    else:
        stdin = subprocess.DEVNULL if detached else None
    try:
        process = subprocess.Popen(
            list(argv),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if detached else None,
            start_new_session=detached,
        )
    except FileNotFoundError:
        raise ChildFailed(f"“{name}” was not found", kind="missing") from None
    except PermissionError:
        raise ChildFailed(f"“{name}” cannot be run (permission denied)", kind="denied") from None
    except OSError as exc:
        raise ChildFailed(
            f"“{name}” cannot be started ({exc.strerror or exc})", kind="start"
        ) from None
    try:
        return _finish(process, name, timeout=timeout, input=input, stop=stop, cap=cap)
    except BaseException:
        # A timeout, a flood, Escape, or ctrl+c in the command line: nothing is left running.
        _kill(process, group=detached)
        raise


def _finish(
    process: subprocess.Popen[bytes],
    name: str,
    *,
    timeout: float,
    input: bytes | None,
    stop: threading.Event | None,
    cap: int,
) -> Finished:
    out: list[bytes] = []
    err: list[bytes] = []
    streams = [(process.stdout, out)]
    if process.stderr is not None:
        streams.append((process.stderr, err))
    # Daemon threads: a grandchild that keeps the pipe open must not keep us alive.
    readers = [
        threading.Thread(target=_read_into, args=(stream, sink, cap), daemon=True)
        for stream, sink in streams
    ]
    for reader in readers:
        reader.start()
    if input is not None and process.stdin is not None:
        try:
            process.stdin.write(input)
            process.stdin.close()
        except OSError:
            pass  # it exited without reading; its status says why
    deadline = time.monotonic() + timeout

    def flooded() -> bool:
        return any(sink and len(sink[0]) > cap for sink in (out, err))

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    # A program that floods one pipe blocks on it and never closes the other: stop waiting as
    # soon as one stream is over the cap, or that flood would look like a hang.
    for reader in readers:
        while reader.is_alive() and not flooded() and not stopped():
            if time.monotonic() >= deadline:
                break
            reader.join(min(0.05, max(0.0, deadline - time.monotonic())))
    if stopped():
        raise ChildFailed(f"“{name}” was stopped before it finished", kind="stopped")
    if flooded():
        raise ChildFailed(f"“{name}” printed more than {cap // 1024} KiB", kind="too-much")
    if any(reader.is_alive() for reader in readers):
        raise ChildFailed(
            f"“{name}” did not finish within {timeout:g} seconds and was stopped", kind="timeout"
        )
    try:
        status = process.wait(max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        raise ChildFailed(
            f"“{name}” did not finish within {timeout:g} seconds and was stopped", kind="timeout"
        ) from None
    if status < 0:
        raise ChildFailed(f"“{name}” was killed by signal {-status}", kind="signal", status=status)
    return Finished(status, out[0], err[0] if err else b"")


def _kill(process: subprocess.Popen[bytes], *, group: bool) -> None:
    if process.returncode is not None:
        return  # reaped: its pid (and group id) may already belong to another program
    if group:
        # Its own session: the group holds what it started too (a shell's children).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):  # else it is reaped when we exit
        process.wait(5)
