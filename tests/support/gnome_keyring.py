"""A throw-away gnome-keyring in its own D-Bus session, for tests of the real Secret Service.

:func:`in_keyring_session` runs a command inside ``dbus-run-session`` after starting
``gnome-keyring-daemon`` there with a new, unlocked login keyring under a private home. Nothing
touches the user's own keyring or session bus; the daemon ends with the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

_START = (
    "printf %s throwaway-keyring-password | gnome-keyring-daemon --unlock --components=secrets "
    '>/dev/null && exec "$@"'
)


def keyring_session_missing() -> str | None:
    """Why a keyring session cannot start here, or None when it can."""
    for program in ("dbus-run-session", "gnome-keyring-daemon"):
        if shutil.which(program) is None:
            return f"{program} is not installed (scripts/install-real-components.sh installs it)"
    return None


def skip_without_keyring_session() -> None:
    reason = keyring_session_missing()
    if reason is not None:
        pytest.skip(reason)


def keyring_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment whose home, data and runtime folders are private to the test."""
    runtime = home / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL", "DISPLAY")
    }
    env.update(
        HOME=str(home),
        XDG_RUNTIME_DIR=str(runtime),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
    )
    env.update(extra or {})
    return env


def in_keyring_session(
    argv: Sequence[str],
    *,
    home: Path,
    env: Mapping[str, str] | None = None,
    input: bytes | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``argv`` with a fresh, unlocked gnome-keyring on a session bus of its own."""
    return subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", _START, "sh", *argv],
        env=keyring_env(home, env),
        input=input,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
