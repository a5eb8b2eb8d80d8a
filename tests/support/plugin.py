"""The pytest plugin every test runs under (``-p tests.support.plugin`` in pyproject.toml).

It registers the shared fixtures once, so no test module re-binds them by hand, and gives every test
a sandbox: a private home and an environment without the real user's profiles or certificates.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pluggy
import pytest

from tests.support.app import sealed_home
from tests.support.emulator import connection, emulator
from tests.support.hostile_server import HostileServer, running
from tests.support.keyring_memory import memory_keyring

__all__ = ["connection", "emulator", "hostile", "memory_keyring", "private_home", "sealed_home"]


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    """A started hostile AI Core and registry on 127.0.0.1 (tests/support/hostile_server.py)."""
    yield from running()


_OUTSIDE_VARIABLES = ("VCAP_SERVICES", "PYTHON_KEYRING_BACKEND", "SSL_CERT_FILE", "SSL_CERT_DIR")


@pytest.fixture(autouse=True)
def private_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test runs in a fresh, private home: nothing reads or writes the real user's files."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("REGSECRET_CONFIG_DIR", str(home / ".config" / "regsecret"))
    monkeypatch.setenv("AICORE_HOME", str(home / ".aicore"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for name in list(os.environ):
        if (name.startswith("AICORE_") and name != "AICORE_HOME") or name in _OUTSIDE_VARIABLES:
            monkeypatch.delenv(name, raising=False)
    yield home


# In CI the real-components layer must run, not skip: .ci/run sets this after installing them.
_REAL_REQUIRED = os.environ.get("REGSECRET_REAL_REQUIRED") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
    """A skipped test of the real-components layer fails when that layer is required."""
    outcome = yield
    report = outcome.get_result()
    if _REAL_REQUIRED and report.skipped and item.get_closest_marker("real") is not None:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"real component required in CI, but the test skipped: {reason}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Shared fixtures arrive through this plugin only: a test module that imports or redefines
    one (a second copy that drifts, or an F811 hidden by a noqa) stops the run with a sentence."""
    modules = {item.module for item in items if isinstance(item, pytest.Function)}
    rebound = sorted(
        f"{module.__name__}.{name}"
        for module in modules
        for name in __all__
        if name in vars(module)
    )
    if rebound:
        raise pytest.UsageError(
            f"{', '.join(rebound)}: shared fixtures come from tests/support/plugin.py; ask for "
            "them by name as a test argument and drop the import or the local definition."
        )
