"""Log in to a Docker registry as a container runtime does, before AI Core ever sees the secret.

AI Core does not check registry credentials when a secret is created; a wrong token surfaces hours
later as an image pull failure. This module speaks the Docker Registry HTTP API v2 (the OCI
distribution spec): ``GET /v2/``, the ``WWW-Authenticate`` challenge (``Bearer`` with a token realm,
or ``Basic``), and optionally ``HEAD /v2/<repository>/manifests/<reference>`` to know the secret can
pull one image.

Every answer is a :class:`CheckResult`: an :class:`Outcome` and one sentence for people. Nothing is
raised for anything a user can meet.

Safety rules, because the password is the whole point of the tool:

- TLS is verified; ``http://`` is used only for a registry on this machine (loopback).
- The password goes only to the registry itself (Basic scheme) or to the token realm the registry
  announces, and only over HTTPS unless that host is loopback. A realm that would downgrade an HTTPS
  registry to plain HTTP is refused before anything is sent. Redirects are never followed.
- No sentence contains the password, and the registry's own words are scrubbed of it.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import ipaddress
import json
import re
import socket
import ssl
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from tui import __version__
from tui.core.dockerconfigjson import is_docker_hub, registry_key
from tui.core.errors import InputError
from tui.core.secret import Secret

DOCKER_HUB_ENDPOINT = "https://registry-1.docker.io"

# What a runtime sends for a manifest: OCI and Docker, single-platform and multi-platform. Some
# registries (ghcr.io) answer 404 for an OCI image unless its media type is accepted.
MANIFEST_MEDIA_TYPES: tuple[str, ...] = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)

_NOT_A_VERDICT = (
    "this is not a verdict on the credentials, since AI Core pulls images from the cloud, "
    "not from this machine"
)
_MAX_BODY = 64 * 1024
_DOCKER_HUB_REF_HOSTS = frozenset(
    {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}
)
_HOST_PORT = re.compile(
    r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)(?::[0-9]{1,5})?$"
)
_PATH_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_DIGEST = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
_CHALLENGE_ITEM = re.compile(
    r'[\s,]*(?:([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^,\s]*)|([A-Za-z][A-Za-z0-9_-]*))'
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    UNREACHABLE = "unreachable"
    NOT_A_REGISTRY = "not-a-registry"
    IMAGE_DENIED = "image-denied"  # login fine but the image manifest cannot be read
    BAD_INPUT = "bad-input"


_EXIT_CODES = {
    Outcome.ACCEPTED: 0,
    Outcome.REJECTED: 1,
    Outcome.IMAGE_DENIED: 1,
    Outcome.NOT_A_REGISTRY: 1,
    Outcome.BAD_INPUT: 2,
    Outcome.UNREACHABLE: 3,
}


@dataclass(frozen=True)
class CheckResult:
    outcome: Outcome
    sentence: str  # one sentence for people, e.g. "ghcr.io accepted the credentials for user octo."

    @property
    def exit_code(self) -> int:
        """0 accepted, 1 rejected / image denied / not a registry, 2 bad input, 3 unreachable."""
        return _EXIT_CODES[self.outcome]

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.ACCEPTED


@dataclass(frozen=True)
class RegistryAddress:
    """Where the login check goes for what the user typed as registry."""

    key: str  # what goes under ``auths``: ``https://index.docker.io``, ``ghcr.io``, ``host:5000/x``
    host: str  # host[:port], lower case; ``docker.io`` for Docker Hub
    base_url: str  # scheme://host[:port] of the ``/v2/`` API
    display: str  # how sentences name it: "Docker Hub" or the host
    docker_hub: bool

    @property
    def loopback(self) -> bool:
        return is_loopback_host(urlsplit(self.base_url).hostname or "")


@dataclass(frozen=True)
class ImageReference:
    repository: str  # e.g. library/nginx
    reference: str  # tag or digest
    shown: str  # e.g. library/nginx:latest, for sentences

    @property
    def scope(self) -> str:
        return f"repository:{self.repository}:pull"


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's verified default (certifi, or SSL_CERT_FILE / SSL_CERT_DIR), built once: loading
    the CA bundle costs tens of milliseconds per client otherwise."""
    return httpx.create_ssl_context(verify=True, trust_env=True)


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ``::1``: the only hosts plain HTTP may reach."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def parse_registry(registry: str) -> RegistryAddress:
    """Normalise what the user typed as registry; :class:`InputError` when it cannot be one.

    Messages never echo the input: someone may have pasted ``https://user:token@host``.
    """
    text = registry.strip()
    if not text:
        raise InputError("Enter the registry host, for example ghcr.io or docker.io.")
    scheme = ""
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", text)
    if match:
        scheme = match.group(1).lower()
        text = text[match.end() :]
        if scheme not in ("http", "https"):
            raise InputError(
                "The registry address must start with https:// or nothing at all, "
                "for example ghcr.io."
            )
    hostport, _, path = text.partition("/")
    if not _HOST_PORT.match(hostport):
        raise InputError(
            "The registry must be a host name with an optional port and nothing else, "
            "for example ghcr.io or registry.example.com:5000."
        )
    host = hostport.lower()
    if is_docker_hub(registry):
        if scheme == "http":
            raise InputError("Docker Hub is reached over HTTPS only: leave out http://.")
        return RegistryAddress(
            key=registry_key(registry),
            host="docker.io",
            base_url=DOCKER_HUB_ENDPOINT,
            display="Docker Hub",
            docker_hub=True,
        )
    loopback = is_loopback_host(urlsplit(f"//{host}").hostname or "")
    if scheme == "http" and not loopback:
        raise InputError(
            f"Plain http:// is allowed only for a registry on this machine; use https://{host} "
            "(or just the host) instead."
        )
    if not scheme:
        # A registry on this machine (the emulator, `docker run registry:2`) speaks plain HTTP.
        scheme = "http" if loopback else "https"
    path = path.strip("/")
    if path and not all(_PATH_COMPONENT.match(part) for part in path.split("/")):
        raise InputError(
            "After the host, a registry address may only hold a lowercase repository path, "
            "for example registry.example.com/team."
        )
    return RegistryAddress(
        key=registry_key(registry),
        host=host,
        base_url=f"{scheme}://{host}",
        display=host,
        docker_hub=False,
    )


