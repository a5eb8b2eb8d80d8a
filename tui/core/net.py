"""The one network layer under the AI Core client and the registry check.

It owns what both must answer the same way:

- the loopback rule: the only hosts plain ``http://`` may reach (:func:`is_loopback_host`);
- the HTTP client: TLS through :mod:`tui.core.trust`, no redirects followed, no proxy for this
  machine (:func:`http_client`);
- reading an answer with a size cap (:func:`exchange`): a server cannot make us hold more than
  :data:`MAX_ANSWER` bytes;
- an overall deadline per operation, retries included (:func:`deadline`): httpx's timeouts are per
  read, so a server that drips one byte every few seconds would otherwise hold a request for ever;
- turning a transport failure into one sentence (:func:`transport_error`), with a ``reason`` a
  caller can act on.

httpx is imported at the top, so this module loads only after the first screen is on.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpx

from tui import __version__
from tui.core.errors import ForeignDataError, InputError, NetworkError
from tui.core.safe_load import load_json
from tui.core.trust import TRUST_HINT, tls_context

# No AI Core or registry answer regsecret reads comes near this; a page that does is not one.
MAX_ANSWER = 1024 * 1024
USER_AGENT = f"regsecret/{__version__}"


# --- the loopback rule -------------------------------------------------------------------------


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ``::1``: the only hosts plain HTTP may reach.

    ``*.localhost`` is not accepted: RFC 6761 lets resolvers send those names to loopback, but
    glibc and most DNS setups do not, so ``app.localhost`` may resolve anywhere, and a token sent
    there over plain HTTP would cross the network in clear.
    """
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


# --- the client --------------------------------------------------------------------------------


class _RefuseTls(httpx.AsyncBaseTransport):
    """Stands in for https:// when SSL_CERT_FILE/SSL_CERT_DIR is unusable: each request says so,
    while plain http:// to this machine keeps working."""

    def __init__(self, error: InputError) -> None:
        self._error = error

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise InputError(self._error.explanation)


def http_client(
    *,
    timeout: httpx.Timeout,
    loopback: bool,
    verify: ssl.SSLContext | None = None,
    headers: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """An httpx client as every regsecret connection wants it.

    ``verify``: a context with a client certificate; by default the shared one of
    :func:`tui.core.trust.tls_context`. Redirects are never followed (a password must not follow
    them), and proxies from the environment are for the way out, never for this machine.
    """
    mounts: dict[str, httpx.AsyncBaseTransport | None] = {}
    if verify is None:
        try:
            verify = tls_context()
        except InputError as error:
            mounts["https://"] = _RefuseTls(error)
    return httpx.AsyncClient(
        timeout=timeout,
        verify=verify if verify is not None else False,
        trust_env=not loopback,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, **(headers or {})},
        mounts=mounts or None,
        transport=transport,
    )


# --- one operation: progress, deadline, capped answers ----------------------------------------


@dataclass
class Progress:
    """How far the requests of one operation got, for the sentence when it takes too long."""

    # What a request that reached the server may have done, as the end of a sentence ("the
    # secret may have been created anyway: ..."); empty for operations that only read.
    changes: str = ""
    host: str = ""  # the server of the latest request, as sentences name it
    connected: bool = False  # the latest request has a connection
    sent: bool = False  # some request of this operation left for its server
    changing_sent: bool = False  # ... and it was one that changes something
    changing: bool = False  # the latest request changes something (not GET or HEAD)

    def start(self, url: httpx.URL, *, changing: bool) -> None:
        self.host = _where(url)
        self.connected = False
        self.changing = changing

    async def trace(self, name: str, info: Mapping[str, Any]) -> None:
        # httpcore's trace hook: "connection.connect_tcp.complete", "http11.send_request_...".
        if name.endswith("connect_tcp.complete"):
            self.connected = True
        elif name.endswith("send_request_headers.started"):
            self.connected = True
            self.sent = True
            self.changing_sent = self.changing_sent or self.changing


_PROGRESS: ContextVar[Progress | None] = ContextVar("regsecret_progress", default=None)


