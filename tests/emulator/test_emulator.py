"""The emulator against the contract tables of docs/aicore-api.md, over real loopback sockets."""

from __future__ import annotations

import base64
import json
import socket
import time
from typing import Any

import httpx
import pytest

from tests.support.emulator import control_client
from tui.emulator.server import Emulator

SECRETS = "/v2/admin/dockerRegistrySecrets"
QUOTA = "/v2/admin/resourceQuota/dockerRegistrySecrets"
CONFIG = json.dumps({"auths": {"ghcr.io": {"username": "u", "password": "p", "auth": "dTpw"}}})


def body(name: str, config: Any = CONFIG) -> dict[str, Any]:
    return {"name": name, "data": {".dockerconfigjson": config}}


class Api:
    """A tiny synchronous caller with a valid token."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.http = httpx.Client(base_url=emu.api_url, timeout=5)
        self.token = self.fetch_token()

    def fetch_token(self) -> str:
        response = self.http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "demo",
                "client_secret": "demo-secret",
            },
        )
        assert response.status_code == 200
        return str(response.json()["access_token"])

    def __call__(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kw.pop("headers", {})}
        return self.http.request(method, path, headers=headers, **kw)


@pytest.fixture
def api(emulator: Emulator) -> Api:
    return Api(emulator)


def error_object(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    err = data["error"]
    assert isinstance(err["code"], str) and len(err["code"]) == 8 and err["code"].isdigit()
    assert isinstance(err["message"], str) and err["message"]
    assert isinstance(err["requestId"], str) and err["requestId"]
    assert isinstance(err["target"], str)
    return dict(err)


# --- contract table ----------------------------------------------------------------------------


def test_every_success_answer_matches_the_contract_table(api: Api) -> None:
    created = api("POST", SECRETS, json=body("my-registry"))
    assert created.status_code == 202
    assert created.json() == {"message": "Secret has been created"}

    listed = api("GET", SECRETS)
    assert listed.status_code == 200
    assert listed.json() == {"count": 1, "resources": [{"name": "my-registry"}]}

    one = api("GET", f"{SECRETS}/my-registry")
    assert (one.status_code, one.json()) == (200, {"name": "my-registry"})

    patched = api("PATCH", f"{SECRETS}/my-registry", json={"data": body("x")["data"]})
    assert patched.status_code == 202
    assert patched.json() == {"id": "my-registry", "message": "Secret has been modified"}

    quota = api("GET", QUOTA)
    assert (quota.status_code, quota.json()) == (
        200,
        {"usage": {"count": 1}, "quota": {"maxCount": 50}},
    )
    quota_only = api("GET", QUOTA, params={"quotaOnly": "true"})
    assert quota_only.json() == {"quota": {"maxCount": 50}}

    deleted = api("DELETE", f"{SECRETS}/my-registry")
    assert deleted.status_code == 202
    assert deleted.json() == {
        "id": "my-registry",
        "message": "Docker Registry Secret has been deleted",
    }
    assert api("GET", SECRETS).json() == {"count": 0, "resources": []}


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ("not json", "not valid JSON"),
        ([1, 2], "JSON object"),
        ({"data": {".dockerconfigjson": CONFIG}}, "'name'"),
        (body("UPPER"), "Invalid name"),
        (body("a"), "Invalid name"),
        (body("-start"), "Invalid name"),
        (body("x" * 64), "Invalid name"),
        (body("two__underscores"), "Invalid name"),
        (body("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-"), "Invalid name"),
        ({"name": "ok-name"}, "'data'"),
        ({"name": "ok-name", "data": {".dockerconfigjson": CONFIG, "x": "y"}}, "exactly one key"),
        ({"name": "ok-name", "data": {"config": CONFIG}}, "exactly one key"),
        (body("ok-name", {"auths": {}}), "must be a string"),
        (body("ok-name", "{not json"), "JSON object"),
        # Valid JSON, but Kubernetes decodes .dockerconfigjson into a map: these it refuses.
        (body("ok-name", "[]"), "JSON object"),
        (body("ok-name", "1"), "JSON object"),
        (body("ok-name", '"x"'), "JSON object"),
        (body("ok-name", "null"), "JSON object"),
        (body("ok-name", "NaN"), "JSON object"),
        (body("ok-name", '{"auths": NaN}'), "JSON object"),
        (body("ok-name", "[" * 100_000), "JSON object"),
        ('{"name": "ok-name", "data": {".dockerconfigjson": "{}"}, "x": NaN}', "not valid JSON"),
        ("[" * 100_000, "not valid JSON"),
    ],
)
def test_create_rejects_what_the_contract_rejects(api: Api, payload: Any, words: str) -> None:
    content = payload if isinstance(payload, str) else json.dumps(payload)
    started = time.monotonic()
    response = api("POST", SECRETS, content=content, headers={"Content-Type": "application/json"})
    assert time.monotonic() - started < 2  # the name rule must not backtrack for seconds
    assert response.status_code == 400
    assert words in error_object(response)["message"]
    assert api.emu.secret_names() == []


def test_single_underscore_and_63_characters_are_accepted(api: Api) -> None:
    assert api("POST", SECRETS, json=body("my_registry")).status_code == 202
    assert api("POST", SECRETS, json=body("a" * 63)).status_code == 202


@pytest.mark.parametrize("name", ["a..b", "a.-b", "a-.b"])
def test_names_the_published_pattern_takes_but_kubernetes_would_not_are_accepted(
    api: Api, name: str
) -> None:
    # Adopted (docs/aicore-api.md, "Names"): the published pattern is all that is public.
    assert api("POST", SECRETS, json=body(name)).status_code == 202
    assert api.emu.secret_names() == [name]


def test_duplicate_name_is_409_already_exists(api: Api) -> None:
    api("POST", SECRETS, json=body("dup"))
    response = api("POST", SECRETS, json=body("dup"))
    assert response.status_code == 409
    assert "already exists" in error_object(response)["message"]


def test_the_51st_secret_hits_the_quota(api: Api) -> None:
    for i in range(50):
        assert api("POST", SECRETS, json=body(f"s{i:02d}")).status_code == 202
    response = api("POST", SECRETS, json=body("one-more"))
    assert response.status_code == 400
    assert "quota" in error_object(response)["message"].lower()
    assert api("GET", QUOTA).json()["usage"] == {"count": 50}


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_name_is_404(api: Api, method: str) -> None:
    kw = {"json": {"data": body("x")["data"]}} if method == "PATCH" else {}
    response = api(method, f"{SECRETS}/nobody", **kw)
    assert response.status_code == 404
    err = error_object(response)
    assert err["target"] == f"{SECRETS}/nobody"


def test_unknown_path_is_404_and_put_is_405(api: Api) -> None:
    assert api("GET", "/v2/admin/nothing").status_code == 404
    response = api("PUT", f"{SECRETS}/x", json={})
    assert response.status_code == 405
    error_object(response)


def test_patch_accepts_both_content_types_and_a_name_but_not_form_data(api: Api) -> None:
    api("POST", SECRETS, json=body("both"))
    for content_type in ("application/json", "application/merge-patch+json; charset=utf-8"):
        response = api(
            "PATCH",
            f"{SECRETS}/both",
            content=json.dumps(body("both")),
            headers={"Content-Type": content_type},
        )
        assert response.status_code == 202
    form = api("PATCH", f"{SECRETS}/both", data={"a": "b"})
    assert form.status_code == 415
    error_object(form)


def test_patch_validates_data_like_create(api: Api) -> None:
    api("POST", SECRETS, json=body("valid"))
    response = api("PATCH", f"{SECRETS}/valid", json={"data": {".dockerconfigjson": "{"}})
    assert response.status_code == 400


def test_pagination_top_skip_count(api: Api) -> None:
    for name in ["e1", "a1", "c1", "b1", "d1"]:
        api("POST", SECRETS, json=body(name))

    def page(**params: str) -> Any:
        return api("GET", SECRETS, params=params).json()

    assert page()["resources"] == [{"name": n} for n in ["a1", "b1", "c1", "d1", "e1"]]
    assert page(**{"$top": "2"}) == {"count": 2, "resources": [{"name": "a1"}, {"name": "b1"}]}
    assert page(**{"$top": "2", "$skip": "4", "$count": "true"}) == {
        "count": 5,
        "resources": [{"name": "e1"}],
    }
    assert page(**{"$skip": "9", "$count": "false"}) == {"count": 0, "resources": []}
    assert page(**{"$top": "0", "$count": "true"}) == {"count": 5, "resources": []}
    for bad in ({"$top": "-1"}, {"$skip": "x"}, {"$count": "yes"}, {"$top": "²"}):
        response = api("GET", SECRETS, params=bad)
        assert response.status_code == 400
        error_object(response)


def test_resource_group_header_is_ignored(api: Api) -> None:
    response = api("POST", SECRETS, json=body("rg"), headers={"AI-Resource-Group": "other"})
    assert response.status_code == 202
    assert api("GET", SECRETS).json()["count"] == 1


def test_credentials_are_never_echoed(api: Api) -> None:
    secret_config = json.dumps({"auths": {"r.io": {"username": "u", "password": "hunter2-xyz"}}})
    api("POST", SECRETS, json=body("quiet", secret_config))
    answers = [
        api("GET", SECRETS),
        api("GET", f"{SECRETS}/quiet"),
        api("PATCH", f"{SECRETS}/quiet", json=body("quiet", secret_config)),
        api("POST", SECRETS, json=body("quiet", secret_config)),
    ]
    for response in answers:
        assert b"hunter2" not in response.content
        assert b"auths" not in response.content


# --- token endpoint and bearer checks ---------------------------------------------------------


def test_token_by_form_and_by_basic_auth(emulator: Emulator) -> None:
    with httpx.Client(timeout=5) as http:
        form = http.post(
            emulator.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": "demo",
                "client_secret": "demo-secret",
            },
        )
        basic = http.post(
            emulator.token_url,
            data={"grant_type": "client_credentials"},
            headers={"Authorization": "Basic " + base64.b64encode(b"demo:demo-secret").decode()},
        )
    for response in (form, basic):
        assert response.status_code == 200
        data = response.json()
        assert set(data) == {"access_token", "token_type", "expires_in", "jti", "scope"}
        assert data["token_type"] == "bearer"
        assert isinstance(data["access_token"], str)
        assert data["expires_in"] == 7199  # SAP's docs show 7199 s
    assert emulator.token_requests == 2


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        (
            {"grant_type": "client_credentials", "client_id": "demo", "client_secret": "nope"},
            401,
            "unauthorized",
        ),
        (
            {
                "grant_type": "client_credentials",
                "client_id": "other",
                "client_secret": "demo-secret",
            },
            401,
            "unauthorized",
        ),
        ({"grant_type": "client_credentials"}, 401, "unauthorized"),
        (
            {"grant_type": "password", "client_id": "demo", "client_secret": "demo-secret"},
            400,
            "unsupported_grant_type",
        ),
    ],
)
def test_token_refusals_are_xsuaa_style(
    emulator: Emulator,
    data: dict[str, str],
    status: int,
    error: str,
) -> None:
    response = httpx.post(emulator.token_url, data=data, timeout=5)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert "demo-secret" not in response.text


def test_missing_unknown_and_expired_bearer_get_plain_text_401(api: Api) -> None:
    no_header = api.http.get(SECRETS)
    unknown = api.http.get(SECRETS, headers={"Authorization": "Bearer made-up"})
    assert api("GET", SECRETS).status_code == 200
    api.emu.expire_tokens()
    expired = api("GET", SECRETS)
    for response in (no_header, unknown, expired):
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("text/plain")
        with pytest.raises(ValueError):
            response.json()
    assert "expired" in expired.text.lower()
    api.token = api.fetch_token()
    assert api("GET", SECRETS).status_code == 200


def test_tokens_expire_after_their_lifetime() -> None:
    with Emulator(token_ttl=0.3) as emu:
        api = Api(emu)
        assert api("GET", SECRETS).status_code == 200
        time.sleep(0.4)
        assert api("GET", SECRETS).status_code == 401


# --- faults and controls ----------------------------------------------------------------------


def test_fail_next_with_and_without_retry_after(api: Api) -> None:
    api.emu.fail_next(429, retry_after=3)
    api.emu.fail_next(503, count=2)
    first = api("GET", SECRETS)
    assert (first.status_code, first.headers["retry-after"]) == (429, "3")
    error_object(first)
    for _ in range(2):
        response = api("GET", SECRETS)
        assert response.status_code == 503
        assert "retry-after" not in response.headers
    assert api("GET", SECRETS).status_code == 200


def test_fail_next_with_a_raw_body(api: Api) -> None:
    api.emu.fail_next(502, body="<html>Bad Gateway</html>")
    response = api("GET", SECRETS)
    assert response.status_code == 502
    assert response.text == "<html>Bad Gateway</html>"
    assert response.headers["content-type"].startswith("text/plain")


def test_faults_are_scoped_to_api_or_token(api: Api) -> None:
    api.emu.fail_next(500, scope="token")
    assert api("GET", SECRETS).status_code == 200  # the API is not affected
    refused = api.http.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert refused.status_code == 500
    api.emu.fail_next(503, scope="all")
    assert api("GET", QUOTA).status_code == 503


def test_delay_next_answers_late(api: Api) -> None:
    api.emu.delay_next(0.3)
    started = time.monotonic()
    assert api("GET", SECRETS).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_drop_next_closes_without_an_answer(api: Api) -> None:
    api.emu.drop_next()
    with pytest.raises(httpx.RemoteProtocolError):
        api("GET", SECRETS)
    assert api("GET", SECRETS).status_code == 200


def test_control_endpoint_over_http(api: Api) -> None:
    control = control_client(api.emu)
    queued = control.post("/faults", json={"status": 504, "count": 2, "retry_after": 1})
    assert queued.status_code == 200
    assert queued.json()["pending"] == [
        {"kind": "status", "count": 2, "scope": "api", "status": 504, "retry_after": 1.0}
    ]
    assert control.post("/faults", json={"delay": 0.01}).status_code == 200
    assert control.post("/faults", json={"drop": True, "count": 1}).status_code == 200
    assert len(control.get("/faults").json()["pending"]) == 3
    assert control.delete("/faults").json() == {"pending": []}
    for bad in ({}, {"status": 99}, {"status": 500, "delay": 1}, {"drop": 1}, {"delay": -1}):
        response = control.post("/faults", json=bad)
        assert response.status_code == 400, bad
        error_object(response)

    api("POST", SECRETS, json=body("kept"))
    assert control.get("/state").json()["secrets"] == ["kept"]
    assert control.post("/expire-tokens").status_code == 200
    assert api("GET", SECRETS).status_code == 401
    assert control.post("/reset").status_code == 200
    assert api.emu.secret_names() == []
    assert control.get("/nothing").status_code == 404


def test_received_bodies_and_reset(api: Api) -> None:
    api("POST", SECRETS, json=body("seen"))
    assert any(b'"seen"' in b for b in api.emu.received_bodies)
    assert any(b"client_secret=demo-secret" in b for b in api.emu.received_bodies)
    bodies = api.emu.received_bodies
    api.emu.reset()
    assert bodies == [] and api.emu.received_bodies is bodies
    assert api.emu.token_requests == 0


# --- life cycle --------------------------------------------------------------------------------


def test_start_stop_and_port_in_use() -> None:
    emu = Emulator().start()
    try:
        assert emu.port > 0
        assert emu.api_url == f"http://127.0.0.1:{emu.port}"
        assert emu.token_url == f"{emu.api_url}/oauth/token"
        with pytest.raises(OSError):
            Emulator(port=emu.port).start()
    finally:
        started = time.monotonic()
        emu.stop()
    assert time.monotonic() - started < 2
    with pytest.raises(httpx.ConnectError):
        httpx.get(emu.api_url + SECRETS, timeout=2)
    emu.stop()  # a second stop is harmless


def test_stop_does_not_wait_for_a_delayed_request_or_keep_alive(emulator: Emulator) -> None:
    emulator.delay_next(30)
    sock = socket.create_connection(("127.0.0.1", emulator.port))
    sock.sendall(b"GET /v2/admin/dockerRegistrySecrets HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.1)
    started = time.monotonic()
    emulator.stop()
    assert time.monotonic() - started < 2
    sock.settimeout(2)
    assert sock.recv(100) == b""  # closed, not answered
    sock.close()


def test_ipv6_loopback_url_is_bracketed() -> None:
    if not socket.has_ipv6:
        pytest.fail("this machine has no IPv6 support at all")
    try:
        emu = Emulator(host="::1").start()
    except OSError:
        # Some containers have IPv6 compiled in but no ::1 configured: check the URL form only.
        emu = Emulator(host="::1")
        assert emu.base_url.startswith("http://[::1]:")
        return
    with emu:
        assert emu.api_url == f"http://[::1]:{emu.port}"
        assert httpx.get(emu.api_url + SECRETS, timeout=2).status_code == 401
