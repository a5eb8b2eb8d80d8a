"""SAP's own Python SDK (``sap-ai-sdk-core``) against our emulator: if SAP's client cannot talk
to it, the emulator is wrong. Every docker registry secret call the SDK has, its error cases,
its retries and its token cache, over real loopback sockets.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tui.emulator.server import Emulator

pytestmark = pytest.mark.real

sdk = pytest.importorskip(
    "ai_core_sdk.ai_core_v2_client",
    reason="SAP's SDK is not installed (it is in the [test] extras: pip install -e '.[test]')",
)
sdk_errors = pytest.importorskip("ai_api_client_sdk.exception", reason="SAP's SDK is not installed")

SECRETS = "/v2/admin/dockerRegistrySecrets"


def config(password: str) -> dict[str, str]:
    auths = {"ghcr.io": {"username": "octo", "password": password, "auth": "b2N0bzpw"}}
    return {".dockerconfigjson": json.dumps({"auths": auths}, separators=(",", ":"))}


def client_for(emu: Emulator, secret: str = "demo-secret") -> Any:
    """SAP's client as its docs build it: base URL with /v2, the full token URL."""
    return sdk.AICoreV2Client(
        base_url=emu.api_url + "/v2",
        auth_url=emu.token_url,
        client_id="demo",
        client_secret=secret,
        resource_group="default",
    )


@pytest.fixture
def secrets(emulator: Emulator) -> Iterator[Any]:
    """The SDK's docker registry secrets client, talking to the ``emulator`` fixture."""
    yield client_for(emulator).docker_registry_secrets


def api_requests(emu: Emulator) -> list[str]:
    return [f"{r.method} {r.path}" for r in emu.requests if r.path.startswith("/v2")]


def test_create_query_get_modify_delete(secrets: Any, emulator: Emulator) -> None:
    created = secrets.create("my-registry", config("first"))
    assert created.message == "Secret has been created"

    listed = secrets.query()
    assert listed.count == 1
    assert [r.name for r in listed.resources] == ["my-registry"]
    paged = secrets.query(top=1, skip=1)
    assert (paged.count, paged.resources) == (0, [])

    assert secrets.get("my-registry").name == "my-registry"

    modified = secrets.modify("my-registry", config("second"))
    assert (modified.id, modified.message) == ("my-registry", "Secret has been modified")
    patch = next(r for r in emulator.requests if r.method == "PATCH")
    assert patch.headers["Content-Type"] == "application/merge-patch+json"
    assert '"password":"second"' in emulator.state.secrets["my-registry"]

    deleted = secrets.delete("my-registry")
    assert (deleted.id, deleted.message) == (
        "my-registry",
        "Docker Registry Secret has been deleted",
    )
    assert secrets.query().count == 0
    # Every call went out once: nothing was retried, nothing answered outside the contract.
    assert [r.split()[0] for r in api_requests(emulator)] == [
        "POST",
        "GET",
        "GET",
        "GET",
        "PATCH",
        "DELETE",
        "GET",
    ]


def test_one_token_serves_every_call(secrets: Any, emulator: Emulator) -> None:
    # The SDK renews a token with less than an hour left: the 7199 s default keeps it cached.
    secrets.create("cached", config("p"))
    for _ in range(3):
        secrets.query()
    secrets.get("cached")
    assert emulator.token_requests == 1


def test_under_an_hour_of_lifetime_the_sdk_fetches_a_token_per_call() -> None:
    # Why the default is 7199: at the old 3600 s SAP's SDK asked for a token before every call.
    with Emulator(token_ttl=3600) as emu:
        secrets = client_for(emu).docker_registry_secrets
        for _ in range(3):
            secrets.query()
        assert emu.token_requests == 3


@pytest.mark.parametrize("call", ["get", "modify", "delete"])
def test_unknown_name_is_not_found(secrets: Any, call: str) -> None:
    args = ("nobody", config("p")) if call == "modify" else ("nobody",)
    with pytest.raises(sdk_errors.AIAPINotFoundException) as caught:
        getattr(secrets, call)(*args)
    assert caught.value.status_code == 404
    assert "nobody" in caught.value.error_message


@pytest.mark.parametrize("name", ["UPPER", "a", "-start", "x" * 64, "two__underscores"])
def test_bad_name_is_an_invalid_request(secrets: Any, emulator: Emulator, name: str) -> None:
    with pytest.raises(sdk_errors.AIAPIInvalidRequestException) as caught:
        secrets.create(name, config("p"))
    assert caught.value.status_code == 400
    assert caught.value.error_code and caught.value.request_id
    assert emulator.secret_names() == []


@pytest.mark.parametrize(
    "data",
    [
        {".dockerconfigjson": "[]"},
        {".dockerconfigjson": "NaN"},
        {".dockerconfigjson": "not json"},
        {".dockerconfigjson": {"auths": {}}},
        {"config": "{}"},
    ],
)
def test_bad_data_is_an_invalid_request(secrets: Any, emulator: Emulator, data: Any) -> None:
    with pytest.raises(sdk_errors.AIAPIInvalidRequestException):
        secrets.create("bad-data", data)
    assert emulator.secret_names() == []


def test_duplicate_name_is_409_already_exists(secrets: Any) -> None:
    secrets.create("dup", config("p"))
    with pytest.raises(sdk_errors.AIAPIServerException) as caught:
        secrets.create("dup", config("p"))
    assert caught.value.status_code == 409
    assert "already exists" in caught.value.error_message


def test_an_expired_token_is_401(secrets: Any, emulator: Emulator) -> None:
    secrets.query()
    emulator.expire_tokens()
    # The SDK keeps its cached token (it trusts expires_in), so the API's 401 reaches the caller.
    with pytest.raises(sdk_errors.AIAPIAuthorizationException) as caught:
        secrets.query()
    assert caught.value.status_code == 401
    assert "expired" in caught.value.error_message.lower()


def test_a_wrong_client_secret_is_refused_by_the_token_endpoint(emulator: Emulator) -> None:
    secrets = client_for(emulator, secret="wrong").docker_registry_secrets
    with pytest.raises(sdk_errors.AIAPIAuthenticatorAuthorizationException):
        secrets.query()
    assert api_requests(emulator) == []


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_the_sdk_retries_reads_and_deletes_on_a_status(
    secrets: Any, emulator: Emulator, status: int
) -> None:
    secrets.create("kept", config("p"))
    emulator.fail_next(status, count=2)
    assert secrets.query().count == 1
    emulator.fail_next(status, count=2)
    secrets.delete("kept")
    assert [r.split()[0] for r in api_requests(emulator)] == ["POST"] + ["GET"] * 3 + ["DELETE"] * 3


@pytest.mark.parametrize("status", [429, 500, 503])
def test_the_sdk_never_retries_create_or_modify_on_a_status(
    secrets: Any, emulator: Emulator, status: int
) -> None:
    secrets.create("kept", config("p"))
    emulator.fail_next(status)
    with pytest.raises(sdk_errors.AIAPIServerException):
        secrets.create("another", config("p"))
    emulator.fail_next(status)
    with pytest.raises(sdk_errors.AIAPIServerException):
        secrets.modify("kept", config("q"))
    assert [r.split()[0] for r in api_requests(emulator)] == ["POST", "POST", "PATCH"]


def test_the_sdk_honours_retry_after(secrets: Any, emulator: Emulator) -> None:
    emulator.fail_next(503, retry_after=1)
    started = time.monotonic()
    assert secrets.query().count == 0
    assert time.monotonic() - started >= 1
