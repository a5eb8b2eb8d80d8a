"""keyrings.alt installed, as old advice left it: refused, never written to, never prompting.

Without a D-Bus session keyring picks a chainer of keyrings.alt's EncryptedKeyring (a file, with a
password asked on /dev/tty) and PlaintextKeyring (base64 in a file). regsecret runs as a real child
process, on a real terminal where a prompt would show.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.real

CLIENT_SECRET = "alt-client-secret-93kd"


@pytest.fixture
def alt_home(tmp_path: Path) -> Path:
    if importlib.util.find_spec("keyrings.alt") is None:
        pytest.skip(
            "keyrings.alt is not installed (it is in the test extra: pip install -e .[test])"
        )
    home = tmp_path / "home"
    home.mkdir()
    (home / "key.json").write_text(
        json.dumps(
            {
                "clientid": "cid",
                "clientsecret": CLIENT_SECRET,
                "url": "https://auth.example.com",
                "serviceurls": {"AI_API_URL": "https://api.example.com"},
            }
        )
    )
    return home


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DBUS_", "XDG_", "AICORE_", "PYTHON_KEYRING"))
    }
    env.update(
        HOME=str(home),
        REGSECRET_CONFIG_DIR=str(home / ".config" / "regsecret"),
        PYTHONDONTWRITEBYTECODE="1",
        **extra,
    )
    return env


def _on_a_terminal(args: list[str], env: dict[str, str], seconds: float = 20) -> tuple[int, str]:
    """Run ``args`` with a pseudo-terminal as its controlling terminal (so /dev/tty opens);
    its exit status and everything it wrote there. A prompt would wait for input: it times out."""
    pid, master = pty.fork()
    if pid == 0:  # the child
        os.execve(sys.executable, [sys.executable, *args], env)
    output = b""
    deadline = time.monotonic() + seconds
    finished, status = 0, 0
    try:
        while True:
            if not finished:
                finished, status = os.waitpid(pid, os.WNOHANG)
            ready, _, _ = select.select([master], [], [], 0.1)
            chunk = b""
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO: the child is gone and so is the terminal
                    chunk = b""
                output += chunk
            if finished and not chunk:
                return os.waitstatus_to_exitcode(status), output.decode(errors="replace")
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                raise AssertionError(f"still waiting after {seconds} s; it wrote: {output!r}")
    finally:
        os.close(master)


def _nothing_stored(home: Path) -> None:
    assert not (home / ".local" / "share" / "python_keyring").exists()
    files = [p for p in home.rglob("*") if p.is_file() and p.name != "key.json"]
    for path in files:
        assert CLIENT_SECRET not in path.read_text(errors="replace"), path


def test_auto_detected_file_keyrings_are_refused_by_name(alt_home: Path) -> None:
    code, out = _on_a_terminal(
        ["-m", "tui", "profiles", "import", str(alt_home / "key.json"), "--name", "dev"],
        _env(alt_home),
    )
    assert code == 1, out
    sentence = " ".join(out.split())
    assert "profile “dev” was not imported" in sentence
    assert "keyrings.alt.file.EncryptedKeyring and keyrings.alt.file.PlaintextKeyring" in sentence
    assert "keep secrets in files on disk" in sentence
    assert "gnome-keyring-daemon --unlock" in sentence
    assert "install" not in sentence.lower() and "password for your new keyring" not in sentence
    _nothing_stored(alt_home)


def test_encrypted_keyring_never_prompts_on_the_terminal(alt_home: Path) -> None:
    env = _env(alt_home, PYTHON_KEYRING_BACKEND="keyrings.alt.file.EncryptedKeyring")
    code, out = _on_a_terminal(
        ["-m", "tui", "profiles", "import", str(alt_home / "key.json"), "--name", "dev"], env
    )
    assert code == 1, out
    assert "Please set a password" not in out and "password for your new keyring" not in out
    assert "keyrings.alt.file.EncryptedKeyring" in out
    _nothing_stored(alt_home)
    # The same backend, asked directly, does prompt there: the terminal would have shown it.
    probe = "import keyring; keyring.set_password('regsecret', 'probe', 'x')"
    with pytest.raises(AssertionError, match="new keyring"):
        _on_a_terminal(["-c", probe], env, seconds=5)
