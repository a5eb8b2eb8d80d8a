"""Log in to a Docker registry as a container runtime does, before AI Core ever sees the secret.

AI Core does not check registry credentials when a secret is created; a wrong token surfaces hours
later as an image pull failure. This module speaks the Docker Registry HTTP API v2 (the OCI
distribution spec): ``GET /v2/``, the ``WWW-Authenticate`` challenge (``Bearer`` with a token realm,
or ``Basic``), and optionally ``HEAD /v2/<repository>/manifests/<reference>`` to know the secret can
pull one image.

Every answer is a :class:`CheckResult`: an :class:`Outcome` and one sentence for people. Nothing is
raised for anything a user can meet.

Safety rules, because the password is the whole point of the tool:

- TLS is verified, against the OS trust store plus SSL_CERT_FILE/SSL_CERT_DIR (tui/core/trust.py).
  A registry typed without a scheme is tried over HTTPS first, as docker and skopeo do; only a
  registry on this machine (loopback) may then fall back to plain ``http://``, and never after its
  certificate was not trusted (a TLS registry answering plain HTTP would give a wrong verdict).
- The password goes only to the registry itself (Basic scheme) or to the token realm the registry
  announces, and only over HTTPS unless that host is loopback. A realm that would downgrade an HTTPS
  registry to plain HTTP is refused before anything is sent. Redirects are never followed.
- No sentence contains the password, and the registry's own words are scrubbed of it.
"""

from __future__ import annotations

