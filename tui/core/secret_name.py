"""AI Core's rule for a secret name, and the Problem every field check reports.

Its own module so that ``regsecret yaml``, which checks a name and nothing else, loads neither the
request bodies nor base64 and json's decoder (``tui/core/request.py`` re-exports all of it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tui.core.record import Record

NAME_MAX_LENGTH = 63
# AI Core's published rule, kept for reference and for the equivalence test.
NAME_PATTERN_PUBLISHED = r"^[a-z0-9](?:_?[a-z0-9\.\-]+)*[a-z0-9]$"
# The same language, written so that it cannot backtrack exponentially: the published form nests
# quantifiers and takes seconds on a 25-character near-miss such as "aaaa...a-". Use this one.
NAME_PATTERN: re.Pattern[str] = re.compile(r"\A[a-z0-9](?:[a-z0-9.\-]|_[a-z0-9.\-])*[a-z0-9]\Z")

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_")
_NAME_EDGE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
# AI Core keeps a docker registry secret as a Kubernetes secret, whose name must be a DNS-1123
# subdomain: dot-separated labels, each starting and ending with a letter or digit. The published
# pattern also lets through "_", "a..b" and "a.-b"; those get a warning.
# What such a name leads to is not public (docs/aicore-api.md, "Names"): say what may happen.
MAY_FAIL = "executions that use it may fail to pull their images"
UNDERSCORE_WARNING = (
    f"_ is allowed by AI Core but SAP AI Launchpad and Kubernetes reject it, so {MAY_FAIL}; use '-'"
)


class Problem(Record):
    _fields = ("field", "message", "warning")
    __slots__ = _fields
    field: str
    message: str
    warning: bool

    def __init__(self, field: str, message: str, warning: bool = False) -> None:
        self._init(field, message, warning)

    @property
    def sentence(self) -> str:
        """The message standing alone (under its field): capitalised, with a full stop. The
        message itself follows a field's label ("username: enter the user name")."""
        return self.labelled("")

    def labelled(self, label: str) -> str:
        """ "Username: enter the user name." (with a full stop, so another can follow), or,
        without a label, the message as a sentence of its own."""
        text = f"{label}: {self.message}" if label else self.message[:1].upper() + self.message[1:]
        return text if text.endswith((".", "?", "!")) else text + "."


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(not problem.warning for problem in problems)


def is_valid_name(name: str) -> bool:
    """AI Core's name rule: the published pattern and at most 63 characters."""
    return len(name) <= NAME_MAX_LENGTH and NAME_PATTERN.match(name) is not None


def _show(chars: Iterable[str]) -> str:
    return ", ".join(repr(c) for c in chars)


def validate_name(name: str) -> list[Problem]:
    """Every reason the name is rejected, each saying what to change; a warning for ``_``."""
    if not name:
        return [Problem("name", "enter a name, for example my-registry")]
    errors: list[str] = []
    bad = list(dict.fromkeys(c for c in name if c not in _NAME_CHARS))
    if bad:
        shown = _show(bad[:5]) + (", ..." if len(bad) > 5 else "")
        errors.append(f"use lowercase letters, digits, '.' and '-' (not {shown})")
    if len(name) > NAME_MAX_LENGTH:
        errors.append(f"{len(name)} characters, at most {NAME_MAX_LENGTH}")
    if len(name) < 2:
        errors.append("at least 2 characters")
    if name[0] in _NAME_CHARS and name[0] not in _NAME_EDGE_CHARS:
        errors.append(f"must not start with {name[0]!r}: start with a lowercase letter or digit")
    if len(name) >= 2 and name[-1] in _NAME_CHARS and name[-1] not in _NAME_EDGE_CHARS:
        errors.append(f"must not end with {name[-1]!r}: end with a lowercase letter or digit")
    inner = range(1, len(name) - 1)
    if any(name[i] == "_" and name[i + 1] == "_" for i in inner):
        errors.append("'__': a '_' must be followed by a letter, digit, '.' or '-'")
    if len(name) >= 3 and name[-2] == "_":
        errors.append("a '_' must not be the second-to-last character")
    if not errors and not is_valid_name(name):
        # Safety net: the checks above cover the whole rule, the property test proves it.
        errors.append("does not match AI Core's name rule")
    return [Problem("name", message) for message in errors] + kubernetes_name_warnings(name)


def _dot_neighbours(name: str) -> list[str]:
    """Each pair in which a '.' touches something other than a letter or digit: "..", ".-"."""
    pairs = (name[i : i + 2] for i in range(len(name) - 1))
    return list(
        dict.fromkeys(
            pair
            for pair in pairs
            if "." in pair and pair[0] not in _NAME_EDGE_CHARS and pair[1] not in _NAME_EDGE_CHARS
        )
    )


def kubernetes_name_warnings(name: str) -> list[Problem]:
    """Warnings for a name that AI Core's pattern lets through but Kubernetes would refuse.

    Warnings, not errors: the published pattern is the contract, and what the service does with
    such a name is not public (docs/aicore-api.md, "Names"), so the user decides.
    """
    warnings = []
    if "_" in name:
        warnings.append(Problem("name", UNDERSCORE_WARNING, warning=True))
    pairs = _dot_neighbours(name)
    if pairs:
        shown = [repr(pair) for pair in pairs[:3]]
        from tui.core.wording import joined  # a rare sentence: not loaded before it

        listed = joined(shown)
        warnings.append(
            Problem(
                "name",
                f"AI Core's pattern lets {listed} through, but Kubernetes, which AI Core keeps "
                "the secret in, needs a letter or digit on both sides of each '.'; what AI "
                "Core does with such a name is not public, and executions that use it may "
                f"fail to pull their images: {kubernetes_safe_name(name)!r} would be safe",
                warning=True,
            )
        )
    return warnings


def kubernetes_safe_name(name: str) -> str:
    """``name`` as a Kubernetes name: each run of '.' and '-' holding a '.' becomes one '.'
    ("a..b", "a.-b", "a-.b" -> "a.b"), and '_' becomes '-'."""
    return re.sub(r"[.\-]*\.[.\-]*", ".", name).replace("_", "-")
