"""Processes beside a test: whether one it caused is still alive; a lock held by another."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path


def process_gone(pid: int) -> bool:
    """Dead, or a zombie its parent has not reaped yet (killed all the same)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


@contextlib.contextmanager
def lock_held_elsewhere(lock: Path) -> Iterator[None]:
    """``lock`` (a filelock file) held by another process until the block ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            # The lock is kept in a name: a FileLock nobody refers to is released at once.
            "import sys, time; from filelock import FileLock; held = FileLock(sys.argv[1]); "
            "held.acquire(); print('held', flush=True); time.sleep(600)",
            str(lock),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()