import base64
import re
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from tui.core import exit_codes
from tui.core.dockerconfigjson import (
    HOST_PORT,
    PATH_COMPONENT,
    auth_value,
    is_docker_hub,
    preset_for_host,
    registry_key,
    registry_problem,
)
from tui.core.errors import InputError, NetworkError
from tui.core.foreign_text import bound, displayable
from tui.core.net import (
    Answer,
    AnswerTooLarge,
    deadline,
    exchange,
    http_client,
    is_loopback_host,
    transport_error,
)
from tui.core.secret import WITHHELD, Secret, withhold_secrets

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
    "This is not a verdict on the credentials, since AI Core pulls images from the cloud, "
    "not from this machine."
)
# What Go's net/http (and so distribution) answers when plain HTTP reaches its TLS port.
_HTTP_TO_HTTPS = b"client sent an http request to an https server"
_DOCKER_HUB_REF_HOSTS = frozenset(
    {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}
)
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
_DIGEST = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
_CHALLENGE_ITEM = re.compile(
    r'[\s,]*(?:([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^,\s]*)|([A-Za-z][A-Za-z0-9_-]*))'
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # the registry (or its login service) refused the credentials
    UNREACHABLE = "unreachable"
    NOT_A_REGISTRY = "not-a-registry"
    # The login works, but the image cannot be pulled: the tag or repository is not there, or
    # this user may not read it (registries often answer 401/403 for what does not exist).
    IMAGE_DENIED = "image-denied"
    # The registry was reached, but its certificate is not trusted here.
    TLS_UNTRUSTED = "tls-untrusted"
    BAD_INPUT = "bad-input"
    # This machine's own trust setting (SSL_CERT_FILE, SSL_CERT_DIR) cannot be used, so nothing
    # went out over HTTPS: a local configuration mistake, exit 2 like every command's. Not a
    # verdict on the credentials, and not the login's fault: registering may go on (the
    # request to AI Core then says the same if it needs HTTPS).
    BAD_SETTING = "bad-setting"


_EXIT_CODES = {
    Outcome.ACCEPTED: exit_codes.EXIT_OK,
    Outcome.BAD_INPUT: exit_codes.EXIT_BAD_INPUT,
    Outcome.UNREACHABLE: exit_codes.EXIT_UNREACHABLE,
    Outcome.REJECTED: exit_codes.EXIT_REFUSED,
    Outcome.IMAGE_DENIED: exit_codes.EXIT_NOT_FOUND,
    Outcome.NOT_A_REGISTRY: exit_codes.EXIT_NOT_A_REGISTRY,
    Outcome.TLS_UNTRUSTED: exit_codes.EXIT_TLS_UNTRUSTED,
    Outcome.BAD_SETTING: exit_codes.EXIT_BAD_INPUT,
}


#: The field to correct after each outcome, the first one its sentence names ("check the username
#: and the password or token"): where the cursor goes after "Fix it". The field names are the
#: draft's (tui/core/request.py FIELDS) and "image", the image the check tried.
_FIX_FIELD = {
    Outcome.REJECTED: "username",
    Outcome.NOT_A_REGISTRY: "registry",
    Outcome.IMAGE_DENIED: "image",
}


@dataclass(frozen=True)
class CheckResult:
    outcome: Outcome
    sentence: str  # one sentence for people, e.g. "ghcr.io accepted the credentials for user octo."
    # BAD_INPUT: which input the sentence is about (the other outcomes know it: fix_field).
    field: str = ""

    def __post_init__(self) -> None:
        # Sentences quote the registry's own words and what was typed: made safe to show once.
        object.__setattr__(self, "sentence", displayable(self.sentence, limit=1000))

    @property
    def exit_code(self) -> int:
        """The row of :mod:`tui.core.exit_codes` for this outcome (README: "registry check")."""
        return _EXIT_CODES[self.outcome]

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.ACCEPTED

    @property
    def fix_field(self) -> str:
        """The field a person corrects first after this result ("" for none: accepted, or no
        verdict, such as a registry that did not answer)."""
        return self.field or _FIX_FIELD.get(self.outcome, "")

    @property
    def judged(self) -> bool:
        """False when the registry could not judge the credentials from here (unreachable, TLS
        not trusted on this machine, or this machine's trust setting unusable): AI Core pulls
        from the cloud, so that is no verdict."""
        return self.outcome not in (
            Outcome.UNREACHABLE,
            Outcome.TLS_UNTRUSTED,
            Outcome.BAD_SETTING,
        )


@dataclass(frozen=True)
class RegistryAddress:
    """Where the login check goes for what the user typed as registry."""

    key: str  # what goes under ``auths``: ``https://index.docker.io``, ``ghcr.io``, ``host:5000/x``
    host: str  # host[:port], lower case; ``docker.io`` for Docker Hub
    base_url: str  # scheme://host[:port] of the ``/v2/`` API
    display: str  # how sentences name it: "Docker Hub" or the host
    docker_hub: bool
    # ``http://host[:port]`` to try when HTTPS fails: a loopback registry typed without a scheme.
    fallback_url: str | None = None

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


def parse_registry(registry: str) -> RegistryAddress:
    """Normalise what the user typed as registry; :class:`InputError` when it cannot be one.

    Messages never echo the input: someone may have pasted ``https://user:token@host``.
    """
    text = registry.strip()
    if not text:
        raise InputError("Enter the registry host, for example ghcr.io or docker.io.")
    problem = registry_problem(text)
    if problem:
        raise InputError(f"The registry {problem}.")
    scheme = ""
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", text)
    if match:
        scheme = match.group(1).lower()
        text = text[match.end() :]
    host = text.partition("/")[0].lower()
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
    # Without a scheme, HTTPS first, as docker and skopeo do; a registry on this machine (the
    # emulator, `docker run registry:2`) may speak plain HTTP, so it gets a second try.
    fallback = f"http://{host}" if not scheme and loopback else None
    scheme = scheme or "https"
    return RegistryAddress(
        key=registry_key(registry),
        host=host,
        base_url=f"{scheme}://{host}",
        display=host,
        docker_hub=False,
        fallback_url=fallback,
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
    if not path or not all(PATH_COMPONENT.match(part) for part in path.split("/")):
        raise InputError(
            "The repository part of the image reference must be lowercase letters, digits and "
            f"separators ('.', '_', '-', '/'); write it like {example}."
        )
    suffix = f"@{digest}" if digest else f":{tag or 'latest'}"
    if registry.docker_hub:
        if ref_host and ref_host not in _DOCKER_HUB_REF_HOSTS:
            raise InputError(
                f"The image {ref.strip()} is on {ref_host}, not on Docker Hub: to check it, make "
                f"{ref_host} the registry, or name a Docker Hub image such as org/app:1.2."
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
                f"The image {ref.strip()} is not on the registry {registry.key}: to check it, "
                f"make {ref_host} the registry, or write the image as {registry.key}/…"
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


def _validate_username(username: str) -> None:
    if not username.strip():
        raise InputError("Enter the registry username.")
    if ":" in username:
        raise InputError(
            "The username cannot contain ':': registries and the docker config split user and "
            "password at the first ':'."
        )
    if _CONTROL.search(username):
        raise InputError("The username contains a line break or control character; remove it.")


def _validate_password(password: Secret) -> None:
    if not password:
        raise InputError("The password or token is empty; paste the registry token.")


async def check_login(
    registry: str,
    username: str,
    password: Secret,
    *,
    image: str | None = None,
    timeout: float = 10.0,
    total: float = 30.0,
    transport: Any = None,
) -> CheckResult:
    """Log in to ``registry`` as ``username``; with ``image``, also check it can be pulled.

    ``timeout`` bounds each connect and read; ``total`` the whole check, every request and the
    fallback to plain HTTP included, so a registry that drips its answer cannot hold it for ever.
    """
    field = "registry"
    try:
        address = parse_registry(registry)
        field = "username"
        _validate_username(username)
        field = "password"
        _validate_password(password)
        field = "image"
        target = _parse_image(image, address) if image and image.strip() else None
    except InputError as exc:
        return CheckResult(Outcome.BAD_INPUT, exc.explanation, field)
    check = _Check(address, username, password, target, timeout)
    async with http_client(
        timeout=httpx.Timeout(timeout), loopback=address.loopback, transport=transport
    ) as client:
        try:
            async with deadline(total, "the login check"):
                return await _with_fallback(check, client)
        except NetworkError as slow:
            return CheckResult(Outcome.UNREACHABLE, f"{slow.explanation} {_NOT_A_VERDICT}")


async def _with_fallback(check: _Check, client: httpx.AsyncClient) -> CheckResult:
    """HTTPS first; for a loopback registry typed without a scheme, plain HTTP next."""
    first = await check.attempt(client)
    fallback_url = check.address.fallback_url
    if fallback_url is None or not check.failed or check.speaks_tls:
        # A certificate that was not trusted proves the registry speaks TLS: plain HTTP would
        # only get "HTTP request to an HTTPS server" and a wrong verdict.
        return first
    plain = _Check(
        replace(check.address, base_url=fallback_url, fallback_url=None),
        check.username,
        check.password,
        check.target,
        check.timeout,
    )
    second = await plain.attempt(client)
    if plain.first_answer is not None and _HTTP_TO_HTTPS in plain.first_answer.content.lower():
        return first  # it is a TLS port after all: the HTTPS failure is the story
    return second


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
        self.first_answer: Answer | None = None  # what GET /v2/ answered, when it did
        self.failed = False  # the attempt ended in a transport failure
        self.speaks_tls = False  # ... and that was the server's certificate: it does speak TLS

    async def attempt(self, client: httpx.AsyncClient) -> CheckResult:
        """:meth:`run`, with every failure of the way there turned into a result."""
        try:
            return await self.run(client)
        except AnswerTooLarge as exc:
            return CheckResult(Outcome.NOT_A_REGISTRY, exc.explanation)
        except InputError as exc:
            # SSL_CERT_FILE or SSL_CERT_DIR is unusable (tui/core/trust.py), so no TLS at all.
            self.failed = True
            return CheckResult(
                Outcome.BAD_SETTING,
                f"{self.address.display} could not be checked over HTTPS: {exc.explanation}",
            )
        except httpx.InvalidURL:
            return CheckResult(
                Outcome.NOT_A_REGISTRY,
                f"{self.address.display} answered with an address regsecret cannot use, so it "
                "does not behave like a Docker registry: check the registry host.",
            )
        except (httpx.HTTPError, ssl.SSLError) as exc:
            self.failed = True
            error = transport_error(
                exc,
                _failed_url(exc, self.address.base_url),
                httpx.Timeout(self.timeout),
                check="the registry host",
                refused_hint="check the registry host and port",
            )
            self.speaks_tls = error.reason == "untrusted"
            outcome = Outcome.TLS_UNTRUSTED if self.speaks_tls else Outcome.UNREACHABLE
            return CheckResult(outcome, f"{error.explanation} {_NOT_A_VERDICT}")

    # -- the protocol -------------------------------------------------------------------------

    async def run(self, client: httpx.AsyncClient) -> CheckResult:
        first = await self._send(client, "GET", self.v2)
        self.first_answer = first
        auth: Secret | None = None
        if first.status_code == 401:
            got = await self._authorize(client, first)
            if isinstance(got, CheckResult):
                return got
            auth = got
            again = await self._send(client, "GET", self.v2, auth=auth)
            if again.status_code in (401, 403):
                return self.rejected(again, "refused the login")
            if again.status_code != 200:
                return self._unexpected(again, "/v2/")
        elif first.status_code != 200 or not _looks_like_registry(first):
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
        if head.status_code == 401 and auth is None:
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
        if head.status_code == 200:
            return CheckResult(Outcome.ACCEPTED, f"{login}, and they can pull {target.shown}.")
        if head.status_code in (401, 403):
            return CheckResult(
                Outcome.IMAGE_DENIED,
                f"{login}, but they may not pull {target.shown} (HTTP {head.status_code}): check "
                "the repository name and that this user has read access to it.",
            )
        if head.status_code == 404:
            return CheckResult(
                Outcome.IMAGE_DENIED,
                f"{login}, but {target.shown} was not found there: check the repository name "
                "and the tag.",
            )
        if head.status_code == 429 or head.status_code >= 500:
            return CheckResult(
                Outcome.UNREACHABLE,
                f"{login}, but it answered HTTP {head.status_code} when asked for {target.shown}, "
                "so whether they can pull it is unknown; try again in a minute.",
            )
        return CheckResult(
            Outcome.IMAGE_DENIED,
            f"{login}, but reading {target.shown} failed with HTTP {head.status_code}: check the "
            "image reference.",
        )

    async def _authorize(self, client: httpx.AsyncClient, answer: Answer) -> Secret | CheckResult:
        """The ``Authorization`` value the registry's challenge asks for, or why there is none."""
        challenges = parse_challenges(answer.headers.get_list("www-authenticate"))
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
            # Not a refusal of the credentials: they were never sent. The registry is at fault.
            return CheckResult(Outcome.NOT_A_REGISTRY, problem)
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
        if answer.status_code in (401, 403):
            where = "" if service == self.address.base_url else f" at {service}"
            return self.rejected(answer, f"refused the login{where}")
        if answer.status_code == 429 or answer.status_code >= 500:
            return self.unavailable(
                f"The login service {service} of {who} answered HTTP {answer.status_code}, so it "
                "is unavailable right now; try again later"
            )
        data = _json(answer)
        token = None
        if answer.status_code == 200 and isinstance(data, dict):
            token = data.get("token") or data.get("access_token")
        if not isinstance(token, str) or not token:
            return CheckResult(
                Outcome.NOT_A_REGISTRY,
                f"The login service {service} that {who} named answered HTTP {answer.status_code} "
                "without a token, so it does not behave like a registry's token service.",
            )
        if not _is_header_value(token):
            # httpx would raise UnicodeEncodeError while sending it; a registry never issues one.
            return CheckResult(
                Outcome.NOT_A_REGISTRY,
                f"The login service {service} that {who} named answered with a token that holds "
                "characters no HTTP header can carry, so it does not behave like a registry's "
                "token service.",
            )
        return Secret(f"Bearer {token}")

    # -- sentences ----------------------------------------------------------------------------

    def rejected(self, answer: Answer, what: str) -> CheckResult:
        said = self._server_words(answer)
        return CheckResult(
            Outcome.REJECTED,
            f"{self.address.display} {what} for user {self.username} (HTTP {answer.status_code}"
            f"{said}): check the username and the password or token, and that the token has "
            f"not expired.{self._conventions()}",
        )

    def _conventions(self) -> str:
        """What this kind of registry takes, from the one table; nothing for an unknown one."""
        preset = preset_for_host(self.address.host)
        if preset.id == "custom":
            return ""
        return f" {preset.username_hint} {preset.password_hint}"

    def unavailable(self, what: str) -> CheckResult:
        """The registry answered, but not so that the credentials could be judged."""
        return CheckResult(Outcome.UNREACHABLE, f"{what}. {_NOT_A_VERDICT}")

    def _unexpected(self, answer: Answer, path: str) -> CheckResult:
        who = self.address.display
        if answer.status_code == 429 or answer.status_code >= 500:
            return self.unavailable(
                f"{who} answered HTTP {answer.status_code}, so it is unavailable right now; try "
                "again later"
            )
        if answer.status_code == 403:
            return self.unavailable(
                f"{who} refused this machine before any login (HTTP 403), perhaps by an IP allow "
                "list"
            )
        if 300 <= answer.status_code < 400:
            detail = f"it redirects {path} elsewhere"
        elif answer.status_code == 200:
            detail = f"GET {path} answered with a page, not the registry API"
        else:
            detail = f"GET {path} answered HTTP {answer.status_code}"
        return CheckResult(
            Outcome.NOT_A_REGISTRY,
            f"{self.address.base_url} does not look like a Docker registry ({detail}): check the "
            "registry host, for example ghcr.io rather than github.com.",
        )

    def _server_words(self, answer: Answer) -> str:
        """The registry's own error message, cleaned, for a sentence: ``'; it said “…”'``."""
        data = _json(answer)
        message = ""
        if isinstance(data, dict):
            errors = data.get("errors")
            if isinstance(errors, list) and errors and isinstance(errors[0], dict):
                message = str(errors[0].get("message") or "")
            message = message or str(data.get("details") or data.get("error_description") or "")
        # Dropped whole if it holds the password, or the Basic credentials a registry might echo
        # from the header: masking in place would show which words were the password.
        basic = auth_value(self.username, self.password)
        if withhold_secrets(message, self.password, basic) == WITHHELD:
            return f"; {WITHHELD}"
        message = bound(displayable(message, limit=2000), 120)
        if not message:
            return ""
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
    ) -> Answer:
        headers = {}
        if accept:
            headers["Accept"] = accept
        if auth is not None:
            headers["Authorization"] = auth.reveal()
        return await exchange(client, method, url, params=params, headers=headers)


def _failed_url(exc: BaseException, default: str) -> str:
    """The URL of the request that failed: the registry's, or its login service's."""
    try:
        return str(exc.request.url)  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):
        return default


def _json(answer: Answer) -> Any:
    try:
        return answer.json()
    except ValueError:
        return None


def _is_header_value(text: str) -> bool:
    """Printable ASCII only: what an ``Authorization`` header can carry unchanged."""
    return text.isascii() and text.isprintable()


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
        and HOST_PORT.match(parts.netloc) is not None
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


def _looks_like_registry(answer: Answer) -> bool:
    """An open ``/v2/`` answers 200; a web site answering 200 to everything must not pass."""
    if answer.headers.get("docker-distribution-api-version", "").startswith("registry/2"):
        return True
    content_type = answer.headers.get("content-type", "")
    return "json" in content_type and isinstance(_json(answer), dict)
