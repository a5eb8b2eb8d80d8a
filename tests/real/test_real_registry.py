"""``regsecret check`` against Debian's real ``docker-registry`` (distribution 2.8): every row of
README's "registry check: exit codes", as a real process with the password on stdin.

Three registries per module, each started on 127.0.0.1 with throw-away state: htpasswd auth over
TLS with a CA made here (trusted through SSL_CERT_FILE, as a company CA is), plain http without
auth, and token auth through tests/support/token_server.py, whose JWTs the registry validates.
"""

from __future__ import annotations

import base64
import os
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.pki import Authority, make_authority
from tests.support.real_registry import (
    RunningRegistry,
    free_port,
    htpasswd_line,
    push_image,
    real_registry,
)
from tests.support.token_server import ISSUER, SERVICE, TokenServer, User

pytestmark = pytest.mark.real

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "real-registry-pass-1"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@dataclass(frozen=True)
class Check:
    code: int
    line: str


def check(
    registry: str, user: str, password: str, *, image: str | None = None, ca: Path | None = None
) -> Check:
    env = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
    if ca is not None:
        env["SSL_CERT_FILE"] = str(ca)
    args = [sys.executable, "-m", "tui", "check", "--registry", registry, "--username", user]
    args += ["--password-stdin", *(["--image", image] if image else [])]
    done = subprocess.run(
        args, input=password.encode(), capture_output=True, cwd=ROOT, env=env, timeout=60
    )
    out, err = done.stdout.decode(), done.stderr.decode()
    assert err == "", err  # no traceback, ever
    assert password not in out
    lines = out.splitlines()
    assert len(lines) == 1, out
    return Check(done.returncode, lines[0])


# --- htpasswd over TLS, with a CA this test makes ----------------------------------------------


@dataclass(frozen=True)
class TlsRegistry:
    registry: RunningRegistry
    authority: Authority


@pytest.fixture(scope="module")
def tls_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsRegistry]:
    directory = tmp_path_factory.mktemp("tls-registry")
    authority = make_authority(directory / "ca")
    server = authority.issue(directory)
    htpasswd = directory / "htpasswd"
    htpasswd.write_text(htpasswd_line("demo", PASSWORD) + "\n", encoding="utf-8")
    auth = {"htpasswd": {"realm": "regsecret-test", "path": str(htpasswd)}}
    with real_registry(directory / "registry", tls=server, auth=auth) as registry:
        verify = ssl.create_default_context(cafile=str(authority.cert))
        push_image(
            registry, "demo/app", "1.0", authorization=basic("demo", PASSWORD), verify=verify
        )
        yield TlsRegistry(registry, authority)


@pytest.mark.parametrize("typed", ["{host}", "https://{host}", "localhost:{port}"])
def test_tls_right_credentials_exit_0(tls_registry: TlsRegistry, typed: str) -> None:
    host = tls_registry.registry.host
    registry = typed.format(host=host, port=host.rpartition(":")[2])
    done = check(registry, "demo", PASSWORD, ca=tls_registry.authority.cert)
    assert (done.code, done.line) == (0, f"{registry.removeprefix('https://')} accepted the "
                                         "credentials for user demo.")  # fmt: skip


def test_tls_wrong_password_exits_4(tls_registry: TlsRegistry) -> None:
    done = check(tls_registry.registry.host, "demo", "not-it", ca=tls_registry.authority.cert)
    assert done.code == 4
    assert "refused the login for user demo (HTTP 401" in done.line


def test_tls_unknown_user_exits_4(tls_registry: TlsRegistry) -> None:
    done = check(tls_registry.registry.host, "nobody", PASSWORD, ca=tls_registry.authority.cert)
    assert done.code == 4
    assert "refused the login for user nobody" in done.line


def test_tls_image_present_exits_0(tls_registry: TlsRegistry) -> None:
    host = tls_registry.registry.host
    done = check(
        host, "demo", PASSWORD, image=f"{host}/demo/app:1.0", ca=tls_registry.authority.cert
    )
    assert done.code == 0
    assert done.line.endswith("and they can pull demo/app:1.0.")


def test_tls_tag_missing_exits_5(tls_registry: TlsRegistry) -> None:
    host = tls_registry.registry.host
    done = check(
        host, "demo", PASSWORD, image=f"{host}/demo/app:9.9", ca=tls_registry.authority.cert
    )
    assert done.code == 5
    assert "demo/app:9.9 was not found there" in done.line


@pytest.mark.parametrize("typed", ["{host}", "https://{host}"])
def test_tls_untrusted_exits_7(tls_registry: TlsRegistry, typed: str) -> None:
    # No SSL_CERT_FILE: the CA is not in this machine's store. Typed without a scheme, the check
    # must not fall back to http and call the registry "not a registry" (HTTP 400).
    done = check(typed.format(host=tls_registry.registry.host), "demo", PASSWORD)
    assert done.code == 7
    assert "was reached, but its TLS certificate is not trusted on this machine" in done.line
    assert "update-ca-certificates" in done.line and "SSL_CERT_FILE" in done.line
    assert ".);" not in done.line


def test_unusable_ssl_cert_file_is_a_sentence_not_a_traceback(
    tls_registry: TlsRegistry, tmp_path: Path
) -> None:
    done = check(tls_registry.registry.host, "demo", PASSWORD, ca=tmp_path / "missing.pem")
    # This machine's setting, not the registry's certificate: 2, as in every command (not 7).
    assert done.code == 2
    assert "SSL_CERT_FILE names" in done.line and "which does not exist" in done.line