def parse_image_reference(ref: str, registry: str) -> tuple[str, str]:
    """``(repository, tag-or-digest)`` of an image on ``registry``; :class:`InputError` if the
    reference is malformed or names another registry."""
    image = _parse_image(ref, parse_registry(registry))
    return image.repository, image.reference


def _parse_image(ref: str, registry: RegistryAddress) -> ImageReference:
    text = ref.strip()
    example = f"{registry.host}/org/app:1.2" if not registry.docker_hub else "org/app:1.2"
    if not text:
        raise InputError(f"The image reference is empty; write it like {example}.")
    if "://" in text or any(ch.isspace() for ch in text):
        raise InputError(
            f"An image reference has no scheme and no spaces; write it like {example}."
        )
    digest = ""
    if "@" in text:
        text, digest = text.split("@", 1)
        if not _DIGEST.match(digest):
            raise InputError(
                "The digest after @ must look like sha256:<64 hex digits>; check the image "
                "reference."
            )
    tag = ""
    colon, slash = text.rfind(":"), text.rfind("/")
    if colon > slash:
        text, tag = text[:colon], text[colon + 1 :]
        if not _TAG.match(tag):
            raise InputError(
                f"“{tag}” is not a valid tag: use letters, digits, '_', '.' and '-', at most "
                "128 characters."
            )
    first, sep, rest = text.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        ref_host, path = first.lower(), rest
    else:
        ref_host, path = "", text
    if not path or not all(_PATH_COMPONENT.match(part) for part in path.split("/")):
        raise InputError(
            "The repository part of the image reference must be lowercase letters, digits and "
            f"separators ('.', '_', '-', '/'); write it like {example}."
        )
    suffix = f"@{digest}" if digest else f":{tag or 'latest'}"
    if registry.docker_hub:
        if ref_host and ref_host not in _DOCKER_HUB_REF_HOSTS:
            raise InputError(
                f"The image {ref.strip()} is on {ref_host}, not on Docker Hub: check it with "
                f"--registry {ref_host}, or name a Docker Hub image such as org/app:1.2."
            )
        if "/" not in path:
            path = f"library/{path}"
    else:
        if not ref_host:
            raise InputError(
                f"The image {ref.strip()} names a Docker Hub image, but the registry is "
                f"{registry.host}; write it as {registry.host}/{path}{suffix}."
            )
        prefix = registry.key.lower()
        full = f"{ref_host}/{path}"
        if ref_host != registry.host or not (full + "/").startswith(prefix + "/"):
            raise InputError(
                f"The image {ref.strip()} is not on the registry {registry.key}: check it with "
                f"--registry {ref_host}, or write the image as {registry.key}/…"
            )
    return ImageReference(path, digest or tag or "latest", f"{path}{suffix}")


