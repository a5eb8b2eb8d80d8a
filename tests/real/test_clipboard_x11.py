"""The X clipboard for real: Xvfb with xclip, read back with ``xclip -o``; and a DISPLAY with no
X server behind it, where xclip fails: no false "Copied", nothing printed over the app."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.core import clipboard

pytestmark = pytest.mark.real

SECRET = "x11-secret-\u00fc-9Kd"
_ROOT = Path(__file__).resolve().parents[2]


def _need(*programs: str) -> None:
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (scripts/install-real-components.sh)")


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private X server (no TCP); its DISPLAY."""
    _need("Xvfb", "xclip")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp", "-screen", "0", "640x480x24"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()
    try:
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def _xclip_out(display: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISPLAY": display}
    return subprocess.run(
        ["xclip", "-o", "-selection", "clipboard"],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )


def test_copy_is_read_back_by_xclip_and_the_clear_is_real(xvfb: str) -> None:
    board = clipboard.SystemClipboard({**os.environ, "DISPLAY": xvfb}, platform="linux")
    assert board.tool().name == "xclip"
    assert clipboard.copy_to_system(SECRET, board) == clipboard.CopyOutcome(True)
    assert _xclip_out(xvfb).stdout == SECRET
    assert clipboard.clear_if_unchanged(clipboard.fingerprint(SECRET), board)
    assert SECRET not in _xclip_out(xvfb).stdout
    # Something the user copied since is left alone.
    subprocess.run(
        ["xclip", "-i", "-selection", "clipboard"],
        input="theirs",
        text=True,
        env={**os.environ, "DISPLAY": xvfb},
        check=True,
        timeout=10,
    )
    assert not clipboard.clear_if_unchanged(clipboard.fingerprint(SECRET), board)
    assert _xclip_out(xvfb).stdout == "theirs"


def _unused_display() -> str:
    number = next(n for n in range(87, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    return f":{number}"


def test_display_without_an_x_server_is_said_and_prints_nothing() -> None:
    """xclip on a DISPLAY with no server, from a process whose terminal is a real pty: the only
    text on that terminal is what the process itself prints, and no copy is claimed."""
    _need("xclip")
    display = _unused_display()
    code = (
        "from tui.core import clipboard\n"
        "outcome = clipboard.copy_to_system('plain text', clipboard.SystemClipboard())\n"
        "print('OUTCOME', outcome.system, outcome.reason)\n"
    )
    master, slave = pty.openpty()
    env = {**os.environ, "DISPLAY": display, "PYTHONPATH": str(_ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    written = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                raise AssertionError(f"no end after 30 s; the terminal shows {written!r}")
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            written += chunk
    finally:
        os.close(master)
        child.wait(10)
    shown = written.decode(errors="replace").strip()
    expected = f"xclip cannot open the X display '{display}': no X server answers there"
    assert shown == f"OUTCOME False {expected}"
    assert "Can't open display" not in shown
