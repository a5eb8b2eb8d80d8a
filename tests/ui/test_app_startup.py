"""The first screen appears without loading what it does not need: the network, keyring and
clipboard stacks, the command line parser, the workflows and their dialogs."""

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
    # Loaded when used, not before the first frame (each cost a visible share of the start):
    "argparse",
    "tui.cli",
    "tui.core.secret_store",
    "tui.core.keyring_backends",
    "tomli_w",
    "rich._emoji_codes",
    "tui.screens.help",
    "tui.screens.modals",
    "tui.screens.person",
    "tui.core.workflows",
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


FORM_PROBE = f"""
import asyncio, sys
from textual.widgets import Input
from tui.app import RegsecretApp

async def main():
    app = RegsecretApp(profile="dev")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(300):
            if isinstance(app.focused, Input) and app.focused.id == "name":
                break
            await pilot.pause(0.02)
        else:
            raise SystemExit("the form never took the focus")
        print("stack:" + ",".join(type(s).__name__ for s in app.screen_stack))
        unneeded = ({HEAVY!r} + ("tui.screens.choose_profile", "textual.widgets._data_table"))
        print("loaded:" + ",".join(m for m in unneeded if m in sys.modules))
        made = set()
        for name, module in list(sys.modules.items()):
            if not name.startswith("tui"):
                continue
            classes = [
                c for c in vars(module).values() if isinstance(c, type) and c.__module__ == name
            ]
            # Classes of classes too: a widget's messages.
            classes += [i for c in classes for i in vars(c).values() if isinstance(i, type)]
            made |= {{c.__qualname__ for c in classes if "__dataclass_fields__" in vars(c)}}
        print("dataclasses:" + ",".join(sorted(made)))

asyncio.run(main())
"""


def test_profile_option_form_is_the_first_screen_and_imports_only_what_it_shows(
    tmp_path: Path,
) -> None:
    aicore = tmp_path / "aicore"
    aicore.mkdir()
    (aicore / "config_dev.json").write_text(
        '{"AICORE_AUTH_URL": "https://dev.authentication.eu10.hana.ondemand.com/oauth/token",'
        ' "AICORE_CLIENT_ID": "sb-dev", "AICORE_CLIENT_SECRET": "not-a-secret",'
        ' "AICORE_BASE_URL": "https://api.ai.dev.example.com/v2"}'
    )
    lines = run_probe(FORM_PROBE, tmp_path)
    # The form takes keys on the first frame; the profiles list is built only on escape.
    assert lines["stack"] == "CredentialsScreen"
    assert lines["loaded"] == ""
    # A dataclass writes and compiles its methods as its class is made (~4.5 M instructions
    # for six frozen fields): ten of them were a fifth of what this form's first frame cost
    # over a bare Textual app's. Values made before it are Records (tui/core/record.py).
    assert lines["dataclasses"] == ""


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