@asynccontextmanager
async def deadline(seconds: float, what: str, *, changes: str = "") -> AsyncIterator[Progress]:
    """Bound one whole operation (``what``: "listing the secrets"), every retry included.

    When time runs out the operation is cancelled and a :class:`NetworkError` (reason
    ``"deadline"``) says the server was too slow and whether the request may have reached it.
    """
    progress = Progress(changes=changes)
    token = _PROGRESS.set(progress)
    timer = asyncio.timeout(seconds)
    try:
        async with timer:
            yield progress
    except TimeoutError:
        if not timer.expired():
            raise
        raise too_slow(progress, seconds, what) from None
    finally:
        _PROGRESS.reset(token)


def too_slow(progress: Progress, seconds: float, what: str) -> NetworkError:
    host = progress.host or "The server"
    if not progress.sent:
        how = "accepted no connection in time" if not progress.connected else "was too slow"
        return NetworkError(
            f"{host} {how}: {what} did not finish within {seconds:g} s, and the request did not "
            "reach it; check your network, VPN or proxy and try again.",
            reason="deadline",
        )
    if progress.changing_sent and progress.changes:
        after = f" The request reached it, so {progress.changes}"
    else:
        after = " Nothing was changed by it; try again later."
    return NetworkError(
        f"{host} was reached but was too slow: {what} did not finish within {seconds:g} s.{after}",
        reason="deadline",
    )