def test_unreachable_exits_3() -> None:
    done = check(f"127.0.0.1:{free_port()}", "demo", PASSWORD)
    assert done.code == 3
    assert "(connection refused)" in done.line and "not a verdict" in done.line


# --- plain http, no auth -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def open_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningRegistry]:
    directory = tmp_path_factory.mktemp("open-registry")
    with real_registry(directory) as registry:
        push_image(registry, "team/tool", "2.1", authorization="")
        yield registry


def test_open_registry_typed_without_scheme_falls_back_to_http_and_exits_0(
    open_registry: RunningRegistry,
) -> None:
    done = check(open_registry.host, "anyone", PASSWORD)
    assert (done.code, done.line) == (
        0,
        f"{open_registry.host} lets anyone in without a login, so it did not need the credentials.",
    )


def test_open_registry_image_present_and_tag_missing(open_registry: RunningRegistry) -> None:
    host = open_registry.host
    present = check(f"http://{host}", "anyone", PASSWORD, image=f"{host}/team/tool:2.1")
    missing = check(host, "anyone", PASSWORD, image=f"{host}/team/tool:0.0")
    assert present.code == 0 and present.line.endswith("and they can pull team/tool:2.1.")
    assert missing.code == 5 and "team/tool:0.0 was not found there" in missing.line


def test_open_registry_with_a_broken_ssl_cert_file_still_checks(
    open_registry: RunningRegistry, tmp_path: Path
) -> None:
    bad = tmp_path / "bundle.pem"
    bad.write_text("not a certificate", encoding="utf-8")
    done = check(f"http://{open_registry.host}", "anyone", PASSWORD, ca=bad)
    assert done.code == 0


# --- token auth, through a token server the registry validates ------------------------------


@dataclass(frozen=True)
class TokenRegistry:
    registry: RunningRegistry
    tokens: TokenServer


@pytest.fixture(scope="module")
def token_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TokenRegistry]:
    directory = tmp_path_factory.mktemp("token-registry")
    users = {
        "demo": User(PASSWORD, {"*": ("pull", "push")}),
        "stranger": User("stranger-pass", {"other/repo": ("pull",)}),
    }
    with TokenServer(directory, users) as tokens:
        auth = {
            "token": {
                "realm": tokens.realm,
                "service": SERVICE,
                "issuer": ISSUER,
                "rootcertbundle": str(tokens.root_cert),
            }
        }
        with real_registry(directory / "registry", auth=auth) as registry:
            push_token = tokens.token("demo", ["repository:demo/app:pull,push"])
            push_image(registry, "demo/app", "1.0", authorization=f"Bearer {push_token}")
            yield TokenRegistry(registry, tokens)


def test_token_right_credentials_exit_0(token_registry: TokenRegistry) -> None:
    done = check(token_registry.registry.host, "demo", PASSWORD)
    assert done.code == 0
    assert done.line == f"{token_registry.registry.host} accepted the credentials for user demo."


def test_token_wrong_password_and_unknown_user_exit_4(token_registry: TokenRegistry) -> None:
    host = token_registry.registry.host
    wrong = check(host, "demo", "not-it")
    unknown = check(host, "nobody", PASSWORD)
    assert wrong.code == 4 and "refused the login" in wrong.line
    assert unknown.code == 4 and "refused the login" in unknown.line


def test_token_image_present_exits_0_and_the_registry_checked_the_token(
    token_registry: TokenRegistry,
) -> None:
    host = token_registry.registry.host
    before = len(token_registry.tokens.issued)
    done = check(host, "demo", PASSWORD, image=f"{host}/demo/app:1.0")
    assert done.code == 0 and done.line.endswith("and they can pull demo/app:1.0.")
    claims = token_registry.tokens.issued[before:]
    assert any(
        access["name"] == "demo/app" and "pull" in access["actions"]
        for claim in claims
        for access in claim["access"]  # type: ignore[attr-defined]
    )


def test_token_tag_missing_exits_5(token_registry: TokenRegistry) -> None:
    host = token_registry.registry.host
    done = check(host, "demo", PASSWORD, image=f"{host}/demo/app:2.0")
    assert done.code == 5 and "demo/app:2.0 was not found there" in done.line


def test_token_user_without_pull_right_exits_5(token_registry: TokenRegistry) -> None:
    # The token server grants no pull on demo/app: the registry itself refuses the manifest.
    host = token_registry.registry.host
    done = check(host, "stranger", "stranger-pass", image=f"{host}/demo/app:1.0")
    assert done.code == 5
    assert "accepted the credentials for user stranger, but they may not pull demo/app:1.0" in (
        done.line
    )


def test_not_a_registry_exits_6(token_registry: TokenRegistry) -> None:
    # The token server is a real HTTP service, but not a registry: /v2/ is not there.
    done = check(f"127.0.0.1:{token_registry.tokens.port}", "demo", PASSWORD)
    assert done.code == 6
    assert "does not look like a Docker registry (GET /v2/ answered HTTP 404)" in done.line


def test_bad_input_exits_2(token_registry: TokenRegistry) -> None:
    done = check(token_registry.registry.host, "de:mo", PASSWORD)
    assert done.code == 2


def test_the_registry_really_validates_the_token_signature(token_registry: TokenRegistry) -> None:
    import httpx

    good = token_registry.tokens.token("demo", [])
    header, claims, signature = good.split(".")
    forged = f"{header}.{claims}.{signature[:-4]}AAAA"
    url = f"{token_registry.registry.url}/v2/"
    assert httpx.get(url, headers={"Authorization": f"Bearer {good}"}).status_code == 200
    assert httpx.get(url, headers={"Authorization": f"Bearer {forged}"}).status_code == 401
