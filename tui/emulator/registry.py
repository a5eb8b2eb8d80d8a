"""A Docker registry (Registry HTTP API v2, OCI distribution) on loopback, for tests and ``--demo``.

It lives at the root ``/v2/`` of its own port, as every registry must, so it cannot share the AI
Core emulator's port. It serves just enough of the protocol for a login check, the way a container
runtime does one: ``GET /v2/``, a token realm, and ``HEAD``/``GET`` of manifests.

Demo data (the defaults; tests may pass their own):

=========  =======================  ===========================================
user       password (token)         may pull
=========  =======================  ===========================================
demo       demo-registry-token      ``demo/app`` and ``demo/public``
reader     reader-token             ``demo/public`` only
=========  =======================  ===========================================

Repositories and tags: ``demo/app`` has ``1.0`` and ``latest``; ``demo/public`` has ``latest``.
So, with ``R`` the emulator's :attr:`RegistryEmulator.host`:

- ``demo`` / ``demo-registry-token`` with ``R/demo/app:1.0``: accepted;
- ``demo`` / anything else: rejected;
- ``reader`` / ``reader-token`` with ``R/demo/app:1.0``: login fine, no pull permission;
- ``demo`` / ``demo-registry-token`` with ``R/demo/app:9.9``: login fine, unknown tag.

Authentication schemes (``auth=``):

- ``"bearer"`` (default, like Docker Hub, ghcr.io, GitLab): ``/v2/`` answers 401 with
  ``WWW-Authenticate: Bearer realm="http://R/token",service="regsecret-emulator"``; the realm
  takes HTTP Basic credentials and ``scope=repository:<name>:pull`` and grants a token for the
  repositories the user may pull (others are silently left out, as real registries do).
- ``"basic"`` (like AWS ECR, Harbor without token auth): 401 with ``Basic realm=...``, and every
  request carries the user's Basic credentials.

``realm=`` replaces the announced realm URL (to test that a client refuses an unsafe one), and
``token_field=`` chooses whether the token JSON carries ``token``, ``access_token`` or both. Setting
:attr:`RegistryEmulator.delay` makes every answer wait that many seconds (to test timeouts).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import re
import secrets
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal
from urllib.parse import parse_qs, urlsplit

_log = logging.getLogger(__name__)

DEMO_USERS: dict[str, str] = {"demo": "demo-registry-token", "reader": "reader-token"}
DEMO_PERMISSIONS: dict[str, frozenset[str]] = {
    "demo": frozenset({"demo/app", "demo/public"}),
    "reader": frozenset({"demo/public"}),
}
DEMO_REPOSITORIES: dict[str, tuple[str, ...]] = {
    "demo/app": ("1.0", "latest"),
    "demo/public": ("latest",),
}
SERVICE = "regsecret-emulator"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"

_MANIFEST_PATH = re.compile(
    r"^/v2/(?P<name>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
    r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)/manifests/(?P<ref>[^/]+)$"
)


@dataclass(frozen=True)
class SeenRequest:
    """One request as the emulator saw it, without any credential: enough to assert where a
    client sent its password."""

    method: str
    path: str
    auth_scheme: str  # "basic", "bearer" or "" when no Authorization header came


@dataclass
class _Grant:
    user: str
    repositories: frozenset[str]
    expires: float


def _manifest_body(repository: str, tag: str) -> bytes:
    # Stable per repository and tag, so digests are the same on every run.
    config = hashlib.sha256(f"config {repository}:{tag}".encode()).hexdigest()
    layer = hashlib.sha256(f"layer {repository}:{tag}".encode()).hexdigest()
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": f"sha256:{config}",
            "size": 2,
        },
        "layers": [
            {
                "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": f"sha256:{layer}",
                "size": 32,
            }
        ],
    }
    return json.dumps(manifest, separators=(",", ":")).encode()


class RegistryEmulator:
    """A threaded HTTP server speaking enough of the registry API to check a login."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        auth: Literal["bearer", "basic"] = "bearer",
        users: Mapping[str, str] | None = None,
        permissions: Mapping[str, frozenset[str]] | None = None,
        repositories: Mapping[str, tuple[str, ...]] | None = None,
        realm: str | None = None,
        token_field: Literal["token", "access_token", "both"] = "both",
        token_ttl: float = 300.0,
        listening: socket.socket | None = None,
    ) -> None:
        if auth not in ("bearer", "basic"):
            raise ValueError("auth is 'bearer' or 'basic'")
        self._bind = (host, port)
        # A socket already bound and listening (the demo launcher binds in the app's process).
        self._listening = listening
        self.auth = auth
        self.users = dict(DEMO_USERS if users is None else users)
        self.permissions = dict(DEMO_PERMISSIONS if permissions is None else permissions)
        self.repositories = dict(DEMO_REPOSITORIES if repositories is None else repositories)
        self._realm = realm
        self.token_field = token_field
        self.token_ttl = token_ttl
        self.delay = 0.0
        self._grants: dict[str, _Grant] = {}
        self._seen: list[SeenRequest] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.host = ""

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> RegistryEmulator:
        if self._server is not None:
            return self
        bind_host, port = self._bind
        server_class = _Server6 if ":" in bind_host else _Server
        server = server_class(
            (bind_host, port), _Handler, bind_and_activate=self._listening is None
        )
        if self._listening is not None:
            server.socket.close()
            server.socket = self._listening
            server.server_address = self._listening.getsockname()
        server.emulator = self
        actual_port = server.server_address[1]
        shown = f"[{bind_host}]" if ":" in bind_host else bind_host
        self.host = f"{shown}:{actual_port}"
        self._server = server
        # A short poll keeps stop() quick: shutdown() waits for the loop to notice.
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"registry-emulator-{actual_port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> RegistryEmulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what tests look at -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://HOST:PORT``: the registry's base URL."""
        return f"http://{self.host}"

    @property
    def realm(self) -> str:
        return self._realm or f"{self.url}/token"

    @property
    def seen(self) -> list[SeenRequest]:
        with self._lock:
            return list(self._seen)

    # -- the rules, called from handler threads -----------------------------------------------

    def _record(self, method: str, path: str, auth_scheme: str) -> None:
        with self._lock:
            self._seen.append(SeenRequest(method, path, auth_scheme))

    def _user_for_basic(self, header: str) -> str | None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        known = self.users.get(user)
        if not sep or known is None:
            return None
        return user if secrets.compare_digest(known.encode(), password.encode()) else None

    def _grant_for_bearer(self, header: str) -> _Grant | None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        with self._lock:
            grant = self._grants.get(value.strip())
        if grant is None or grant.expires < time.monotonic():
            return None
        return grant

    def _issue_token(self, user: str, wanted: list[str]) -> str:
        allowed = self.permissions.get(user, frozenset())
        granted = frozenset(name for name in wanted if name in allowed)
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[token] = _Grant(user, granted, time.monotonic() + self.token_ttl)
        return token


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: RegistryEmulator

    def handle_error(self, request: object, client_address: object) -> None:
        # socketserver prints tracebacks to stderr, which would scribble over the demo app's
        # screen; a client that hangs up early (a timeout test, a cancelled check) is normal.
        _log.debug("registry emulator: request from %s failed", client_address, exc_info=True)


