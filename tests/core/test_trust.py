"""Whom regsecret trusts: the OS store through truststore, SSL_CERT_FILE/SSL_CERT_DIR added to it,
and an unusable setting as a sentence (never a traceback, never a hang)."""

from __future__ import annotations

import os
import ssl
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import truststore

from tests.support.emulator import connection_for
from tests.support.pki import make_authority
from tests.support.slow_servers import json_server
from tui.core import trust
from tui.core.client import AICoreClient
from tui.core.errors import InputError
from tui.core.net import exchange, http_client
from tui.emulator.server import Emulator


@pytest.fixture(autouse=True)
def fresh_contexts() -> None:
    trust._shared.cache_clear()


def test_every_context_is_the_os_trust_store_through_truststore() -> None:
    assert isinstance(trust.tls_context(), truststore.SSLContext)
    assert trust.tls_context() is trust.tls_context()  # built once, shared
    assert trust.tls_context().verify_mode == ssl.CERT_REQUIRED
    assert trust.tls_context().check_hostname


def test_the_clients_use_that_context() -> None:
    http = http_client(timeout=httpx.Timeout(1.0), loopback=False)
    pool = http._transport._pool  # type: ignore[attr-defined]
    assert pool._ssl_context is trust.tls_context()


def test_ssl_cert_file_is_added_to_the_system_store_not_instead_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    authority = make_authority(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.cert))
    # truststore does not list its CAs; the OpenSSL context inside it holds what was loaded.
    inner: ssl.SSLContext = trust.tls_context()._ctx  # type: ignore[attr-defined]
    certs: list[dict[str, Any]] = inner.get_ca_certs()
    names = [
        value
        for cert in certs
        for rdn in cert["subject"]
        for key, value in rdn
        if key == "commonName"
    ]
    assert authority.name in names
    system = ssl.get_default_verify_paths().openssl_cafile
    if sys.platform.startswith("linux") and os.path.isfile(system):
        assert len(names) > 10, "the system bundle was replaced, not added to"


async def test_a_ca_in_ssl_cert_file_is_trusted_for_a_real_handshake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    authority = make_authority(tmp_path / "ca")
    server = authority.issue(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.cert))
    with json_server(server.server_context()) as served:
        async with http_client(timeout=httpx.Timeout(5.0), loopback=True) as http:
            answer = await exchange(http, "GET", served.url)
    assert answer.status_code == 200


async def test_a_directory_in_ssl_cert_dir_is_trusted_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    authority = make_authority(tmp_path / "ca")
    server = authority.issue(tmp_path)
    hashed = tmp_path / "certs"
    hashed.mkdir()
    # OpenSSL looks a CA up in a directory by its subject hash: <hash>.0
    subject_hash = _subject_hash(authority.cert)
    (hashed / f"{subject_hash}.0").write_bytes(authority.cert.read_bytes())
    empty = tmp_path / "empty"
    empty.mkdir()
    # Several directories, separated as in PATH, as OpenSSL reads the variable.
    monkeypatch.setenv("SSL_CERT_DIR", f"{empty}{os.pathsep}{hashed}")
    with json_server(server.server_context()) as served:
        async with http_client(timeout=httpx.Timeout(5.0), loopback=True) as http:
            answer = await exchange(http, "GET", served.url)
    assert answer.status_code == 200


def _subject_hash(cert: Path) -> str:
    import subprocess

    return subprocess.run(
        ["openssl", "x509", "-noout", "-subject_hash", "-in", str(cert)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _fifo(tmp_path: Path) -> str:
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return str(path)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: str(tmp / "missing.pem"), "which does not exist"),
        (lambda tmp: str(tmp), "which is not a regular file"),
        (_fifo, "which is not a regular file"),  # reading it would hang
        (lambda tmp: "/dev/zero", "which is not a regular file"),  # reading it would never end
        (lambda tmp: _write(tmp, b""), "which is not a PEM certificate file"),
        (lambda tmp: _write(tmp, b"\x00\xff binary"), "which is not a PEM certificate file"),
        (
            lambda tmp: _write(
                tmp, b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"
            ),
            "whose certificates do not parse",
        ),
    ],
    ids=["missing", "directory", "fifo", "dev-zero", "empty", "binary", "bad-pem"],
)
def test_an_unusable_ssl_cert_file_is_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: object, words: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    monkeypatch.setenv("SSL_CERT_FILE", path)
    with pytest.raises(InputError) as caught:
        trust.tls_context()
    assert caught.value.explanation.startswith(f"SSL_CERT_FILE names {path}, {words}")
    assert caught.value.explanation.endswith(
        "fix it or unset SSL_CERT_FILE (the system's trust store is used either way)."
    )


def _write(tmp: Path, data: bytes) -> str:
    path = tmp / "bundle.pem"
    path.write_bytes(data)
    return str(path)


def test_an_ssl_cert_dir_that_is_no_directory_is_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "missing"))
    with pytest.raises(InputError) as caught:
        trust.tls_context()
    assert "SSL_CERT_DIR names" in caught.value.explanation
    assert "which is not a directory" in caught.value.explanation


async def test_a_broken_ssl_cert_file_leaves_plain_http_to_this_machine_working(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    async with AICoreClient(connection_for(emulator), backoff=0.01) as client:
        assert await client.list_secrets() == []


async def test_a_broken_ssl_cert_file_is_said_at_the_first_https_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    async with http_client(timeout=httpx.Timeout(1.0), loopback=True) as http:
        with pytest.raises(InputError) as caught:
            await exchange(http, "GET", "https://127.0.0.1:9/")
    assert "SSL_CERT_FILE names" in caught.value.explanation