def parse_challenges(headers: Sequence[str]) -> dict[str, dict[str, str]]:
    """``WWW-Authenticate`` values as ``{scheme: {param: value}}``, schemes in lower case.

    One header may hold several challenges (``Bearer realm="a,b",service="x", Basic realm="y"``):
    a bare word starts a challenge, ``key=value`` pairs belong to the last one.
    """
    found: dict[str, dict[str, str]] = {}
    for header in headers:
        current: dict[str, str] | None = None
        position = 0
        while position < len(header):
            match = _CHALLENGE_ITEM.match(header, position)
            if match is None or match.end() == position:
                break
            position = match.end()
            key, value, scheme = match.group(1, 2, 3)
            if scheme:
                # The first challenge of a scheme counts; a repeated one is read and dropped.
                current = {}
                found.setdefault(scheme.lower(), current)
            elif current is not None and key:
                if value.startswith('"') and value.endswith('"') and len(value) >= 2:
                    value = re.sub(r"\\(.)", r"\1", value[1:-1])
                current[key.lower()] = value
    return found


def _validate_credentials(username: str, password: Secret) -> None:
    if not username.strip():
        raise InputError("Enter the registry username.")
    if ":" in username:
        raise InputError(
            "The username cannot contain ':': registries and the docker config split user and "
            "password at the first ':'."
        )
    if _CONTROL.search(username):
        raise InputError("The username contains a line break or control character; remove it.")
    if not password:
        raise InputError("The password or token is empty; paste the registry token.")


async def check_login(
    registry: str,
    username: str,
    password: Secret,
    *,
    image: str | None = None,
    timeout: float = 10.0,
    transport: Any = None,
) -> CheckResult:
    """Log in to ``registry`` as ``username``; with ``image``, also check it can be pulled.

    ``timeout`` bounds each request; the whole check is bounded too, so it never hangs.
    """
    try:
        address = parse_registry(registry)
        _validate_credentials(username, password)
        target = _parse_image(image, address) if image and image.strip() else None
    except InputError as exc:
        return CheckResult(Outcome.BAD_INPUT, exc.explanation)
    check = _Check(address, username, password, target, timeout)
    try:
        async with (
            httpx.AsyncClient(
                transport=transport,
                timeout=httpx.Timeout(timeout),
                verify=_tls_context(),
                follow_redirects=False,
                # Proxies from the environment make no sense for a registry on this machine.
                trust_env=not address.loopback,
            ) as client,
            asyncio.timeout(timeout * 5),
        ):
            return await check.run(client)
    except TimeoutError:
        return check.unreachable(address.display, f"it gave no answer within {timeout:g} seconds")
    except httpx.HTTPError as exc:
        return check.unreachable(check.who(exc), _network_reason(exc, timeout))
    except httpx.InvalidURL:
        return CheckResult(
            Outcome.NOT_A_REGISTRY,
            f"{address.display} answered with an address regsecret cannot use, so it does not "
            "behave like a Docker registry: check the registry host.",
        )


