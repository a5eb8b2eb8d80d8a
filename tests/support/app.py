"""Shared set-up for the app's Pilot and snapshot tests: a sealed home, a keyring, a clipboard."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeAlias

import pytest
from textual.pilot import Pilot

from tui.app import RegsecretApp
from tui.core.clipboard import Backend, ClipboardUnavailable
from tui.core.secret_store import SecretStore
from tui.emulator.server import Emulator

#: The Pilot that ``RegsecretApp.run_test()`` hands out (the app returns an exit code).
AppPilot: TypeAlias = Pilot[int]


class MemoryClipboard:
    """The system clipboard as a string: what xclip or pbcopy would hold."""

    def __init__(self) -> None:
        self.text = ""
        self.copies: list[str] = []

    def copy(self, text: str) -> None:
        self.text = text
        self.copies.append(text)

    def paste(self) -> str:
        return self.text


class NoClipboard:
    """A machine without a display, as over SSH: no system clipboard can be reached."""

    REASON = "there is no display here (DISPLAY and WAYLAND_DISPLAY are not set, as over SSH)"

    def copy(self, text: str) -> None:
        raise ClipboardUnavailable(self.REASON)

    def paste(self) -> str:
        raise ClipboardUnavailable(self.REASON)


@pytest.fixture
def sealed_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME, the config dir and AICORE_HOME in tmp; no AICORE_* or VCAP from the real machine."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("REGSECRET_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("AICORE_HOME", str(tmp_path / "aicore"))
    for key in list(os.environ):
        if (key.startswith("AICORE_") and key != "AICORE_HOME") or key == "VCAP_SERVICES":
            monkeypatch.delenv(key)
    monkeypatch.delenv("DOCKER_CONFIG", raising=False)
    return home


def make_app(
    home: Path,
    *,
    emulator: Emulator | None = None,
    clipboard: Backend | None = None,
    profile: str | None = None,
    env: dict[str, str] | None = None,
) -> RegsecretApp:
    """The app over a sealed home; ``env`` adds to the environment it sees (HOME is the home)."""
    return RegsecretApp(
        demo=emulator is not None,
        emulator=emulator,
        clipboard_backend=clipboard if clipboard is not None else MemoryClipboard(),
        secret_store_factory=SecretStore,
        env={"HOME": str(home), **(env or {})},
        home=home,
        profile=profile,
    )


def seed_secret(emulator: Emulator, name: str) -> None:
    config = {"auths": {"ghcr.io": {"username": "u", "password": "p", "auth": "dTpw"}}}
    emulator.state.create({"name": name, "data": {".dockerconfigjson": json.dumps(config)}})


def seed_foreign_secret(emulator: Emulator, name: str) -> None:
    """A secret named ``name`` as a hostile server would list it, past the emulator's own check."""
    seed_secret(emulator, "seed-for-a-foreign-name")
    with emulator.state.lock:
        emulator.state.secrets[name] = emulator.state.secrets.pop("seed-for-a-foreign-name")


def ledger_knows(app: RegsecretApp, name: str, **fields: Any) -> None:
    """The demo's own ledger says regsecret registered ``name`` in the demo tenant."""
    from tui.core.ledger import Ledger, tenant_key

    assert app.emulator is not None and app.demo_ledger_dir is not None
    fields.setdefault("created", True)
    Ledger(app.demo_ledger_dir).record(tenant_key("demo", app.emulator.api_url), name, **fields)


def write_service_key(
    path: Path, emulator: Emulator | None = None, secret: str = "demo-secret"
) -> Path:
    base = emulator.base_url if emulator is not None else "https://example.authentication.eu10"
    api = emulator.api_url if emulator is not None else "https://api.ai.example.com"
    key = {
        "clientid": "demo",
        "clientsecret": secret,
        "url": base,
        "serviceurls": {"AI_API_URL": api},
        "identityzone": "example",
    }
    path.write_text(json.dumps(key), encoding="utf-8")
    return path


async def until(pilot: Pilot[Any], condition: Callable[[], object], tries: int = 500) -> None:
    """Let the app run until ``condition()`` holds; fail the test if it never does.

    ``tries`` pauses of at least 20 ms: 10 s or more, so a loaded machine is slow, not failed;
    a condition that holds returns at once.
    """
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never reached the state the test waits for")
