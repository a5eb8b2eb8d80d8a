"""Running a helper program: its output is capped, and a flood is told from a hang at once."""

from __future__ import annotations

import threading
import time

import pytest

from tui.core.child_process import ChildFailed, run_capped


def test_a_flood_on_stdout_is_too_much_at_once_while_stderr_is_read_too() -> None:
    # A credential helper's stderr is read as well: the flooding program blocks on its full stdout
    # pipe and never closes stderr, which used to look like a hang for the whole timeout.
    started = time.monotonic()
    with pytest.raises(ChildFailed) as failed:
        run_capped(["yes"], timeout=30, input=b"", stop=threading.Event(), cap=1024)
    assert failed.value.kind == "too-much"
    assert time.monotonic() - started < 10
