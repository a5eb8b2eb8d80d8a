"""The emulator's HTTP layer as any HTTP client meets it: framing, methods, refusals.

These run over raw loopback sockets where httpx would hide the detail (chunked framing, HEAD,
methods http.server does not know), so each answer is read exactly as the server sent it.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tui.emulator.handler import MAX_BODY
from tui.emulator.server import Emulator

SECRETS = "/v2/admin/dockerRegistrySecrets"
CONFIG = json.dumps({"auths": {"ghcr.io": {"username": "u", "password": "p", "auth": "dTpw"}}})


def token(emu: Emulator) -> str:
    response = httpx.post(
        emu.token_url,
        data={"grant_type": "client_credentials", "client_id": "demo", "client_secret": "demo"},
        auth=("demo", "demo-secret"),
        timeout=5,
    )
    assert response.status_code == 200
    return str(response.json()["access_token"])


def exchange(
    emu: Emulator, head: str, body: bytes = b"", method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """Send ``head`` (request line and headers, no blank line) and ``body`` raw; read one answer."""
    with socket.create_connection(("127.0.0.1", emu.port), timeout=5) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n\r\n" + body)
        # Nothing more comes: a body that ends early ends here, as when a client goes away.
        sock.shutdown(socket.SHUT_WR)
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        data = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, data


def error_object(headers: dict[str, str], data: bytes) -> dict[str, Any]:
    assert headers["content-type"] == "application/json"
    err = json.loads(data)["error"]
    assert isinstance(err["code"], str) and len(err["code"]) == 8
    assert isinstance(err["message"], str) and err["message"]
    return dict(err)


def chunked(payload: bytes, size: int = 7) -> bytes:
    parts = [payload[i : i + size] for i in range(0, len(payload), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def post_head(emu: Emulator, extra: str) -> str:
    return (
        f"POST {SECRETS} HTTP/1.1\nHost: 127.0.0.1:{emu.port}\n"
        f"Authorization: Bearer {token(emu)}\nContent-Type: application/json\n{extra}"
    )


# --- chunked bodies ------------------------------------------------------------------------------


def create_payload(name: str) -> bytes:
    return json.dumps({"name": name, "data": {".dockerconfigjson": CONFIG}}).encode()


def test_a_chunked_create_is_stored(emulator: Emulator) -> None:
    head = post_head(emulator, "Transfer-Encoding: chunked")
    status, _, data = exchange(emulator, head, chunked(create_payload("chunky")))
    assert (status, json.loads(data)) == (202, {"message": "Secret has been created"})
    assert emulator.secret_names() == ["chunky"]


def test_chunk_extensions_and_trailers_are_read_past(emulator: Emulator) -> None:
    payload = create_payload("with-trailer")
    body = b"%x;ext=1\r\n%s\r\n0\r\nX-Checksum: abc\r\n\r\n" % (len(payload), payload)
    status, _, _ = exchange(emulator, post_head(emulator, "Transfer-Encoding: chunked"), body)
    assert status == 202
    assert emulator.secret_names() == ["with-trailer"]


def test_httpx_streaming_body_is_chunked_and_stored(emulator: Emulator) -> None:
    def parts() -> Iterator[bytes]:
        payload = create_payload("streamed")
        yield payload[:10]
        yield payload[10:]

    response = httpx.post(
        emulator.api_url + SECRETS,
        content=parts(),
        headers={"Authorization": f"Bearer {token(emulator)}", "Content-Type": "application/json"},
        timeout=5,
    )
    assert response.status_code == 202
    assert emulator.requests[-1].headers.get("Transfer-Encoding") == "chunked"
    assert emulator.secret_names() == ["streamed"]


@pytest.mark.parametrize(
    ("extra", "body", "status"),
    [
        # Larger than the cap, chunked or not: refused before it is read whole.
        ("Transfer-Encoding: chunked", b"%x\r\n" % (MAX_BODY + 1), 413),
        (f"Content-Length: {MAX_BODY + 1}", b"", 413),
        ("Transfer-Encoding: chunked", b"zz\r\n", 400),
        ("Transfer-Encoding: chunked", b"5\r\nabcdeXX", 400),
        ("Transfer-Encoding: chunked", b"0\r\nno-end", 400),
        ("Transfer-Encoding: chunked\nContent-Length: 5", b"0\r\n\r\n", 400),
        ("Transfer-Encoding: gzip", b"", 501),
        ("Content-Length: -1", b"", 400),
        ("Content-Length: 1e3", b"", 400),
        ("Content-Length: 50", b'{"name"', 400),
    ],
)
def test_bodies_that_cannot_be_read_get_an_error_object_and_a_close(
    emulator: Emulator, extra: str, body: bytes, status: int
) -> None:
    got, headers, data = exchange(emulator, post_head(emulator, extra), body)
    assert got == status
    assert headers.get("connection") == "close"
    error_object(headers, data)
    assert emulator.secret_names() == []


# --- methods -------------------------------------------------------------------------------------


def test_head_is_get_without_a_body(emulator: Emulator) -> None:
    auth = f"Authorization: Bearer {token(emulator)}"
    host = f"Host: 127.0.0.1:{emulator.port}"
    get = exchange(emulator, f"GET {SECRETS} HTTP/1.1\n{host}\n{auth}")
    head = exchange(emulator, f"HEAD {SECRETS} HTTP/1.1\n{host}\n{auth}", method="HEAD")
    assert head[0] == get[0] == 200
    assert head[1]["content-type"] == "application/json"
    assert head[1]["content-length"] == str(len(get[2]))
    assert head[2] == b""
    missing = exchange(emulator, f"HEAD {SECRETS}/nobody HTTP/1.1\n{host}\n{auth}", method="HEAD")
    assert (missing[0], missing[2]) == (404, b"")


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        (SECRETS, "GET, HEAD, POST, OPTIONS"),
        (f"{SECRETS}/some-name", "GET, HEAD, PATCH, DELETE, OPTIONS"),
        ("/v2/admin/resourceQuota/dockerRegistrySecrets", "GET, HEAD, OPTIONS"),
        ("/oauth/token", "POST, OPTIONS"),
    ],
)
def test_options_lists_the_methods_and_others_get_405_with_allow(
    emulator: Emulator, path: str, allow: str
) -> None:
    host = f"Host: 127.0.0.1:{emulator.port}"
    status, headers, data = exchange(emulator, f"OPTIONS {path} HTTP/1.1\n{host}")
    assert (status, headers["allow"], data) == (204, allow, b"")
    for method in ("TRACE", "PUT", "PATCH", "DELETE", "POST", "GET"):
        if method in allow.split(", "):
            continue
        status, headers, data = exchange(
            emulator, f"{method} {path} HTTP/1.1\n{host}\nContent-Length: 0"
        )
        assert (status, headers["allow"]) == (405, allow), method
        assert headers["content-type"] == "application/json"
        assert method in data.decode()


def test_unknown_methods_and_bad_request_lines_get_json_not_html(emulator: Emulator) -> None:
    host = f"Host: 127.0.0.1:{emulator.port}"
    status, headers, data = exchange(emulator, f"BREW {SECRETS} HTTP/1.1\n{host}")
    assert status == 501
    error_object(headers, data)
    status, headers, data = exchange(emulator, "GET / HTTP/9.9\n" + host)
    assert status == 505 or status == 400
    error_object(headers, data)
    status, headers, data = exchange(emulator, "GET http://[x/ HTTP/1.1\n" + host)
    assert status == 400
    error_object(headers, data)
