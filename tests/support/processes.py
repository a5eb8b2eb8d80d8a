"""Whether a process a test started (through the code under test) is still alive."""

from __future__ import annotations


def process_gone(pid: int) -> bool:
    """Dead, or a zombie its parent has not reaped yet (killed all the same)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True
