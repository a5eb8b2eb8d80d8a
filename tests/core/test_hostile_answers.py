"""The client and the registry check against a hostile server: sentences, never tracebacks.

Every field a server controls carries escape sequences and markup; what comes back to a screen or
a terminal must carry none of the controls, and nothing may raise but our own errors.
"""

from __future__ import annotations

import pytest

from tests.support.hostile_server import (
    BAD_MARKUP,
    BOT,
    C1_SEQUENCES,
    ESCAPES,
    HOSTILE_TEXTS,
    Answer,
    HostileServer,
    carries_no_control,
    hostile_error,
)
from tui.core.client import AICoreClient
from tui.core.connection import Connection
from tui.core.errors import ApiError, AuthenticationError, RegsecretError, ServerError
from tui.core.registry_login import Outcome, check_login
from tui.core.secret import Secret

BODY = Secret('{"name": "x", "data": {".dockerconfigjson": "e30="}}')


def client_for(server: HostileServer) -> AICoreClient:
    connection = Connection(
        api_url=server.api_url,
        token_url=server.token_url,
        client_id="demo",
        client_secret=Secret("demo-secret"),
        connect_timeout=2.0,
        read_timeout=5.0,
        deadline=10.0,
    )
    return AICoreClient(connection, max_tries=1)


def assert_clean(error: RegsecretError) -> None:
    texts = [error.explanation, str(error)]
    if isinstance(error, ApiError):
        texts += [error.details(), error.code or "", error.message or "", error.request_id or ""]
    for text in texts:
        assert carries_no_control(text), repr(text)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
async def test_error_fields_reach_no_sentence_raw(hostile: HostileServer, text: str) -> None:
    hostile.answers["POST /v2/admin/dockerRegistrySecrets"] = Answer(400, hostile_error(text))
    async with client_for(hostile) as client:
        with pytest.raises(ApiError) as caught:
            await client.create_secret("x", BODY)
    assert_clean(caught.value)
    if text in (BOT, BAD_MARKUP):
        assert text in caught.value.details()  # square brackets are shown as typed


async def test_token_service_error_fields_are_clean(hostile: HostileServer) -> None:
    hostile.answers["POST /oauth/token"] = Answer(
        401, {"error": ESCAPES, "error_description": ESCAPES + C1_SEQUENCES}
    )
    async with client_for(hostile) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.quota()
    assert_clean(caught.value)


async def test_a_2xx_message_is_clean(hostile: HostileServer) -> None:
    hostile.answers["POST /v2/admin/dockerRegistrySecrets"] = Answer(
        200, {"message": "created " + ESCAPES}
    )
    async with client_for(hostile) as client:
        message = await client.create_secret("x", BODY)
    assert carries_no_control(message) and message.startswith("created")


@pytest.mark.parametrize(
    "body",
    [
        "[" * 60_000,
        '{"count": ' + "9" * 5000 + ', "resources": []}',
        '{"count": NaN, "resources": []}',
        b"\xff\xfe\xfd",
    ],
)
async def test_unreadable_answers_are_sentences(hostile: HostileServer, body: str | bytes) -> None:
    hostile.answers["GET /v2/admin/dockerRegistrySecrets"] = Answer(200, body)
    async with client_for(hostile) as client:
        with pytest.raises(ServerError) as caught:
            await client.list_secrets()
    assert_clean(caught.value)


async def test_a_401_error_body_nested_60000_deep_is_a_sentence(hostile: HostileServer) -> None:
    hostile.answers["POST /oauth/token"] = Answer(401, "[" * 60_000)
    async with client_for(hostile) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.quota()
    assert_clean(caught.value)


@pytest.mark.parametrize(
    "token_answer",
    [
        '{"access_token": "hostile-token", "expires_in": 1' + "0" * 400 + "}",
        {"access_token": "hostile-token", "expires_in": 1e308},
        '{"access_token": "hostile-token", "expires_in": 1e999}',
    ],
)
async def test_absurd_token_lifetimes_never_raise(
    hostile: HostileServer, token_answer: object
) -> None:
    hostile.answers["POST /oauth/token"] = Answer(200, token_answer)
    async with client_for(hostile) as client:
        try:
            quota = await client.quota()
        except AuthenticationError as refused:
            assert_clean(refused)
        else:
            assert quota.limit == 50


async def test_a_non_ascii_token_is_a_sentence(hostile: HostileServer) -> None:
    hostile.answers["POST /oauth/token"] = Answer(200, {"access_token": "tök", "expires_in": 60})
    async with client_for(hostile) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.quota()
    assert_clean(caught.value)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
async def test_registry_refusals_are_clean_sentences(hostile: HostileServer, text: str) -> None:
    hostile.registry_refuses(text)
    result = await check_login(hostile.registry_host, "octo", Secret("pw"), total=10)
    assert result.outcome is Outcome.REJECTED
    assert carries_no_control(result.sentence), repr(result.sentence)


@pytest.mark.parametrize(
    "token_answer",
    [
        Answer(200, {"token": "tök"}),
        Answer(200, "[" * 60_000),
        Answer(401, "[" * 60_000),
        Answer(200, '{"token": "t", "expires_in": 1' + "0" * 400 + "}"),
    ],
)
async def test_registry_token_realm_answers_never_raise(
    hostile: HostileServer, token_answer: Answer
) -> None:
    hostile.registry_token(token_answer)
    result = await check_login(hostile.registry_host, "octo", Secret("pw"), total=10)
    assert result.outcome in (Outcome.REJECTED, Outcome.NOT_A_REGISTRY, Outcome.ACCEPTED)
    assert carries_no_control(result.sentence), repr(result.sentence)


@pytest.mark.parametrize(("per_page", "padding"), [(20_000, 0), (100, 5000)])
async def test_a_list_that_never_ends_stops_within_a_bound(
    hostile: HostileServer, per_page: int, padding: int
) -> None:
    """A server that ignores $top answers every page with 20,000 new names, or 100 names of 5 KB
    (each page about 600 KB, under the answer cap): the client asked for page after page and
    held every name, 1.5 GB within the deadline. The listing as a whole is bounded (names and
    bytes): it stops with a sentence long before."""
    from urllib.parse import parse_qs, urlsplit

    def page(path: str) -> Answer:
        skip = int(parse_qs(urlsplit(path).query)["$skip"][0])
        names = [f"s{skip + i:020d}" + "x" * padding for i in range(per_page)]
        return Answer(body={"resources": [{"name": name} for name in names]})

    hostile.answers["GET /v2/admin/dockerRegistrySecrets"] = page
    async with client_for(hostile) as client:
        with pytest.raises(ServerError) as caught:
            await client.list_secrets()
    assert "list of secrets" in caught.value.explanation
    assert_clean(caught.value)
    assert hostile.requests.count("GET /v2/admin/dockerRegistrySecrets") <= 40
