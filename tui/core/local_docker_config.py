"""Reading ``~/.docker/config.json`` so a user can reuse a ``docker login`` they already did.

Only entries with inline ``auth`` (or username/password) can be reused: Kubernetes ignores
credential helpers, and so must we, but we say which helper holds the entry so the user knows
where to look.
The credentials screen calls :func:`read_docker_logins` in a thread.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from pathlib import Path

from tui.core.errors import InputError
from tui.core.secret import Secret


@dataclass(frozen=True)
class DockerLogin:
    registry: str
    username: str = ""
    password: Secret | None = None
    # When the credentials live in a helper (osxkeychain, desktop, pass, ...): its name.
    helper: str | None = None

    @property
    def usable(self) -> bool:
        return self.password is not None


def docker_config_path(home: Path | None = None) -> Path:
    if os.environ.get("DOCKER_CONFIG"):
        return Path(os.environ["DOCKER_CONFIG"]) / "config.json"
    return (home or Path.home()) / ".docker" / "config.json"


def read_docker_logins(path: Path) -> list[DockerLogin]:
    """Every registry of the file, usable ones first. InputError with a sentence if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"There is no {path}. Run `docker login <registry>` first, or type the credentials."
        ) from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror}).") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise InputError(f"{path} is not valid JSON; fix or remove it.") from None
    if not isinstance(data, dict):
        raise InputError(f"{path} does not look like a docker config file.")
    logins: dict[str, DockerLogin] = {}
    store = data.get("credsStore")
    store = store if isinstance(store, str) else None
    helpers = data.get("credHelpers")
    helpers = helpers if isinstance(helpers, dict) else {}
    auths = data.get("auths")
    auths = auths if isinstance(auths, dict) else {}
    for registry, entry in auths.items():
        login = _inline(str(registry), entry)
        if login is None:
            login = DockerLogin(str(registry), helper=str(helpers.get(registry) or store or "?"))
        logins[str(registry)] = login
    for registry, helper in helpers.items():
        logins.setdefault(str(registry), DockerLogin(str(registry), helper=str(helper)))
    return sorted(logins.values(), key=lambda login: (not login.usable, login.registry))


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


def helper_sentence(login: DockerLogin) -> str:
    return (
        f"{login.registry}: the credentials are in the credential helper “{login.helper}”, not in "
        "the file, so they cannot be read from here. Type the username and the token instead."
    )
