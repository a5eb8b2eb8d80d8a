"""The control endpoint answers only its starter: the per-run token, the loopback Host, no Origin.

A web page in the user's browser can send requests to 127.0.0.1, or to a name of its own that it
rebinds there; these tests send what such a page would send and check that nothing changes.
"""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest

from tests.support.emulator import control_client
from tui.emulator.server import Emulator


def faults(
    emu: Emulator, headers: dict[str, str], body: bytes = b'{"status": 500}'
) -> httpx.Response:
    return httpx.post(
        emu.control_url + "/faults",
        content=body,
        headers={"Content-Type": "application/json", **headers},
        timeout=5,
    )


def refused(response: httpx.Response, words: str) -> None:
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/json"
    assert words in response.json()["error"]["message"]


def test_each_run_has_its_own_control_token() -> None:
    first, second = Emulator(), Emulator()
    assert first.control_token != second.control_token
    assert len(first.control_token) >= 32


def test_without_the_token_nothing_changes(emulator: Emulator) -> None:
    token = emulator.control_token
    refused(faults(emulator, {}), "X-Emulator-Token")
    refused(faults(emulator, {"X-Emulator-Token": "guess"}), "X-Emulator-Token")
    refused(faults(emulator, {"X-Emulator-Token": token[:-1]}), "X-Emulator-Token")
    refused(faults(emulator, {"X-Emulator-Token": token + "x"}), "X-Emulator-Token")
    for action in ("/reset", "/expire-tokens"):
        response = httpx.post(emulator.control_url + action, timeout=5)
        refused(response, "X-Emulator-Token")
    refused(httpx.get(emulator.control_url + "/state", timeout=5), "X-Emulator-Token")
    assert emulator.faults.pending() == []
    assert faults(emulator, {"X-Emulator-Token": token}).status_code == 200
    assert len(emulator.faults.pending()) == 1


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example",  # a DNS-rebound name: the browser sends the page's own host
        "attacker.example:{port}",
        "127.0.0.1",
        "127.0.0.1:1",
        "127.0.0.2:{port}",
        "localhost.attacker.example:{port}",
        "",
    ],
)
def test_a_host_other_than_our_loopback_address_is_refused(emulator: Emulator, host: str) -> None:
    headers = {"X-Emulator-Token": emulator.control_token, "Host": host.format(port=emulator.port)}
    refused(faults(emulator, headers), "loopback address")
    assert emulator.faults.pending() == []


def test_our_address_and_localhost_are_accepted(emulator: Emulator) -> None:
    for host in (f"127.0.0.1:{emulator.port}", f"LOCALHOST:{emulator.port}"):
        headers = {"X-Emulator-Token": emulator.control_token, "Host": host}
        assert faults(emulator, headers).status_code == 200, host
    assert len(emulator.faults.pending()) == 2


@pytest.mark.parametrize("origin", ["https://attacker.example", "null", "http://127.0.0.1:{port}"])
def test_a_request_that_carries_an_origin_is_refused(emulator: Emulator, origin: str) -> None:
    headers = {
        "X-Emulator-Token": emulator.control_token,
        "Origin": origin.format(port=emulator.port),
    }
    refused(faults(emulator, headers), "web page")
    assert emulator.faults.pending() == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"delay": NaN}',
        b'{"delay": Infinity}',
        b'{"delay": -Infinity}',
        b'{"delay": 1e400}',
        b'{"delay": 1' + b"0" * 400 + b"}",
        b'{"delay": 86400}',
        b'{"status": 503, "retry_after": NaN}',
        b'{"status": 503, "retry_after": 1e400}',
        b'{"status": 503, "retry_after": -1}',
        b'{"status": 503, "retry_after": "soon"}',
        b'{"status": 100}',
        b'{"status": 503, "count": 1.5}',
        b'{"status": 503, "scope": "everything"}',
        b'{"status": 503, "body": 5}',
        b"[" * 100_000,
        b"\xff",
        b"not json",
    ],
)
def test_bad_fault_values_get_400_and_the_emulator_keeps_answering(
    emulator: Emulator, body: bytes
) -> None:
    with control_client(emulator) as control:
        response = control.post(
            "/faults", content=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert response.json()["error"]["message"].startswith("Bad fault")
        # The same connection, and so the same handler thread, still answers.
        assert control.get("/faults").json() == {"pending": []}
    assert (
        httpx.get(emulator.api_url + "/v2/admin/dockerRegistrySecrets", timeout=5).status_code
        == 401
    )


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("delay_next", {"seconds": math.inf}),
        ("delay_next", {"seconds": math.nan}),
        ("fail_next", {"status": 503, "retry_after": math.nan}),
        ("fail_next", {"status": 503, "retry_after": math.inf}),
    ],
)
def test_the_python_controls_refuse_the_same_values(
    emulator: Emulator, method: str, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ValueError):
        getattr(emulator, method)(**kwargs)
    assert emulator.faults.pending() == []


def test_control_methods_have_allow(emulator: Emulator) -> None:
    with control_client(emulator) as control:
        response = control.get("/reset")
        assert (response.status_code, response.headers["allow"]) == (405, "POST, OPTIONS")
        options = control.options("/faults")
        assert (options.status_code, options.headers["allow"]) == (
            204,
            "GET, HEAD, POST, DELETE, OPTIONS",
        )
