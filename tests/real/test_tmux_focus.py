"""The focused field is marked on a real terminal: tmux with TERM=screen-256color, read back with
``capture-pane -e`` (the escape codes a person's terminal would draw)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.real

_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def _tmux(socket: str, *args: str) -> str:
    tmux = shutil.which("tmux")
    assert tmux is not None
    done = subprocess.run([tmux, "-S", socket, *args], check=True, capture_output=True, text=True)
    return done.stdout


def _wait_for(socket: str, text: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    shown = ""
    while time.monotonic() < deadline:
        shown = _tmux(socket, "capture-pane", "-p", "-e", "-t", "focus")
        if text in _SGR.sub("", shown):
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never showed; the pane had:\n{_SGR.sub('', shown)}")


def _line_with(screen: str, label: str) -> str:
    return next(line for line in screen.splitlines() if label in _SGR.sub("", line))


def _styles_before(line: str, label: str) -> set[str]:
    """The SGR parameters in force where ``label`` starts on this line."""
    index = line.index(label)
    active: set[str] = set()
    for match in _SGR.finditer(line[:index]):
        params = match.group(1).split(";") if match.group(1) else ["0"]
        if "0" in params:
            active.clear()
        active.update(p for p in params if p in ("1", "7"))
    return active


def test_focus_is_marked_in_256_colours(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (scripts/install-real-components.sh installs it)")
    socket = str(tmp_path / "tmux.sock")
    home = tmp_path / "home"
    home.mkdir()
    command = f"{sys.executable} -m tui --demo"
    _tmux(
        socket,
        "new-session",
        "-d",
        "-s",
        "focus",
        "-x",
        "80",
        "-y",
        "24",
        "-e",
        "TERM=screen-256color",
        "-e",
        "COLORTERM=",
        "-e",
        f"HOME={home}",
        "-e",
        f"XDG_CONFIG_HOME={home / '.config'}",
        "-e",
        f"XDG_DATA_HOME={home / '.local/share'}",
        command,
    )
    try:
        _wait_for(socket, "demo-dev")
        _tmux(socket, "send-keys", "-t", "focus", "Enter")
        _wait_for(socket, "Register a Docker registry secret")
        _tmux(socket, "send-keys", "-t", "focus", "-l", "abc")
        _tmux(socket, "send-keys", "-t", "focus", "Tab", "Tab", "Tab")
        deadline = time.monotonic() + 15
        while True:
            screen = _wait_for(socket, "Username")
            username = _line_with(screen, "Username")
            # The field's bar and its label's style come in separate frames on a loaded machine:
            # wait for both (or the deadline), then judge what is on screen.
            marked = "▌" in username and _styles_before(username, "Username") == {"1", "7"}
            if marked or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        # 256 colours: no truecolor code anywhere, so the marking cannot rest on a shade of grey.
        assert "38;2;" not in screen and "48;2;" not in screen
        assert "▌" in username, username
        assert _styles_before(username, "Username") == {"1", "7"}, repr(username)
        name = _line_with(screen, "Secret name")
        assert "▌" not in name and not _styles_before(name, "Secret name"), repr(name)
    finally:
        subprocess.run(["tmux", "-S", socket, "kill-server"], check=False)
