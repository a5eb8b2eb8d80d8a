"""Loopback servers that misbehave in time and size: one that drips its answer a byte at a time,
one that sends an endless (or announced-huge) JSON answer, one that accepts and never speaks; and a
plain one that answers ``{}``, over TLS if asked. Raw sockets, so nothing buffers for us.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Served:
    """What one of these servers saw and did, for assertions."""

    url: str
    requests: list[bytes] = field(default_factory=list)
    bytes_sent: int = 0


def _read_request(conn: socket.socket) -> bytes:
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
            while len(rest) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                rest += chunk
    return head


Handler = Callable[[socket.socket, Served, threading.Event], None]


@contextmanager
def _serve(
    handle: Handler, *, tls: ssl.SSLContext | None = None, read: bool = True
) -> Iterator[Served]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    host, port = listener.getsockname()
    served = Served(url=f"{'https' if tls else 'http'}://{host}:{port}")
    stop = threading.Event()

    def one(raw: socket.socket) -> None:
        try:
            conn = tls.wrap_socket(raw, server_side=True) if tls is not None else raw
            with conn:
                if read:
                    served.requests.append(_read_request(conn))
                handle(conn, served, stop)
        except OSError:
            pass  # the client gave up (or refused our certificate): that is the point
        finally:
            raw.close()

    def loop() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        stop.set()
        thread.join(5)
        listener.close()


@contextmanager
def drip_server(interval: float = 0.5, *, part: str = "body") -> Iterator[Served]:
    """Answers 200 and never finishes: one byte every ``interval`` seconds, so no single read
    waits long enough for a read timeout. ``part``: drip the ``"body"`` (headers sent whole) or
    the ``"headers"`` (the status line, then one header a byte at a time)."""

    def handle(conn: socket.socket, served: Served, stop: threading.Event) -> None:
        if part == "headers":
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Drip: ")
        else:
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000000\r\n\r\n{"
            )
        while not stop.is_set():
            time.sleep(interval)
            conn.sendall(b"a" if part == "headers" else b" ")
            served.bytes_sent += 1

    with _serve(handle) as served:
        yield served


@contextmanager
def huge_server(megabytes: int = 100, *, declare: bool = False) -> Iterator[Served]:
    """Answers 200 with a JSON array of ``megabytes`` MB, chunked (no length announced) unless
    ``declare``, as fast as the client reads."""
    piece = b"[" + b"1," * 32767 + b"1"  # 64 KiB
    total = megabytes * 1024 * 1024

    def handle(conn: socket.socket, served: Served, stop: threading.Event) -> None:
        if declare:
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {total}\r\n\r\n".encode()
            )
        else:
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
            )
        while served.bytes_sent < total and not stop.is_set():
            chunk = piece if declare else f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
            conn.sendall(chunk)
            served.bytes_sent += len(piece)

    with _serve(handle) as served:
        yield served


@contextmanager
def silent_server() -> Iterator[Served]:
    """Accepts connections and never reads or writes: a TLS handshake with it never ends."""

    def handle(conn: socket.socket, served: Served, stop: threading.Event) -> None:
        stop.wait(30)

    with _serve(handle, read=False) as served:
        yield served


@contextmanager
def held_server(release: threading.Event) -> Iterator[Served]:
    """Accepts connections and says nothing until ``release`` is set, then hangs up: a registry
    whose login check answers when the test chooses."""

    def handle(conn: socket.socket, served: Served, stop: threading.Event) -> None:
        while not release.wait(0.05) and not stop.is_set():
            pass

    with _serve(handle, read=False) as served:
        yield served


@contextmanager
def json_server(tls: ssl.SSLContext | None = None) -> Iterator[Served]:
    """Answers every request with 200 and ``{}``, over TLS when given a server context."""

    def handle(conn: socket.socket, served: Served, stop: threading.Event) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
            b"Connection: close\r\n\r\n{}"
        )

    with _serve(handle, tls=tls) as served:
        yield served
