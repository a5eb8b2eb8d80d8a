"""Reusing a ``docker login`` the user already did: ``~/.docker/config.json`` and its helpers.

A login lives either inline in the file (``auths.<registry>.auth``, base64 of ``user:password``)
or in a credential helper: ``credHelpers.<registry>`` names one for a registry, ``credsStore`` one
for all. A helper is the program ``docker-credential-<name>``, spoken to as docker does (the
protocol of docker/docker-credential-helpers): ``get`` with the server URL on stdin answers
``{"ServerURL", "Username", "Secret"}`` on stdout, or exits non-zero with a message such as
"credentials not found in native keychain". An inline entry is used first: reading it needs no
prompt, and docker never writes one for a registry whose login it keeps in a helper (it writes
``{}`` there). Otherwise the registry's ``credHelpers`` entry, else ``credsStore``, is asked,
under the key the file has for the registry, then under the spellings docker uses
(``https://index.docker.io/v1/`` for Docker Hub, the bare host, ``https://host``).

The credentials screen (ctrl+o) and ``--from-docker-config`` both use :func:`find_docker_login`
and :func:`resolve_login`; both run in a thread or a one-shot command, since a helper may wait
for a desktop prompt (bounded by ``HELPER_TIMEOUT``).
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from tui.core.dockerconfigjson import is_docker_hub
from tui.core.errors import ForeignDataError, InputError
from tui.core.foreign_text import displayable
from tui.core.safe_load import load_json, read_small_file
from tui.core.secret import Secret

# A helper that shows a desktop prompt (unlock the keychain, approve access) waits for a person.
HELPER_TIMEOUT = 30.0
# Docker's own key for Docker Hub: `docker login` without a registry stores the login under it.
DOCKER_HUB_LOGIN_KEY = "https://index.docker.io/v1/"
_NOT_FOUND = "credentials not found"
# Docker's marker for an identity token (an OAuth refresh token) in place of a user name.
_IDENTITY_TOKEN_USER = "<token>"
_MAX_CONFIG_BYTES = 1_000_000


@dataclass(frozen=True)
class DockerLogin:
    registry: str  # the key as the config file spells it
    username: str = ""
    password: Secret | None = None
    # When the credentials live in a helper (osxkeychain, desktop, pass, ...): its name.
    helper: str | None = None

    @property
    def usable(self) -> bool:
        return self.password is not None


@dataclass(frozen=True)
class DockerConfig:
    path: Path
    auths: dict[str, object]
    creds_store: str | None
    cred_helpers: dict[str, str]


def docker_config_path(home: Path | None = None) -> Path:
    if os.environ.get("DOCKER_CONFIG"):
        return Path(os.environ["DOCKER_CONFIG"]) / "config.json"
    return (home or Path.home()) / ".docker" / "config.json"


def load_docker_config(path: Path) -> DockerConfig:
    """The parts of the file that hold logins; InputError with a sentence when unreadable."""
    if not path.exists():
        raise InputError(
            f"There is no {path}. Run `docker login <registry>` first, or give the credentials "
            "another way."
        )
    try:
        text = read_small_file(path, limit=_MAX_CONFIG_BYTES, what="a docker config file")
        data = load_json(text, str(path))
    except ForeignDataError as exc:
        raise InputError(f"{exc.explanation} Fix or remove it.") from None
    if not isinstance(data, dict):
        raise InputError(f"{path} does not look like a docker config file.")
    auths = data.get("auths")
    store = data.get("credsStore")
    helpers = data.get("credHelpers")
    return DockerConfig(
        path=path,
        auths={str(k): v for k, v in auths.items()} if isinstance(auths, dict) else {},
        creds_store=store if isinstance(store, str) and store else None,
        cred_helpers=(
            {str(k): v for k, v in helpers.items() if isinstance(v, str) and v}
            if isinstance(helpers, dict)
            else {}
        ),
    )


def read_docker_logins(path: Path) -> list[DockerLogin]:
    """Every registry of the file, usable first; helpers are not asked yet (they may prompt)."""
    config = load_docker_config(path)
    logins: dict[str, DockerLogin] = {}
    for registry, entry in config.auths.items():
        login = _inline(registry, entry)
        logins[registry] = login or DockerLogin(registry, helper=_helper_for(config, registry))
    for registry, helper in config.cred_helpers.items():
        if not any(_same_registry(key, registry) for key in logins):
            logins[registry] = DockerLogin(registry, helper=helper)
    return sorted(logins.values(), key=lambda login: (not login.usable, login.registry))


def find_docker_login(
    path: Path,
    registry: str,
    *,
    timeout: float = HELPER_TIMEOUT,
    stop: threading.Event | None = None,
) -> DockerLogin:
    """The usable login for ``registry``, asking its helper if it has one; else InputError."""
    config = load_docker_config(path)
    keys = [key for key in config.auths if _same_registry(key, registry)]
    inline = _first_inline(config, keys)
    if inline is not None:
        return inline
    helper = _helper_for(config, registry)
    if helper is not None:
        spellings = list(dict.fromkeys([*keys, *_spellings(registry)]))
        login = _ask_helper(helper, spellings, registry, path, timeout, stop)
        if login is not None:
            return login
        shown = _shown(registry)
        raise InputError(
            f"The credential helper “{helper}” named in {path} holds no login for {shown}. Run "
            f"`docker login {shown}` first, or give the password another way."
        )
    if keys:
        raise InputError(
            f"{path} has an entry for {_shown(registry)}, but no password in it (no `auth`). "
            f"Run `docker login {_shown(registry)}` again, or give the password another way."
        )
    known = ", ".join(sorted(config.auths)) or "none"
    raise InputError(
        f"{path} has no login for {_shown(registry)} (it has: {known}). Run "
        f"`docker login {_shown(registry)}` first, or give the password another way."
    )


def resolve_login(
    path: Path,
    login: DockerLogin,
    *,
    timeout: float = HELPER_TIMEOUT,
    stop: threading.Event | None = None,
) -> DockerLogin:
    """A login of :func:`read_docker_logins` with its password, asking the helper if needed."""
    if login.usable:
        return login
    found = find_docker_login(path, login.registry, timeout=timeout, stop=stop)
    return replace(found, registry=login.registry)


# --- keys ------------------------------------------------------------------------------------


def _hostname(key: str) -> str:
    """docker's ConvertToHostname: no scheme, no path, and (ours) case-insensitive."""
    text = key.strip()
    for scheme in ("http://", "https://"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
    return text.partition("/")[0].lower()


def _same_registry(key: str, registry: str) -> bool:
    if is_docker_hub(registry):
        return bool(key.strip()) and is_docker_hub(key)
    return _hostname(key) == _hostname(registry)


def _spellings(registry: str) -> list[str]:
    """How docker may have keyed a login for ``registry``, most likely first."""
    if is_docker_hub(registry):
        return [DOCKER_HUB_LOGIN_KEY, "index.docker.io", "docker.io", "https://index.docker.io"]
    host = _hostname(registry)
    return [host, f"https://{host}", f"http://{host}"]


def _shown(registry: str) -> str:
    return "Docker Hub" if is_docker_hub(registry) else _hostname(registry)


def _helper_for(config: DockerConfig, registry: str) -> str | None:
    for key, helper in config.cred_helpers.items():
        if _same_registry(key, registry):
            return helper
    return config.creds_store


# --- inline entries --------------------------------------------------------------------------


def _first_inline(config: DockerConfig, keys: list[str]) -> DockerLogin | None:
    for key in keys:
        login = _inline(key, config.auths[key])
        if login is not None:
            return login
    return None


def _inline(registry: str, entry: object) -> DockerLogin | None:
    if not isinstance(entry, dict):
        return None
    auth = entry.get("auth")
    if isinstance(auth, str) and auth:
        try:
            decoded = base64.b64decode(auth, validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        username, colon, password = decoded.partition(":")
        if colon:
            return DockerLogin(registry, username, Secret(password))
    user, secret = entry.get("username"), entry.get("password")
    if isinstance(user, str) and isinstance(secret, str) and secret:
        return DockerLogin(registry, user, Secret(secret))
    return None


# --- credential helpers ----------------------------------------------------------------------


def _ask_helper(
    helper: str,
    spellings: list[str],
    registry: str,
    path: Path,
    timeout: float,
    stop: threading.Event | None,
) -> DockerLogin | None:
    """The helper's login under the first spelling it knows; None when it knows none."""
    for server_url in spellings:
        login = _helper_get(helper, server_url, registry, path, timeout, stop)
        if login is not None:
            return replace(login, helper=helper)
    return None


def _helper_get(
    helper: str,
    server_url: str,
    registry: str,
    path: Path,
    timeout: float,
    stop: threading.Event | None,
) -> DockerLogin | None:
    from tui.core.child_process import ChildFailed, run_capped

    program = f"docker-credential-{helper}"
    where = f"the credential helper “{helper}” ({program}) that {path} names"
    it = where[0].upper() + where[1:]
    try:
        # Never our terminal, as docker gives it none either; ``stop`` lets the app kill it.
        done = run_capped(
            [program, "get"],
            timeout=timeout,
            input=server_url.encode(),
            stop=stop if stop is not None else threading.Event(),
        )
    except ChildFailed as exc:
        if exc.kind == "missing":
            raise InputError(
                f"Cannot read the login for {_shown(registry)}: {where} is not installed or not "
                f"on the PATH. Install it, or run `docker login {_shown(registry)}` on this "
                "machine, or give the password another way."
            ) from None
        if exc.kind == "timeout":
            raise InputError(
                f"{it} did not answer within {timeout:g} seconds; it "
                "may be waiting for you to unlock a keychain or approve access on the desktop. "
                "Unlock it and try again, or give the password another way."
            ) from None
        raise InputError(f"Cannot read the login for {_shown(registry)}: {exc.reason}.") from None
    message = _short(done.stdout or done.stderr)
    if done.status != 0:
        if _NOT_FOUND in message.lower():
            return None
        raise InputError(
            f"{it} failed (exit status {done.status}: {message or 'no message'}). "
            "Check that it works (`docker login` uses it too), or give the password another way."
        )
    try:
        answer = load_json(done.stdout, f"{it}'s answer")
    except ForeignDataError:
        answer = None
    if not isinstance(answer, dict) or not isinstance(answer.get("Secret"), str):
        raise InputError(
            f"{it} answered with something that is not its JSON "
            '({"ServerURL", "Username", "Secret"}); check that it is a docker credential '
            "helper."
        )
    username = answer.get("Username")
    username = username if isinstance(username, str) else ""
    if username == _IDENTITY_TOKEN_USER:
        raise InputError(
            f"{it} holds an identity token for {_shown(registry)}, not "
            "a password: Kubernetes cannot pull with it. Create an access token at the registry "
            "and give it another way."
        )
    return DockerLogin(server_url, username, Secret(answer["Secret"]))


def _short(raw: bytes) -> str:
    """A helper's message, made safe to show: one line, printable, bounded."""
    return displayable(raw.decode("utf-8", "replace"), limit=200)
