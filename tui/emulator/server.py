"""The AI Core emulator: a threaded HTTP/1.1 server on loopback, for tests, `--demo` and curl.

    with Emulator().start() as emu:
        emu.api_url, emu.token_url      # point a Connection at these
        emu.fail_next(503, retry_after=1)

Everything a test can do through methods here, plain curl can do through ``/_emulator/...`` with
the header ``X-Emulator-Token: <emu.control_token>``.
"""

from __future__ import annotations

import contextlib
import secrets
import socket
import socketserver
import ssl
import threading
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any

from tui.emulator.faults import Fault, FaultQueue
from tui.emulator.handler import Handler
from tui.emulator.registry import RegistryEmulator
from tui.emulator.state import State


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # with the query string
    headers: dict[str, str]
    body: bytes


DEFAULT_TOKEN_TTL = 7199.0


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Tests start many emulators; a stop must not wait for the poll interval.
    poll_interval = 0.05

    def __init__(
        self, address: tuple[str, int], emulator: Emulator, listening: socket.socket | None = None
    ) -> None:
        self.emulator = emulator
        self.state = emulator.state
        self.faults = emulator.faults
        self.verbose = emulator.verbose
        self.tls = emulator.tls
        self.stopping = threading.Event()
        # Host values a control request may carry: our own loopback address, or localhost.
        self.control_hosts: frozenset[str] = frozenset()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler, bind_and_activate=listening is None)
        if listening is not None:
            # A socket bound and listening in another process (the demo's launcher), inherited.
            self.socket.close()
            self.socket = listening
            self.server_address = listening.getsockname()
            self._name_ourselves()

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for our fully qualified name: slow without a network.
        socketserver.TCPServer.server_bind(self)
        self._name_ourselves()

    def _name_ourselves(self) -> None:
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)
        literal = f"[{self.server_name}]" if ":" in self.server_name else self.server_name
        self.control_hosts = frozenset({f"{literal}:{port}".lower(), f"localhost:{port}"})

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        if self.tls is not None:
            # The handshake happens on the first read, in the request's own thread, so a client
            # that never completes it cannot stall the accept loop.
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer is normal in fault tests; stay quiet unless asked.
        if self.verbose:
            super().handle_error(request, client_address)

    def track(self, conn: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(conn)

    def untrack(self, conn: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(conn)

    def close_connections(self) -> None:
        with self._connections_lock:
            conns = list(self._connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def record(self, method: str, path: str, headers: dict[str, str], body: bytes) -> None:
        self.emulator.received_bodies.append(body)
        self.emulator.requests.append(RecordedRequest(method, path, headers, body))

    def reset(self) -> None:
        self.emulator.reset()


class Emulator:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        # docs/aicore-api.md, "Token lifetime": SAP's docs show 7199 s, and SAP's SDK renews a
        # token with less than an hour left, so anything under an hour means a token per call.
        token_ttl: float = DEFAULT_TOKEN_TTL,
        client_id: str = "demo",
        client_secret: str = "demo-secret",
        verbose: bool = False,
        tls: ssl.SSLContext | None = None,
        with_registry: bool = False,
        control_token: str | None = None,
        listening: socket.socket | None = None,
    ) -> None:
        self.host = host
        # A socket already bound and listening (the demo launcher binds in the app's process).
        self._listening = listening
        self.port = port
        self.client_id = client_id
        self.verbose = verbose
        # A server-side context serves https:// (and, with client CAs loaded, the X.509 flow).
        self.tls = tls
        self.state = State(client_id=client_id, client_secret=client_secret, token_ttl=token_ttl)
        self.faults = FaultQueue()
        # The /_emulator/... control endpoint answers only requests that carry this per-run
        # token (header X-Emulator-Token); `regsecret emulator` prints it, tests read it here.
        self.control_token = control_token or secrets.token_urlsafe(24)
        # Raw bodies of every request outside /_emulator, in order (the leak sweep reads them).
        self.received_bodies: list[bytes] = []
        self.requests: list[RecordedRequest] = []
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # `--demo` and `regsecret emulator` also serve a Docker registry, so the login check has
        # something real to talk to; most tests do not need one.
        self._with_registry = with_registry
        self.registry: RegistryEmulator | None = None

    # --- life cycle -------------------------------------------------------------------------

    def start(self) -> Emulator:
        """Bind and serve in a daemon thread. OSError (e.g. port in use) comes from here."""
        if self._server is not None:
            return self
        server = EmulatorHTTPServer((self.host, self.port), self, self._listening)
        self.port = server.server_port
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": server.poll_interval},
            name=f"aicore-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        if self._with_registry and self.registry is None:
            try:
                self.registry = RegistryEmulator(self.host).start()
            except OSError:
                self.stop()
                raise
        return self

    @property
    def registry_host(self) -> str | None:
        """``127.0.0.1:PORT`` of the demo Docker registry, what a user types as the registry."""
        return self.registry.host if self.registry is not None else None

    def stop(self) -> None:
        registry, self.registry = self.registry, None
        if registry is not None:
            registry.stop()
        server, thread = self._server, self._thread
        if server is None:
            return
        self._server = self._thread = None
        server.stopping.set()
        server.shutdown()
        server.server_close()
        server.close_connections()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    # --- addresses ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{host}:{self.port}"

    @property
    def api_url(self) -> str:
        return self.base_url

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth/token"

    @property
    def control_url(self) -> str:
        return f"{self.base_url}/_emulator"

    # --- controls (the same as /_emulator/... over HTTP) --------------------------------------

    def fail_next(
        self,
        status: int,
        count: int = 1,
        *,
        retry_after: float | None = None,
        body: str | None = None,
        scope: str = "api",
    ) -> None:
        self.faults.add(
            Fault("status", count, scope, status=status, retry_after=retry_after, body=body)
        )

    def delay_next(self, seconds: float, count: int = 1, *, scope: str = "api") -> None:
        self.faults.add(Fault("delay", count, scope, delay=seconds))

    def hold_next(self, seconds: float = 600.0, *, scope: str = "api") -> threading.Event:
        """Hold the next request until the returned event is set (or ``seconds`` pass)."""
        release = threading.Event()
        self.faults.add(Fault("delay", 1, scope, delay=seconds, release=release))
        return release

    def drop_next(self, count: int = 1, *, scope: str = "api") -> None:
        self.faults.add(Fault("drop", count, scope))

    def expire_tokens(self) -> None:
        self.state.expire_tokens()

    def reset(self) -> None:
        """Forget secrets, tokens, faults and recorded requests (lists are cleared in place)."""
        self.state.reset()
        self.faults.clear()
        self.received_bodies.clear()
        self.requests.clear()

    def secret_names(self) -> list[str]:
        return self.state.names()

    @property
    def token_requests(self) -> int:
        return self.state.token_requests
