"""Keys typed the moment the app starts are in the first field, in the first frame.

``regsecret --profile NAME`` opens its form as the first screen. Keys typed before the form had
focused its field reached a screen with nothing focused and vanished; held by the type-ahead
gate, they then appeared only frames later. The form's on_mount now takes them (tui/screens/base.py,
``TypeAhead.type_into``). Textual's own driver reads the terminal here, which Pilot does not.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

from tests.support.tty import app_on_pty, quit_app, read_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()=>]")
ALT_SCREEN = b"\x1b[?1049h"


def _frames(leader: int, seconds: float) -> list[bytes]:
    """What the app writes, as plain text, write by write (each frame is one write here)."""
    frames: list[bytes] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        chunk = read_until(leader, b"\0never\0", 0.1)
        if chunk:
            frames.append(ANSI.sub(b"", chunk))
        if any(b"zq9" in frame and b"Secret name" in frame for frame in frames):
            break
    return frames


def test_keys_typed_as_the_app_starts_are_in_the_form_when_it_first_shows(tmp_path: Path) -> None:
    aicore = tmp_path / ".aicore"
    aicore.mkdir()
    (aicore / "config_dev.json").write_text(
        json.dumps(
            {
                "AICORE_AUTH_URL": "https://dev.authentication.example.com/oauth/token",
                "AICORE_CLIENT_ID": "sb-dev",
                "AICORE_CLIENT_SECRET": "not-a-secret",
                "AICORE_BASE_URL": "https://api.ai.dev.example.com/v2",
            }
        ),
        encoding="utf-8",
    )
    code = "import sys\nfrom tui.app import run_app\nsys.exit(run_app(False, 'dev'))\n"
    with app_on_pty(code, tmp_path) as (process, leader):
        assert ALT_SCREEN in read_until(leader, ALT_SCREEN, 30), "no alternate screen"
        os.write(leader, b"zq9")  # once, at once: nothing types it again
        frames = _frames(leader, 30)
        drawn = [frame for frame in frames if b"Secret name" in frame]
        assert drawn, "the form never showed"
        # Not the terminal's own echo (cooked mode, before the app took the terminal): the name
        # field as the form draws it, and in the first frame that shows the form.
        assert re.search(rb"Secret name\s*\xe2\x96\x8czq9", drawn[0]), drawn[0][:400]
        # The name typed is not sent: quitting asks first, y quits.
        assert quit_app(leader, process, b"\x11y") == 0
