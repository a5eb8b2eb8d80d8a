"""The one JSON object a ``--json`` command prints on stdout, whatever happens.

Every command's object has the common keys (``ok``, ``command``, ``exit_code``, ``outcome``,
``sentence``) and its own (README, "--json"), every key always present. Commands print it through
:func:`print_object`; :func:`tui.cli.main` prints one for every way out that did not (ctrl+c
between requests, an argument error, an unexpected failure) with :func:`print_fallback`, so a
script reads exactly one object, and ``"ok": true`` only beside exit 0.
"""

from __future__ import annotations

from tui.core.exit_codes import EXIT_OK

TYPE_CHECKING = False  # not typing's: importing typing costs a one-shot command 3 ms
if TYPE_CHECKING:
    import argparse
    from typing import Any

# The keys of each command's object besides the common ones; a new key is a change of the
# documented shape (README).
KEYS: dict[str, tuple[str, ...]] = {
    "register": ("profile", "name", "message", "sent", "login", "error"),
    "update": ("profile", "name", "message", "sent", "login", "error"),
    "delete": ("profile", "name", "message", "sent", "login", "error"),
    "list": ("profile", "secrets", "quota", "error"),
    "check": ("registry", "username", "image"),
    "rotate": ("name", "login", "tenants", "error"),
    "apply": ("file", "dry_run", "prune", "actions", "error"),
    "profiles": ("profiles",),
}

# Keys a fallback object fills from the command line itself (key: the argparse attribute):
# what was asked is known whatever happened; what was done is not, and stays null.
_ASKED = {
    "profile": "chosen_profile",
    "name": "name",
    "registry": "registry",
    "username": "username",
    "image": "image",
    "file": "file",
    "dry_run": "dry_run",
    "prune": "prune",
}

# The exit code of the object printed, once one was: nothing may print a second one.
_printed: list[int] = []


def reset() -> None:
    """A new command starts (tests run several in one process): nothing printed yet."""
    _printed.clear()


def wanted(args: argparse.Namespace) -> bool:
    """True when this run prints a JSON object (``--json`` on a command that has one)."""
    return bool(getattr(args, "json", False)) and getattr(args, "command", None) in KEYS


def printed() -> int | None:
    """The exit code of the object already printed, or None."""
    return _printed[0] if _printed else None


def print_object(
    args: argparse.Namespace, code: int, outcome: str, sentence: str, **fields: Any
) -> None:
    """Print the command's one object: the common keys, then its own (null when not given)."""
    from tui.core.foreign_text import terminal_json

    command = args.command
    keys = KEYS[command]
    unknown = set(fields) - set(keys)
    assert not unknown, unknown  # a new key is a change of the documented shape
    payload: dict[str, Any] = {
        "ok": code == EXIT_OK,
        "command": command,
        "exit_code": code,
        "outcome": outcome,
        "sentence": sentence,
    }
    payload.update({key: fields.get(key) for key in keys})
    _printed[:] = [code]
    print(terminal_json(payload), flush=True)


def print_fallback(
    args: argparse.Namespace, code: int, outcome: str, sentence: str, **fields: Any
) -> None:
    """The object for a way out that printed none: what was asked, and the sentence."""
    if not wanted(args) or _printed:
        return
    keys = KEYS[args.command]
    asked = {
        key: getattr(args, _ASKED[key], None) for key in keys if key in _ASKED and key not in fields
    }
    print_object(args, code, outcome, sentence, **asked, **fields)
