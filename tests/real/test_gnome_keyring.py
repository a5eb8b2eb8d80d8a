"""gnome-keyring over a private D-Bus session: what users of a Linux desktop or a headless box have.

Each test starts ``dbus-run-session`` and gnome-keyring in it with a throw-away home, creates and
unlocks a login keyring the way the README tells headless users to, and drives regsecret as a real
child process. ``secret-tool`` reads the keyring back on its own, so no claim is taken on trust.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.gnome_keyring import keyring_env, keyring_session_missing

pytestmark = pytest.mark.real

PASSWORD = "keyring-pass-42"
CLIENT_SECRET = "gk-client-secret-7f3a"
_PROMPTER = "org.gnome.keyring.SystemPrompter"
_IS_LOCKED = "print(default_collection().is_locked())"


@dataclass
class SecretServiceSession:
    """A D-Bus session from ``dbus-run-session`` with gnome-keyring in it, over a private home."""

    env: dict[str, str]
    home: Path
    bus_log: Path
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def start(self) -> None:
        """A new D-Bus session, and gnome-keyring in it creating or unlocking the login keyring
        from a password on stdin: what the README's headless line does."""
        # dbus-run-session keeps the bus while its child runs: a shell that prints the address
        # and waits for its stdin to close.
        with self.bus_log.open("a") as log:
            bus = subprocess.Popen(
                [
                    "dbus-run-session",
                    "--",
                    "sh",
                    "-c",
                    'echo "$DBUS_SESSION_BUS_ADDRESS"; exec cat',
                ],
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        self.processes.append(bus)
        assert bus.stdout is not None
        self.env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.processes.append(daemon)
        assert daemon.stdin is not None
        daemon.stdin.write(PASSWORD)
        daemon.stdin.close()
        deadline = time.monotonic() + 20
        while (answer := self.python(_IS_LOCKED)) != "False":
            assert time.monotonic() < deadline, f"gnome-keyring is not unlocked: {answer!r}"
            time.sleep(0.1)

    def stop(self) -> None:
        """End the D-Bus session; gnome-keyring goes with it."""
        for process in self.processes:  # the bus first
            if process.stdin is not None and not process.stdin.closed:
                process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.terminate()
                process.wait(timeout=10)
        self.processes.clear()

    def python(self, code: str) -> str:
        """Run ``code`` in a child with secretstorage at hand; its stdout, stripped."""
        prelude = (
            "import secretstorage\n"
            "def default_collection():\n"
            "    return secretstorage.Collection(secretstorage.dbus_init())\n"
        )
        done = self.run(sys.executable, "-c", prelude + code)
        return done.stdout.strip()

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), env=self.env, capture_output=True, text=True, timeout=30)

    def regsecret(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "tui", *args)

    def lookup(self, profile: str) -> str | None:
        """What the keyring holds for ``profile``, read by libsecret's own tool."""
        done = self.run("secret-tool", "lookup", "service", "regsecret", "username", profile)
        return done.stdout if done.returncode == 0 else None

    def prompts_asked(self) -> int:
        """How often something asked D-Bus for gnome-keyring's (graphical) unlock prompter."""
        return self.bus_log.read_text().count(f"name='{_PROMPTER}'")


def _skip_without_tools() -> None:
    reason = keyring_session_missing()
    if reason is None and shutil.which("secret-tool") is None:
        reason = "secret-tool is not installed (scripts/install-real-components.sh installs it)"
    if reason is not None:
        pytest.skip(reason)


@pytest.fixture
def secret_service(tmp_path: Path) -> Iterator[SecretServiceSession]:
    _skip_without_tools()
    home = tmp_path / "home"
    env = keyring_env(home, {"REGSECRET_CONFIG_DIR": str(home / ".config" / "regsecret")})
    env.pop("WAYLAND_DISPLAY", None)
    session = SecretServiceSession(env, home, tmp_path / "dbus.log")
    try:
        session.start()
        yield session
    finally:
        session.stop()


def _service_key(home: Path) -> Path:
    path = home / "key.json"
    key = {
        "clientid": "cid",
        "clientsecret": CLIENT_SECRET,
        "url": "https://auth.example.com",
        "serviceurls": {"AI_API_URL": "https://api.example.com"},
    }
    path.write_text(json.dumps(key))
    return path


