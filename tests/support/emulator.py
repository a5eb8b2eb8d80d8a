"""Pytest fixtures around the AI Core emulator, for any test that needs a tenant.

The plugin (tests/support/plugin.py) registers the fixtures for every test: ask for them by name,
never import them. Each test gets a fresh emulator on a free loopback port in a background thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from tui.core.connection import Connection
from tui.core.secret import Secret
from tui.emulator.server import Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A running emulator with fresh state, client id ``demo``, secret ``demo-secret``."""
    with Emulator() as emu:
        yield emu


def control_client(emu: Emulator) -> httpx.Client:
    """An HTTP client for ``/_emulator/...`` that carries the run's control token."""
    return httpx.Client(
        base_url=emu.control_url,
        headers={"X-Emulator-Token": emu.control_token},
        timeout=5,
    )


def connection_for(emu: Emulator, **overrides: Any) -> Connection:
    """A client-secret Connection to ``emu``; keyword arguments override fields."""
    # The base is type-checked; each test's overrides are checked by the dataclass at run time.
    base = Connection(
        api_url=emu.api_url,
        token_url=emu.token_url,
        client_id="demo",
        client_secret=Secret("demo-secret"),
        connect_timeout=2.0,
        read_timeout=5.0,
    )
    return replace(base, **overrides)


@pytest.fixture
def connection(emulator: Emulator) -> Connection:
    """A Connection to the ``emulator`` fixture with working credentials and short timeouts."""
    return connection_for(emulator)


def stored_password(emu: Emulator, name: str, registry: str = "ghcr.io") -> str:
    """The password the emulator holds for ``name`` (its .dockerconfigjson text, as stored)."""
    config = json.loads(emu.state.secrets[name])
    return str(config["auths"][registry]["password"])
