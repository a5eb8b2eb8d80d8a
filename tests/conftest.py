"""Every test runs in a fresh, private home: nothing reads or writes the real user's files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

_OUTSIDE_VARIABLES = ("VCAP_SERVICES", "PYTHON_KEYRING_BACKEND", "SSL_CERT_FILE")


@pytest.fixture(autouse=True)
def private_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("REGSECRET_CONFIG_DIR", str(home / ".config" / "regsecret"))
    monkeypatch.setenv("AICORE_HOME", str(home / ".aicore"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for name in list(os.environ):
        if (name.startswith("AICORE_") and name != "AICORE_HOME") or name in _OUTSIDE_VARIABLES:
            monkeypatch.delenv(name, raising=False)
    yield home