def test_store_get_delete_through_secret_service(secret_service: SecretServiceSession) -> None:
    session = secret_service
    imported = session.regsecret(
        "profiles", "import", str(_service_key(session.home)), "--name", "dev"
    )
    assert imported.returncode == 0, imported.stderr
    # The real backend's name, not keyring's chainer (keyrings.alt is installed beside it).
    assert "its client secret is in the keyring (Secret Service)" in imported.stdout
    assert session.lookup("dev") == CLIENT_SECRET
    got = session.python(
        "from tui.core.secret_store import SecretStore\n"
        "store = SecretStore(allow_session_fallback=False)\n"
        f"print(store.status().backend, store.get('dev').reveal() == {CLIENT_SECRET!r})"
    )
    assert got == "Secret Service True"
    deleted = session.regsecret("profiles", "delete", "dev")
    assert deleted.returncode == 0, deleted.stderr
    assert (
        deleted.stdout == "Deleted profile “dev” and its secret in the keyring (Secret Service).\n"
    )
    assert session.lookup("dev") is None
    # No file keyring got a copy on the way.
    assert not (session.home / ".local" / "share" / "python_keyring").exists()
    assert session.prompts_asked() == 0


def test_delete_with_the_keyring_locked_is_honest(secret_service: SecretServiceSession) -> None:
    session = secret_service
    key = str(_service_key(session.home))
    assert session.regsecret("profiles", "import", key, "--name", "dev").returncode == 0
    assert session.python("c = default_collection(); c.lock(); print(c.is_locked())") == "True"

    deleted = session.regsecret("profiles", "delete", "dev")
    assert deleted.returncode == 1
    err = deleted.stderr
    assert "profile “dev” was not deleted" in err
    assert "The keyring (Secret Service) is locked" in err and "may still be in it" in err
    assert "start a new one that unlocks it: dbus-run-session" in err
    assert "secret-tool clear service regsecret username dev" in err
    for wrong in ("held no secret", "run a Secret Service", "use a Secret Service", "Traceback"):
        assert wrong not in err
    # Headless, nothing asked for the unlock prompter (it cannot open without a display and
    # would print its warning over the terminal the session was started from).
    assert session.prompts_asked() == 0
    listed = session.regsecret("profiles")
    assert listed.stdout.splitlines()[1].split()[0] == "dev"

    # The advice works: a new session started the way the sentence says finds it unlocked, with
    # the secret still there ...
    session.stop()
    session.start()
    assert session.lookup("dev") == CLIENT_SECRET
    # ... and the same command now removes both.
    deleted = session.regsecret("profiles", "delete", "dev")
    assert deleted.returncode == 0, deleted.stderr
    assert "and its secret in the keyring (Secret Service)" in deleted.stdout
    assert session.lookup("dev") is None


def test_import_into_a_locked_keyring_is_refused_with_how_to_unlock(
    secret_service: SecretServiceSession,
) -> None:
    session = secret_service
    assert session.python("c = default_collection(); c.lock(); print(c.is_locked())") == "True"
    imported = session.regsecret(
        "profiles", "import", str(_service_key(session.home)), "--name", "dev"
    )
    assert imported.returncode == 1
    assert "was not imported" in imported.stderr and "is locked" in imported.stderr
    assert "start a new one that unlocks it: dbus-run-session" in imported.stderr
    assert "run a Secret Service" not in imported.stderr
    assert CLIENT_SECRET not in imported.stderr + imported.stdout
    assert session.regsecret("profiles").stderr.startswith("regsecret: no profiles yet")
    assert session.prompts_asked() == 0


def test_the_headless_line_we_recommend_works(tmp_path: Path) -> None:
    from tui.core.keyring_backends import HEADLESS_SECRET_SERVICE

    _skip_without_tools()
    home = tmp_path / "home"
    (home / "bin").mkdir(parents=True)
    key = _service_key(home)
    # 'regsecret' at the end of the line: here, an import and a read-back instead of the app.
    fake = home / "bin" / "regsecret"
    fake.write_text(
        "#!/bin/sh\n"
        f"{sys.executable} -m tui profiles import {key} --name dev || exit 1\n"
        "exec secret-tool lookup service regsecret username dev\n"
    )
    fake.chmod(0o755)
    env = keyring_env(home, {"REGSECRET_CONFIG_DIR": str(home / ".config" / "regsecret")})
    env["PATH"] = f"{home / 'bin'}:{env.get('PATH', '')}"
    done = subprocess.run(
        ["sh", "-c", HEADLESS_SECRET_SERVICE],
        env=env,
        input=PASSWORD + "\n",  # what `read` gets when the user types it and presses Enter
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(CLIENT_SECRET)
    assert "its client secret is in the keyring (Secret Service)" in done.stdout
    assert (home / ".local" / "share" / "keyrings" / "login.keyring").exists()
    assert not (home / ".local" / "share" / "python_keyring").exists()
