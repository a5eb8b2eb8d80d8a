"""A keyring that several test processes share, held in the test's memory and reached over
127.0.0.1: no file, so it proves nothing leaked to disk, and every process sees the same entries.

The server runs in the test process; child processes select :class:`SharedKeyring` through
``PYTHON_KEYRING_BACKEND`` (or ``keyring.set_keyring``) and find it through :data:`ADDRESS_ENV`.
"""

from __future__ import annotations

import json
import os
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError

from tests.support.keyring_memory import trusted

ADDRESS_ENV = "REGSECRET_TEST_SHARED_KEYRING"
BACKEND = "tests.support.shared_keyring.SharedKeyring"


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        request = json.loads(self.rfile.readline())
        key = (request["service"], request["username"])
        entries, lock = self.server.entries, self.server.lock
        with lock:
            if request["op"] == "get":
                answer: dict[str, object] = {"password": entries.get(key)}
            elif request["op"] == "set":
                entries[key] = request["password"]
                answer = {}
            else:
                answer = {"deleted": entries.pop(key, None) is not None}
        self.wfile.write(json.dumps(answer).encode() + b"\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.entries: dict[tuple[str, str], str] = {}
        self.lock = threading.Lock()


@contextmanager
def shared_keyring() -> Iterator[dict[tuple[str, str], str]]:
    """Serve the entries until the block ends; the address is put in :data:`ADDRESS_ENV`."""
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    previous = os.environ.get(ADDRESS_ENV)
    os.environ[ADDRESS_ENV] = f"127.0.0.1:{port}"
    try:
        yield server.entries
    finally:
        if previous is None:
            os.environ.pop(ADDRESS_ENV, None)
        else:
            os.environ[ADDRESS_ENV] = previous
        server.shutdown()
        server.server_close()


@trusted
class SharedKeyring(KeyringBackend):
    """The client side: one short connection per call."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    @properties.classproperty
    def priority(cls) -> float:
        # Viable only where a test asked for it, so auto-detection never picks it elsewhere.
        if ADDRESS_ENV not in os.environ:
            raise RuntimeError("SharedKeyring needs a test's shared keyring server")
        return 0.1

    def _call(self, **request: object) -> dict[str, object]:
        host, _, port = os.environ[ADDRESS_ENV].rpartition(":")
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(json.dumps(request).encode() + b"\n")
            with connection.makefile("rb") as answer:
                result: dict[str, object] = json.loads(answer.readline())
        return result

    def get_password(self, service: str, username: str) -> str | None:
        password = self._call(op="get", service=service, username=username)["password"]
        return password if isinstance(password, str) else None

    def set_password(self, service: str, username: str, password: str) -> None:
        self._call(op="set", service=service, username=username, password=password)

    def delete_password(self, service: str, username: str) -> None:
        if not self._call(op="delete", service=service, username=username)["deleted"]:
            raise PasswordDeleteError("no such password")
