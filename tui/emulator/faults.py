"""Faults the emulator can be told to inject: a status, a delay, or a dropped connection.

Faults wait in a queue, oldest first; each one applies to the next ``count`` requests in its scope
and is then gone. Scopes: ``"api"`` (paths under /v2, the default: what client tests mostly want),
``"token"`` (/oauth/token) and ``"all"``. The control endpoint itself is never affected.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any

SCOPES = ("api", "token", "all")
KINDS = ("status", "delay", "drop")
# Longer waits are a typo, and Event.wait() overflows on huge ones (or on Infinity).
MAX_DELAY = 3600.0
MAX_RETRY_AFTER = 86400.0


@dataclass
class Fault:
    kind: str
    count: int
    scope: str = "api"
    status: int = 0
    retry_after: float | None = None
    body: str | None = None
    delay: float = 0.0
    # A delay that ends early once this is set: a test releases a held request when it chooses.
    release: threading.Event | None = None

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "count": self.count, "scope": self.scope}
        if self.kind == "status":
            out["status"] = self.status
            if self.retry_after is not None:
                out["retry_after"] = self.retry_after
        if self.kind == "delay":
            out["delay"] = self.delay
        return out


class FaultQueue:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        if fault.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if fault.scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
        if fault.count < 1:
            raise ValueError("count must be at least 1")
        # A 1xx is an interim answer: the client would wait for a final one that never comes.
        if fault.kind == "status" and not 200 <= fault.status <= 599:
            raise ValueError("status must be an HTTP status between 200 and 599")
        if fault.kind == "delay":
            _check_seconds(fault.delay, "delay", MAX_DELAY)
        if fault.retry_after is not None:
            _check_seconds(fault.retry_after, "retry_after", MAX_RETRY_AFTER)
        with self._lock:
            self._faults.append(fault)

    def take(self, scope: str) -> Fault | None:
        """The fault for a request in ``scope`` ("api" or "token"), consuming one of its uses."""
        with self._lock:
            for fault in self._faults:
                if fault.scope in (scope, "all"):
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.describe() for f in self._faults]


def _check_seconds(value: float, what: str, limit: float) -> None:
    if not (math.isfinite(value) and 0 <= value <= limit):
        raise ValueError(f"{what} must be a number of seconds from 0 to {limit:g}")


def _seconds(value: Any, what: str, limit: float) -> float:
    """A number of seconds from JSON; ValueError for anything else (10**400 included)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(f"{what} must be a number of seconds")
    try:
        seconds = float(value)
    except OverflowError:
        seconds = math.inf
    _check_seconds(seconds, what, limit)
    return seconds


def fault_from_json(data: Any) -> Fault:
    """Build a fault from the control endpoint's JSON; ValueError says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object")
    count = data.get("count", 1)
    scope = data.get("scope", "api")
    if not isinstance(count, int) or isinstance(count, bool):
        raise ValueError("count must be an integer")
    if not isinstance(scope, str):
        raise ValueError("scope must be a string")
    present = [k for k in ("status", "delay", "drop") if k in data]
    if len(present) != 1:
        raise ValueError('give exactly one of "status", "delay" or "drop"')
    kind = present[0]
    if kind == "status":
        status = data["status"]
        retry_after = data.get("retry_after")
        body = data.get("body")
        if not isinstance(status, int) or isinstance(status, bool):
            raise ValueError("status must be an integer")
        if body is not None and not isinstance(body, str):
            raise ValueError("body must be a string")
        return Fault(
            "status",
            count,
            scope,
            status=status,
            retry_after=(
                None
                if retry_after is None
                else _seconds(retry_after, "retry_after", MAX_RETRY_AFTER)
            ),
            body=body,
        )
    if kind == "delay":
        return Fault("delay", count, scope, delay=_seconds(data["delay"], "delay", MAX_DELAY))
    if data["drop"] is not True:
        raise ValueError('"drop" must be true')
    return Fault("drop", count, scope)
