"""The app against a hostile AI Core on a real terminal (tmux): nothing foreign reaches it.

Secret names from the server carry OSC 0 (set the title), OSC 52 (write the clipboard, which tmux
turns into a paste buffer with ``set-clipboard on``), C1 controls and a screen clear. After the
list is drawn, the pane's title is unchanged, no paste buffer exists, and the captured screen
(with its escape codes) holds no foreign sequence.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.hostile_server import ESCAPES, HostileServer

pytestmark = pytest.mark.real

_SGR = re.compile(r"\x1b\[[0-9;:]*m")


def _tmux(socket: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    tmux = shutil.which("tmux")
    assert tmux is not None
    return subprocess.run([tmux, "-S", socket, *args], check=check, capture_output=True, text=True)


def _screen(socket: str) -> str:
    return _tmux(socket, "capture-pane", "-p", "-e", "-t", "hostile").stdout


def _wait_for(socket: str, text: str, seconds: float = 40) -> str:
    deadline = time.monotonic() + seconds
    shown = ""
    while time.monotonic() < deadline:
        shown = _screen(socket)
        if text in _SGR.sub("", shown):
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never showed; the pane had:\n{_SGR.sub('', shown)}")


def test_hostile_names_write_nothing_to_the_terminal(
    tmp_path: Path, hostile: HostileServer
) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (scripts/install-real-components.sh installs it)")
    hostile.secrets("first-" + ESCAPES + "-name", "second-ok")
    socket = str(tmp_path / "tmux.sock")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "TERM": "screen-256color",
        "HOME": str(home),
        "REGSECRET_CONFIG_DIR": str(home / "config"),
        "AICORE_HOME": str(home / ".aicore"),
        "AICORE_CLIENT_ID": "demo",
        "AICORE_CLIENT_SECRET": "demo-secret",
        "AICORE_AUTH_URL": hostile.token_url,
        "AICORE_BASE_URL": hostile.api_url,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    options = [item for name, value in env.items() for item in ("-e", f"{name}={value}")]
    command = f"{sys.executable} -m tui --profile env"
    _tmux(socket, "new-session", "-d", "-s", "hostile", "-x", "100", "-y", "30", *options, command)
    try:
        _tmux(socket, "set-option", "-g", "set-clipboard", "on")
        _tmux(socket, "set-option", "-g", "allow-rename", "on")
        title_before = _tmux(socket, "display", "-p", "-t", "hostile", "#{pane_title}").stdout
        _wait_for(socket, "Secret name")
        _tmux(socket, "send-keys", "-t", "hostile", "F3")
        screen = _wait_for(socket, "second-ok")
        time.sleep(1.0)  # a frame or two more, should anything come late
        screen = _screen(socket)
        title_after = _tmux(socket, "display", "-p", "-t", "hostile", "#{pane_title}").stdout
        buffers = _tmux(socket, "list-buffers").stdout
        assert "PWNED" not in title_after and title_after == title_before
        assert buffers == "", f"a paste buffer was set: {buffers!r}"
        foreign = _SGR.sub("", screen)
        assert "\x1b" not in foreign and not any(0x80 <= ord(c) <= 0x9F for c in foreign)
        assert "first--name" in foreign or "first-" in foreign
        # The update form puts the raw name into its Secret name field: drawn, not played.
        _tmux(socket, "send-keys", "-t", "hostile", "Enter")
        _wait_for(socket, "first-␛")
        time.sleep(1.0)
        foreign = _SGR.sub("", _screen(socket))
        title_after = _tmux(socket, "display", "-p", "-t", "hostile", "#{pane_title}").stdout
        assert "PWNED" not in title_after and title_after == title_before
        assert _tmux(socket, "list-buffers").stdout == ""
        assert "\x1b" not in foreign and not any(0x80 <= ord(c) <= 0x9F for c in foreign)
    finally:
        _tmux(socket, "kill-server", check=False)
