"""The SAP AI Core client: token cache, docker registry secret operations, retries, typed errors.

httpx is imported at the top, so the app imports this module only after its first screen is on.

Retry policy (docs/aicore-api.md, "Retries"), as SAP's own Python SDK retries:
- 429, 500, 502, 503 and 504 are retried on GET and DELETE, and the token request also on 408
  (client credentials have no side effect): up to three retries (``max_tries`` 4), exponential
  backoff, ``Retry-After`` honoured up to ``max_retry_after`` seconds.
- POST (create) and PATCH (update) are never retried on a status: whatever the answer, the server
  may have acted on them, and the user decides after looking at the list.
- Connection failures: a connection that could not be made is retried for every method (nothing
  was sent); one that dropped after sending is retried on GET, DELETE, PATCH (it sets the whole
  secret, so a repeat does the same) and the token, never on POST, where a repeat would answer
  "already exists" for a secret the first try created.
- A 401 from the API drops the cached token, fetches a new one and repeats the call once.

Nothing here logs. Credentials are revealed only while a request body or form is encoded, and
every httpx exception is replaced (``from None``) so no request object rides along in a traceback.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import math
import ssl
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx

from tui.core.connection import Connection
from tui.core.error_body import parse_error_body
from tui.core.errors import (
    AlreadyExists,
    ApiError,
    AuthenticationError,
    BadRequest,
    ForeignDataError,
    InsecureUrlError,
    NotFound,
    PermissionDenied,
    ProfileError,
    QuotaExceeded,
    RateLimited,
    ServerError,
)
from tui.core.foreign_text import displayable
from tui.core.net import (
    MAX_ANSWER,
    Answer,
    Progress,
    deadline,
    exchange,
    http_client,
    is_loopback_host,
    transport_error,
)
from tui.core.safe_load import load_json
from tui.core.secret import WITHHELD, Secret
from tui.core.trust import client_certificate_context
from tui.core.web_address import parse_web_address

SECRETS_PATH = "/v2/admin/dockerRegistrySecrets"
QUOTA_PATH = "/v2/admin/resourceQuota/dockerRegistrySecrets"
# Statuses a GET or DELETE is repeated on; the token request is repeated on these and a 408.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
TOKEN_RETRY_STATUSES = RETRY_STATUSES | {408}
NO_RETRY: frozenset[int] = frozenset()
# Methods whose answer on a status is safe to wait out and ask again (SAP's SDK retries these).
RETRIED_METHODS = frozenset({"GET", "DELETE"})
# The spec's content type for PATCH, which SAP's SDKs send; the service accepts application/json.
MERGE_PATCH = "application/merge-patch+json"
# Refresh a token this long before the server says it expires (at most 10 % of its life).
TOKEN_MARGIN = 60.0
# Longer than any real token lives; a server's "expires_in" beyond it is not believed.
TOKEN_MAX_LIFETIME = 86_400.0
# Safety nets against a server that ignores $skip or $top: no tenant holds more secrets than
# this, and their list, every page together, is far smaller than MAX_LIST_BYTES. Each page is
# capped by itself (tui/core/net.py), but a thousand pages of a megabyte each are not.
MAX_PAGES = 1000
MAX_SECRETS = 100_000
MAX_LIST_BYTES = 16 * MAX_ANSWER


@dataclass(frozen=True)
class Quota:
    used: int | None
    limit: int | None

    def describe(self) -> str:
        if self.used is not None and self.limit is not None:
            return f"{self.used} of {self.limit} secrets used"
        if self.used is not None:
            return f"{self.used} secrets used"
        if self.limit is not None:
            return f"at most {self.limit} secrets"
        return "quota unknown"

    @property
    def full(self) -> bool:
        return self.used is not None and self.limit is not None and self.used >= self.limit


# --- URLs ------------------------------------------------------------------------------------


def check_url(url: str, what: str) -> str:
    """The URL without a trailing slash; refuses plain http to anything but this machine."""
    if "://" not in url:
        raise ProfileError(
            f"The {what} “{url}” is not a web address: it should start with https://."
        )
    address = parse_web_address(url, what)
    if address.scheme == "http" and not is_loopback_host(address.host):
        raise InsecureUrlError(
            f"The {what} {address.url} uses plain http:// to {address.host}, so tokens and "
            "registry passwords would cross the network unencrypted; use its https:// address "
            "instead."
        )
    return address.url


def _retry_after(response: Answer) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _request_id(response: Answer, parsed: str | None) -> str | None:
    return (
        parsed
        or response.headers.get("x-request-id")
        or response.headers.get("x-correlationid")
        or response.headers.get("x-vcap-request-id")
    )


def _body_secrets(body: Secret | None) -> list[str]:
    """The password and ``auth`` of every login in a request body: what an error must not echo."""
    if body is None:
        return []
    try:
        data = json.loads(body.reveal())
        auths = json.loads(data["data"][".dockerconfigjson"])["auths"]
        entries = [entry for entry in auths.values() if isinstance(entry, dict)]
    except (ValueError, KeyError, TypeError, AttributeError):
        return []
    found = [entry.get(key) for entry in entries for key in ("password", "auth")]
    return [value for value in found if isinstance(value, str) and value]


def _api_error(
    response: Answer,
    op: str,
    name: str | None,
    secrets: Sequence[str | Secret | None] = (),
) -> ApiError:
    """The typed error for a failed /v2 answer. ``op``: create, update, get, delete, list, quota."""
    body = parse_error_body(response.content, secrets)
    status = response.status_code
    fields: dict[str, Any] = {
        "status": status,
        "code": body.code,
        "message": body.message,
        "request_id": _request_id(response, body.request_id),
    }
    text = (body.message or "").lower()
    secret = f"“{name}”" if name else "that name"
    said = f" AI Core said: {body.message}" if body.message else ""
    if body.message == WITHHELD:
        said = f" ({WITHHELD})"
    if status == 409 or (op == "create" and status == 400 and _says_exists(text)):
        return AlreadyExists(
            f"A secret named {secret} already exists in this tenant; update it instead, or choose "
            "another name.",
            **fields,
        )
    if status in (400, 403, 422) and ("quota" in text or "maximum number" in text):
        return QuotaExceeded(
            "The tenant already holds the maximum number of docker registry secrets; delete one "
            "you no longer need, then try again.",
            **fields,
        )
    if status == 401:
        return AuthenticationError(
            "AI Core refused a freshly issued token; check that the token URL and the AI API URL "
            "come from the same service key.",
            **fields,
        )
    if status == 403:
        return PermissionDenied(
            "AI Core says these credentials may not manage docker registry secrets; ask the "
            "tenant's administrator for a service key with that right.",
            **fields,
        )
    if status == 404:
        # A POST goes to the collection, so a 404 there means the endpoint, not the name.
        if op in ("list", "quota", "create"):
            return NotFound(
                f"{response.url.host} has no AI Core docker registry secret endpoint; "
                "check the profile's AI API URL (it must not end in /v2).",
                **fields,
            )
        return NotFound(
            f"No docker registry secret named {secret} exists in this tenant; check the name or "
            "refresh the list.",
            **fields,
        )
    retried = op in ("get", "list", "quota", "delete")
    if status == 429:
        return RateLimited(
            "AI Core is limiting requests"
            + (" and still was after several tries" if retried else "")
            + "; wait a minute and try again."
            + (" The secret was not registered." if op == "create" else ""),
            **fields,
        )
    if status >= 500:
        what = (
            f"AI Core had an internal error (HTTP {status})"
            if status == 500
            else f"AI Core is unavailable right now (HTTP {status})"
        )
        if op == "create":
            # A create is not repeated after a server error: it may have gone through.
            def registered(ask: str) -> str:
                support = f", and if it keeps failing {ask}" if status == 500 else ""
                return (
                    f"{what}; the secret may or may not have been registered: look at the list "
                    f"before you try again{support}."
                )

            return _asking_support(ServerError, registered, fields)
        if op == "update":
            return ServerError(
                f"{what}; the secret may or may not have been updated: update it again in a "
                "few minutes (that is safe).",
                **fields,
            )
        tries = ", even after several tries" if retried and status in RETRY_STATUSES else ""

        def failed(ask: str) -> str:
            advice = (
                f"try again later, and if it persists {ask}"
                if status == 500
                else "try again in a few minutes"
            )
            return f"{what}{tries}; {advice}."

        return _asking_support(ServerError, failed, fields)
    if 300 <= status < 400:
        return ServerError(
            f"AI Core answered with a redirect (HTTP {status}) instead of data; check the "
            "profile's AI API URL.",
            **fields,
        )
    return BadRequest(
        f"AI Core rejected the request (HTTP {status}).{said}".rstrip(".") + ".", **fields
    )


def _ask_support(request_id: str | None, *, below: bool = False) -> str:
    """What to give SAP support: the request id, or without one the time, which SAP can trace.

    ``below``: for the sentence shown above the error's details, where the id has a line of its
    own to copy from; the command line shows only the sentence, which then quotes it.
    """
    if request_id:
        if below:
            return "give SAP support the request id below"
        return f"give SAP support the request id {displayable(request_id, limit=120)}"
    return "give SAP support the time it happened (the answer carried no request id)"


def _asking_support(
    kind: type[ApiError], sentence: Callable[[str], str], fields: dict[str, Any]
) -> ApiError:
    """An error whose sentence asks for SAP support: with the request id quoted (the command
    line), and pointing at the details line instead (the app's error dialog)."""
    request_id = fields["request_id"]
    return kind(
        sentence(_ask_support(request_id)),
        beside_details=sentence(_ask_support(request_id, below=True)),
        **fields,
    )


def _says_exists(text: str) -> bool:
    return "exist" in text and "not exist" not in text and "n't exist" not in text


def _token_error(
    response: Answer, url: str, secrets: Sequence[str | Secret | None] = ()
) -> ApiError:
    body = parse_error_body(response.content, secrets)
    status = response.status_code
    fields: dict[str, Any] = {
        "status": status,
        "code": body.code,
        "message": body.message,
        "request_id": _request_id(response, None),
    }
    if status == 404:
        return AuthenticationError(
            f"The token URL {url} does not exist (HTTP 404); it should be the service key's "
            "“url” followed by /oauth/token.",
            **fields,
        )
    if status == 429:
        return RateLimited(
            "The token service is limiting requests; wait a minute and try again.", **fields
        )
    if status >= 500:
        return ServerError(
            f"The token service had an error (HTTP {status}); try again in a few minutes.",
            **fields,
        )
    if status in (400, 401, 403) and (body.code or "").lower() not in ("unsupported_grant_type",):
        return AuthenticationError(
            "The token service refused the client id and secret. Check the profile's client "
            "secret (a new service key invalidates old ones).",
            **fields,
        )
    return AuthenticationError(
        f"The token service refused the request (HTTP {status}); check that the token URL "
        "is the service key's “url” followed by /oauth/token.",
        **fields,
    )


def _json(response: Answer, what: str) -> Any:
    try:
        return load_json(response.content, what)
    except ForeignDataError:
        raise ServerError(
            f"{what} answered with something that is not JSON; check that the URL in the profile "
            "points at SAP AI Core.",
            status=response.status_code,
            request_id=_request_id(response, None),
        ) from None


def _message(response: Answer, default: str) -> str:
    """The server's message of a 2xx answer; ``default`` for an empty body.

    A 2xx whose body is not JSON is not taken as success: a proxy's login page answers 200 too,
    and believing it would leave the user sure of a secret that does not exist.
    """
    if not response.content.strip():
        return default
    try:
        data = load_json(response.content, "The answer")
    except ForeignDataError:
        raise ServerError(
            f"The answer (HTTP {response.status_code}) was not from AI Core: it was not JSON, "
            "perhaps a proxy's or a login page. Nothing may have changed: check the AI API URL "
            "of the profile, then look at the list.",
            status=response.status_code,
            request_id=_request_id(response, None),
        ) from None
    message = data.get("message") if isinstance(data, dict) else None
    # The server's words are shown in the app and printed by commands: through the boundary.
    shown = displayable(message) if isinstance(message, str) else ""
    return shown or default


def _lifetime(expires_in: object) -> float:
    """Seconds a token lives: ``expires_in`` when it is a usable number, else five minutes.

    A day at most: ``10**400`` would overflow ``float`` and a token trusted for years is never
    renewed; NaN compares false with everything.
    """
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float):
        return 300.0
    if isinstance(expires_in, int) and expires_in > TOKEN_MAX_LIFETIME:
        return TOKEN_MAX_LIFETIME
    seconds = float(expires_in)
    if not math.isfinite(seconds):
        return 300.0
    return min(max(0.0, seconds), TOKEN_MAX_LIFETIME)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --- the client ------------------------------------------------------------------------------


