"""The one network layer: the loopback rule, failure sentences, deadlines and answer caps, against
real loopback sockets (servers in tests/support/slow_servers.py)."""

from __future__ import annotations

import socket
import time
import tracemalloc
from pathlib import Path

import httpx
import pytest

from tests.support.pki import make_authority
from tests.support.slow_servers import drip_server, huge_server, json_server, silent_server
from tui.core.client import AICoreClient
from tui.core.connection import Connection
from tui.core.errors import NetworkError
from tui.core.net import (
    MAX_ANSWER,
    AnswerTooLarge,
    deadline,
    exception_chain,
    exchange,
    http_client,
    is_loopback_host,
    transport_error,
)
from tui.core.secret import Secret
from tui.emulator.server import Emulator

TIMEOUT = httpx.Timeout(5.0)


def client() -> httpx.AsyncClient:
    return http_client(timeout=TIMEOUT, loopback=True)


# --- the loopback rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("127.255.0.9", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("localhost.", True),
        # RFC 6761 lets resolvers send *.localhost to loopback; glibc and most DNS do not.
        ("app.localhost", False),
        ("10.0.0.1", False),
        ("192.168.1.1", False),
        ("0.0.0.0", False),
        ("127.0.0.1.nip.io", False),
        ("localhost.example.com", False),
        ("ghcr.io", False),
        ("", False),
    ],
)
def test_the_one_loopback_rule(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_one_network_layer_and_no_second_copy_of_its_policy() -> None:
    # The AI Core client and the registry check once had a loopback rule, a chain walker, a TLS
    # cache and a failure classifier each, with different answers.
    core = Path(__file__).resolve().parents[2] / "tui"
    owners = {
        "def is_loopback_host": {"core/net.py"},
        "def exception_chain": {"core/net.py"},
        "def transport_error": {"core/net.py"},
        "create_ssl_context": set(),
        "ssl.create_default_context": set(),
        "truststore": {"core/trust.py"},
        "_tls_context": set(),
        "_verify_context": set(),
    }
    for needle, allowed in owners.items():
        found = {
            str(path.relative_to(core))
            for path in core.rglob("*.py")
            if needle in path.read_text(encoding="utf-8")
        }
        assert found <= allowed, (needle, found)


# --- the chain walker --------------------------------------------------------------------------


def test_exception_chain_sees_causes_and_contexts_once_even_in_a_cycle() -> None:
    inner, middle, outer = OSError("inner"), ValueError("middle"), RuntimeError("outer")
    outer.__cause__ = middle
    middle.__context__ = inner
    inner.__context__ = outer  # a cycle, as asyncio can make
    assert exception_chain(outer) == [outer, middle, inner]


# --- failures as sentences ---------------------------------------------------------------------


def test_a_name_that_does_not_resolve() -> None:
    exc = httpx.ConnectError("[Errno -2] Name or service not known")
    exc.__cause__ = socket.gaierror(-2, "Name or service not known")
    error = transport_error(exc, "https://no-such.invalid/v2/", TIMEOUT, check="the registry host")
    assert error.reason == "dns"
    assert error.explanation == (
        "The host no-such.invalid could not be found; check the registry host and your network "
        "or VPN connection."
    )


async def test_nothing_listening() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    async with client() as http:
        with pytest.raises(httpx.ConnectError) as caught:
            await exchange(http, "GET", url)
    error = transport_error(caught.value, url, TIMEOUT, refused_hint="start it")
    assert error.reason == "refused"
    assert error.explanation.startswith("Nothing is listening at 127.0.0.1:")
    assert error.explanation.endswith("(connection refused); start it.")


async def failure_against(tls: object, url_host: str = "127.0.0.1") -> NetworkError:
    import ssl

    assert isinstance(tls, ssl.SSLContext)
    with json_server(tls) as served:
        url = served.url.replace("127.0.0.1", url_host)
        async with client() as http:
            with pytest.raises(httpx.ConnectError) as caught:
                await exchange(http, "GET", url)
    return transport_error(caught.value, url, TIMEOUT, check="the registry host")


async def test_an_untrusted_certificate_says_the_server_was_reached_and_how_to_trust_a_ca(
    tmp_path: Path,
) -> None:
    server = make_authority(tmp_path / "ca").issue(tmp_path)
    error = await failure_against(server.server_context())
    assert error.reason == "untrusted"
    sentence = error.explanation
    assert sentence.startswith("127.0.0.1:")
    assert "was reached, but its TLS certificate is not trusted on this machine" in sentence
    assert "(unable to get local issuer certificate)" in sentence
    for how in ("update-ca-certificates on Debian and Ubuntu", "keychain on macOS", "Windows"):
        assert how in sentence
    assert "SSL_CERT_FILE" in sentence and "could not be reached" not in sentence
    assert ".)" not in sentence and ".;" not in sentence


async def test_an_expired_certificate_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    authority = make_authority(tmp_path / "ca")
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.cert))
    error = await failure_against(authority.issue(tmp_path, expired=True).server_context())
    assert error.reason == "untrusted"
    assert "was reached, but its TLS certificate has expired" in error.explanation


async def test_a_certificate_for_another_name_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    authority = make_authority(tmp_path / "ca")
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.cert))
    error = await failure_against(authority.issue(tmp_path, ("localhost",)).server_context())
    assert error.reason == "untrusted"
    assert error.explanation.endswith(
        "was reached, but its TLS certificate is for another name; check the registry host."
    )


