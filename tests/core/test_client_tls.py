"""TLS and the X.509 flow: certificates made with the openssl binary, served by the emulator."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.emulator import connection_for
from tui.core.client import AICoreClient
from tui.core.connection import Connection
from tui.core.errors import NetworkError, ProfileError
from tui.core.request import SecretDraft, create_body
from tui.core.secret import Secret
from tui.core.trust import client_certificate_context
from tui.emulator.server import Emulator


@dataclass(frozen=True)
class Pair:
    cert_path: Path
    key_path: Path

    @property
    def cert(self) -> str:
        return self.cert_path.read_text()

    @property
    def key(self) -> Secret:
        return Secret(self.key_path.read_text())


def make_pair(directory: Path, name: str, *extra: str) -> Pair:
    assert shutil.which("openssl"), "the openssl binary is needed for this test"
    pair = Pair(directory / f"{name}.crt", directory / f"{name}.key")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", f"/CN={name}", "-keyout", str(pair.key_path),
            "-out", str(pair.cert_path), *extra,
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return pair


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pair]:
    directory = tmp_path_factory.mktemp("pki")
    return {
        "server": make_pair(directory, "127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
        "client": make_pair(directory, "regsecret-client"),
        "stranger": make_pair(directory, "stranger"),
    }


@pytest.fixture
def tls_emulator(pki: dict[str, Pair], monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki["server"].cert_path, pki["server"].key_path)
    context.verify_mode = ssl.CERT_OPTIONAL
    context.load_verify_locations(pki["client"].cert_path)
    # The client trusts the emulator's self-signed certificate the way users add a company CA.
    monkeypatch.setenv("SSL_CERT_FILE", str(pki["server"].cert_path))
    with Emulator(tls=context) as emu:
        yield emu


def x509_connection(emu: Emulator, pair: Pair, *, literal_newlines: bool = False) -> Connection:
    cert, key = pair.cert, pair.key.reveal()
    if literal_newlines:  # as service keys carry them
        cert, key = cert.replace("\n", "\\n"), key.replace("\n", "\\n")
    return connection_for(emu, client_secret=None, certificate=cert, private_key=Secret(key))


@pytest.mark.parametrize("literal_newlines", [False, True])
async def test_x509_token_over_mutual_tls(
    tls_emulator: Emulator, pki: dict[str, Pair], literal_newlines: bool
) -> None:
    connection = x509_connection(tls_emulator, pki["client"], literal_newlines=literal_newlines)
    draft = SecretDraft(name="via-x509", registry="ghcr.io", username="u", password=Secret("p"))
    async with AICoreClient(connection, backoff=0.01) as client:
        assert (await client.test_connection()).limit == 50
        await client.create_secret("via-x509", create_body(draft))
    assert tls_emulator.secret_names() == ["via-x509"]
    token_form = next(r.body for r in tls_emulator.requests if r.path == "/oauth/token")
    assert b"client_secret" not in token_form and b"client_id=demo" in token_form


async def test_an_untrusted_client_certificate_is_refused(
    tls_emulator: Emulator, pki: dict[str, Pair]
) -> None:
    connection = x509_connection(tls_emulator, pki["stranger"])
    async with AICoreClient(connection, backoff=0.01) as client:
        with pytest.raises(NetworkError) as caught:
            await client.test_connection()
    assert caught.value.reason == "tls"
    assert "client certificate" in caught.value.explanation


async def test_client_secret_flow_over_https(tls_emulator: Emulator) -> None:
    async with AICoreClient(connection_for(tls_emulator), backoff=0.01) as client:
        assert await client.list_secrets() == []


async def test_an_unknown_server_certificate_is_a_tls_error(
    tls_emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = make_pair(tmp_path, "someone-else")
    monkeypatch.setenv("SSL_CERT_FILE", str(other.cert_path))
    async with AICoreClient(connection_for(tls_emulator), backoff=0.01) as client:
        with pytest.raises(NetworkError) as caught:
            await client.quota()
    assert caught.value.reason == "untrusted"
    sentence = caught.value.explanation
    assert sentence.startswith("127.0.0.1:")
    assert "was reached, but its TLS certificate is not trusted on this machine" in sentence
    for how in ("update-ca-certificates", "keychain on macOS", "Windows", "SSL_CERT_FILE"):
        assert how in sentence
    assert ".)" not in sentence


def test_key_material_lives_only_in_a_private_temporary_directory(
    pki: dict[str, Pair], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen: list[tuple[str, int]] = []
    real_load = ssl.SSLContext.load_cert_chain

    def spy(
        self: ssl.SSLContext,
        certfile: str,
        keyfile: str | None = None,
        password: Callable[[], bytes] | None = None,
    ) -> None:
        directory = Path(str(keyfile)).parent
        seen.append((str(directory), os.stat(directory).st_mode & 0o777))
        seen.append((str(keyfile), os.stat(str(keyfile)).st_mode & 0o777))
        real_load(self, certfile, keyfile, password)

    monkeypatch.setattr(ssl.SSLContext, "load_cert_chain", spy)
    context = client_certificate_context(pki["client"].cert, pki["client"].key)
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    (directory, dir_mode), (_, key_mode) = seen
    assert directory.startswith(str(tmp_path))
    assert (dir_mode, key_mode) == (0o700, 0o600)
    assert list(tmp_path.iterdir()) == []  # removed once loaded


def test_mismatched_or_encrypted_keys_are_clear_errors(
    pki: dict[str, Pair], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(ProfileError) as caught:
        client_certificate_context(pki["client"].cert, pki["stranger"].key)
    assert "do not belong together" in caught.value.explanation
    encrypted = subprocess.run(
        ["openssl", "pkey", "-in", str(pki["client"].key_path), "-aes256", "-passout", "pass:pw"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with pytest.raises(ProfileError):
        # It must not prompt on the terminal.
        client_certificate_context(pki["client"].cert, Secret(encrypted))
    with pytest.raises(ProfileError):
        client_certificate_context("not a certificate", Secret("not a key"))
    assert list(tmp_path.iterdir()) == []
