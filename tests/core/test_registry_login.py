"""The registry login check against real loopback servers: the registry emulator, and small
scripted servers for registries that misbehave."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal

import httpx
import pytest

from tests.support.pki import make_authority
from tests.support.slow_servers import drip_server, huge_server
from tui.core.registry_login import (
    MANIFEST_MEDIA_TYPES,
    CheckResult,
    Outcome,
    check_login,
)
from tui.core.secret import WITHHELD, Secret
from tui.emulator.registry import RegistryEmulator

DEMO_PASSWORD = "demo-registry-token"
WRONG_PASSWORD = "wrong-password-do-not-print"


@pytest.fixture(scope="module")
def bearer() -> Iterator[RegistryEmulator]:
    with RegistryEmulator() as registry:
        yield registry


@pytest.fixture(scope="module")
def basic() -> Iterator[RegistryEmulator]:
    with RegistryEmulator(auth="basic") as registry:
        yield registry


async def check(
    registry: str,
    user: str,
    password: str,
    *,
    image: str | None = None,
    timeout: float = 3.0,
    total: float = 30.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> CheckResult:
    result = await check_login(
        registry,
        user,
        Secret(password),
        image=image,
        timeout=timeout,
        total=total,
        transport=transport,
    )
    assert password not in result.sentence
    assert "\n" not in result.sentence
    return result


# -- the emulator, Bearer token auth -------------------------------------------------------------


async def test_right_credentials_are_accepted(bearer: RegistryEmulator) -> None:
    result = await check(bearer.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.ACCEPTED
    assert result.exit_code == 0
    assert result.sentence == f"{bearer.host} accepted the credentials for user demo."


async def test_wrong_password_is_rejected(bearer: RegistryEmulator) -> None:
    result = await check(bearer.host, "demo", WRONG_PASSWORD)
    assert result.outcome is Outcome.REJECTED
    assert result.exit_code == 4
    assert "refused the login for user demo (HTTP 401" in result.sentence
    assert "incorrect username or password" in result.sentence


async def test_unknown_user_is_rejected(bearer: RegistryEmulator) -> None:
    result = await check(bearer.host, "nobody", DEMO_PASSWORD)
    assert result.outcome is Outcome.REJECTED


@pytest.mark.parametrize("tag", ["1.0", "latest"])
async def test_image_the_user_may_pull_is_accepted(bearer: RegistryEmulator, tag: str) -> None:
    result = await check(bearer.host, "demo", DEMO_PASSWORD, image=f"{bearer.host}/demo/app:{tag}")
    assert result.outcome is Outcome.ACCEPTED
    assert result.sentence.endswith(f"and they can pull demo/app:{tag}.")


async def test_image_without_a_tag_means_latest(bearer: RegistryEmulator) -> None:
    result = await check(bearer.host, "reader", "reader-token", image=f"{bearer.host}/demo/public")
    assert result.outcome is Outcome.ACCEPTED
    assert "demo/public:latest" in result.sentence


async def test_image_by_digest(bearer: RegistryEmulator) -> None:
    with httpx.Client() as client:
        token = client.get(
            bearer.realm,
            params={"service": "regsecret-emulator", "scope": "repository:demo/app:pull"},
            auth=("demo", DEMO_PASSWORD),
        ).json()["token"]
        head = client.head(
            f"{bearer.url}/v2/demo/app/manifests/1.0",
            headers={"Authorization": f"Bearer {token}", "Accept": MANIFEST_MEDIA_TYPES[1]},
        )
    digest = head.headers["Docker-Content-Digest"]
    ref = f"{bearer.host}/demo/app@{digest}"
    result = await check(bearer.host, "demo", DEMO_PASSWORD, image=ref)
    assert result.outcome is Outcome.ACCEPTED
    assert digest in result.sentence


async def test_image_without_pull_permission_is_denied(bearer: RegistryEmulator) -> None:
    result = await check(bearer.host, "reader", "reader-token", image=f"{bearer.host}/demo/app:1.0")
    assert result.outcome is Outcome.IMAGE_DENIED
    assert result.exit_code == 5
    assert "accepted the credentials for user reader, but they may not pull demo/app:1.0" in (
        result.sentence
    )


async def test_unknown_tag_is_denied(bearer: RegistryEmulator) -> None:
    result = await check(bearer.host, "demo", DEMO_PASSWORD, image=f"{bearer.host}/demo/app:9.9")
    assert result.outcome is Outcome.IMAGE_DENIED
    assert "demo/app:9.9 was not found there" in result.sentence


async def test_wrong_password_with_image_is_rejected_not_denied(bearer: RegistryEmulator) -> None:
    result = await check(bearer.host, "demo", WRONG_PASSWORD, image=f"{bearer.host}/demo/app:1.0")
    assert result.outcome is Outcome.REJECTED


async def test_password_goes_only_to_the_realm(bearer: RegistryEmulator) -> None:
    before = len(bearer.seen)
    await check(bearer.host, "demo", DEMO_PASSWORD, image=f"{bearer.host}/demo/app:1.0")
    seen = bearer.seen[before:]
    assert [(s.method, s.path, s.auth_scheme) for s in seen] == [
        ("GET", "/v2/", ""),
        ("GET", "/token", "basic"),
        ("GET", "/v2/", "bearer"),
        ("HEAD", "/v2/demo/app/manifests/1.0", "bearer"),
    ]


@pytest.mark.parametrize("field", ["token", "access_token"])
async def test_token_under_either_name(field: Literal["token", "access_token"]) -> None:
    with RegistryEmulator(token_field=field) as registry:
        result = await check(
            registry.host, "demo", DEMO_PASSWORD, image=f"{registry.host}/demo/app"
        )
    assert result.outcome is Outcome.ACCEPTED


async def test_expired_token_is_refused_by_the_registry() -> None:
    # A token that dies before it is used: the registry's refusal is a rejection, not a crash.
    with RegistryEmulator(token_ttl=-1) as registry:
        result = await check(registry.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.REJECTED
    assert "refused the login" in result.sentence


async def test_localhost_name_and_http_scheme_work_for_loopback(bearer: RegistryEmulator) -> None:
    port = bearer.host.rsplit(":", 1)[1]
    for registry in (f"localhost:{port}", f"http://{bearer.host}", f"http://{bearer.host}/"):
        result = await check(registry, "demo", DEMO_PASSWORD)
        assert result.outcome is Outcome.ACCEPTED, registry


# -- the emulator, Basic auth --------------------------------------------------------------------


async def test_basic_registry_accepts_and_rejects(basic: RegistryEmulator) -> None:
    assert (await check(basic.host, "demo", DEMO_PASSWORD)).outcome is Outcome.ACCEPTED
    assert (await check(basic.host, "demo", WRONG_PASSWORD)).outcome is Outcome.REJECTED


async def test_basic_registry_image_checks(basic: RegistryEmulator) -> None:
    ok = await check(basic.host, "demo", DEMO_PASSWORD, image=f"{basic.host}/demo/app:1.0")
    denied = await check(basic.host, "reader", "reader-token", image=f"{basic.host}/demo/app:1.0")
    missing = await check(basic.host, "demo", DEMO_PASSWORD, image=f"{basic.host}/demo/app:2.0")
    assert ok.outcome is Outcome.ACCEPTED
    assert denied.outcome is Outcome.IMAGE_DENIED
    assert missing.outcome is Outcome.IMAGE_DENIED
    assert "not found" in missing.sentence


# -- unreachable ---------------------------------------------------------------------------------


async def test_unknown_host_is_unreachable() -> None:
    result = await check("no-such-host.invalid", "demo", DEMO_PASSWORD, timeout=2.0)
    assert result.outcome is Outcome.UNREACHABLE
    assert result.exit_code == 3
    assert "no-such-host.invalid could not be found" in result.sentence
    assert "not a verdict on the credentials" in result.sentence
    assert "AI Core pulls images from the cloud" in result.sentence


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_refused_port_is_unreachable() -> None:
    result = await check(f"127.0.0.1:{_free_port()}", "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.UNREACHABLE
    assert "(connection refused); check the registry host and port." in result.sentence


async def test_silent_registry_times_out_as_unreachable() -> None:
    with RegistryEmulator() as registry:
        registry.delay = 1.5
        result = await check(registry.host, "demo", DEMO_PASSWORD, timeout=0.3)
    assert result.outcome is Outcome.UNREACHABLE
    assert f"{registry.host} was reached but did not answer within 0.3 s" in result.sentence
    assert "not a verdict" in result.sentence


# -- scripted servers: registries that are odd, and things that are not registries ---------------

Reply = tuple[int, dict[str, str], bytes]
Script = Callable[[BaseHTTPRequestHandler], Reply]


class _Scripted:
    """A loopback HTTP server whose every answer comes from ``script(request)``."""

    def __init__(self, script: Script) -> None:
        self.requests: list[tuple[str, str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: object) -> None:
                return

            def _answer(self) -> None:
                outer.requests.append(
                    (self.command, self.path, self.headers.get("Authorization", ""))
                )
                status, headers, body = script(self)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted() -> Iterator[Callable[[Script], _Scripted]]:
    servers: list[_Scripted] = []

    def start(script: Script) -> _Scripted:
        servers.append(_Scripted(script))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


REGISTRY_HEADER = {"Docker-Distribution-API-Version": "registry/2.0"}


async def test_web_server_without_v2_is_not_a_registry(
    scripted: Callable[[Script], _Scripted],
) -> None:
    server = scripted(lambda r: (404, {"Content-Type": "text/html"}, b"<h1>Not Found</h1>"))
    result = await check(server.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.NOT_A_REGISTRY
    assert result.exit_code == 6
    assert "does not look like a Docker registry (GET /v2/ answered HTTP 404)" in result.sentence
    assert all(auth == "" for _, _, auth in server.requests)


async def test_web_page_answering_200_is_not_a_registry(
    scripted: Callable[[Script], _Scripted],
) -> None:
    server = scripted(lambda r: (200, {"Content-Type": "text/html"}, b"<html>hello</html>"))
    result = await check(server.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.NOT_A_REGISTRY


async def test_401_without_a_known_challenge_is_not_a_registry(
    scripted: Callable[[Script], _Scripted],
) -> None:
    server = scripted(lambda r: (401, {"WWW-Authenticate": 'Negotiate realm="x"'}, b""))
    result = await check(server.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.NOT_A_REGISTRY
    assert all(auth == "" for _, _, auth in server.requests)


async def test_redirect_is_not_followed(scripted: Callable[[Script], _Scripted]) -> None:
    server = scripted(lambda r: (302, {"Location": "http://127.0.0.1:1/elsewhere"}, b""))
    result = await check(server.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.NOT_A_REGISTRY
    assert "redirects /v2/ elsewhere" in result.sentence
    assert len(server.requests) == 1


async def test_open_registry_needs_no_login(scripted: Callable[[Script], _Scripted]) -> None:
    def script(r: BaseHTTPRequestHandler) -> Reply:
        if r.path == "/v2/":
            return 200, {**REGISTRY_HEADER, "Content-Type": "application/json"}, b"{}"
        return 200, REGISTRY_HEADER, b"{}"

    server = scripted(script)
    result = await check(server.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.ACCEPTED
    assert "without a login" in result.sentence
    with_image = await check(server.host, "demo", DEMO_PASSWORD, image=f"{server.host}/x/y:1")
    assert with_image.outcome is Outcome.ACCEPTED
    assert all(auth == "" for _, _, auth in server.requests)


async def test_open_v2_with_guarded_repository_logs_in_for_the_image(
    scripted: Callable[[Script], _Scripted], bearer: RegistryEmulator
) -> None:
    # /v2/ is open, the manifest asks for a token from the emulator's realm (another loopback port).
    def script(r: BaseHTTPRequestHandler) -> Reply:
        if r.path == "/v2/":
            return 200, REGISTRY_HEADER, b"{}"
        if r.headers.get("Authorization", "").startswith("Bearer "):
            return 200, REGISTRY_HEADER, b""
        challenge = f'Bearer realm="{bearer.realm}",service="regsecret-emulator"'
        return 401, {**REGISTRY_HEADER, "WWW-Authenticate": challenge}, b""

    server = scripted(script)
    result = await check(server.host, "demo", DEMO_PASSWORD, image=f"{server.host}/demo/app:1.0")
    assert result.outcome is Outcome.ACCEPTED
    assert "accepted the credentials for user demo, and they can pull demo/app:1.0" in (
        result.sentence
    )


@pytest.mark.parametrize("status", [500, 503, 429])
async def test_registry_trouble_is_unreachable(
    scripted: Callable[[Script], _Scripted], status: int
) -> None:
    server = scripted(lambda r: (status, {}, b"busy"))
    result = await check(server.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.UNREACHABLE
    assert f"HTTP {status}" in result.sentence


async def test_403_before_login_is_an_allow_list_not_a_verdict(
    scripted: Callable[[Script], _Scripted],
) -> None:
    server = scripted(lambda r: (403, {}, b""))
    result = await check(server.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.UNREACHABLE
    assert "IP allow list" in result.sentence


def _challenging(realm_path: str, realm: Callable[[BaseHTTPRequestHandler], Reply]) -> Script:
    def script(r: BaseHTTPRequestHandler) -> Reply:
        if r.path.startswith(realm_path):
            return realm(r)
        host = r.headers["Host"]
        challenge = f'Bearer realm="http://{host}{realm_path}",service="svc"'
        return 401, {**REGISTRY_HEADER, "WWW-Authenticate": challenge}, b""

    return script


async def test_realm_trouble_is_unreachable(scripted: Callable[[Script], _Scripted]) -> None:
    server = scripted(_challenging("/auth", lambda r: (502, {}, b"")))
    result = await check(server.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.UNREACHABLE
    assert f"The login service http://{server.host} of {server.host} answered HTTP 502" in (
        result.sentence
    )
    assert "not a verdict" in result.sentence


async def test_realm_without_a_token_is_not_a_registry(
    scripted: Callable[[Script], _Scripted],
) -> None:
    ok = {"Content-Type": "application/json"}
    server = scripted(_challenging("/auth", lambda r: (200, ok, b'{"nope": 1}')))
    result = await check(server.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.NOT_A_REGISTRY
    assert "without a token" in result.sentence


async def test_realm_query_carries_service_scope_and_account(
    scripted: Callable[[Script], _Scripted],
) -> None:
    server = scripted(_challenging("/auth", lambda r: (401, {}, b"")))
    await check(server.host, "demo", DEMO_PASSWORD, image=f"{server.host}/team/app:1")
    realm_calls = [path for _, path, _ in server.requests if path.startswith("/auth")]
    assert len(realm_calls) == 1
    query = httpx.URL(realm_calls[0]).params
    assert query["service"] == "svc"
    assert query["account"] == "demo"
    assert query.get_list("scope") == ["repository:team/app:pull"]


@pytest.mark.parametrize(
    ("password", "said"),
    [
        # Masking in place would have shown "authentication ********": the password itself.
        ("required", "authentication required"),
        (WRONG_PASSWORD, f"bad token {WRONG_PASSWORD}"),
        ('q"uo\\te', 'bad token q\\"uo\\\\te'),
    ],
)
async def test_a_registry_message_holding_the_password_is_withheld_whole(
    scripted: Callable[[Script], _Scripted], password: str, said: str
) -> None:
    body = json.dumps({"errors": [{"code": "DENIED", "message": said}]})
    server = scripted(_challenging("/auth", lambda r: (401, {}, body.encode())))
    result = await check(server.host, "demo", password)
    assert result.outcome is Outcome.REJECTED
    assert WITHHELD in result.sentence
    assert password not in result.sentence and "********" not in result.sentence
    assert said not in result.sentence and "authentication" not in result.sentence


async def test_a_registry_message_without_the_password_is_quoted(
    scripted: Callable[[Script], _Scripted],
) -> None:
    body = json.dumps({"errors": [{"code": "DENIED", "message": "authentication required"}]})
    server = scripted(_challenging("/auth", lambda r: (401, {}, body.encode())))
    result = await check(server.host, "demo", WRONG_PASSWORD)
    assert "it said “authentication required”" in result.sentence
    assert WITHHELD not in result.sentence


# -- where the password may go -------------------------------------------------------------------


async def test_plain_http_realm_on_another_host_is_refused() -> None:
    with RegistryEmulator(realm="http://auth.example.com/token") as registry:
        result = await check(registry.host, "demo", DEMO_PASSWORD)
        seen = registry.seen
    assert result.outcome is Outcome.NOT_A_REGISTRY  # the password was never judged
    assert "http://auth.example.com" in result.sentence
    assert "the password was not sent" in result.sentence
    assert all(s.auth_scheme == "" for s in seen)


async def test_realm_with_a_strange_scheme_is_refused() -> None:
    with RegistryEmulator(realm="ftp://127.0.0.1/token") as registry:
        result = await check(registry.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.NOT_A_REGISTRY  # the password was never judged
    assert "the password was not sent" in result.sentence


def _hub_transport(
    seen: list[httpx.Request], *, realm: str = "https://auth.docker.io/token"
) -> httpx.MockTransport:
    """Docker Hub's hosts, which no loopback server can be: registry-1 and its auth realm."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "auth.docker.io":
            return httpx.Response(200, json={"token": "hub-token"})
        if request.headers.get("Authorization") == "Bearer hub-token":
            return httpx.Response(200, headers=REGISTRY_HEADER)
        challenge = f'Bearer realm="{realm}",service="registry.docker.io"'
        return httpx.Response(401, headers={"WWW-Authenticate": challenge})

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    "registry", ["docker.io", "https://index.docker.io/v1/", "index.docker.io"]
)
async def test_docker_hub_is_checked_at_registry_1(registry: str) -> None:
    seen: list[httpx.Request] = []
    result = await check(registry, "octo", "hub-pat", image="nginx", transport=_hub_transport(seen))
    assert result.outcome is Outcome.ACCEPTED
    assert result.sentence == (
        "Docker Hub accepted the credentials for user octo, and they can pull library/nginx:latest."
    )
    assert [(r.method, str(r.url.copy_with(query=None))) for r in seen] == [
        ("GET", "https://registry-1.docker.io/v2/"),
        ("GET", "https://auth.docker.io/token"),
        ("GET", "https://registry-1.docker.io/v2/"),
        ("HEAD", "https://registry-1.docker.io/v2/library/nginx/manifests/latest"),
    ]
    assert seen[1].url.params.get_list("scope") == ["repository:library/nginx:pull"]
    assert seen[1].url.params["service"] == "registry.docker.io"
    assert all(m in seen[3].headers["Accept"] for m in MANIFEST_MEDIA_TYPES)
    # The Basic credentials went to the announced realm only.
    assert [r.url.host for r in seen if r.headers.get("Authorization", "").startswith("Basic")] == [
        "auth.docker.io"
    ]


