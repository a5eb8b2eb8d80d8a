"""`--demo`'s fleet: three tenants served by a child process on sockets the app bound itself."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.emulator.demo_fleet import SEEDED, TENANTS, DemoFleet, DemoTenant, launch


@pytest.fixture
def fleet() -> Iterator[DemoFleet]:
    running = launch()
    try:
        yield running
    finally:
        running.stop()


def _token(tenant: DemoTenant) -> str:
    form = (
        f"grant_type=client_credentials&client_id={tenant.client_id}"
        f"&client_secret={tenant.client_secret}"
    )
    request = urllib.request.Request(tenant.token_url, data=form.encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        token: str = json.load(answer)["access_token"]
        return token


def _names(tenant: DemoTenant) -> list[str]:
    request = urllib.request.Request(
        f"{tenant.api_url}/v2/admin/dockerRegistrySecrets",
        headers={"Authorization": f"Bearer {_token(tenant)}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return [r["name"] for r in json.load(answer)["resources"]]


def test_three_tenants_with_their_seeded_secrets_and_a_registry(fleet: DemoFleet) -> None:
    assert [t.name for t in fleet.tenants] == list(TENANTS)
    assert [t.profile_name for t in fleet.tenants] == ["demo-dev", "demo-test", "demo-prod"]
    assert len({t.api_url for t in fleet.tenants}) == 3
    for tenant in fleet.tenants:
        assert _names(tenant) == sorted(SEEDED[tenant.name])
    # A real registry answers /v2/ with a 401 challenge until one logs in.
    with pytest.raises(urllib.error.HTTPError) as challenged:
        urllib.request.urlopen(f"http://{fleet.registry_host}/v2/", timeout=10)
    assert challenged.value.code == 401
    assert "Bearer" in (challenged.value.headers.get("WWW-Authenticate") or "")


def test_urls_are_known_before_the_server_process_is_up() -> None:
    started = time.perf_counter()
    running = launch()
    try:
        # Binding here is immediate; the child (a new interpreter) takes far longer to start.
        assert time.perf_counter() - started < 0.5
        assert _names(running.tenants[0]) == sorted(SEEDED["dev"])  # waited in the backlog
    finally:
        running.stop()


def test_faults_go_to_one_tenant_through_the_control_endpoint(fleet: DemoFleet) -> None:
    dev, test, _ = fleet.tenants
    fleet.control(dev, "faults", {"status": 503})
    with pytest.raises(urllib.error.HTTPError) as failed:
        _names(dev)
    assert failed.value.code == 503
    assert _names(test) == sorted(SEEDED["test"])


def test_the_server_process_ends_with_the_app_even_when_the_app_is_killed() -> None:
    """Killed after a hang-up (a closed terminal): the server process outlives the hang-up
    only until the app is gone, and takes the run's scratch directory (the demo's ledger)."""
    app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from tui.emulator.demo_fleet import launch\n"
            "fleet = launch()\n"
            "print(fleet._process.pid, fleet.tenants[0].api_url, fleet.scratch_dir, flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert app.stdout is not None
    child_pid, api_url, scratch = app.stdout.readline().split()
    assert Path(scratch).is_dir() and Path(scratch).stat().st_mode & 0o077 == 0
    with pytest.raises(urllib.error.HTTPError):  # 401 without a token: it is serving
        urllib.request.urlopen(f"{api_url}/v2/admin/dockerRegistrySecrets", timeout=10)
    os.kill(int(child_pid), signal.SIGHUP)  # serving; now the terminal closes: both hung up
    time.sleep(0.3)
    assert Path(f"/proc/{child_pid}").exists()  # still there: the app may yet need it
    app.kill()
    app.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{child_pid}/stat") as stat:
                if stat.read().split()[2] == "Z":
                    break  # gone, waiting only for init to reap it
        except FileNotFoundError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the demo's server process outlived the app")
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{api_url}/v2/admin/dockerRegistrySecrets", timeout=2)
    assert not Path(scratch).exists()
