"""The emulator's memory: tokens and docker registry secrets, with the rules of docs/aicore-api.md.

Nothing here knows about HTTP. Each operation returns ``(status, payload)`` where payload is a dict
for a JSON body; errors are :class:`ApiFailure` so the handler renders one error object for all.
Every method takes the lock: the server answers requests on many threads.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tui.core.request import NAME_MAX_LENGTH, NAME_PATTERN

# The contract's name rule (docs/aicore-api.md, "Names"), in the engine's form that cannot backtrack
# exponentially: the published regex takes seconds on a near-miss, which would stall a thread.
NAME_MAX = NAME_MAX_LENGTH
QUOTA = 50
DOCKERCONFIG_KEY = ".dockerconfigjson"

# Eight-digit codes in the style of the real service; the exact numbers are ours.
CODE_BAD_REQUEST = "01010400"
CODE_NOT_FOUND = "01010404"
CODE_CONFLICT = "01010409"
CODE_QUOTA = "01010429"
CODE_METHOD = "01010405"
CODE_MEDIA_TYPE = "01010415"
CODE_FORBIDDEN = "01010403"
CODE_TOO_LARGE = "01010413"
CODE_INTERNAL = "01010500"
CODE_NOT_IMPLEMENTED = "01010501"
CODE_INJECTED = "01019999"


def _no_constant(word: str) -> Any:
    raise ValueError(f"{word} is not JSON")


def strict_json(raw: bytes | str) -> Any:
    """JSON as a strict parser (Go's, the service's) reads it; ValueError for anything else.

    Python's json takes NaN and Infinity, which JSON has not, and a deeply nested text runs it
    out of stack (RecursionError): both are refused here as "not valid JSON".
    """
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None


class ApiFailure(Exception):
    """An answer in the AI Core error object format."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass
class _Token:
    expires_at: float


@dataclass
class State:
    client_id: str
    client_secret: str
    token_ttl: float
    # Only the name is kept in any answer, but the data is stored as the service would store it.
    secrets: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, _Token] = field(default_factory=dict)
    token_requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # --- tokens -----------------------------------------------------------------------------

    def issue_token(
        self, client_id: str | None, client_secret: str | None, *, certified: bool = False
    ) -> dict[str, Any] | None:
        """A token response, or None for bad credentials.

        ``certified``: the request came over mutual TLS with a client certificate the server
        trusts (the X.509 flow), which replaces the secret.
        """
        with self.lock:
            self.token_requests += 1
            secret_ok = client_secret is not None and secrets.compare_digest(
                client_secret.encode(), self.client_secret.encode()
            )
            ok = (
                client_id is not None
                and secrets.compare_digest(client_id.encode(), self.client_id.encode())
                and (certified or secret_ok)
            )
            if not ok:
                return None
            token = secrets.token_urlsafe(32)
            self.tokens[token] = _Token(time.monotonic() + self.token_ttl)
            return {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": max(0, int(self.token_ttl)),
                "jti": secrets.token_hex(16),
                "scope": "uaa.resource",
            }

    def check_token(self, token: str | None) -> str | None:
        """None when the token is good, else the plain-text reason for the 401."""
        if not token:
            return "Unauthorized"
        with self.lock:
            known = self.tokens.get(token)
            if known is None:
                return "Unauthorized"
            if time.monotonic() >= known.expires_at:
                return "Jwt is expired"
        return None

    def expire_tokens(self) -> None:
        with self.lock:
            now = time.monotonic()
            for token in self.tokens.values():
                token.expires_at = now

    # --- secrets ----------------------------------------------------------------------------

    def create(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ApiFailure(400, CODE_BAD_REQUEST, "Request body must be a JSON object.")
        name = body.get("name")
        _check_name(name)
        assert isinstance(name, str)
        data = _check_data(body)
        with self.lock:
            if name in self.secrets:
                raise ApiFailure(409, CODE_CONFLICT, f"Secret with name '{name}' already exists.")
            if len(self.secrets) >= QUOTA:
                raise ApiFailure(
                    400,
                    CODE_QUOTA,
                    f"Quota exceeded: the tenant may hold at most {QUOTA} docker registry secrets.",
                )
            self.secrets[name] = data
        return {"message": "Secret has been created"}

    def update(self, name: str, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ApiFailure(400, CODE_BAD_REQUEST, "Request body must be a JSON object.")
        data = _check_data(body)
        with self.lock:
            if name not in self.secrets:
                raise _not_found(name)
            self.secrets[name] = data
        return {"id": name, "message": "Secret has been modified"}

    def get(self, name: str) -> dict[str, Any]:
        with self.lock:
            if name not in self.secrets:
                raise _not_found(name)
        return {"name": name}

    def delete(self, name: str) -> dict[str, Any]:
        with self.lock:
            if self.secrets.pop(name, None) is None:
                raise _not_found(name)
        return {"id": name, "message": "Docker Registry Secret has been deleted"}

    def list_page(self, top: int | None, skip: int, count_all: bool) -> dict[str, Any]:
        with self.lock:
            names = sorted(self.secrets)
        page = names[skip:] if top is None else names[skip : skip + top]
        return {
            "count": len(names) if count_all else len(page),
            "resources": [{"name": n} for n in page],
        }

    def quota(self, quota_only: bool) -> dict[str, Any]:
        with self.lock:
            used = len(self.secrets)
        if quota_only:
            return {"quota": {"maxCount": QUOTA}}
        return {"usage": {"count": used}, "quota": {"maxCount": QUOTA}}

    def names(self) -> list[str]:
        with self.lock:
            return sorted(self.secrets)

    def reset(self) -> None:
        with self.lock:
            self.secrets.clear()
            self.tokens.clear()
            self.token_requests = 0


def _not_found(name: str) -> ApiFailure:
    return ApiFailure(404, CODE_NOT_FOUND, f"Docker registry secret '{name}' not found.")


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not name:
        raise ApiFailure(400, CODE_BAD_REQUEST, "Field 'name' is required and must be a string.")
    if len(name) > NAME_MAX or not NAME_PATTERN.match(name):
        raise ApiFailure(
            400,
            CODE_BAD_REQUEST,
            f"Invalid name '{name[:NAME_MAX]}': use at most {NAME_MAX} lowercase letters, digits, "
            "'.' and '-', starting and ending with a letter or digit.",
        )


def _check_data(body: dict[str, Any]) -> str:
    data = body.get("data")
    if not isinstance(data, dict):
        raise ApiFailure(400, CODE_BAD_REQUEST, "Field 'data' is required and must be an object.")
    if set(data) != {DOCKERCONFIG_KEY}:
        raise ApiFailure(
            400, CODE_BAD_REQUEST, f"Field 'data' must hold exactly one key, '{DOCKERCONFIG_KEY}'."
        )
    value = data[DOCKERCONFIG_KEY]
    if not isinstance(value, str):
        raise ApiFailure(
            400, CODE_BAD_REQUEST, f"The value of '{DOCKERCONFIG_KEY}' must be a string."
        )
    try:
        config = strict_json(value)
    except ValueError:
        config = None
    # The service stores it as a kubernetes.io/dockerconfigjson secret, and Kubernetes decodes
    # that into a map: text that is not JSON, or JSON that is not an object, is refused.
    if not isinstance(config, dict):
        raise ApiFailure(
            400,
            CODE_BAD_REQUEST,
            f"The value of '{DOCKERCONFIG_KEY}' must be the text of a JSON object.",
        )
    return value