ECR = "123456789012.dkr.ecr.eu-central-1.amazonaws.com"


async def test_a_refused_login_says_what_that_kind_of_registry_takes() -> None:
    # ECR answers Basic challenges; a MockTransport plays it, since no loopback server can be it.
    def handle(request: httpx.Request) -> httpx.Response:
        challenge = f'Basic realm="https://{ECR}/",service="ecr.amazonaws.com"'
        return httpx.Response(401, headers={"WWW-Authenticate": challenge, **REGISTRY_HEADER})

    result = await check(ECR, "aws", "ecr-pw-9q", transport=httpx.MockTransport(handle))
    assert result.outcome is Outcome.REJECTED
    assert result.sentence.endswith(
        "Amazon ECR's username is always AWS, in capitals. The output of aws ecr "
        "get-login-password --region <region>; it expires after 12 hours."
    )


async def test_a_refused_login_at_an_unknown_registry_adds_no_conventions(
    bearer: RegistryEmulator,
) -> None:
    result = await check(bearer.host, "demo", WRONG_PASSWORD)
    assert result.sentence.endswith("and that the token has not expired.")


async def test_https_registry_announcing_http_realm_is_refused() -> None:
    seen: list[httpx.Request] = []
    transport = _hub_transport(seen, realm="http://auth.docker.io/token")
    result = await check("docker.io", "octo", "hub-pat", transport=transport)
    assert result.outcome is Outcome.NOT_A_REGISTRY  # the password was never judged
    assert "served over HTTPS" in result.sentence
    assert "the password was not sent" in result.sentence
    assert all("Authorization" not in r.headers for r in seen)


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("registry", "user", "password", "image", "words"),
    [
        ("ghcr.io", "octo", "", None, "password or token is empty"),
        ("ghcr.io", "", "x", None, "Enter the registry username"),
        ("ghcr.io", "oc:to", "x", None, "cannot contain ':'"),
        ("ghcr.io", "oc\nto", "x", None, "line break"),
        ("", "octo", "x", None, "Enter the registry host"),
        ("http://ghcr.io", "octo", "x", None, "only for a registry on this machine"),
        ("ftp://ghcr.io", "octo", "x", None, "https://"),
        ("ghcr.io", "octo", "x", "org/app:1.2", "write it as ghcr.io/org/app:1.2"),
        ("ghcr.io", "octo", "x", "quay.io/org/app", "not on the registry ghcr.io"),
        ("ghcr.io", "octo", "x", "ghcr.io/Org/App", "lowercase"),
        ("ghcr.io", "octo", "x", "ghcr.io/org/app:bad!tag", "not a valid tag"),
    ],
)
async def test_bad_input_is_reported_without_network(
    registry: str, user: str, password: str, image: str | None, words: str
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError("bad input must not reach the network")

    result = await check_login(
        registry, user, Secret(password), image=image, transport=httpx.MockTransport(refuse)
    )
    assert result.outcome is Outcome.BAD_INPUT
    assert result.exit_code == 2
    assert words in result.sentence


async def test_registry_with_userinfo_is_refused_without_echo() -> None:
    result = await check_login("https://octo:s3cr3t-pw@ghcr.io", "octo", Secret("x"))
    assert result.outcome is Outcome.BAD_INPUT
    assert "s3cr3t-pw" not in result.sentence


# -- nothing leaks -------------------------------------------------------------------------------


async def test_no_password_in_logs_or_results(
    bearer: RegistryEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    results = [
        await check(bearer.host, "demo", DEMO_PASSWORD, image=f"{bearer.host}/demo/app:1.0"),
        await check(bearer.host, "demo", WRONG_PASSWORD),
    ]
    for secret in (DEMO_PASSWORD, WRONG_PASSWORD):
        assert secret not in caplog.text
        assert all(secret not in repr(result) for result in results)
    assert caplog.records, "httpx logs at DEBUG; this test must see them"


@pytest.mark.parametrize(
    "realm", ["http://[bad/token", "http://127.0.0.1:99999/token", "https://exa mple.com/t"]
)
async def test_unusable_realm_is_a_sentence_not_a_crash(
    scripted: Callable[[Script], _Scripted], realm: str
) -> None:
    challenge = {**REGISTRY_HEADER, "WWW-Authenticate": f'Bearer realm="{realm}",service="s"'}
    server = scripted(lambda r: (401, challenge, b""))
    result = await check(server.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.NOT_A_REGISTRY
    assert "password was not sent" in result.sentence or "cannot use" in result.sentence
    assert all(auth == "" for _, _, auth in server.requests)


def test_emulator_command_explains_a_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.emulator.registry import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port)]) == 1
    assert f"could not listen on 127.0.0.1:{port}" in capsys.readouterr().out


