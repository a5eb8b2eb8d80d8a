"""HTTP side of the emulator: routing, the token endpoint, the /v2 API and the control endpoint.

Answers follow docs/aicore-api.md: JSON error objects under /v2 (and for every refusal of the HTTP
layer itself: a bad request line, an unknown method, a body too large), XSUAA-style JSON from the
token endpoint, plain text for a 401 on a bad bearer token. Every known path answers OPTIONS with
``Allow``, HEAD like GET without the body, and any other method with 405 and ``Allow``. Bodies come
with ``Content-Length`` or ``Transfer-Encoding: chunked``, at most ``MAX_BODY`` bytes. Quiet unless
the server is verbose.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import ssl
import time
import uuid
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from tui.emulator.faults import Fault, fault_from_json
from tui.emulator.state import (
    CODE_BAD_REQUEST,
    CODE_FORBIDDEN,
    CODE_INJECTED,
    CODE_INTERNAL,
    CODE_MEDIA_TYPE,
    CODE_METHOD,
    CODE_NOT_FOUND,
    CODE_NOT_IMPLEMENTED,
    CODE_TOO_LARGE,
    ApiFailure,
    strict_json,
)

if TYPE_CHECKING:
    import socket
    import threading

    from tui.emulator.faults import FaultQueue
    from tui.emulator.state import State


class Starter(Protocol):
    """What a handler uses of the Emulator that started its server."""

    control_token: str


class ServerSide(Protocol):
    """What a handler uses of its server (EmulatorHTTPServer), so neither module imports the
    other both ways."""

    state: State
    faults: FaultQueue
    verbose: bool
    stopping: threading.Event
    control_hosts: frozenset[str]
    emulator: Starter

    def track(self, conn: socket.socket) -> None: ...

    def untrack(self, conn: socket.socket) -> None: ...

    def record(self, method: str, path: str, headers: dict[str, str], body: bytes) -> None: ...

    def reset(self) -> None: ...


TOKEN_PATH = "/oauth/token"
SECRETS_PATH = "/v2/admin/dockerRegistrySecrets"
QUOTA_PATH = "/v2/admin/resourceQuota/dockerRegistrySecrets"
CONTROL_PREFIX = "/_emulator/"
# The per-run secret a control request must carry (see Emulator.control_token).
CONTROL_TOKEN_HEADER = "X-Emulator-Token"
JSON_TYPES = ("application/json", "application/merge-patch+json")
# A docker config is a few kilobytes; a body past this is a mistake or an attack, not a secret.
MAX_BODY = 1 << 20
_MAX_LINE = 1024
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,8}")

# What each path answers; a method not listed gets 405 with this list as ``Allow``.
_SECRETS_METHODS = ("GET", "HEAD", "POST", "OPTIONS")
_ONE_SECRET_METHODS = ("GET", "HEAD", "PATCH", "DELETE", "OPTIONS")
_READ_METHODS = ("GET", "HEAD", "OPTIONS")
_TOKEN_METHODS = ("POST", "OPTIONS")
_CONTROL_METHODS = {
    "faults": ("GET", "HEAD", "POST", "DELETE", "OPTIONS"),
    "expire-tokens": ("POST", "OPTIONS"),
    "reset": ("POST", "OPTIONS"),
    "state": _READ_METHODS,
}


class _BadBody(Exception):
    """A request body that cannot be read; the connection is closed after the answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AICoreEmulator/1.0"
    # An idle keep-alive connection frees its thread after this many seconds.
    timeout = 30
    # Headers and body go out in two writes; with Nagle on, each answer waits ~40 ms for an ACK.
    disable_nagle_algorithm = True
    # Narrower than BaseServer on purpose: the handler needs these members, which the server has.
    server: ServerSide  # type: ignore[assignment]

    # --- plumbing ---------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        self._dispatch()

    def do_TRACE(self) -> None:
        self._dispatch()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (bad request line, unknown method, ...) as error objects."""
        self.log_error("code %d, message %s", code, message)
        self.close_connection = True
        if self.request_version == "HTTP/0.9":
            # A request line that did not parse leaves this default, which would send the body
            # without a status line; nobody speaks HTTP/0.9 to an API.
            self.request_version = "HTTP/1.0"
        status_code = CODE_NOT_IMPLEMENTED if code == 501 else CODE_BAD_REQUEST
        phrase = self.responses.get(code, ("Error", ""))[0]
        self._error(code, status_code, f"{phrase}.", {"Connection": "close"})

    def _read_body(self) -> bytes:
        """The request body, de-chunked; _BadBody when it is malformed or too large."""
        coding = self.headers.get("Transfer-Encoding")
        length = self.headers.get("Content-Length")
        if coding is not None:
            if length is not None:
                # Two framings for one body is how requests are smuggled past proxies.
                raise _BadBody(
                    400, CODE_BAD_REQUEST, "Send Content-Length or Transfer-Encoding, not both."
                )
            if coding.strip().lower() != "chunked":
                raise _BadBody(
                    501, CODE_NOT_IMPLEMENTED, "The only Transfer-Encoding understood is chunked."
                )
            return self._read_chunked()
        if length is None:
            return b""
        if not (length.isascii() and length.strip().isdigit()):
            raise _BadBody(400, CODE_BAD_REQUEST, "Content-Length must be a number of bytes.")
        size = int(length)
        if size > MAX_BODY:
            raise _too_large()
        body = self.rfile.read(size)
        if len(body) < size:
            raise _BadBody(400, CODE_BAD_REQUEST, "The body ended before Content-Length bytes.")
        return body

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(_MAX_LINE)
            size_text = line.split(b";", 1)[0].strip()
            if not line.endswith(b"\n") or not _CHUNK_SIZE.fullmatch(size_text):
                raise _BadBody(400, CODE_BAD_REQUEST, "Malformed chunk in a chunked body.")
            size = int(size_text, 16)
            if size == 0:
                break
            total += size
            if total > MAX_BODY:
                raise _too_large()
            chunk = self.rfile.read(size)
            if len(chunk) < size or self.rfile.read(2) != b"\r\n":
                raise _BadBody(400, CODE_BAD_REQUEST, "Malformed chunk in a chunked body.")
            chunks.append(chunk)
        # Trailer fields, if any, end with an empty line; they mean nothing here.
        for _ in range(64):
            line = self.rfile.readline(_MAX_LINE)
            if line in (b"\r\n", b"\n"):
                return b"".join(chunks)
            if not line.endswith(b"\n"):
                break
        raise _BadBody(400, CODE_BAD_REQUEST, "Malformed trailer in a chunked body.")

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _options(self, allowed: tuple[str, ...]) -> None:
        # 204 carries no body and so no Content-Length or Content-Type.
        self.send_response(204)
        self.send_header("Allow", ", ".join(allowed))
        self.end_headers()

    def _not_allowed(self, allowed: tuple[str, ...], *, xsuaa: bool = False) -> None:
        extra = {"Allow": ", ".join(allowed)}
        message = f"Method {self.command} is not allowed here; use {' or '.join(allowed)}."
        if xsuaa:
            self._json(405, {"error": "method_not_allowed", "error_description": message}, extra)
        else:
            self._error(405, CODE_METHOD, message, extra)

    def _json(self, status: int, payload: Any, extra: dict[str, str] | None = None) -> None:
        body = json.dumps(payload).encode()
        self._send(status, body, "application/json", extra or {})

    def _error(
        self, status: int, code: str, message: str, extra: dict[str, str] | None = None
    ) -> None:
        self._json(
            status,
            {
                "error": {
                    "code": code,
                    "message": message,
                    "requestId": uuid.uuid4().hex,
                    "target": _target(getattr(self, "path", "")),
                    "details": {},
                }
            },
            extra,
        )

    # --- routing ----------------------------------------------------------------------------

    def _dispatch(self) -> None:
        try:
            self._answer()
        except (TimeoutError, ConnectionError):
            # The client went quiet or away mid-request: nobody is left to answer.
            self.close_connection = True
        except Exception:
            # A bug of ours answers 500, as a server would, instead of dropping the connection.
            self.close_connection = True
            if self.server.verbose:
                self.log_error("internal error on %s %s", self.command, self.path)
            self._error(500, CODE_INTERNAL, "The emulator failed on this request.")

    def _answer(self) -> None:
        try:
            url = urlsplit(self.path)
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._error(400, CODE_BAD_REQUEST, "The request target is not a valid URL.")
            return
        except _BadBody as bad:
            self.close_connection = True
            self._error(bad.status, bad.code, bad.message, {"Connection": "close"})
            return
        path = url.path
        if path.startswith(CONTROL_PREFIX):
            self._control(path[len(CONTROL_PREFIX) :].rstrip("/"), body)
            return
        self.server.record(self.command, self.path, dict(self.headers.items()), body)
        fault = self.server.faults.take("token" if path == TOKEN_PATH else "api")
        if fault is not None and self._apply_fault(fault):
            return
        allowed = _allowed(path)
        if allowed is not None and self.command == "OPTIONS":
            self._options(allowed)
        elif allowed is not None and self.command not in allowed:
            self._not_allowed(allowed, xsuaa=path == TOKEN_PATH)
        elif path == TOKEN_PATH:
            self._token(body)
        elif path.startswith("/v2/") or path == "/v2":
            self._api(path, parse_qs(url.query, keep_blank_values=True), body)
        else:
            self._error(404, CODE_NOT_FOUND, f"No resource at {path}.")

    def _held(self, fault: Fault) -> bool:
        """Wait out a delay fault (or until its release); True when the server is stopping."""
        if fault.release is None:
            return self.server.stopping.wait(fault.delay)
        deadline = time.monotonic() + fault.delay
        while not fault.release.wait(0.05):
            if self.server.stopping.is_set() or time.monotonic() > deadline:
                return self.server.stopping.is_set()
        return False

    def _apply_fault(self, fault: Fault) -> bool:
        """True when the fault answered (or dropped) the request."""
        if fault.kind == "drop":
            # Not a byte back: the client sees the connection close.
            self.close_connection = True
            return True
        if fault.kind == "delay":
            if self._held(fault):
                self.close_connection = True
                return True
            return False
        extra = {}
        if fault.retry_after is not None:
            ra = fault.retry_after
            extra["Retry-After"] = str(int(ra)) if ra == int(ra) else str(ra)
        if fault.body is not None:
            raw = fault.body.encode("utf-8", "replace")
            try:
                strict_json(raw)
                content_type = "application/json"
            except ValueError:
                content_type = "text/plain; charset=utf-8"
            self._send(fault.status, raw, content_type, extra)
        else:
            self._error(fault.status, CODE_INJECTED, f"Injected fault: HTTP {fault.status}.", extra)
        return True

    # --- token endpoint ---------------------------------------------------------------------

    def _token(self, body: bytes) -> None:
        form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        grant = form.get("grant_type", [None])[0]
        if grant != "client_credentials":
            self._json(
                400,
                {
                    "error": "unsupported_grant_type",
                    "error_description": "Only grant_type=client_credentials is supported.",
                },
            )
            return
        client_id, client_secret = _basic_credentials(self.headers.get("Authorization"))
        if client_id is None:
            client_id = form.get("client_id", [None])[0]
            client_secret = form.get("client_secret", [None])[0]
        # With TLS the server asks for (but does not demand) a certificate it trusts.
        certified = isinstance(self.connection, ssl.SSLSocket) and bool(
            self.connection.getpeercert()
        )
        token = self.server.state.issue_token(client_id, client_secret, certified=certified)
        if token is None:
            self._json(401, {"error": "unauthorized", "error_description": "Bad credentials"})
            return
        self._json(200, token, {"Cache-Control": "no-store"})

    # --- /v2 ---------------------------------------------------------------------------------

    def _api(self, path: str, query: dict[str, list[str]], body: bytes) -> None:
        auth = self.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        bearer = token.strip() if scheme.lower() == "bearer" else None
        problem = self.server.state.check_token(bearer)
        if problem is not None:
            # As the real service: a 401 here is plain text, not the error object.
            self._send(
                401, problem.encode(), "text/plain; charset=utf-8", {"WWW-Authenticate": "Bearer"}
            )
            return
        try:
            status, payload = self._route(path, query, body)
        except ApiFailure as failure:
            self._error(failure.status, failure.code, failure.message)
            return
        self._json(status, payload)

    def _route(self, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        # _answer has already refused the methods a path does not allow (with 405 and Allow).
        state = self.server.state
        method = "GET" if self.command == "HEAD" else self.command
        name = _secret_name(path)
        if path == SECRETS_PATH:
            if method == "POST":
                return 202, state.create(self._json_body(body))
            top = _int_param(query, "$top")
            skip = _int_param(query, "$skip") or 0
            count_all = _bool_param(query, "$count")
            return 200, state.list_page(top, skip, count_all)
        if name is not None:
            if method == "PATCH":
                return 202, state.update(name, self._json_body(body))
            if method == "DELETE":
                return 202, state.delete(name)
            return 200, state.get(name)
        if path == QUOTA_PATH:
            return 200, state.quota(_bool_param(query, "quotaOnly"))
        raise ApiFailure(404, CODE_NOT_FOUND, f"No resource at {path}.")

    def _json_body(self, body: bytes) -> Any:
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type not in JSON_TYPES:
            raise ApiFailure(
                415,
                CODE_MEDIA_TYPE,
                "Content-Type must be application/json or application/merge-patch+json.",
            )
        try:
            return strict_json(body)
        except ValueError:
            raise ApiFailure(400, CODE_BAD_REQUEST, "Request body is not valid JSON.") from None

    # --- control endpoint (emulator only) ---------------------------------------------------

    def _control(self, action: str, body: bytes) -> None:
        emulator = self.server
        refusal = self._control_refusal()
        if refusal is not None:
            self._error(403, CODE_FORBIDDEN, refusal)
            return
        allowed = _CONTROL_METHODS.get(action)
        if allowed is None:
            self._error(
                404,
                CODE_NOT_FOUND,
                "Control endpoints: POST|GET|DELETE /_emulator/faults,"
                " POST /_emulator/expire-tokens, POST /_emulator/reset, GET /_emulator/state.",
            )
            return
        method = "GET" if self.command == "HEAD" else self.command
        if method == "OPTIONS":
            self._options(allowed)
        elif self.command not in allowed:
            self._not_allowed(allowed)
        elif action == "faults" and method == "POST":
            try:
                emulator.faults.add(fault_from_json(strict_json(body or b"null")))
            except ValueError as exc:
                self._error(400, CODE_BAD_REQUEST, f"Bad fault: {exc}.")
                return
            self._json(200, {"pending": emulator.faults.pending()})
        elif action == "faults" and method == "GET":
            self._json(200, {"pending": emulator.faults.pending()})
        elif action == "faults":
            emulator.faults.clear()
            self._json(200, {"pending": []})
        elif action == "expire-tokens":
            emulator.state.expire_tokens()
            self._json(200, {"message": "All tokens have expired"})
        elif action == "reset":
            emulator.reset()
            self._json(200, {"message": "Emulator reset"})
        else:
            self._json(
                200,
                {
                    "secrets": emulator.state.names(),
                    "pending": emulator.faults.pending(),
                    "token_requests": emulator.state.token_requests,
                },
            )

    def _control_refusal(self) -> str | None:
        """Why a control request is refused, or None.

        A web page in the user's browser can send requests to 127.0.0.1 (and, by DNS rebinding,
        under a name of its own that resolves there). Browsers always send Origin with such
        requests and cannot add a custom header without a CORS preflight we never approve, and a
        rebound name shows in Host: so the control endpoint wants the loopback Host, no Origin,
        and the per-run token that only the emulator's starter knows.
        """
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or hosts[0].strip().lower() not in self.server.control_hosts:
            return "Control requests must be addressed to the emulator's loopback address."
        if self.headers.get("Origin") is not None:
            return "Control requests from a web page are refused."
        token = self.headers.get(CONTROL_TOKEN_HEADER, "")
        expected = self.server.emulator.control_token
        if not hmac.compare_digest(token.encode("utf-8", "replace"), expected.encode()):
            return (
                f"Control requests need the {CONTROL_TOKEN_HEADER} header with the token "
                "`regsecret emulator` printed."
            )
        return None


def _too_large() -> _BadBody:
    return _BadBody(413, CODE_TOO_LARGE, f"The request body is larger than {MAX_BODY} bytes.")


def _target(raw: str) -> str:
    """The path of a request target, for the error object's ``target``; never raises."""
    try:
        return urlsplit(raw).path
    except ValueError:
        return ""


