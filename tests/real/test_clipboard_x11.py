"""The X clipboard for real: Xvfb with xclip, read back with ``xclip -o``; and a DISPLAY with no
X server behind it, where xclip fails: no false "Copied", nothing printed over the app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.real.test_clipboard_tmux import driver_env
from tests.support.tmux import TmuxServer
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


def test_display_without_an_x_server_is_said_and_prints_nothing(tmp_path: Path) -> None:
    _need("xclip")
    server = TmuxServer(tmp_path, "set -g set-clipboard on\n")
    display = _unused_display()
    env = driver_env(tmp_path, COPY_TEXT="plain text", COPY_SECRET="0", DISPLAY=display)
    try:
        # Not inside tmux as far as the app knows: only the system clipboard and OSC 52 are left.
        command = f"cd {_ROOT} && exec env -u TMUX {sys.executable} -m tests.support.copy_driver"
        server.start("app", command, env)
        server.wait("the toast", lambda: "through the terminal (OSC 52)" in server.screen("app"))
        screen = server.screen("app")
        assert f"xclip cannot open the X display '{display}': no X server answers there" in screen
        assert "Copied" not in screen
        assert "Can't open display" not in screen and "Error:" not in screen
    finally:
        server.kill()
