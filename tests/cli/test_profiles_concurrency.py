"""Two ``regsecret profiles import`` at the same moment, in two real processes, 50 rounds.

Without an inter-process lock both said "Imported", one profile was gone and its secret was left
orphaned in the keyring. The keyring here is shared by the processes and lives in the test's
memory, so what it holds can be compared with profiles.toml afterwards.
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tomllib
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from tests.support.shared_keyring import SharedKeyring, shared_keyring
from tui.core.profile_store import LOCK_NAME, TEMP_PREFIX

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 50
SAME_NAME_EVERY = 5  # every fifth round both processes want the same name


def name_for(side: str, round_: int) -> str:
    return (
        f"both-{round_}" if round_ % SAME_NAME_EVERY == SAME_NAME_EVERY - 1 else f"{side}-{round_}"
    )


def write_key(path: Path, secret: str) -> Path:
    key = {
        "clientid": "cid",
        "clientsecret": secret,
        "url": "https://tenant.authentication.example.com",
        "serviceurls": {"AI_API_URL": "https://api.ai.example.com"},
    }
    path.write_text(json.dumps(key), encoding="utf-8")
    return path


def importer(
    side: str, key: str, barrier: Barrier, results: multiprocessing.Queue[tuple[str, list[int]]]
) -> None:
    """One process: at each round, wait for the other, then run the command as a user would."""
    import keyring

    from tui.cli import main

    keyring.set_keyring(SharedKeyring())
    codes: list[int] = []
    try:
        for round_ in range(ROUNDS):
            barrier.wait(timeout=20)
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                codes.append(main(["profiles", "import", key, "--name", name_for(side, round_)]))
    finally:
        # Whatever happened, the test gets what was done, and a broken round shows as missing.
        barrier.abort()
        results.put((side, codes))


def test_concurrent_imports_never_lose_a_profile_or_orphan_a_secret(tmp_path: Path) -> None:
    config = tmp_path / "config"
    keys = {side: write_key(tmp_path / f"{side}.json", f"secret-of-{side}") for side in "ab"}
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results: multiprocessing.Queue[tuple[str, list[int]]] = context.Queue()
    with shared_keyring() as entries, pytest.MonkeyPatch.context() as patch:
        patch.setenv("REGSECRET_CONFIG_DIR", str(config))
        workers = [
            context.Process(target=importer, args=(side, str(keys[side]), barrier, results))
            for side in "ab"
        ]
        for worker in workers:
            worker.start()
        codes = dict(results.get(timeout=50) for _ in workers)
        for worker in workers:
            worker.join(30)
            assert worker.exitcode == 0
    assert [len(codes["a"]), len(codes["b"])] == [ROUNDS, ROUNDS], "a process broke off"
    stored = tomllib.loads((config / "profiles.toml").read_text())["profiles"]
    expected: dict[str, str] = {}
    for round_ in range(ROUNDS):
        a, b = codes["a"][round_], codes["b"][round_]
        if name_for("a", round_) == name_for("b", round_):
            # One wins, the other is told the name is taken.
            assert sorted((a, b)) == [0, 2], (round_, a, b)
            expected[name_for("a", round_)] = "secret-of-" + ("a" if a == 0 else "b")
        else:
            assert (a, b) == (0, 0), round_
            expected[name_for("a", round_)] = "secret-of-a"
            expected[name_for("b", round_)] = "secret-of-b"
    assert set(stored) == set(expected)
    # Every secret belongs to a profile, and is the one of the key that profile came from.
    assert entries == {("regsecret", name): secret for name, secret in expected.items()}
    assert sorted(p.name for p in config.iterdir()) == [LOCK_NAME, "profiles.toml"]


KILLED_WRITER = """
import os, signal, sys
from tui.core.profile_actions import Profile
from tui.core.profile_store import ProfileStore

def die(fd):
    os.kill(os.getpid(), signal.SIGKILL)  # as a power cut or an OOM kill would, mid-write

os.fsync = die
ProfileStore().add(Profile("second", "https://api.example.com", "https://t.example.com", "cid"))
"""


def test_a_write_killed_midway_leaves_the_file_and_no_temporary_file(tmp_path: Path) -> None:
    from tui.core.profile_actions import Profile
    from tui.core.profile_store import ProfileStore

    config = tmp_path / "config"
    store = ProfileStore(config)
    store.add(Profile("first", "https://api.example.com", "https://t.example.com", "cid"))
    before = store.path.read_bytes()
    env = {**os.environ, "REGSECRET_CONFIG_DIR": str(config)}
    done = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER], cwd=ROOT, env=env, timeout=60, check=False
    )
    assert done.returncode == -signal.SIGKILL
    assert store.path.read_bytes() == before
    assert [p.name for p in config.glob(f"{TEMP_PREFIX}*")]  # the kill left one, as it would
    # The next write, under the lock, knows no other write is running and clears it away.
    store.add(Profile("third", "https://api.example.com", "https://t.example.com", "cid"))
    assert sorted(p.name for p in config.iterdir()) == [LOCK_NAME, "profiles.toml"]
    assert [p.name for p in store.load().profiles] == ["first", "third"]


def test_an_interrupted_write_removes_its_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.profile_actions import Profile
    from tui.core.profile_store import ProfileStore

    store = ProfileStore(tmp_path / "config")

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt  # ctrl+c between writing and renaming

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.add(Profile("first", "https://api.example.com", "https://t.example.com", "cid"))
    assert [p.name for p in store.config_dir.iterdir()] == [LOCK_NAME]
