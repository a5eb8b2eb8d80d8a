"""A hostile AI Core and registry on 127.0.0.1, for tests that play the attacker.

Every answer is what a malicious or broken server could send: terminal escape sequences (set the
title, write the clipboard through OSC 52, C1 controls), Textual markup that would run an action
or does not parse, nesting deep enough to blow Python's recursion, numbers too large for a float,
non-ASCII tokens. Tests set :attr:`HostileServer.answers` per path; the app and the command line
meet it exactly as they would meet a real server (real sockets, real HTTP).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# What reaches a terminal as an instruction, if nothing stops it.
SET_TITLE = "\x1b]0;PWNED-TITLE\x07"
OSC52_CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"  # base64 of "pwned"
C1_SEQUENCES = "\x9b2J\x9d0;PWNED-C1\x9c"
CSI_CLEAR = "\x1b[2J\x1b[31m"
ESCAPES = SET_TITLE + OSC52_CLIPBOARD + C1_SEQUENCES + CSI_CLEAR
# Textual markup: an action on click, a tag that does not parse, square brackets that must stay.
CLICK_QUIT = "[@click=app.quit]quit-me[/]"
BAD_MARKUP = "bad[/]name"
DENIED = "denied [/]"
BOT = "github-actions[bot]"


def screenshot_click(directory: str) -> str:
    """Markup that, clicked, makes Textual write a screenshot where the server chose."""
    return f"[@click=app.screenshot('pwned.svg','{directory}')]shot[/]"


HOSTILE_TEXTS = (ESCAPES, CLICK_QUIT, BAD_MARKUP, DENIED, BOT)
# Bytes no terminal output of ours may carry (ESC, BEL, C1 CSI/OSC/ST).
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\x9d", "\x9c", "\x90")


def carries_no_control(text: str) -> bool:
    """True when ``text`` has no control character but line breaks and tabs of our own."""
    return not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text)


def hostile_error(text: str) -> dict[str, Any]:
    """An AI Core error object whose every field is ``text``."""
    return {"error": {"code": text, "message": text, "requestId": text, "target": text}}


@dataclass
class Answer:
    status: int = 200
    body: bytes | str | Any = b"{}"
    headers: dict[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8", "surrogatepass")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


def _good_token() -> Answer:
    return Answer(body={"access_token": "hostile-token", "expires_in": 3600})


class HostileServer:
    """AI Core (``/oauth/token``, ``/v2/admin/...``) and a registry (``/v2/``) that lie.

    Quacks like the emulator for the app's demo profile: ``api_url``, ``token_url``,
    ``registry_host``. :attr:`answers` maps ``"METHOD /path"`` to the :class:`Answer` to give.
    """

    def __init__(self) -> None:
        # An answer, or what makes one from the request's whole path (its query included).
        self.answers: dict[str, Answer | Callable[[str], Answer]] = {
            "POST /oauth/token": _good_token(),
            "GET /v2/admin/dockerRegistrySecrets": Answer(body={"count": 0, "resources": []}),
            "GET /v2/admin/resourceQuota/dockerRegistrySecrets": Answer(
                body={"usage": {"count": 0}, "quota": {"maxCount": 50}}
            ),
        }
        self.requests: list[str] = []
        server = self
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return self.base_url

    @property
    def token_url(self) -> str:
        return self.base_url + "/oauth/token"

    @property
    def registry_host(self) -> str:
        return self.base_url.removeprefix("http://")

    def secrets(self, *names: str) -> None:
        """The list answers these names (whatever they hold)."""
        resources = [{"name": name} for name in names]
        self.answers["GET /v2/admin/dockerRegistrySecrets"] = Answer(
            body={"count": len(resources), "resources": resources}
        )

    def registry_refuses(self, text: str) -> None:
        """``/v2/`` asks for Basic auth and refuses it with ``text`` in every field it has."""
        challenge = f'Basic realm="{text}"'.replace("\n", " ")
        self.answers["GET /v2/"] = Answer(
            401,
            {"errors": [{"code": "UNAUTHORIZED", "message": text, "detail": text}]},
            {"WWW-Authenticate": challenge, "Docker-Distribution-Api-Version": "registry/2.0"},
        )

    def registry_token(self, token_answer: Answer) -> None:
        """``/v2/`` asks for a Bearer token from this server's ``/token``, which answers so."""
        realm = f'Bearer realm="{self.base_url}/token",service="hostile"'
        self.answers["GET /v2/"] = Answer(401, {"errors": []}, {"WWW-Authenticate": realm})
        self.answers["GET /token"] = token_answer

    def start(self) -> HostileServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()


def _handler(server: HostileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            path = self.path.split("?", 1)[0]
            key = f"{self.command} {path}"
            server.requests.append(key)
            answer = server.answers.get(key)
            if answer is None and self.command in ("PATCH", "DELETE", "GET"):
                # /v2/admin/dockerRegistrySecrets/<name>: one answer for every name.
                prefix = path.rsplit("/", 1)[0]
                answer = server.answers.get(f"{self.command} {prefix}/*")
            answer = answer or Answer(404, hostile_error("no such path"))
            if callable(answer):
                answer = answer(self.path)
            payload = answer.payload()
            self.send_response(answer.status)
            headers = {"Content-Type": "application/json", **answer.headers}
            for name, value in headers.items():
                # Header values go out as Latin-1, as a server that does not care would.
                self.send_header(name, value.encode("utf-8").decode("latin-1"))
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_DELETE = do_HEAD = _answer

    return Handler


def running() -> Iterator[HostileServer]:
    """For a fixture: a started server, stopped afterwards."""
    server = HostileServer().start()
    try:
        yield server
    finally:
        server.stop()