@dataclass
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes

    def challenges(self) -> dict[str, dict[str, str]]:
        return parse_challenges(self.headers.get_list("www-authenticate"))

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


class _Check:
    """One login check: the state shared by its few requests."""

    def __init__(
        self,
        address: RegistryAddress,
        username: str,
        password: Secret,
        target: ImageReference | None,
        timeout: float,
    ) -> None:
        self.address = address
        self.username = username
        self.password = password
        self.target = target
        self.timeout = timeout
        self.v2 = f"{address.base_url}/v2/"

    # -- the protocol -------------------------------------------------------------------------

    async def run(self, client: httpx.AsyncClient) -> CheckResult:
        first = await self._send(client, "GET", self.v2)
        auth: Secret | None = None
        if first.status == 401:
            got = await self._authorize(client, first)
            if isinstance(got, CheckResult):
                return got
            auth = got
            again = await self._send(client, "GET", self.v2, auth=auth)
            if again.status in (401, 403):
                return self.rejected(again, "refused the login")
            if again.status != 200:
                return self._unexpected(again, "/v2/")
        elif first.status != 200 or not _looks_like_registry(first):
            return self._unexpected(first, "/v2/")
        if self.target is None:
            if auth is None:
                return CheckResult(
                    Outcome.ACCEPTED,
                    f"{self.address.display} lets anyone in without a login, so it did not need "
                    "the credentials.",
                )
            return CheckResult(
                Outcome.ACCEPTED,
                f"{self.address.display} accepted the credentials for user {self.username}.",
            )
        return await self._check_image(client, self.target, auth)

    async def _check_image(
        self, client: httpx.AsyncClient, target: ImageReference, auth: Secret | None
    ) -> CheckResult:
        url = f"{self.address.base_url}/v2/{target.repository}/manifests/{target.reference}"
        accept = ", ".join(MANIFEST_MEDIA_TYPES)
        head = await self._send(client, "HEAD", url, accept=accept, auth=auth)
        if head.status == 401 and auth is None:
            # An open /v2/ may still guard its repositories: log in as the manifest asks.
            got = await self._authorize(client, head)
            if isinstance(got, CheckResult):
                return got
            auth = got
            head = await self._send(client, "HEAD", url, accept=accept, auth=auth)
        who = self.address.display
        login = (
            f"{who} accepted the credentials for user {self.username}"
            if auth is not None
            else f"{who} needs no login"
        )
        if head.status == 200:
            return CheckResult(Outcome.ACCEPTED, f"{login}, and they can pull {target.shown}.")
        if head.status in (401, 403):
            return CheckResult(
                Outcome.IMAGE_DENIED,
                f"{login}, but they may not pull {target.shown} (HTTP {head.status}): check the "
                "repository name and that this user has read access to it.",
            )
        if head.status == 404:
            return CheckResult(
                Outcome.IMAGE_DENIED,
                f"{login}, but {target.shown} was not found there: check the repository name "
                "and the tag.",
            )
        if head.status == 429 or head.status >= 500:
            return CheckResult(
                Outcome.UNREACHABLE,
                f"{login}, but it answered HTTP {head.status} when asked for {target.shown}, so "
                "whether they can pull it is unknown; try again in a minute.",
            )
        return CheckResult(
            Outcome.IMAGE_DENIED,
            f"{login}, but reading {target.shown} failed with HTTP {head.status}: check the "
            "image reference.",
        )

    async def _authorize(self, client: httpx.AsyncClient, answer: _Answer) -> Secret | CheckResult:
        """The ``Authorization`` value the registry's challenge asks for, or why there is none."""
        challenges = answer.challenges()
        if "bearer" in challenges:
            return await self._bearer_token(client, challenges["bearer"])
        if "basic" in challenges:
            # The registry itself asked: it is the host the user named, over HTTPS or loopback.
            raw = f"{self.username}:{self.password.reveal()}".encode()
            return Secret("Basic " + base64.b64encode(raw).decode("ascii"))
        return CheckResult(
            Outcome.NOT_A_REGISTRY,
            f"{self.address.display} asked for a login regsecret does not know "
            "(no Bearer or Basic challenge), so it does not behave like a Docker registry.",
        )

    async def _bearer_token(
        self, client: httpx.AsyncClient, challenge: Mapping[str, str]
    ) -> Secret | CheckResult:
        who = self.address.display
        realm = challenge.get("realm", "")
        if not realm:
            return CheckResult(
                Outcome.NOT_A_REGISTRY,
                f"{who} asked for a token but named no login service (realm), so it does not "
                "behave like a Docker registry.",
            )
        try:
            realm_url = urljoin(self.v2, realm)
        except ValueError:
            realm_url = ""  # judged unusable just below
        problem = _realm_problem(self.address, realm_url)
        if problem:
            return CheckResult(Outcome.REJECTED, problem)
        params: list[tuple[str, str]] = [("account", self.username)]
        if challenge.get("service"):
            params.append(("service", challenge["service"]))
        scopes = [challenge["scope"]] if challenge.get("scope") else []
        if self.target is not None and self.target.scope not in scopes:
            scopes.append(self.target.scope)
        params.extend(("scope", scope) for scope in scopes)
        raw = f"{self.username}:{self.password.reveal()}".encode()
        basic = Secret("Basic " + base64.b64encode(raw).decode("ascii"))
        answer = await self._send(
            client, "GET", realm_url, params=httpx.QueryParams(tuple(params)), auth=basic
        )
        service = _origin(realm_url)
        if answer.status in (401, 403):
            where = "" if service == self.address.base_url else f" at {service}"
            return self.rejected(answer, f"refused the login{where}")
        if answer.status == 429 or answer.status >= 500:
            return self.unreachable(
                who, f"its login service {service} answered HTTP {answer.status}; try again later"
            )
        data = answer.json()
        token = None
        if answer.status == 200 and isinstance(data, dict):
            token = data.get("token") or data.get("access_token")
        if not isinstance(token, str) or not token:
            return CheckResult(
                Outcome.NOT_A_REGISTRY,
                f"The login service {service} that {who} named answered HTTP {answer.status} "
                "without a token, so it does not behave like a registry's token service.",
            )
        return Secret(f"Bearer {token}")

    # -- sentences ----------------------------------------------------------------------------

    def rejected(self, answer: _Answer, what: str) -> CheckResult:
        said = self._server_words(answer)
        return CheckResult(
            Outcome.REJECTED,
            f"{self.address.display} {what} for user {self.username} (HTTP {answer.status}"
            f"{said}): check the username and the password or token, and that the token has "
            "not expired.",
        )

    def unreachable(self, who: str, reason: str) -> CheckResult:
        return CheckResult(
            Outcome.UNREACHABLE,
            f"{who} could not be reached from here: {reason}; {_NOT_A_VERDICT}.",
        )

    def who(self, exc: httpx.HTTPError) -> str:
        """The host a network failure happened on: the registry, or its login service."""
        try:
            url = exc.request.url
        except RuntimeError:
            return self.address.display
        if self.address.base_url == f"{url.scheme}://{url.netloc.decode('ascii')}":
            return self.address.display
        return f"The login service {url.scheme}://{url.netloc.decode('ascii')}"

    def _unexpected(self, answer: _Answer, path: str) -> CheckResult:
        who = self.address.display
        if answer.status == 429 or answer.status >= 500:
            return self.unreachable(who, f"it answered HTTP {answer.status}; try again later")
        if answer.status == 403:
            return self.unreachable(
                who,
                "it refused this machine before any login (HTTP 403), perhaps by an IP allow list",
            )
        if 300 <= answer.status < 400:
            detail = f"it redirects {path} elsewhere"
        elif answer.status == 200:
            detail = f"GET {path} answered with a page, not the registry API"
        else:
            detail = f"GET {path} answered HTTP {answer.status}"
        return CheckResult(
            Outcome.NOT_A_REGISTRY,
            f"{self.address.base_url} does not look like a Docker registry ({detail}): check the "
            "registry host, for example ghcr.io rather than github.com.",
        )

    def _server_words(self, answer: _Answer) -> str:
        """The registry's own error message, cleaned, for a sentence: ``'; it said “…”'``."""
        data = answer.json()
        message = ""
        if isinstance(data, dict):
            errors = data.get("errors")
            if isinstance(errors, list) and errors and isinstance(errors[0], dict):
                message = str(errors[0].get("message") or "")
            message = message or str(data.get("details") or data.get("error_description") or "")
        message = _CONTROL.sub(" ", message).strip()
        secret = self.password.reveal()
        if secret and secret in message:
            message = message.replace(secret, "********")
        if not message:
            return ""
        if len(message) > 120:
            message = message[:119] + "…"
        return f"; it said “{message}”"

    # -- transport ----------------------------------------------------------------------------

    async def _send(
        self,
        client: httpx.AsyncClient,
        method: str,
        url: str,
        *,
        params: httpx.QueryParams | None = None,
        accept: str | None = None,
        auth: Secret | None = None,
    ) -> _Answer:
        headers = {"User-Agent": f"regsecret/{__version__}"}
        if accept:
            headers["Accept"] = accept
        if auth is not None:
            headers["Authorization"] = auth.reveal()
        async with client.stream(method, url, params=params, headers=headers) as response:
            body = bytearray()
            if method != "HEAD":
                # A hostile or broken server could stream forever; a check needs a few bytes.
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > _MAX_BODY:
                        break
            return _Answer(response.status_code, response.headers, bytes(body[:_MAX_BODY]))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def _realm_problem(address: RegistryAddress, realm_url: str) -> str:
    """Why the password must not go to this realm; empty when it may."""
    who = address.display
    try:
        parts = urlsplit(realm_url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        parts = urlsplit("")
    usable = (
        parts.scheme in ("http", "https")
        and parts.hostname is not None
        # Credentials in the URL would replace ours; a host with spaces is no host.
        and "@" not in parts.netloc
        and _HOST_PORT.match(parts.netloc) is not None
    )
    if not usable:
        return (
            f"{who} named a login service regsecret cannot use, so the password was not sent: "
            "check the registry host."
        )
    realm = _origin(realm_url)
    if parts.scheme == "http" and address.base_url.startswith("https://"):
        return (
            f"{who} is served over HTTPS but sent the login to {realm}, which is plain HTTP, so "
            "the password was not sent: ask the registry's administrator to fix its token realm."
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname or ""):
        return (
            f"{who} sent the login to {realm}, which is plain HTTP on another machine, so the "
            "password was not sent: ask the registry's administrator to serve it over HTTPS."
        )
    return ""


def _looks_like_registry(answer: _Answer) -> bool:
    """An open ``/v2/`` answers 200; a web site answering 200 to everything must not pass."""
    if answer.headers.get("docker-distribution-api-version", "").startswith("registry/2"):
        return True
    content_type = answer.headers.get("content-type", "")
    return "json" in content_type and isinstance(answer.json(), dict)


def _exception_chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _network_reason(exc: httpx.HTTPError, timeout: float) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"it gave no answer within {timeout:g} seconds"
    for cause in _exception_chain(exc):
        if isinstance(cause, socket.gaierror):
            return "its host name does not resolve (DNS)"
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = cause.verify_message or "not trusted"
            return f"its TLS certificate could not be verified ({detail})"
        if isinstance(cause, ssl.SSLError):
            return "the TLS handshake failed"
        if isinstance(cause, ConnectionRefusedError):
            return "the connection was refused (nothing listens on that port)"
    text = str(exc).lower()
    if "name or service not known" in text or "name resolution" in text or "getaddrinfo" in text:
        return "its host name does not resolve (DNS)"
    if isinstance(exc, httpx.ProxyError):
        return "the proxy from the environment refused the connection"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection closed without a proper HTTP answer"
    return "the connection failed"