class _Server6(_Server):
    address_family = socket.AF_INET6


def _error_body(code: str, message: str, detail: object = None) -> bytes:
    return json.dumps({"errors": [{"code": code, "message": message, "detail": detail}]}).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "regsecret-registry-emulator"
    # Headers and body leave in separate writes; with Nagle on, each answer waits for a delayed ACK.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        # Quiet: tests and the demo app share the terminal, and request lines are nobody's business.
        return

    @property
    def emulator(self) -> RegistryEmulator:
        return self.server.emulator

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def do_POST(self) -> None:
        # The body is never read, so this connection cannot carry another request.
        self.close_connection = True
        self._send(405, _error_body("UNSUPPORTED", "this emulator serves pulls only"))

    def _dispatch(self, *, head: bool) -> None:
        emulator = self.emulator
        parts = urlsplit(self.path)
        authorization = self.headers.get("Authorization", "")
        emulator._record(self.command, parts.path, authorization.partition(" ")[0].lower())
        if emulator.delay:
            time.sleep(emulator.delay)
        if parts.path == "/token" and not head and emulator.auth == "bearer":
            self._token(parts.query, authorization)
        elif parts.path in ("/v2/", "/v2"):
            self._base(authorization, head=head)
        elif (match := _MANIFEST_PATH.match(parts.path)) is not None:
            self._manifest(match["name"], match["ref"], authorization, head=head)
        else:
            self._send(404, _error_body("NOT_FOUND", "no such endpoint"), head=head)

    # -- endpoints ----------------------------------------------------------------------------

    def _token(self, query: str, authorization: str) -> None:
        params = parse_qs(query)
        if params.get("service", [SERVICE])[0] != SERVICE:
            self._send(400, _error_body("INVALID_REQUEST", "unknown service"))
            return
        user = self.emulator._user_for_basic(authorization)
        if user is None:
            self._send(
                401,
                _error_body("UNAUTHORIZED", "incorrect username or password"),
                extra={"WWW-Authenticate": 'Basic realm="regsecret emulator token service"'},
            )
            return
        wanted = []
        for scope in params.get("scope", []):
            for item in scope.split(" "):
                kind, _, rest = item.partition(":")
                name, _, actions = rest.rpartition(":")
                if kind == "repository" and "pull" in actions.split(","):
                    wanted.append(name)
        token = self.emulator._issue_token(user, wanted)
        answer: dict[str, object] = {"expires_in": int(self.emulator.token_ttl)}
        if self.emulator.token_field in ("token", "both"):
            answer["token"] = token
        if self.emulator.token_field in ("access_token", "both"):
            answer["access_token"] = token
        self._send(200, json.dumps(answer).encode())

    def _base(self, authorization: str, *, head: bool) -> None:
        if self._authenticated(authorization):
            self._send(200, b"{}", head=head)
        else:
            self._challenge(None, head=head)

    def _manifest(self, name: str, reference: str, authorization: str, *, head: bool) -> None:
        emulator = self.emulator
        if emulator.auth == "basic":
            user = emulator._user_for_basic(authorization)
            if user is None:
                self._challenge(name, head=head)
                return
            allowed = name in emulator.permissions.get(user, frozenset())
        else:
            grant = emulator._grant_for_bearer(authorization)
            if grant is None:
                self._challenge(name, head=head)
                return
            allowed = name in grant.repositories
        if not allowed:
            # Like real registries: no hint whether the repository exists.
            self._challenge(name, head=head, error="insufficient_scope")
            return
        tags = emulator.repositories.get(name, ())
        bodies = {tag: _manifest_body(name, tag) for tag in tags}
        digests = {f"sha256:{hashlib.sha256(body).hexdigest()}": body for body in bodies.values()}
        body = bodies.get(reference) or digests.get(reference)
        accept = self.headers.get("Accept", "")
        # ghcr.io answers 404 for an OCI image when the client does not accept OCI media types.
        acceptable = not accept or OCI_MANIFEST in accept or "*/*" in accept
        if body is None or not acceptable:
            self._send(
                404,
                _error_body("MANIFEST_UNKNOWN", "manifest unknown", {"Tag": reference}),
                head=head,
            )
            return
        digest = f"sha256:{hashlib.sha256(body).hexdigest()}"
        self._send(
            200,
            body,
            head=head,
            content_type=OCI_MANIFEST,
            extra={"Docker-Content-Digest": digest},
        )

    # -- helpers ------------------------------------------------------------------------------

    def _authenticated(self, authorization: str) -> bool:
        if self.emulator.auth == "basic":
            return self.emulator._user_for_basic(authorization) is not None
        return self.emulator._grant_for_bearer(authorization) is not None

    def _challenge(self, name: str | None, *, head: bool, error: str | None = None) -> None:
        emulator = self.emulator
        if emulator.auth == "basic":
            header = 'Basic realm="regsecret registry emulator"'
        else:
            header = f'Bearer realm="{emulator.realm}",service="{SERVICE}"'
            if name is not None:
                header += f',scope="repository:{name}:pull"'
            if error is not None:
                header += f',error="{error}"'
        code = "DENIED" if error else "UNAUTHORIZED"
        message = (
            "requested access to the resource is denied" if error else "authentication required"
        )
        self._send(401, _error_body(code, message), head=head, extra={"WWW-Authenticate": header})

    def _send(
        self,
        status: int,
        body: bytes,
        *,
        head: bool = False,
        content_type: str = "application/json",
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)


def main(argv: list[str] | None = None) -> int:
    """``python -m tui.emulator.registry [--host H] [--port P] [--basic]``, in the foreground."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tui.emulator.registry")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--basic", action="store_true", help="Basic auth instead of Bearer tokens")
    args = parser.parse_args(argv)
    try:
        emulator = RegistryEmulator(args.host, args.port, auth="basic" if args.basic else "bearer")
        emulator.start()
    except OSError as exc:
        print(f"The registry emulator could not listen on {args.host}:{args.port}: {exc.strerror}.")
        return 1
    users = ", ".join(f"{user} / {password}" for user, password in emulator.users.items())
    print(f"Registry emulator on {emulator.host} (users: {users}). Ctrl+C stops it.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
