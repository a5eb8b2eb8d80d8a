"""The app in a real pseudo-terminal: a byte that is not UTF-8 does not end it, a crash exits 1.

Textual's own driver reads the terminal here (Pilot does not), so only a pty shows these.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.support.tty import app_on_pty, drain, quit_app, read_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


APP = "import sys\nfrom tui.app import run_app\nsys.exit(run_app(False, None))\n"


def test_a_byte_that_is_not_utf8_does_not_end_the_app(tmp_path: Path) -> None:
    with app_on_pty(APP, tmp_path) as (process, leader):
        assert b"connection profile" in read_until(leader, b"connection profile", 30)
        os.write(leader, b"\xff\xfe")
        drain(leader, process, 2)
        assert process.poll() is None, "the app ended on a byte that is not UTF-8"
        assert quit_app(leader, process) == 0


@pytest.mark.parametrize(
    "boom",
    # An exception in a handler; and App.panic, what Textual's input thread calls when it breaks
    # (it left the return code at 0).
    ["raise RuntimeError('boom')", "self.panic('boom')"],
    ids=["exception", "panic"],
)
def test_a_crash_exits_non_zero(tmp_path: Path, boom: str) -> None:
    crash = (
        "import sys\nimport tui.app as a\n"
        f"def boom(self):\n    {boom}\n"
        "a.RegsecretApp.on_mount = boom\n"
        "sys.exit(a.run_app(False, None))\n"
    )
    with app_on_pty(crash, tmp_path) as (process, leader):
        drain(leader, process, 30)
        assert process.wait(timeout=5) == 1
