"""Start-up as work done: CPU instructions (callgrind) until the awaited text is written.

Wall-clock ratios on a shared machine swing by 0.2 and more with the load; the instructions a
program executes until its moment do not. Each program runs under ``valgrind --tool=callgrind``
in a 100x30 pseudo-terminal and ends itself the moment the awaited text reaches the terminal:

- bare: scripts/minimal_app.py, its first frame (the yardstick)
- sdk:  regsecret, the first row of a profile from SAP's SDK files (~/.aicore/config_benchsdk.json)
- form: ``regsecret --profile benchsdk``, the credentials form's first frame
- keys: ``regsecret --profile benchsdk`` until keys typed at the alternate screen's start show
  in the form (what bench_startup.py times: the form takes keys); typed again only if lost (no
  echo within 10 s), as the program runs some 50 times slower under valgrind

Use a regular install (``pip install .``) and run this script with its interpreter; valgrind
must be installed (Debian package ``valgrind``).

    python scripts/bench_instructions.py [--scenario sdk ...]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import bench_startup
from ptyrun import ALT_SCREEN, PtyProgram

# Run as ``python -c EXIT_AT MARKER (-m MODULE | PATH) ARGS...``: the program, ended by os._exit
# when MARKER is written to the terminal, so callgrind counts up to that moment and no further.
EXIT_AT = """
import os, re, runpy, sys
marker = sys.argv[1].encode()
sys.argv = sys.argv[2:]
ansi = re.compile(rb"\\x1b\\[[0-9;?<>=]*[ -/]*[@-~]")
import textual.drivers.linux_driver as ld
write = ld.LinuxDriver.write
def written(self, data):
    write(self, data)
    if marker in ansi.sub(b"", data.encode()):
        os._exit(0)
ld.LinuxDriver.write = written
if sys.argv[0] == "-m":
    sys.argv = sys.argv[1:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    runpy.run_path(sys.argv[0], run_name="__main__")
"""
SCENARIOS = {
    "bare": ("Choose a connection", [str(bench_startup.ROOT / "scripts" / "minimal_app.py")]),
    "sdk": ("benchsdk", ["-m", "tui"]),
    "form": ("Secret name", ["-m", "tui", "--profile", "benchsdk"]),
    "keys": ("zq9", ["-m", "tui", "--profile", "benchsdk"]),
}
POKES = {"keys": b"zq9"}


def instructions(scenario: str, env: dict[str, str], log: Path) -> float:
    """Millions of instructions until the scenario's text is on screen."""
    marker, program = SCENARIOS[scenario]
    argv = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        f"--log-file={log}",
        sys.executable,
        "-c",
        EXIT_AT,
        marker,
        *program,
    ]
    run = PtyProgram(argv, env, cwd=env["HOME"])
    deadline = time.monotonic() + 600
    poke, next_poke = POKES.get(scenario, b""), 0.0
    try:
        while time.monotonic() < deadline:
            if poke and ALT_SCREEN in run.seen and time.monotonic() >= next_poke:
                os.write(run.fd, poke)
                next_poke = time.monotonic() + 10
            run.read(0.01 if poke else 0.05)
            if os.waitpid(run.pid, os.WNOHANG)[0]:
                break
        else:
            run.stop()
            raise SystemExit(f"{scenario}: no {marker!r} within 10 minutes")
    finally:
        with contextlib.suppress(OSError):
            os.close(run.fd)
    found = re.search(r"Collected : (\d+)", log.read_text())
    if found is None:
        raise SystemExit(f"{scenario}: callgrind counted nothing; see {log}")
    return int(found.group(1)) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scenario", action="append", choices=[s for s in SCENARIOS if s != "bare"]
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="regsecret-instr-"))
    env = bench_startup.make_home(root)
    bare = instructions("bare", env, root / "bare.log")
    print(f"bare app, first frame: {bare:.0f} M instructions")
    for scenario in args.scenario or ["sdk", "form", "keys"]:
        count = instructions(scenario, env, root / f"{scenario}.log")
        print(f"{scenario}: {count:.0f} M instructions, {count / bare:.2f}x the bare app")
    return 0


if __name__ == "__main__":
    sys.exit(main())
