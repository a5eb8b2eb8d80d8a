"""The first screen appears without loading the network, keyring or clipboard stacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "httpx",
    "keyring",
    "pyperclip",
    "tui.core.client",
    "tui.core.registry_login",
    "tui.core.net",
    "tui.core.trust",
    "truststore",
    "tui.emulator",
    "tui.emulator.server",
)
PROBE = f"""
import asyncio, sys
from tui.app import RegsecretApp
from tui.screens.choose_profile import ProfilesScreen

at_import = [m for m in {HEAVY!r} if m in sys.modules]

async def main():
    app = RegsecretApp(demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(300):
            screen = app.screen
            if isinstance(screen, ProfilesScreen) and screen.result is not None:
                break
            await pilot.pause(0.02)
        else:
            raise SystemExit("the profiles screen never loaded")
        on_screen = [m for m in {HEAVY!r} if m in sys.modules]
    print("import:" + ",".join(at_import))
    print("screen:" + ",".join(on_screen))

asyncio.run(main())
"""


def test_first_screen_imports_no_heavy_module(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "REGSECRET_CONFIG_DIR": str(tmp_path / "config"),
        "AICORE_HOME": str(tmp_path / "aicore"),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)
    assert lines["import"] == ""
    assert lines["screen"] == ""
