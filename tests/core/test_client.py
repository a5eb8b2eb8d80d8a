"""AICoreClient against the emulator over real loopback sockets: operations, statuses, retries."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.emulator import connection_for
from tui.core.client import AICoreClient, Quota
from tui.core.error_body import MAX_MESSAGE
from tui.core.errors import (
    AlreadyExists,
    AuthenticationError,
    BadRequest,
    InsecureUrlError,
    NetworkError,
    NotFound,
    PermissionDenied,
    ProfileError,
    QuotaExceeded,
    RateLimited,
    ServerError,
    explain,
)
from tui.core.request import SecretDraft, create_body, patch_body
from tui.core.secret import Secret
from tui.emulator.server import Emulator

PASSWORD = "pa$$w0rd-with-'quotes'-\"and\"-ünïcode"
CONNECTION_FIELDS = ("api_url", "token_url", "client_secret", "read_timeout", "connect_timeout")


def make_client(emu: Emulator, **kw: Any) -> AICoreClient:
    overrides = {k: kw.pop(k) for k in CONNECTION_FIELDS if k in kw}
    kw.setdefault("backoff", 0.01)
    kw.setdefault("max_retry_after", 0.5)
    return AICoreClient(connection_for(emu, **overrides), **kw)


def draft(name: str = "my-registry", password: str = PASSWORD) -> SecretDraft:
    return SecretDraft(name=name, registry="ghcr.io", username="octo", password=Secret(password))


def api_requests(emu: Emulator) -> list[str]:
    return [f"{r.method} {r.path}" for r in emu.requests if not r.path.startswith("/oauth")]


# --- the whole life of a secret ----------------------------------------------------------------


async def test_life_cycle_of_a_secret(emulator: Emulator) -> None:
    body = create_body(draft())
    async with make_client(emulator) as client:
        quota = await client.test_connection()
        assert quota == Quota(used=0, limit=50)
        assert quota.describe() == "0 of 50 secrets used"

        assert await client.create_secret("my-registry", body) == "Secret has been created"
        post = next(r for r in emulator.requests if r.method == "POST" and "v2" in r.path)
        assert post.body == body.reveal().encode("utf-8")  # byte for byte what the Preview shows
        assert post.headers["Content-Type"] == "application/json"

        assert await client.get_secret("my-registry") == "my-registry"
        assert await client.list_secrets() == ["my-registry"]
        assert (await client.quota()).describe() == "1 of 50 secrets used"
        assert await client.update_secret("my-registry", patch_body(draft())) == (
            "Secret has been modified"
        )
        patch = next(r for r in emulator.requests if r.method == "PATCH")
        # The spec's content type for PATCH, the one SAP's SDKs send.
        assert patch.headers["Content-Type"] == "application/merge-patch+json"
        assert patch.body == patch_body(draft()).reveal().encode("utf-8")
        assert await client.delete_secret("my-registry") == (
            "Docker Registry Secret has been deleted"
        )
        assert await client.list_secrets() == []
        assert emulator.token_requests == 1  # one token for the whole session
        await client.test_connection()
    assert emulator.token_requests == 2  # testing the connection always proves the credentials


async def test_names_are_escaped_in_the_path(emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        with pytest.raises(NotFound):
            await client.get_secret("../resourceQuota/dockerRegistrySecrets")
    assert api_requests(emulator)[-1].endswith(
        "/dockerRegistrySecrets/..%2FresourceQuota%2FdockerRegistrySecrets"
    )


async def test_list_reads_every_page(emulator: Emulator) -> None:
    names = [f"secret-{i}" for i in range(5)]
    async with make_client(emulator, page_size=2) as client:
        for name in names:
            await client.create_secret(name, create_body(draft(name)))
        assert await client.list_secrets() == names
    pages = [urlsplit(p).query for p in api_requests(emulator) if p.startswith("GET")]
    assert [parse_qs(q)["$skip"] for q in pages] == [["0"], ["2"], ["4"]]
    assert all(parse_qs(q)["$top"] == ["2"] for q in pages)


async def test_list_stops_when_the_server_ignores_skip(emulator: Emulator) -> None:
    same_page = json.dumps({"count": 10, "resources": [{"name": "a"}, {"name": "b"}]})
    emulator.fail_next(200, count=20, body=same_page)
    async with make_client(emulator, page_size=2) as client:
        assert await client.list_secrets() == ["a", "b"]
    assert len(api_requests(emulator)) == 2


# --- statuses of docs/aicore-api.md ----------------------------------------------------------


async def test_already_exists_is_its_own_error(emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        await client.create_secret("taken", create_body(draft("taken")))
        with pytest.raises(AlreadyExists) as caught:
            await client.create_secret("taken", create_body(draft("taken")))
    error = caught.value
    assert error.status == 409
    assert error.code == "01010409" and error.request_id
    assert "already exists" in (error.message or "")
    assert "“taken” already exists" in error.explanation and "update it" in error.explanation


async def test_a_400_mentioning_exist_also_means_already_exists(emulator: Emulator) -> None:
    emulator.fail_next(
        400, body=json.dumps({"error": {"code": "01010076", "message": "Secret exists already"}})
    )
    async with make_client(emulator) as client:
        with pytest.raises(AlreadyExists):
            await client.create_secret("x1", create_body(draft("x1")))


async def test_quota_full(emulator: Emulator) -> None:
    emulator.state.secrets.update({f"s{i:02d}": "{}" for i in range(50)})
    async with make_client(emulator) as client:
        quota = await client.quota()
        assert quota.full and quota.describe() == "50 of 50 secrets used"
        with pytest.raises(QuotaExceeded) as caught:
            await client.create_secret("one-more", create_body(draft("one-more")))
    assert caught.value.status == 400
    assert "maximum number" in caught.value.explanation


@pytest.mark.parametrize("op", ["get", "update", "delete"])
async def test_unknown_name_is_not_found(emulator: Emulator, op: str) -> None:
    async with make_client(emulator) as client:
        with pytest.raises(NotFound) as caught:
            if op == "get":
                await client.get_secret("ghost")
            elif op == "update":
                await client.update_secret("ghost", patch_body(draft("ghost")))
            else:
                await client.delete_secret("ghost")
    assert caught.value.status == 404
    assert "“ghost”" in caught.value.explanation


async def test_bad_request_keeps_the_server_message(emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        with pytest.raises(BadRequest) as caught:
            await client.create_secret("xy", Secret('{"name": "xy", "data": {}}'))
    assert "exactly one key" in caught.value.explanation
    assert caught.value.details().startswith("HTTP 400, code 01010400")


@pytest.mark.parametrize(
    "echo",
    [
        PASSWORD,
        json.dumps(PASSWORD)[1:-1],  # as in the body
        json.dumps(json.dumps(PASSWORD)[1:-1])[1:-1],  # as inside .dockerconfigjson
        "b2N0bzpwYSQkdzByZC13aXRoLSdxdW90ZXMnLSJhbmQiLcO8bsOvY29kZQ==",  # auth: octo:password
        # Across the cut to MAX_MESSAGE characters: the whole text is searched before the cut,
        # or the password's first part would be left on screen.
        pytest.param("x" * (MAX_MESSAGE - len("invalid value ") - 12) + PASSWORD, id="cut"),
    ],
)
async def test_a_server_message_that_echoes_the_password_is_withheld(
    emulator: Emulator,
    echo: str,
) -> None:
    from tui.core.secret import WITHHELD

    said = {"error": {"code": "01010400", "message": f"invalid value {echo}", "requestId": "r1"}}
    emulator.fail_next(400, body=json.dumps(said))
    async with make_client(emulator) as client:
        with pytest.raises(BadRequest) as caught:
            await client.create_secret("echo", create_body(draft("echo")))
    error = caught.value
    shown = error.explanation + error.details() + str(error.message)
    assert echo not in shown and "invalid value" not in shown and "********" not in shown
    assert PASSWORD[:8] not in shown and echo[:8] not in shown
    assert error.message == WITHHELD and WITHHELD in error.explanation
    assert error.details() == f"HTTP 400, code 01010400, {WITHHELD}, request id r1"


async def test_a_token_service_message_that_echoes_the_client_secret_is_withheld(
    emulator: Emulator,
) -> None:
    from tui.core.secret import WITHHELD

    said = {"error": "invalid_client", "error_description": "client secret not-it is wrong"}
    emulator.fail_next(401, body=json.dumps(said), scope="token")
    async with make_client(emulator, client_secret=Secret("not-it")) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.test_connection()
    assert caught.value.message == WITHHELD
    assert "not-it" not in caught.value.details()


async def test_wrong_api_url_says_so(emulator: Emulator) -> None:
    async with make_client(emulator, api_url=emulator.api_url + "/nothing") as client:
        with pytest.raises(NotFound) as caught:
            await client.quota()
    assert "AI API URL" in caught.value.explanation


async def test_403_is_permission_denied(emulator: Emulator) -> None:
    emulator.fail_next(403, body="Forbidden")
    async with make_client(emulator) as client:
        with pytest.raises(PermissionDenied) as caught:
            await client.list_secrets()
    assert caught.value.message == "Forbidden"


# --- tokens ------------------------------------------------------------------------------------


async def test_token_expiry_mid_session_refetches_once(emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        await client.create_secret("first", create_body(draft("first")))
        emulator.expire_tokens()
        await client.create_secret("second", create_body(draft("second")))
    assert emulator.token_requests == 2
    assert emulator.secret_names() == ["first", "second"]


async def test_a_token_refused_twice_is_an_authentication_error(emulator: Emulator) -> None:
    emulator.fail_next(401, count=2, body="Unauthorized")
    async with make_client(emulator) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_secrets()
    assert emulator.token_requests == 2
    assert "same service key" in caught.value.explanation


async def test_concurrent_calls_share_one_token(emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        await asyncio.gather(*(client.quota() for _ in range(5)))
    assert emulator.token_requests == 1


async def test_wrong_client_secret(emulator: Emulator) -> None:
    async with make_client(emulator, client_secret=Secret("not-it")) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.test_connection()
    error = caught.value
    assert error.explanation == (
        "The token service refused the client id and secret. Check the profile's client secret "
        "(a new service key invalidates old ones)."
    )
    assert error.status == 401 and error.message == "Bad credentials"
    assert "not-it" not in str(error) + repr(error) + error.details()


async def test_token_url_not_found(emulator: Emulator) -> None:
    url = emulator.api_url + "/wrong/oauth/token"
    async with make_client(emulator, token_url=url) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.test_connection()
    assert f"The token URL {url} does not exist" in caught.value.explanation


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_token_service_outage_is_retried(emulator: Emulator, status: int) -> None:
    emulator.fail_next(status, count=3, scope="token")
    async with make_client(emulator) as client:
        assert (await client.quota()).limit == 50
    assert len([r for r in emulator.requests if r.path == "/oauth/token"]) == 4


async def test_profile_without_secret(emulator: Emulator) -> None:
    async with make_client(emulator, client_secret=None) as client:
        with pytest.raises(ProfileError):
            await client.test_connection()
    assert emulator.requests == []


# --- retries and faults ------------------------------------------------------------------------


async def test_retry_after_is_honoured(emulator: Emulator) -> None:
    emulator.fail_next(429, retry_after=0.3)
    async with make_client(emulator) as client:
        started = time.monotonic()
        assert await client.list_secrets() == []
    assert time.monotonic() - started >= 0.3
    assert len(api_requests(emulator)) == 2


async def test_retry_after_is_capped(emulator: Emulator) -> None:
    emulator.fail_next(429, retry_after=120)
    async with make_client(emulator, max_retry_after=0.05) as client:
        started = time.monotonic()
        await client.list_secrets()
    assert time.monotonic() - started < 2


async def test_429_without_retry_after_backs_off_then_gives_up(emulator: Emulator) -> None:
    emulator.fail_next(429, count=4)
    async with make_client(emulator) as client:
        with pytest.raises(RateLimited) as caught:
            await client.quota()
    assert caught.value.status == 429
    assert "after several tries" in caught.value.explanation
    assert len(api_requests(emulator)) == 4  # one try and three retries, as SAP's SDK


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
@pytest.mark.parametrize("op", ["list", "get", "quota", "delete"])
async def test_gets_and_deletes_are_retried_three_times(
    emulator: Emulator,
    status: int,
    op: str,
) -> None:
    async with make_client(emulator) as client:
        await client.create_secret("kept", create_body(draft("kept")))
        before = len(api_requests(emulator))
        emulator.fail_next(status, count=3)
        if op == "list":
            assert await client.list_secrets() == ["kept"]
        elif op == "get":
            assert await client.get_secret("kept") == "kept"
        elif op == "quota":
            assert (await client.quota()).used == 1
        else:
            await client.delete_secret("kept")
            assert emulator.secret_names() == []
    assert len(api_requests(emulator)) - before == 4


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_errors_give_up_after_three_retries(emulator: Emulator, status: int) -> None:
    emulator.fail_next(status, count=4, body="oops, <b>internal</b>")
    async with make_client(emulator) as client:
        with pytest.raises(ServerError) as caught:
            await client.delete_secret("x")
    assert caught.value.status == status
    assert caught.value.message == "oops, <b>internal</b>"
    assert "even after several tries" in caught.value.explanation
    words = "internal error" if status == 500 else "unavailable"
    assert words in caught.value.explanation
    assert len(api_requests(emulator)) == 4


@pytest.mark.parametrize("op", ["create", "delete"])
async def test_a_500_asks_for_the_request_id_once_wherever_it_is_shown(
    emulator: Emulator, op: str
) -> None:
    # The command line shows the sentence alone: it quotes the id. The app's dialog shows the
    # details too, the id on a line of its own: its sentence points there instead.
    emulator.fail_next(500, count=4)
    async with make_client(emulator, backoff=0.0) as client:
        with pytest.raises(ServerError) as caught:
            if op == "create":
                await client.create_secret("my-registry", create_body(draft()))
            else:
                await client.delete_secret("x")
    error = caught.value
    assert error.request_id and len(error.request_id) == 32
    assert f"give SAP support the request id {error.request_id}." in explain(error)
    beside = explain(error, details_shown=True)
    assert error.request_id not in beside and "give SAP support the request id below." in beside
    assert beside.replace("below", error.request_id) == explain(error)


async def test_a_retry_waits_as_long_as_retry_after_says(emulator: Emulator) -> None:
    emulator.fail_next(503, retry_after=0.3)
    async with make_client(emulator, backoff=0.0) as client:
        started = time.monotonic()
        await client.list_secrets()
    assert time.monotonic() - started >= 0.3
    assert len(api_requests(emulator)) == 2


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
async def test_create_and_update_are_never_retried_on_a_status(
    emulator: Emulator,
    status: int,
) -> None:
    async with make_client(emulator) as client:
        await client.create_secret("kept", create_body(draft("kept")))
        emulator.fail_next(status, retry_after=0)
        with pytest.raises((ServerError, RateLimited)) as created:
            await client.create_secret("new-one", create_body(draft("new-one")))
        emulator.fail_next(status, retry_after=0)
        with pytest.raises((ServerError, RateLimited)) as updated:
            await client.update_secret("kept", patch_body(draft("kept")))
    assert [r.split()[0] for r in api_requests(emulator)] == ["POST", "POST", "PATCH"]
    assert emulator.secret_names() == ["kept"]
    if status == 429:
        assert "was not registered" in created.value.explanation
        assert "several tries" not in updated.value.explanation
    else:
        assert "may or may not have been registered" in created.value.explanation
        assert "may or may not have been updated" in updated.value.explanation
    assert "several tries" not in created.value.explanation


async def test_dropped_connection_is_retried_on_reads_only(emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        emulator.drop_next()
        assert await client.list_secrets() == []
        emulator.drop_next()
        with pytest.raises(NetworkError) as caught:
            await client.create_secret("maybe", create_body(draft("maybe")))
    assert caught.value.reason == "dropped"
    assert "may have been created" in caught.value.explanation
    assert len([r for r in api_requests(emulator) if r.startswith("POST")]) == 1


async def test_slow_answer_times_out_quickly(emulator: Emulator) -> None:
    emulator.delay_next(5, count=3)
    async with make_client(emulator, read_timeout=0.2, max_tries=2) as client:
        started = time.monotonic()
        with pytest.raises(NetworkError) as caught:
            await client.quota()
    assert time.monotonic() - started < 2
    assert caught.value.reason == "timeout"
    assert "did not answer within 0.2 s" in caught.value.explanation


async def test_refused_connection(emulator: Emulator) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    async with make_client(emulator, api_url=url, token_url=url + "/oauth/token") as client:
        with pytest.raises(NetworkError) as caught:
            await client.test_connection()
    assert caught.value.reason == "refused"
    assert f"Nothing is listening at 127.0.0.1:{port}" in caught.value.explanation
    assert "regsecret emulator" in caught.value.explanation


async def test_tls_to_a_plain_http_port_fails_with_a_sentence(emulator: Emulator) -> None:
    url = f"https://127.0.0.1:{emulator.port}"
    async with make_client(emulator, api_url=url, token_url=url + "/oauth/token") as client:
        with pytest.raises(NetworkError) as caught:
            await client.test_connection()
    assert caught.value.reason == "tls"
    assert "TLS" in caught.value.explanation


async def test_unknown_host(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def fake(host: Any, *args: Any, **kw: Any) -> Any:
        if host == "tenant.example.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kw)

    # No resolver is asked: the lookup fails on this machine, as for a typo in a tenant URL.
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    url = "https://tenant.example.invalid"
    async with make_client(emulator, api_url=url, token_url=url + "/oauth/token") as client:
        with pytest.raises(NetworkError) as caught:
            await client.test_connection()
    assert caught.value.reason == "dns"
    assert "tenant.example.invalid could not be found" in caught.value.explanation


async def test_a_body_that_is_not_json(emulator: Emulator) -> None:
    emulator.fail_next(200, body="<html>Please log in</html>")
    async with make_client(emulator) as client:
        with pytest.raises(ServerError) as caught:
            await client.list_secrets()
    assert "not JSON" in caught.value.explanation


async def test_a_web_page_with_200_is_not_taken_for_a_created_secret(
    emulator: Emulator,
) -> None:
    emulator.fail_next(200, body="<html>Please log in</html>")
    async with make_client(emulator) as client:
        with pytest.raises(ServerError) as caught:
            await client.create_secret("a1", create_body(draft("a1")))
    assert "not from AI Core" in caught.value.explanation
    assert "look at the list" in caught.value.explanation


async def test_a_gateway_error_on_create_says_it_may_have_gone_through(
    emulator: Emulator,
) -> None:
    emulator.fail_next(502)
    async with make_client(emulator) as client:
        with pytest.raises(ServerError) as caught:
            await client.create_secret("a1", create_body(draft("a1")))
    assert "may or may not have been registered" in caught.value.explanation
    assert "several tries" not in caught.value.explanation


async def test_lenient_success_bodies(emulator: Emulator) -> None:
    emulator.fail_next(201, body="")
    emulator.fail_next(200, body='{"message": "secret has been created"}')
    async with make_client(emulator) as client:
        assert await client.create_secret("a1", create_body(draft("a1"))) == (
            "Secret has been created"
        )
        assert await client.create_secret("a2", create_body(draft("a2"))) == (
            "secret has been created"
        )


# --- URLs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://api.ai.example.com",
        "http://10.0.0.5:8080",
        "http://[2001:db8::1]",
        "http://127.0.0.1.nip.io",
    ],
)
def test_plain_http_to_another_host_is_refused_before_any_traffic(url: str) -> None:
    connection = connection_for(
        Emulator(), api_url=url, token_url="https://auth.example/oauth/token"
    )
    with pytest.raises(InsecureUrlError) as caught:
        AICoreClient(connection)  # synchronous: no socket can have been opened
    assert "unencrypted" in caught.value.explanation and "https://" in caught.value.explanation


def test_plain_http_token_url_is_refused_too() -> None:
    connection = connection_for(
        Emulator(), api_url="https://api.example", token_url="http://auth.example/oauth/token"
    )
    with pytest.raises(InsecureUrlError) as caught:
        AICoreClient(connection)
    assert "token URL" in caught.value.explanation


@pytest.mark.parametrize("url", ["ftp://x.example", "api.example.com", ""])
def test_not_a_web_address(url: str) -> None:
    connection = connection_for(Emulator(), api_url=url)
    with pytest.raises(ProfileError):
        AICoreClient(connection)


async def test_loopback_names_are_allowed_and_v2_suffix_tolerated(emulator: Emulator) -> None:
    api = f"http://localhost:{emulator.port}/v2/"
    async with make_client(emulator, api_url=api) as client:
        assert (await client.quota()).limit == 50


# --- secrets stay secret -----------------------------------------------------------------------


async def test_no_secret_in_logs_errors_or_reprs(
    emulator: Emulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    client = make_client(emulator)
    async with client:
        await client.create_secret("leak-check", create_body(draft("leak-check")))
        faults: list[Callable[[], None]] = [
            lambda: emulator.fail_next(500),
            emulator.drop_next,
            emulator.expire_tokens,
        ]
        for fault in faults:
            fault()
            try:
                await client.create_secret("leak-check", create_body(draft("leak-check")))
            except Exception as exc:
                errors.append(exc)
    tokens = {r.headers["Authorization"].split()[1] for r in emulator.requests if "v2" in r.path}
    text = caplog.text + repr(client) + "".join(f"{e!s}{e!r}{vars(e)}" for e in errors)
    assert len(errors) == 3
    assert len(tokens) == 2
    for secret in (PASSWORD, "demo-secret", *tokens):
        assert secret not in text
    # No httpx exception (which holds the request and its headers) rides along in a traceback.
    assert all(
        e.__cause__ is None and (e.__context__ is None or e.__suppress_context__) for e in errors
    )
