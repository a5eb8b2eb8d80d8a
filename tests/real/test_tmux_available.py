"""The layer's own guard: tmux, which the clipboard and focus tests drive, is really there."""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.real


def test_tmux_runs_a_session_on_a_private_socket(tmp_path: object) -> None:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed (scripts/install-real-components.sh installs it)")
    socket = f"{tmp_path}/tmux.sock"
    subprocess.run(
        [tmux, "-S", socket, "new-session", "-d", "-x", "80", "-y", "24", "sleep 5"], check=True
    )
    try:
        out = subprocess.run(
            [tmux, "-S", socket, "display-message", "-p", "#{window_width}x#{window_height}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        assert out == "80x24"
    finally:
        subprocess.run([tmux, "-S", socket, "kill-server"], check=False)
