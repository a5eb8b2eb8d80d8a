"""Start-up as a person feels it: time until the first profile row can be acted on.

Each scenario starts regsecret in a 100x30 pseudo-terminal, alternating run by run with a bare
Textual app (scripts/minimal_app.py: Header, Static, Footer), and compares regsecret's moment
with the bare app's first frame:

- sdk:     a profile from SAP's SDK files (~/.aicore/config_benchsdk.json): its row is drawn
- store:   a profile from our profiles.toml with its client secret in the keyring: its row
- demo:    ``--demo``: the emulated tenants' rows (their 127.0.0.1 API host)
- form:    ``--profile benchsdk``: the credentials form takes keys (typed-ahead keys show up)

Use a regular install (``pip install .``), not an editable one: this machine sets
PYTHONDONTWRITEBYTECODE=1, so an editable install compiles the project at every start.

    python scripts/bench_startup.py [--runs 15] [--scenario sdk ...] [--check]

The store scenario needs a Secret Service: run it as
``dbus-run-session -- python scripts/bench_startup.py --with-keyring`` (gnome-keyring installed);
with --with-keyring the script unlocks a throw-away keyring itself.

It measures; it asserts nothing (except with --check: exit 1 when a budget of the start-up issue
is missed: sdk, store, form <= 1.2x; demo <= 1.35x; peak memory <= 1.25x).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ptyrun import PtyProgram

ROOT = Path(__file__).resolve().parent.parent
BASE_MARKER = b"Choose a connection profile"
BUDGETS = {"sdk": 1.2, "store": 1.2, "form": 1.2, "demo": 1.35}
MEMORY_BUDGET = 1.25


def regsecret_argv() -> list[str]:
    # The regsecret next to this interpreter (the regular install being measured).
    return [sys.executable, "-m", "tui"]


def installed_tui(env: dict[str, str]) -> Path:
    """Where ``python -m tui`` finds the package when started as the benchmark starts it.

    Started from this checkout, ``-m`` would put the checkout first on sys.path and measure its
    sources, recompiled at every start where bytecode is not written: programs run in the
    throw-away home instead, as a person's would.
    """
    code = "import tui; print(tui.__file__)"
    where = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=env["HOME"], capture_output=True, text=True
    )
    return Path(where.stdout.strip()).parent


def make_home(root: Path) -> dict[str, str]:
    """A throw-away home with one SDK profile and one of ours; the environment to run in."""
    home = root / "home"
    aicore = home / ".aicore"
    aicore.mkdir(parents=True)
    (aicore / "config_benchsdk.json").write_text(
        json.dumps(
            {
                "AICORE_AUTH_URL": "https://bench.authentication.eu10.hana.ondemand.com/oauth/token",
                "AICORE_CLIENT_ID": "sb-bench",
                "AICORE_CLIENT_SECRET": "bench-not-a-secret",
                "AICORE_BASE_URL": "https://api.ai.bench.example.com/v2",
                "AICORE_RESOURCE_GROUP": "default",
            }
        )
    )
    config = home / ".config" / "regsecret"
    config.mkdir(parents=True)
    (config / "profiles.toml").write_text(
        "version = 1\n\n[profiles.benchstore]\n"
        'api_url = "https://api.ai.store.example.com"\n'
        'token_url = "https://store.authentication.eu10.hana.ondemand.com/oauth/token"\n'
        'client_id = "sb-store"\nauth = "secret"\n'
    )
    (config / "profiles.toml").chmod(0o600)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AICORE_", "REGSECRET_", "TEXTUAL")) and k != "VCAP_SERVICES"
    }
    env.update(
        HOME=str(home),
        REGSECRET_CONFIG_DIR=str(config),
        XDG_CONFIG_HOME=str(home / ".config"),
        TERM="xterm-256color",
        COLUMNS="100",
        LINES="30",
    )
    return env


def store_secret(env: dict[str, str]) -> None:
    """Put benchstore's client secret in the session's Secret Service."""
    code = "import keyring; keyring.set_password('regsecret', 'benchstore', 'bench-store-secret')"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


Scenario = tuple[list[str], Callable[[bytes], bool], bytes]


def scenarios() -> dict[str, Scenario]:
    base = regsecret_argv()
    return {
        "sdk": (base, lambda s: b"benchsdk" in s, b""),
        "store": (base, lambda s: b"benchstore" in s, b""),
        "demo": ([*base, "--demo"], lambda s: b"127.0.0.1:" in s, b""),
        "form": ([*base, "--profile", "benchsdk"], lambda s: b"zq9" in s, b"zq9"),
    }


def timed(argv: list[str], env: dict[str, str], ready: Callable[[bytes], bool], poke: bytes):
    program = PtyProgram(argv, env, cwd=env["HOME"])
    try:
        seconds = program.wait_for(ready, poke=poke)
    finally:
        # The form's scenario types into it: quitting asks first, y quits.
        usage = program.stop(b"\x11y" if poke else b"\x11")
    return seconds, usage.ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scenario", action="append", choices=list(BUDGETS))
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    parser.add_argument(
        "--with-keyring",
        action="store_true",
        help="unlock a throw-away gnome-keyring in this D-Bus session (for the store scenario)",
    )
    args = parser.parse_args()
    chosen = args.scenario or (list(BUDGETS) if args.with_keyring else ["sdk", "demo", "form"])
    root = Path(tempfile.mkdtemp(prefix="regsecret-bench-"))
    try:
        env = make_home(root)
        if "store" in chosen:
            if args.with_keyring:
                unlock_keyring(env)
            store_secret(env)
        minimal = [sys.executable, str(ROOT / "scripts" / "minimal_app.py")]
        table = scenarios()
        missed = False
        measured = installed_tui(env)
        if ROOT in measured.parents:
            sys.exit(f"{measured} is this checkout (an editable install?): use pip install .")
        print(f"python {sys.version.split()[0]}, 100x30 pty, {args.runs} runs each, alternating")
        print(f"measuring {measured}")
        for name in chosen:
            argv, ready, poke = table[name]
            timed(argv, env, ready, poke)  # warm the file cache, untimed
            timed(minimal, env, lambda s: BASE_MARKER in s, b"")
            ours: list[tuple[float, int]] = []
            bare: list[tuple[float, int]] = []
            for _ in range(args.runs):
                ours.append(timed(argv, env, ready, poke))
                bare.append(timed(minimal, env, lambda s: BASE_MARKER in s, b""))
            t_ours = statistics.median(s for s, _ in ours)
            t_bare = statistics.median(s for s, _ in bare)
            m_ours = statistics.median(m for _, m in ours) / 1024
            m_bare = statistics.median(m for _, m in bare) / 1024
            ratio, mem_ratio = t_ours / t_bare, m_ours / m_bare
            over = ratio > BUDGETS[name] or mem_ratio > MEMORY_BUDGET
            missed = missed or over
            print(
                f"{name:6} regsecret {t_ours * 1000:5.0f} ms vs bare first frame "
                f"{t_bare * 1000:5.0f} ms: ratio {ratio:.2f} (budget {BUDGETS[name]})"
                f"  | peak RSS {m_ours:5.1f} vs {m_bare:5.1f} MiB: {mem_ratio:.2f} "
                f"(budget {MEMORY_BUDGET}){'  OVER' if over else ''}"
            )
        return 1 if args.check and missed else 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


def unlock_keyring(env: dict[str, str]) -> None:
    if "DBUS_SESSION_BUS_ADDRESS" not in os.environ:
        sys.exit("--with-keyring needs a D-Bus session: dbus-run-session -- python " + sys.argv[0])
    daemon = shutil.which("gnome-keyring-daemon")
    if daemon is None:
        sys.exit("--with-keyring needs gnome-keyring (apt-get install gnome-keyring)")
    env["XDG_DATA_HOME"] = str(Path(env["HOME"]) / ".local" / "share")
    subprocess.run(
        [daemon, "--unlock", "--components=secrets", "--daemonize"],
        input=b"bench\n",
        env=env,
        check=True,
        capture_output=True,
    )


if __name__ == "__main__":
    sys.exit(main())
