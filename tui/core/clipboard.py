"""Copying text to the system clipboard, never fatally.

The app always copies through the terminal too (OSC 52, ``App.copy_to_clipboard``); this module adds
the operating system's clipboard through pyperclip when a backend exists. Posting crashed on Linux
machines without ``xclip``: here a missing backend is an answer, not an exception.

Every function here blocks (pyperclip runs ``xclip``/``pbcopy`` subprocesses): call them from a
thread worker. pyperclip is imported on first use so it stays off the start-up path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

# Long enough to paste into a browser form, short enough that the token is not lying around.
CLEAR_AFTER_SECONDS = 45.0

OSC52_HINT = (
    "Sent through the terminal (no clipboard tool found). Paste gives nothing? tmux: "
    "set -g set-clipboard on; macOS Terminal: use iTerm2; Linux: install wl-clipboard or xclip."
)


class Backend(Protocol):
    """What we need from a clipboard: pyperclip's two functions."""

    def copy(self, text: str) -> None: ...

    def paste(self) -> str: ...


class _Pyperclip:
    def copy(self, text: str) -> None:
        import pyperclip

        pyperclip.copy(text)

    def paste(self) -> str:
        import pyperclip

        return str(pyperclip.paste())


@dataclass(frozen=True)
class CopyOutcome:
    """Whether the system clipboard took the text, and if not, why (never containing the text)."""

    system: bool
    reason: str = ""


def default_backend() -> Backend:
    return _Pyperclip()


def fingerprint(text: str) -> str:
    """A digest to recognise copied text later without keeping a secret around in memory."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def copy_to_system(text: str, backend: Backend | None = None) -> CopyOutcome:
    """Put ``text`` on the OS clipboard. Never raises: any failure becomes ``system=False``."""
    backend = backend or default_backend()
    try:
        backend.copy(text)
    except Exception as exc:  # pyperclip raises its own, OSError, FileNotFoundError, ...
        # The exception class name only: some backends echo their input in messages.
        return CopyOutcome(False, f"no system clipboard ({type(exc).__name__})")
    return CopyOutcome(True)


def clear_if_unchanged(digest: str, backend: Backend | None = None) -> bool:
    """Empty the OS clipboard if it still holds the text with this fingerprint.

    Returns True when it cleared. If the user copied something else since, we leave it alone.
    """
    backend = backend or default_backend()
    try:
        current = backend.paste()
        if fingerprint(current) != digest:
            return False
        backend.copy("")
    except Exception:
        return False
    return True


def toast_text(what: str, *, system: bool, contains_secret: bool, hint: bool = True) -> str:
    """The sentence a toast shows after copying ``what`` (e.g. "the workflow YAML").

    ``hint=False`` shortens the terminal-only explanation once the user has seen it.
    """
    parts = [f"Copied {what}."]
    if contains_secret:
        seconds = int(CLEAR_AFTER_SECONDS)
        parts.append(f"It holds a secret: cleared from the clipboard in {seconds} s.")
    if not system:
        parts.append(OSC52_HINT if hint else "(Terminal clipboard only.)")
    return " ".join(parts)
