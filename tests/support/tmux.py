"""A tmux server on a private socket, for tests that run the app in a real terminal.

Nothing touches the user's own tmux: the socket lives in the test's tmp dir, the configuration is
the test's, and :meth:`TmuxServer.kill` ends the server and everything in it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

# The app's dialogs and toasts draw borders; a sentence wraps across their lines.
_BORDERS = re.compile(r"[│▌▐╭╮╰╯─▔▁]+")


def tmux_or_skip() -> str:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed (scripts/install-real-components.sh installs it)")
    return tmux


class TmuxServer:
    def __init__(self, folder: Path, config: str = "") -> None:
        self.tmux = tmux_or_skip()
        self.socket = str(folder / "tmux.sock")
        self.config = folder / "tmux.conf"
        self.config.write_text(config)

    def __call__(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        done = subprocess.run(
            [self.tmux, "-S", self.socket, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=20,
            env=None if env is None else dict(env),
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self, name: str, command: str, env: Mapping[str, str]) -> None:
        """A detached session ``name`` running ``command`` in a 120x40 pane."""
        self("new-session", "-d", "-s", name, "-x", "120", "-y", "40", command, env=env)

    def screen(self, name: str) -> str:
        """What the pane shows, borders dropped and lines joined: sentences read whole."""
        text = self("capture-pane", "-p", "-t", name)
        return " ".join(_BORDERS.sub(" ", text).split())

    def buffers(self) -> dict[str, str]:
        names = self("list-buffers", "-F", "#{buffer_name}").split()
        return {name: self("show-buffer", "-b", name) for name in names}

    def wait(self, what: str, ready: Callable[[], bool], seconds: float = 40) -> None:
        """Until ``ready()``; else fail, showing every pane (well within the test's own timeout)."""
        deadline = time.monotonic() + seconds
        while not ready():
            if time.monotonic() > deadline:
                panes = self("list-panes", "-a", "-F", "#{session_name}").split()
                shown = {name: self.screen(name) for name in panes}
                raise AssertionError(f"waited {seconds:g} s for {what}; the panes show {shown}")
            time.sleep(0.1)

    def kill(self) -> None:
        subprocess.run(
            [self.tmux, "-S", self.socket, "kill-server"], capture_output=True, check=False
        )