# -- HTTPS first, as docker and skopeo; loopback may fall back to http ----------------------------


@contextmanager
def tls_emulator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RegistryEmulator]:
    """The registry emulator behind TLS (Basic auth: its token realm is plain http), its CA
    trusted through SSL_CERT_FILE."""
    authority = make_authority(tmp_path / "ca")
    monkeypatch.setenv("SSL_CERT_FILE", str(authority.cert))
    with RegistryEmulator(auth="basic") as registry:
        server = registry._server
        assert server is not None
        context = authority.issue(tmp_path).server_context()
        server.socket = context.wrap_socket(server.socket, server_side=True)
        yield registry


@contextmanager
def tls_emulator_without_trust(tmp_path: Path) -> Iterator[RegistryEmulator]:
    """The registry emulator behind TLS, its CA trusted nowhere."""
    authority = make_authority(tmp_path / "ca")
    with RegistryEmulator(auth="basic") as registry:
        server = registry._server
        assert server is not None
        context = authority.issue(tmp_path).server_context()
        server.socket = context.wrap_socket(server.socket, server_side=True)
        yield registry


@pytest.mark.parametrize("typed", ["127.0.0.1:{port}", "localhost:{port}", "https://{host}"])
async def test_a_tls_registry_on_loopback_typed_without_scheme_is_tried_over_https(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    with tls_emulator(tmp_path, monkeypatch) as registry:
        port = registry.host.rpartition(":")[2]
        result = await check(typed.format(port=port, host=registry.host), "demo", DEMO_PASSWORD)
        seen = registry.seen
    assert result.outcome is Outcome.ACCEPTED, result.sentence
    assert seen  # the requests really arrived, and this server speaks nothing but TLS


@pytest.mark.parametrize("typed", ["{host}", "https://{host}"])
async def test_an_untrusted_tls_registry_is_its_own_verdict_and_not_retried_over_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    with tls_emulator(tmp_path, monkeypatch) as registry:
        monkeypatch.delenv("SSL_CERT_FILE")  # the CA is no longer trusted
        result = await check(typed.format(host=registry.host), "demo", DEMO_PASSWORD)
        seen = registry.seen
    assert result.outcome is Outcome.TLS_UNTRUSTED
    assert result.exit_code == 7
    assert result.sentence.startswith(
        f"{registry.host} was reached, but its TLS certificate is not trusted on this machine "
        "(unable to get local issuer certificate). If a private or company CA signed it, add "
        "that CA"
    )
    assert "update-ca-certificates" in result.sentence and "SSL_CERT_FILE" in result.sentence
    assert ".);" not in result.sentence and "not a verdict" in result.sentence
    assert seen == []  # nothing reached the registry, over TLS or plain http


@pytest.mark.parametrize("setting", ["missing.pem", "not-a-certificate.txt"])
async def test_an_unusable_ssl_cert_file_is_this_machines_setting_not_the_registrys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    (tmp_path / "not-a-certificate.txt").write_text("hello\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / setting))
    with tls_emulator_without_trust(tmp_path) as registry:
        result = await check(f"https://{registry.host}", "demo", DEMO_PASSWORD)
        seen = registry.seen
    # Exit 2, as every command says a local configuration mistake; 7 is for a server reached.
    assert (result.outcome, result.exit_code, result.judged) == (Outcome.BAD_SETTING, 2, False)
    assert f"SSL_CERT_FILE names {tmp_path / setting}" in result.sentence
    assert "fix it or unset SSL_CERT_FILE" in result.sentence
    assert seen == []  # nothing went out


async def test_an_unusable_ssl_cert_file_leaves_a_plain_loopback_registry_checkable(
    bearer: RegistryEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    result = await check(bearer.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.ACCEPTED, result.sentence


async def test_a_plain_registry_typed_without_scheme_falls_back_to_http(
    bearer: RegistryEmulator,
) -> None:
    result = await check(bearer.host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.ACCEPTED


async def test_a_tls_port_answering_plain_http_keeps_the_https_story() -> None:
    # What Go's servers (distribution among them) answer when plain HTTP reaches a TLS port; if
    # the HTTPS try failed for another reason, that reason is the story, not "not a registry".
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        host = f"127.0.0.1:{listener.getsockname()[1]}"

        def serve() -> None:
            for _ in range(2):
                try:
                    conn, _ = listener.accept()
                except OSError:
                    return
                with conn:
                    conn.recv(65536)
                    conn.sendall(
                        b"HTTP/1.0 400 Bad Request\r\n\r\n"
                        b"Client sent an HTTP request to an HTTPS server.\n"
                    )

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        result = await check(host, "demo", DEMO_PASSWORD)
    assert result.outcome is Outcome.UNREACHABLE
    assert "failed during the TLS handshake" in result.sentence


# -- an overall deadline and a cap on answers --------------------------------------------------


async def test_a_dripping_registry_is_cut_off_at_the_deadline() -> None:
    with drip_server(0.3) as served:
        started = time.monotonic()
        result = await check(served.url, "demo", DEMO_PASSWORD, timeout=5.0, total=1.5)
        elapsed = time.monotonic() - started
    assert elapsed < 4.5, elapsed
    assert result.outcome is Outcome.UNREACHABLE
    assert "was reached but was too slow: the login check did not finish within 1.5 s" in (
        result.sentence
    )


async def test_a_huge_answer_from_a_registry_is_refused() -> None:
    with huge_server(100) as served:
        started = time.monotonic()
        result = await check(served.url, "demo", DEMO_PASSWORD)
    assert time.monotonic() - started < 10.0
    assert result.outcome is Outcome.NOT_A_REGISTRY
    assert "sent an answer larger than 1024 KiB" in result.sentence
