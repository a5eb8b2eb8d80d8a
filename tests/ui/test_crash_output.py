"""What Textual prints after the app ends (its crash report, a panic's text, an exit message) goes
through the display boundary: a crash quoting a server cannot write its escapes to the user's
terminal once the screen is gone (OSC 52 sets the clipboard, CSI 2 J clears the screen).

A real process on a pseudo-terminal, as Textual's driver needs one; its screen and the report go
to stderr (Textual writes there), read apart from stdout. Colours stay forced on, as on a terminal:
Rich's own styles are escapes too, the hostile ones must not be.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "the registry said \x1b]52;c;aGk=\x07 then \x1b[2J and \x9b2J end"
RAW = (b"\x1b]52", b"\x1b[2J", "\x9b".encode())


def crash_run(boom: str, home: Path) -> tuple[int, bytes, bytes]:
    """Run the app with ``boom`` as its on_mount: (exit code, stdout, stderr), every byte."""
    import pty

    code = (
        "import sys\nimport tui.app as a\n"
        f"def boom(self):\n    {boom}\n"
        "a.RegsecretApp.on_mount = boom\n"
        "sys.exit(a.run_app(False, None))\n"
    )
    leader, follower = pty.openpty()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AICORE_")},
        "HOME": str(home),
        "REGSECRET_CONFIG_DIR": str(home / "config"),
        "TERM": "xterm-256color",
        "FORCE_COLOR": "1",
        "COLUMNS": "100",
        "LINES": "30",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=follower,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        close_fds=True,
        start_new_session=True,
    )
    os.close(follower)
    out = b""
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    out += os.read(leader, 65536)
                except OSError:
                    break
        assert process.stderr is not None
        err = process.stderr.read()
        code_ = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
    return code_, out, err


@pytest.mark.parametrize(
    "boom",
    [
        # An exception quoting a server: Textual's traceback, its message last.
        f"raise RuntimeError({HOSTILE!r})",
        # App.panic, what Textual's input thread calls when it breaks.
        f"self.panic({HOSTILE!r})",
        # An exit message given as a plain string.
        f"self.exit(return_code=1, message={HOSTILE!r})",
    ],
    ids=["traceback", "panic", "exit-message"],
)
def test_no_raw_escape_of_a_crash_reaches_the_terminal(tmp_path: Path, boom: str) -> None:
    code, out, err = crash_run(boom, tmp_path)
    assert code == 1
    report = err.decode("utf-8", "replace")
    # The report was printed, the hostile words in it: there was something to leak.
    assert "the registry said" in report and "end" in report, report[-2000:]
    for raw in RAW:
        assert raw not in err and raw not in out, raw
