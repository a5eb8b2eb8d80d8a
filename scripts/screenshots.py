"""Regenerate screenshots/*.svg from the same fake data as the snapshot tests.

    .venv/bin/python scripts/screenshots.py            # every screen
    .venv/bin/python scripts/screenshots.py manage     # just some
    .venv/bin/python scripts/screenshots.py --size 80x24 --out /tmp/small   # a small terminal

Runs in a throw-away HOME and config dir with an in-memory keyring, so nothing of yours (profiles,
keyring entries, docker logins) can appear in a picture; the only password is a made-up token, and
it is masked on screen.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def shoot(name: str, out: Path, size: tuple[int, int]) -> None:
    from tests.support.scenes import SCENES, scene_app, write_profiles
    from tui.emulator.server import Emulator

    scene, with_profiles, with_emulator = SCENES[name]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        os.environ.update(
            HOME=str(home),
            REGSECRET_CONFIG_DIR=str(Path(tmp) / "config"),
            AICORE_HOME=str(Path(tmp) / "aicore"),
        )
        if with_profiles:
            write_profiles()
        emulator = Emulator().start() if with_emulator else None
        try:
            app = scene_app(home, emulator)
            async with app.run_test(size=size) as pilot:
                await scene(pilot)
                app.save_screenshot(filename=f"{name}.svg", path=str(out))
        finally:
            if emulator is not None:
                emulator.stop()


def main(argv: list[str]) -> int:
    import argparse

    from tests.support.scenes import SCENES, SIZE

    parser = argparse.ArgumentParser(description="Regenerate the screenshots from fake data.")
    parser.add_argument("names", nargs="*", metavar="SCREEN")
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}", help="COLUMNSxLINES")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args(argv)
    columns, _, lines = args.size.partition("x")
    size = (int(columns), int(lines))
    from tests.support.keyring_memory import MemoryKeyring, install_keyring

    for key in [k for k in os.environ if k.startswith("AICORE_") or k == "VCAP_SERVICES"]:
        del os.environ[key]
    os.environ.pop("DOCKER_CONFIG", None)
    install_keyring(MemoryKeyring())
    names = args.names or list(SCENES)
    unknown = [name for name in names if name not in SCENES]
    if unknown:
        print(f"Unknown screen(s): {', '.join(unknown)}. Known: {', '.join(SCENES)}")
        return 2
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        asyncio.run(shoot(name, out, size))
        print(out / f"{name}.svg")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
