"""HTTP side of the emulator: routing, the token endpoint, the /v2 API and the control endpoint.

Answers follow aicore-api.md: JSON error objects under /v2, XSUAA-style JSON from the token
endpoint, plain text for a 401 on a bad bearer token. Quiet unless the server is verbose.
"""

from __future__ import annotations

import base64
import binascii
import json
import ssl
import uuid
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from tui.emulator.faults import Fault, fault_from_json
from tui.emulator.state import (
    CODE_BAD_REQUEST,
    CODE_INJECTED,
    CODE_MEDIA_TYPE,
    CODE_METHOD,
    CODE_NOT_FOUND,
    ApiFailure,
)

if TYPE_CHECKING:
    from tui.emulator.server import EmulatorHTTPServer

TOKEN_PATH = "/oauth/token"
SECRETS_PATH = "/v2/admin/dockerRegistrySecrets"
QUOTA_PATH = "/v2/admin/resourceQuota/dockerRegistrySecrets"
CONTROL_PREFIX = "/_emulator/"
JSON_TYPES = ("application/json", "application/merge-patch+json")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AICoreEmulator/1.0"
    # An idle keep-alive connection frees its thread after this many seconds.
    timeout = 30
    # Headers and body go out in two writes; with Nagle on, each answer waits ~40 ms for an ACK.
    disable_nagle_algorithm = True
    server: EmulatorHTTPServer

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

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            size = 0
        return self.rfile.read(size) if size > 0 else b""

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

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
                    "target": urlsplit(self.path).path,
                    "details": {},
                }
            },
            extra,
        )

    # --- routing ----------------------------------------------------------------------------

    def _dispatch(self) -> None:
        body = self._read_body()
        url = urlsplit(self.path)
        path = url.path
        if path.startswith(CONTROL_PREFIX):
            self._control(path[len(CONTROL_PREFIX) :].rstrip("/"), body)
            return
        self.server.record(self.command, self.path, dict(self.headers.items()), body)
        fault = self.server.faults.take("token" if path == TOKEN_PATH else "api")
        if fault is not None and self._apply_fault(fault):
            return
        if path == TOKEN_PATH:
            self._token(body)
        elif path.startswith("/v2/") or path == "/v2":
            self._api(path, parse_qs(url.query, keep_blank_values=True), body)
        else:
            self._error(404, CODE_NOT_FOUND, f"No resource at {path}.")

    def _apply_fault(self, fault: Fault) -> bool:
        """True when the fault answered (or dropped) the request."""
        if fault.kind == "drop":
            # Not a byte back: the client sees the connection close.
            self.close_connection = True
            return True
        if fault.kind == "delay":
            if self.server.stopping.wait(fault.delay):
                self.close_connection = True
                return True
            return False
        extra = {}
        if fault.retry_after is not None:
            ra = fault.retry_after
            extra["Retry-After"] = str(int(ra)) if ra == int(ra) else str(ra)
        if fault.body is not None:
            raw = fault.body.encode()
            try:
                json.loads(raw)
                content_type = "application/json"
            except ValueError:
                content_type = "text/plain; charset=utf-8"
            self._send(fault.status, raw, content_type, extra)
        else:
            self._error(fault.status, CODE_INJECTED, f"Injected fault: HTTP {fault.status}.", extra)
        return True

    # --- token endpoint ---------------------------------------------------------------------

    def _token(self, body: bytes) -> None:
        if self.command != "POST":
            self._json(405, {"error": "method_not_allowed", "error_description": "Use POST."})
            return
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
        state = self.server.state
        method = self.command
        if path == SECRETS_PATH:
            if method == "GET":
                top = _int_param(query, "$top")
                skip = _int_param(query, "$skip") or 0
                count_all = _bool_param(query, "$count")
                return 200, state.list_page(top, skip, count_all)
            if method == "POST":
                return 202, state.create(self._json_body(body))
            raise _method_not_allowed(method, path)
        if path.startswith(SECRETS_PATH + "/"):
            raw_name = path[len(SECRETS_PATH) + 1 :]
            name = unquote(raw_name)
            if not name or "/" in raw_name:
                raise ApiFailure(404, CODE_NOT_FOUND, f"No resource at {path}.")
            if method == "GET":
                return 200, state.get(name)
            if method == "PATCH":
                return 202, state.update(name, self._json_body(body))
            if method == "DELETE":
                return 202, state.delete(name)
            raise _method_not_allowed(method, path)
        if path == QUOTA_PATH:
            if method != "GET":
                raise _method_not_allowed(method, path)
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
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ApiFailure(400, CODE_BAD_REQUEST, "Request body is not valid JSON.") from None

    # --- control endpoint (emulator only) ---------------------------------------------------

    def _control(self, action: str, body: bytes) -> None:
        emulator = self.server
        method = self.command
        if action == "faults" and method == "POST":
            try:
                data = json.loads(body.decode("utf-8") or "null")
                emulator.faults.add(fault_from_json(data))
            except ValueError as exc:
                self._error(400, CODE_BAD_REQUEST, f"Bad fault: {exc}.")
                return
            self._json(200, {"pending": emulator.faults.pending()})
        elif action == "faults" and method == "GET":
            self._json(200, {"pending": emulator.faults.pending()})
        elif action == "faults" and method == "DELETE":
            emulator.faults.clear()
            self._json(200, {"pending": []})
        elif action == "expire-tokens" and method == "POST":
            emulator.state.expire_tokens()
            self._json(200, {"message": "All tokens have expired"})
        elif action == "reset" and method == "POST":
            emulator.reset()
            self._json(200, {"message": "Emulator reset"})
        elif action == "state" and method == "GET":
            self._json(
                200,
                {
                    "secrets": emulator.state.names(),
                    "pending": emulator.faults.pending(),
                    "token_requests": emulator.state.token_requests,
                },
            )
        else:
            self._error(
                404,
                CODE_NOT_FOUND,
                "Control endpoints: POST|GET|DELETE /_emulator/faults,"
                " POST /_emulator/expire-tokens, POST /_emulator/reset, GET /_emulator/state.",
            )


def _method_not_allowed(method: str, path: str) -> ApiFailure:
    return ApiFailure(405, CODE_METHOD, f"Method {method} is not allowed on {path}.")


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