@dataclass(frozen=True)
class Answer:
    """A whole answer, read within :data:`MAX_ANSWER` bytes."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    url: httpx.URL

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    def json(self) -> Any:
        """The body as JSON through the safe loader; ValueError when it is not usable JSON."""
        try:
            return load_json(self.content, "The answer")
        except ForeignDataError as exc:
            raise ValueError(exc.explanation) from None


class AnswerTooLarge(NetworkError):
    pass


async def exchange(
    client: httpx.AsyncClient,
    method: str,
    url: str | httpx.URL,
    *,
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    params: httpx.QueryParams | Mapping[str, str] | None = None,
    limit: int = MAX_ANSWER,
) -> Answer:
    """Send one request and read its answer, at most ``limit`` bytes of it.

    Raises httpx's transport errors as they come (the caller knows what to retry) and
    :class:`AnswerTooLarge` for a body over the limit, which stops reading at once.
    """
    progress = _PROGRESS.get()
    extensions = {"trace": progress.trace} if progress is not None else None
    request = client.build_request(
        method, url, headers=headers, content=content, params=params, extensions=extensions
    )
    if progress is not None:
        progress.start(request.url, changing=method not in ("GET", "HEAD"))
    response = await client.send(request, stream=True)
    try:
        body = b"" if method == "HEAD" else await _read_within(response, limit, progress)
    finally:
        await response.aclose()
    return Answer(response.status_code, response.headers, body, request.url)


async def _read_within(response: httpx.Response, limit: int, progress: Progress | None) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(response.request.url, limit, progress)
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > limit:
            raise _too_large(response.request.url, limit, progress)
    return bytes(body)


def _too_large(url: httpx.URL, limit: int, progress: Progress | None) -> AnswerTooLarge:
    after = ""
    if progress is not None and progress.changing_sent and progress.changes:
        after = f" It answered, so {progress.changes}"
    return AnswerTooLarge(
        f"{_where(url)} sent an answer larger than {limit // 1024} KiB, more than any answer "
        f"regsecret reads, so it stopped reading; check the address, it may be a web page or "
        f"something else in between.{after}",
        reason="too-large",
    )


# --- transport failures as sentences ------------------------------------------------------------


def exception_chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and everything it was raised from or during, each once, depth first."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop()
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [item.__cause__, item.__context__]
    return seen


_CERT_ALERTS = ("unknown ca", "bad certificate", "certificate required", "certificate unknown")
_DNS_WORDS = (
    "name or service not known",
    "nodename nor servname",
    "getaddrinfo",
    "name resolution",
)


def transport_error(
    exc: BaseException,
    url: str | httpx.URL,
    timeout: httpx.Timeout,
    *,
    check: str = "the URL",
    refused_hint: str = "check the URL and port",
    after: str = "",
    client_cert: bool = False,
) -> NetworkError:
    """One sentence for an httpx transport failure (or a bare :class:`ssl.SSLError`).

    ``check`` names what the user should look at ("the URL in the profile", "the registry host"),
    ``refused_hint`` what to do when nothing listens, ``after`` what the request may have done
    (said only where it may have reached the server). ``reason`` of the error: ``dns``,
    ``refused``, ``untrusted`` (the server's certificate), ``tls`` (any other TLS failure),
    ``timeout``, ``dropped``, ``proxy`` or ``other``.
    """
    parts = httpx.URL(url) if isinstance(url, str) else url
    host = parts.host or str(url)
    where = _where(parts)
    chain = exception_chain(exc)
    text = " ".join(str(e) for e in chain).lower()
    tail = f" {after}" if after else ""
    if any(isinstance(e, socket.gaierror) for e in chain) or any(w in text for w in _DNS_WORDS):
        return NetworkError(
            f"The host {host} could not be found; check {check} and your network or VPN "
            "connection.",
            reason="dns",
        )
    verify = next((e for e in chain if isinstance(e, ssl.SSLCertVerificationError)), None)
    if verify is not None:
        return NetworkError(_untrusted(where, verify, check), reason="untrusted")
    if isinstance(exc, httpx.ProxyError):
        return NetworkError(
            f"The proxy from the environment (HTTPS_PROXY) would not connect to {host}; check the "
            "proxy settings, or unset them if this network needs none.",
            reason="proxy",
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return NetworkError(
            f"Nothing is listening at {where} (connection refused); {refused_hint}.",
            reason="refused",
        )
    refused_cert = any(w in text for w in _CERT_ALERTS)
    dropped = ssl.SSLError | httpx.NetworkError | httpx.RemoteProtocolError
    if client_cert and parts.scheme == "https" and isinstance(exc, dropped):
        # A refused client certificate shows as a TLS alert or, when the server's reset wins the
        # race, as a handshake EOF or a dropped connection: all mean the same to the user.
        refused_cert = True
    if refused_cert:
        return NetworkError(
            f"{where} refused the profile's client certificate; import the service key again "
            "(X.509 service keys expire) and check that the token URL is its “certurl”.",
            reason="tls",
        )
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return NetworkError(
            f"The secure connection to {where} failed during the TLS handshake; check {check} (an "
            "https:// address on a plain http port fails this way) and any proxy in between.",
            reason="tls",
        )
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return NetworkError(
            f"{where} did not accept a connection within {timeout.connect:g} s; check your "
            "network, VPN or proxy and try again.",
            reason="timeout",
        )
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError(
            f"{where} was reached but did not answer within {timeout.read:g} s; try again "
            f"later.{tail}",
            reason="timeout",
        )
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return NetworkError(
            f"The connection to {where} closed before an answer arrived; try again.{tail}",
            reason="dropped",
        )
    return NetworkError(
        f"Could not talk to {where} ({type(exc).__name__}); check {check} and your network.{tail}",
        reason="other",
    )


def _where(url: httpx.URL) -> str:
    """How sentences name a server: its host, and its port when the URL has one."""
    return f"{url.host}:{url.port}" if url.port else url.host


def _untrusted(host: str, error: ssl.SSLCertVerificationError, check: str) -> str:
    """The server was reached, and its certificate is the problem: which problem, and the fix."""
    detail = (error.verify_message or "").strip().rstrip(".")
    lowered = detail.lower()
    if "expired" in lowered:
        return (
            f"{host} was reached, but its TLS certificate has expired; ask its administrator to "
            "renew it."
        )
    if "hostname mismatch" in lowered or "ip address mismatch" in lowered:
        return f"{host} was reached, but its TLS certificate is for another name; check {check}."
    said = f" ({detail})" if detail else ""
    return (
        f"{host} was reached, but its TLS certificate is not trusted on this machine{said}. If "
        f"a private or company CA signed it, {TRUST_HINT}."
    )