def _secret_name(path: str) -> str | None:
    """The name in /v2/admin/dockerRegistrySecrets/{name}, or None for any other path."""
    if not path.startswith(SECRETS_PATH + "/"):
        return None
    raw_name = path[len(SECRETS_PATH) + 1 :]
    if not raw_name or "/" in raw_name:
        return None
    return unquote(raw_name)


def _allowed(path: str) -> tuple[str, ...] | None:
    """The methods a path answers, or None when there is no such resource."""
    if path == TOKEN_PATH:
        return _TOKEN_METHODS
    if path == SECRETS_PATH:
        return _SECRETS_METHODS
    if path == QUOTA_PATH:
        return _READ_METHODS
    if _secret_name(path) is not None:
        return _ONE_SECRET_METHODS
    return None


def _basic_credentials(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else (None, None)


def _int_param(query: dict[str, list[str]], key: str) -> int | None:
    if key not in query:
        return None
    raw = query[key][0]
    if not (raw.isascii() and raw.isdigit()):
        raise ApiFailure(400, CODE_BAD_REQUEST, f"Query parameter {key} must be an integer >= 0.")
    return int(raw)


def _bool_param(query: dict[str, list[str]], key: str) -> bool:
    if key not in query:
        return False
    raw = query[key][0].lower()
    if raw not in ("true", "false"):
        raise ApiFailure(400, CODE_BAD_REQUEST, f"Query parameter {key} must be true or false.")
    return raw == "true"
