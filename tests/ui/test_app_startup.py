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


def run_probe(probe: str, home: Path) -> dict[str, str]:
    """Run ``probe`` in a fresh interpreter with a private home; its ``key:value`` lines."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "REGSECRET_CONFIG_DIR": str(home / "config"),
        "AICORE_HOME": str(home / "aicore"),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)


def test_first_screen_imports_no_heavy_module(tmp_path: Path) -> None:
    lines = run_probe(PROBE, tmp_path)
    assert lines["import"] == ""
    assert lines["screen"] == ""


DEMO_PROBE = """
import asyncio, sys
from tui.app import RegsecretApp
from tui.emulator.demo_fleet import launch

async def main():
    fleet = launch()
    try:
        app = RegsecretApp(demo=True, demo_fleet=fleet)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            names = app.screen.result.names() if app.screen.result else []
            print("rows:" + ",".join(names))
            served = ("http.server", "tui.emulator.server")
            print("loaded:" + ",".join(m for m in served if m in sys.modules))
    finally:
        fleet.stop()

asyncio.run(main())
"""


def test_demo_lists_its_tenants_on_the_first_frame_and_serves_them_elsewhere(
    tmp_path: Path,
) -> None:
    lines = run_probe(DEMO_PROBE, tmp_path)
    # Listed at once, no worker or emulator start to wait for...
    assert lines["rows"] == "demo-dev,demo-test,demo-prod"
    # ...and the emulator's HTTP stack runs in its own process, not in the app's memory.
    assert lines["loaded"] == ""