class AICoreClient:
    """One client per profile connection, reused for every call (it keeps connections open).

    Every public operation runs under one overall deadline (``Connection.deadline``), token and
    retries included, so a server that answers a byte at a time cannot hold it for ever.
    """

    def __init__(
        self,
        connection: Connection,
        *,
        max_tries: int = 4,
        backoff: float = 0.5,
        max_retry_after: float = 10.0,
        page_size: int = 100,
    ) -> None:
        # Refuse before any socket is opened.
        self._api_url = check_url(connection.api_url, "AI API URL").removesuffix("/v2")
        self._token_url = check_url(connection.token_url, "token URL")
        self._connection = connection
        # API requests handed to the network so far (tokens not counted): see workflows.
        self.requests_started = 0
        self._max_tries = max(1, max_tries)
        self._backoff = backoff
        self._max_retry_after = max_retry_after
        self._page_size = max(1, page_size)
        self._timeout = httpx.Timeout(
            connect=connection.connect_timeout,
            read=connection.read_timeout,
            write=connection.read_timeout,
            pool=connection.connect_timeout,
        )
        self._http = self._new_http(self._api_url)
        self._token_http: httpx.AsyncClient | None = None
        self._token: Secret | None = None
        self._token_expiry = 0.0
        self._token_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"AICoreClient(api_url={self._api_url!r}, client_id={self._connection.client_id!r})"

    def _new_http(self, url: str, verify: ssl.SSLContext | None = None) -> httpx.AsyncClient:
        return http_client(
            timeout=self._timeout,
            loopback=is_loopback_host(urlsplit(url).hostname or ""),
            verify=verify,
            headers={"Accept": "application/json"},
        )

    async def __aenter__(self) -> AICoreClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._token_http is not None and self._token_http is not self._http:
            await self._token_http.aclose()
        await self._http.aclose()

    def _bounded(self, what: str, op: str | None = None) -> AbstractAsyncContextManager[Progress]:
        return deadline(self._connection.deadline, what, changes=_CHANGES.get(op or "", ""))

    # --- operations --------------------------------------------------------------------------

    async def test_connection(self) -> Quota:
        """Fetch a fresh token and read the quota: proves URL, credentials and rights."""
        self._token = None
        return await self.quota()

    async def create_secret(self, name: str, body: Secret) -> str:
        """POST ``body.reveal()`` byte for byte; the server's message on success."""
        async with self._bounded(f"registering “{name}”", "create"):
            response = await self._call(
                "POST", SECRETS_PATH, op="create", name=name, body=body, idempotent=False
            )
        return _message(response, "Secret has been created")

    async def update_secret(self, name: str, body: Secret) -> str:
        async with self._bounded(f"updating “{name}”", "update"):
            response = await self._call(
                "PATCH", _secret_path(name), op="update", name=name, body=body
            )
        return _message(response, "Secret has been modified")

    async def get_secret(self, name: str) -> str:
        async with self._bounded(f"reading “{name}”"):
            response = await self._call("GET", _secret_path(name), op="get", name=name)
        data = _json(response, "AI Core")
        found = data.get("name") if isinstance(data, dict) else None
        return found if isinstance(found, str) and found else name

    async def delete_secret(self, name: str) -> str:
        async with self._bounded(f"deleting “{name}”", "delete"):
            response = await self._call("DELETE", _secret_path(name), op="delete", name=name)
        return _message(response, "Docker Registry Secret has been deleted")

    async def list_secrets(self) -> list[str]:
        """Every secret name, page by page, all pages within one deadline."""
        async with self._bounded("listing the secrets"):
            return await self._list_secrets()

    async def _list_secrets(self) -> list[str]:
        names: list[str] = []
        seen: set[str] = set()
        read = 0
        for _ in range(MAX_PAGES):
            params = {"$top": str(self._page_size), "$skip": str(len(names)), "$count": "true"}
            response = await self._call("GET", SECRETS_PATH, op="list", params=params)
            read += len(response.content)
            data = _json(response, "AI Core")
            resources = data.get("resources") if isinstance(data, dict) else None
            if not isinstance(resources, list):
                raise ServerError(
                    "AI Core's list of secrets has no “resources”; check that the AI API URL "
                    "points at SAP AI Core.",
                    status=response.status_code,
                )
            page = [
                r["name"]
                for r in resources
                if isinstance(r, dict) and isinstance(r.get("name"), str)
            ]
            fresh = [n for n in page if n not in seen]
            names += fresh
            seen.update(fresh)
            if read > MAX_LIST_BYTES or len(names) > MAX_SECRETS:
                raise ServerError(
                    f"AI Core's list of secrets went on past {MAX_SECRETS} names or "
                    f"{MAX_LIST_BYTES // MAX_ANSWER} MiB, more than any tenant holds, so regsecret "
                    "stopped reading it; check that the AI API URL points at SAP AI Core.",
                    status=response.status_code,
                )
            total = _int(data.get("count"))
            if (
                not fresh
                or len(page) < self._page_size
                or (total is not None and len(names) >= total)
            ):
                break
        return names

    async def quota(self) -> Quota:
        async with self._bounded("reading the quota"):
            response = await self._call("GET", QUOTA_PATH, op="quota")
        data = _json(response, "AI Core")
        if not isinstance(data, dict):
            return Quota(None, None)
        usage, limit = data.get("usage"), data.get("quota")
        return Quota(
            used=_int(usage.get("count")) if isinstance(usage, dict) else None,
            limit=_int(limit.get("maxCount")) if isinstance(limit, dict) else None,
        )

    # --- token -------------------------------------------------------------------------------

    async def _access_token(self) -> Secret:
        async with self._token_lock:
            if self._token is not None and time.monotonic() < self._token_expiry:
                return self._token
            token, lifetime = await self._fetch_token()
            self._token = token
            self._token_expiry = time.monotonic() + lifetime - min(TOKEN_MARGIN, lifetime * 0.1)
            return token

    def _token_form(self) -> bytes:
        connection = self._connection
        form = {"grant_type": "client_credentials", "client_id": connection.client_id}
        if not connection.uses_x509:
            if connection.client_secret is None:
                raise ProfileError(
                    "The profile has no client secret; edit the profile or import its service "
                    "key again."
                )
            form["client_secret"] = connection.client_secret.reveal()
        return urlencode(form).encode()

    def _token_client(self) -> httpx.AsyncClient:
        if self._token_http is None:
            connection = self._connection
            if connection.uses_x509:
                if connection.private_key is None or connection.certificate is None:
                    raise ProfileError(
                        "The profile has an X.509 certificate but no private key; import its "
                        "service key again."
                    )
                context = client_certificate_context(connection.certificate, connection.private_key)
                self._token_http = self._new_http(self._token_url, context)
            else:
                self._token_http = self._http
        return self._token_http

    async def _fetch_token(self) -> tuple[Secret, float]:
        http = self._token_client()
        url = self._token_url

        def send() -> Awaitable[Answer]:
            return exchange(
                http,
                "POST",
                url,
                content=self._token_form(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )

        x509 = self._connection.uses_x509
        response = await self._send(
            send, url, idempotent=True, retry_statuses=TOKEN_RETRY_STATUSES, client_cert=x509
        )
        if not response.is_success:
            raise _token_error(response, url, [self._connection.client_secret])
        try:
            data = load_json(response.content, "The token answer")
        except ForeignDataError:
            data = None
        token = data.get("access_token") if isinstance(data, dict) else None
        # A token goes into an Authorization header: only printable ASCII survives httpx there.
        if not isinstance(token, str) or not token or not (token.isascii() and token.isprintable()):
            raise AuthenticationError(
                f"The token URL {url} answered, but not with a token; it should be the service "
                "key's “url” followed by /oauth/token.",
                status=response.status_code,
            )
        assert isinstance(data, dict)
        expires_in = data.get("expires_in")
        return Secret(token), _lifetime(expires_in)

    # --- transport ---------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        *,
        op: str,
        name: str | None = None,
        body: Secret | None = None,
        params: dict[str, str] | None = None,
        idempotent: bool = True,
    ) -> Answer:
        url = self._api_url + path
        refreshed = False
        while True:
            token = await self._access_token()
            send = self._sender(method, url, token, body, params)
            statuses = RETRY_STATUSES if method in RETRIED_METHODS else NO_RETRY
            response = await self._send(
                send, url, idempotent=idempotent, retry_statuses=statuses, op=op
            )
            if response.status_code == 401 and not refreshed:
                # Expired or revoked: one new token, one more try.
                refreshed = True
                if self._token is token:
                    self._token = None
                continue
            if not response.is_success:
                raise _api_error(response, op, name, [token, *_body_secrets(body)])
            return response

    def _sender(
        self,
        method: str,
        url: str,
        token: Secret,
        body: Secret | None,
        params: dict[str, str] | None,
    ) -> Callable[[], Awaitable[Answer]]:
        def send() -> Awaitable[Answer]:
            # From here the request may reach AI Core: a workflow stopped later must say so.
            self.requests_started += 1
            headers = {"Authorization": f"Bearer {token.reveal()}"}
            content = None
            if body is not None:
                headers["Content-Type"] = MERGE_PATCH if method == "PATCH" else "application/json"
                content = body.reveal().encode("utf-8")
            return exchange(
                self._http, method, url, headers=headers, content=content, params=params
            )

        return send

    async def _send(
        self,
        send: Callable[[], Awaitable[Answer]],
        url: str,
        *,
        idempotent: bool,
        retry_statuses: frozenset[int],
        client_cert: bool = False,
        op: str = "",
    ) -> Answer:
        attempt = 0
        while True:
            attempt += 1
            last = attempt >= self._max_tries
            try:
                response = await send()
            except (httpx.TransportError, ssl.SSLError) as exc:
                # anyio lets a TLS alert that arrives after the handshake (TLS 1.3 refuses a
                # client certificate that way) through as a bare ssl.SSLError.
                not_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                maybe_done = not (idempotent or not_sent)
                changes = _CHANGES.get(op, "") if maybe_done else ""
                error = transport_error(
                    exc,
                    url,
                    self._timeout,
                    check="the URL in the profile",
                    refused_hint=_refused_hint(url),
                    after=changes[:1].upper() + changes[1:],
                    client_cert=client_cert,
                )
                if last or error.reason in _FINAL_REASONS or maybe_done:
                    raise error from None
                await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
                continue
            status = response.status_code
            if last or status not in retry_statuses:
                return response
            wait = _retry_after(response)
            if wait is None:
                wait = self._backoff * 2 ** (attempt - 1)
            await asyncio.sleep(min(wait, self._max_retry_after))


# A retry cannot mend these: the name does not resolve, the certificate is what it is.
_FINAL_REASONS = frozenset({"dns", "tls", "untrusted", "proxy"})

# What a request that reached the server may have done, said when it took too long or broke off.
_CHANGES = {
    "create": "the secret may have been created anyway: refresh the list before trying again.",
    "update": "the secret may have been updated anyway: look at it before trying again.",
    "delete": "the secret may have been deleted anyway: refresh the list before trying again.",
}


def _refused_hint(url: str) -> str:
    if is_loopback_host(urlsplit(url).hostname or ""):
        return "start it with `regsecret emulator`"
    return "check the URL and port"


def _secret_path(name: str) -> str:
    # safe="" so a name like "../x" cannot leave the collection.
    return f"{SECRETS_PATH}/{quote(name, safe='')}"
