"""The app copying a secret inside tmux 3.3 with ``set-clipboard on``, read back with tmux itself.

tmux turns the app's OSC 52 into a paste buffer of its own, beside the one the app loads; an empty
OSC 52 does not clear either. The app must clear both, and say "cleared" only when
``list-buffers`` / ``show-buffer`` no longer find the secret.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.tmux import TmuxServer

pytestmark = pytest.mark.real

SECRET = "tmux-secret-7Qz!"
_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[TmuxServer]:
    tmux = TmuxServer(tmp_path, "set -g set-clipboard on\n")
    yield tmux
    tmux.kill()


def driver_env(home: Path, **extra: str) -> dict[str, str]:
    """The app's environment: a private home, no display (as over SSH), not inside another tmux."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX", "TMUX_PANE")
    }
    env.update(
        HOME=str(home),
        REGSECRET_CONFIG_DIR=str(home / "config"),
        PYTHONPATH=str(_ROOT),
        PYTHONDONTWRITEBYTECODE="1",
        **extra,
    )
    return env


def _holding(server: TmuxServer, text: str) -> list[str]:
    return sorted(name for name, content in server.buffers().items() if content == text)


def _copy_a_secret(server: TmuxServer, home: Path, clear_after: str) -> str:
    """Start the app, let it copy the secret, agree; what the question said."""
    env = driver_env(home, COPY_TEXT=SECRET, COPY_SECRET="1", CLEAR_AFTER=clear_after)
    server.start("keep", "sleep 600", env)  # the server outlives the app
    server.start("app", f"cd {_ROOT} && exec {sys.executable} -m tests.support.copy_driver", env)
    server.wait("the question", lambda: "through the terminal?" in server.screen("app"))
    question = server.screen("app")
    assert _holding(server, SECRET) == []  # asked before anything was copied
    server("send-keys", "-t", "app", "y")
    server.wait("both buffers", lambda: len(_holding(server, SECRET)) >= 2)
    return question


def test_the_clear_removes_the_secret_from_tmux_buffers(server: TmuxServer, tmp_path: Path) -> None:
    question = _copy_a_secret(server, tmp_path, clear_after="3")
    assert "neither check nor clear" in question
    if shutil.which("xclip"):
        # xclip is installed: what is missing is the display, and that is what is said.
        assert "there is no display here" in question and "install" not in question
    names = _holding(server, SECRET)
    # Ours, and the one tmux made from the app's OSC 52.
    assert "regsecret" in names and any(n != "regsecret" for n in names)
    server.wait(
        "the toast", lambda: "Copied the test text to tmux's paste buffer" in server.screen("app")
    )
    server.wait(
        "the clear",
        lambda: "Cleared the copied secret from tmux's buffers" in server.screen("app"),
    )
    assert _holding(server, SECRET) == []
    assert "may still hold it" in server.screen("app")


def test_quitting_clears_the_secret_from_tmux_buffers(server: TmuxServer, tmp_path: Path) -> None:
    _copy_a_secret(server, tmp_path, clear_after="600")
    server("send-keys", "-t", "app", "C-q")
    server.wait("the app to quit", lambda: "app:" not in server("list-sessions"))
    assert _holding(server, SECRET) == []