async def test_https_to_a_plain_http_port_is_a_handshake_failure(emulator: Emulator) -> None:
    url = emulator.api_url.replace("http://", "https://")
    async with client() as http:
        with pytest.raises(httpx.ConnectError) as caught:
            await exchange(http, "GET", url)
    error = transport_error(caught.value, url, TIMEOUT)
    assert error.reason == "tls"
    assert "failed during the TLS handshake" in error.explanation


# --- the overall deadline: a server that drips ------------------------------------------------


@pytest.mark.parametrize("part", ["body", "headers"])
async def test_a_dripping_server_is_cut_off_at_the_deadline(part: str) -> None:
    # One byte every 0.3 s: a 5 s read timeout never fires, only the deadline can end this.
    with drip_server(0.3, part=part) as served:
        started = time.monotonic()
        async with client() as http:
            with pytest.raises(NetworkError) as caught:
                async with deadline(1.5, "reading the quota"):
                    await exchange(http, "GET", served.url)
        elapsed = time.monotonic() - started
    # The deadline, not a read timeout (5 s, never reached by a drip), ended it; the margin is
    # for a loaded CI machine.
    assert 1.5 <= elapsed < 4.5, elapsed
    assert served.bytes_sent >= 3  # it really was dripping when it was cut off
    assert caught.value.reason == "deadline"
    assert caught.value.explanation == (
        f"{served.url.removeprefix('http://')} was reached but was too slow: reading the quota "
        "did not finish within 1.5 s. Nothing was changed by it; try again later."
    )


async def test_a_change_that_reached_a_slow_server_may_have_happened() -> None:
    with drip_server(0.3) as served:
        async with client() as http:
            with pytest.raises(NetworkError) as caught:
                async with deadline(1.0, "registering “x”", changes="it may exist now."):
                    await exchange(http, "POST", served.url, content=b"{}")
    assert "was reached but was too slow: registering “x” did not finish within 1 s" in (
        caught.value.explanation
    )
    assert caught.value.explanation.endswith("The request reached it, so it may exist now.")


async def test_a_handshake_that_never_ends_did_not_reach_the_server() -> None:
    with silent_server() as served:
        url = served.url.replace("http://", "https://")
        started = time.monotonic()
        async with client() as http:
            with pytest.raises(NetworkError) as caught:
                async with deadline(1.0, "registering “x”", changes="it may exist now."):
                    await exchange(http, "POST", url, content=b"{}")
    assert time.monotonic() - started < 4.0
    assert "and the request did not reach it" in caught.value.explanation
    assert "may exist" not in caught.value.explanation


async def test_the_aicore_client_bounds_a_whole_operation(emulator: Emulator) -> None:
    # The token comes from the emulator; the API drips. The create must end at the deadline and
    # say that the secret may exist, since the POST reached the server.
    with drip_server(0.3) as served:
        connection = Connection(
            api_url=served.url,
            token_url=emulator.token_url,
            client_id="demo",
            client_secret=Secret("demo-secret"),
            read_timeout=5.0,
            deadline=1.5,
        )
        started = time.monotonic()
        async with AICoreClient(connection, backoff=0.01) as aicore:
            with pytest.raises(NetworkError) as caught:
                await aicore.create_secret("x", Secret("{}"))
        elapsed = time.monotonic() - started
    assert elapsed < 4.5, elapsed
    assert caught.value.reason == "deadline"
    assert caught.value.explanation.endswith(
        "The request reached it, so the secret may have been created anyway: refresh the list "
        "before trying again."
    )


# --- the answer cap: a server that sends 100 MB ------------------------------------------------


@pytest.mark.parametrize("declare", [False, True], ids=["chunked", "content-length"])
async def test_a_huge_answer_is_refused_within_the_cap(declare: bool) -> None:
    with huge_server(100, declare=declare) as served:
        tracemalloc.start()
        started = time.monotonic()
        try:
            async with client() as http:
                with pytest.raises(AnswerTooLarge) as caught:
                    await exchange(http, "GET", served.url)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        elapsed = time.monotonic() - started
    assert elapsed < 10.0, elapsed
    assert peak < 4 * MAX_ANSWER, peak  # it was 316 MiB when the whole answer was read
    assert served.bytes_sent < 16 * MAX_ANSWER  # it stopped reading, it did not drain 100 MB
    assert caught.value.reason == "too-large"
    assert "sent an answer larger than 1024 KiB" in caught.value.explanation


async def test_the_aicore_client_refuses_a_huge_token_answer() -> None:
    with huge_server(100) as served:
        connection = Connection(
            api_url=served.url,
            token_url=served.url + "/oauth/token",
            client_id="demo",
            client_secret=Secret("demo-secret"),
        )
        async with AICoreClient(connection, backoff=0.01) as aicore:
            with pytest.raises(NetworkError) as caught:
                await aicore.quota()
    assert caught.value.reason == "too-large"


async def test_answers_within_the_cap_are_read_whole() -> None:
    with json_server() as served:
        async with client() as http:
            answer = await exchange(http, "GET", served.url)
    assert answer.status_code == 200 and answer.json() == {} and answer.is_success
