"""Copying text, and clearing a copied secret, claiming only what was read back.

A copy can land in three places:

- the system clipboard, through its own tool (pbcopy, wl-copy, xclip, xsel; on Windows the
  clipboard API): checked by reading it back, and cleared the same way;
- tmux's paste buffers, when the app runs inside tmux: one buffer of ours, checked with
  ``show-buffer``; at clearing time every buffer holding the secret goes (tmux with
  ``set-clipboard on`` makes one from the terminal copy too, and an empty OSC 52 does not clear it);
- the terminal's own clipboard, through OSC 52 (the App sends that): it can neither be read back
  nor cleared, so the app says so before a secret goes there.

Each tool runs with its stdin, stdout and stderr redirected and in a session of its own: nothing it
prints can reach the terminal the app draws on. The text goes on stdin, never in an argument, where
``ps`` would show it (pyperclip's klipper backend did that). Every function here blocks: call them
from a thread worker.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from tui.core.foreign_text import displayable

# Long enough to paste into a browser form, short enough that the token is not lying around.
CLEAR_AFTER_SECONDS = 45.0
# A clipboard tool answers at once; one that does not is stuck (a dead X server, say).
_TOOL_DEADLINE = 5.0
# How long a copy may take to show when read back (see _reads_back).
_SETTLE_SECONDS = 1.0
_TMUX_BUFFER = "regsecret"

# Said after the reason, which already names what is missing (a display, or a tool).
OSC52_HINT = (
    "Paste gives nothing? In tmux: set -g set-clipboard on; macOS Terminal does not take OSC 52 "
    "(iTerm2 does)."
)


class ClipboardUnavailable(Exception):
    """No system clipboard can be used here; ``reason`` says what is missing, never the text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Backend(Protocol):
    """A clipboard that can be written and read back."""

    def copy(self, text: str) -> None: ...

    def paste(self) -> str: ...


@dataclass(frozen=True)
class _Tool:
    name: str
    copy: tuple[str, ...]
    paste: tuple[str, ...]


_PBCOPY = _Tool("pbcopy", ("pbcopy",), ("pbpaste",))
_WL_COPY = _Tool("wl-copy", ("wl-copy",), ("wl-paste", "--no-newline"))
_XCLIP = _Tool(
    "xclip",
    ("xclip", "-selection", "clipboard", "-in"),
    ("xclip", "-selection", "clipboard", "-out"),
)
_XSEL = _Tool("xsel", ("xsel", "--clipboard", "--input"), ("xsel", "--clipboard", "--output"))


def _shown(stderr: bytes) -> str:
    """A tool's complaint, fit for a sentence: its first line, made displayable, short."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return displayable(lines[0], limit=120) if lines else ""


def _run(
    argv: Sequence[str], env: Mapping[str, str], *, text: str | None = None, read: bool = False
) -> str:
    """Run a clipboard tool; its output when ``read``. ClipboardUnavailable when it fails.

    Copy tools (xclip, xsel, wl-copy) fork a child that keeps serving the selection: it inherits
    our stdout and stderr, so those are /dev/null and an unlinked file, never a pipe we would wait
    on for ever, and never the terminal.
    """
    name = argv[0]
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                list(argv),
                stdin=subprocess.PIPE if text is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE if read else subprocess.DEVNULL,
                stderr=errors,
                env=dict(env),
                start_new_session=True,
                close_fds=True,
            )
        except OSError as exc:
            raise ClipboardUnavailable(f"{name} cannot be started ({exc.strerror})") from None
        try:
            out, _ = process.communicate(
                text.encode("utf-8") if text is not None else None, timeout=_TOOL_DEADLINE
            )
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise ClipboardUnavailable(
                f"{name} did not answer within {_TOOL_DEADLINE:g} s"
            ) from None
        if process.returncode != 0:
            errors.seek(0)
            said = _shown(errors.read(4096))
            if "open display" in said.lower():
                display = env.get("DISPLAY", "")
                raise ClipboardUnavailable(
                    f"{name} cannot open the X display {display!r}: no X server answers there"
                )
            raise ClipboardUnavailable(f"{name} failed" + (f" ({said})" if said else ""))
    return (out or b"").decode("utf-8", "replace") if read else ""


class SystemClipboard:
    """The machine's clipboard through its own tool, chosen from the environment."""

    def __init__(self, env: Mapping[str, str] | None = None, platform: str = sys.platform):
        self._env = os.environ if env is None else env
        self._platform = platform

    def tool(self) -> _Tool:
        """The tool to use, or ClipboardUnavailable saying exactly what is missing."""
        env, found = self._env, self._which
        if self._platform == "darwin":
            return _PBCOPY
        wayland, display = env.get("WAYLAND_DISPLAY"), env.get("DISPLAY")
        if wayland and found("wl-copy") and found("wl-paste"):
            return _WL_COPY
        if display:
            for tool in (_XCLIP, _XSEL):
                if found(tool.name):
                    return tool
        if wayland or display:
            what = f"WAYLAND_DISPLAY is {wayland!r}" if wayland else f"DISPLAY is {display!r}"
            need = "wl-clipboard" if wayland and not display else "xclip (or xsel)"
            raise ClipboardUnavailable(f"{what}, but {need} is not installed")
        raise ClipboardUnavailable(
            "there is no display here (DISPLAY and WAYLAND_DISPLAY are not set, as over SSH)"
        )

    def _which(self, name: str) -> bool:
        return shutil.which(name, path=self._env.get("PATH")) is not None

    def copy(self, text: str) -> None:
        if self._platform == "win32":
            _windows()[0](text)
            return
        _run(self.tool().copy, self._env, text=text)

    def paste(self) -> str:
        if self._platform == "win32":
            return str(_windows()[1]())
        return _run(self.tool().paste, self._env, read=True)


def _windows() -> tuple[Callable[[str], None], Callable[[], str]]:  # pragma: no cover
    # The clipboard API through ctypes: no child process, nothing in argv.
    import pyperclip

    copy, paste = pyperclip.init_windows_clipboard()
    return copy, paste


class Tmux:
    """tmux's paste buffers, when the app runs inside tmux ($TMUX names the server)."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = os.environ if env is None else env

    @property
    def inside(self) -> bool:
        return (
            bool(self._env.get("TMUX"))
            and shutil.which("tmux", path=self._env.get("PATH")) is not None
        )

    def _tmux(self, *args: str, text: str | None = None, read: bool = False) -> str:
        return _run(("tmux", *args), self._env, text=text, read=read)

    def load(self, text: str) -> bool:
        """Put ``text`` in our buffer; True once ``show-buffer`` gives it back."""
        try:
            self._tmux("load-buffer", "-b", _TMUX_BUFFER, "-", text=text)
            return self._tmux("show-buffer", "-b", _TMUX_BUFFER, read=True) == text
        except ClipboardUnavailable:
            return False

    def holding(self, digest: str) -> list[str]:
        """The names of the buffers whose content has this fingerprint."""
        names = self._tmux("list-buffers", "-F", "#{buffer_name}", read=True).split()
        return [
            n for n in names if fingerprint(self._tmux("show-buffer", "-b", n, read=True)) == digest
        ]

    def clear(self, digest: str) -> bool | None:
        """Delete every buffer holding the secret; True when none is left, read back.

        None when no buffer held it (nothing to clear), False when one could not be removed.
        """
        try:
            found = self.holding(digest)
            for name in found:
                self._tmux("delete-buffer", "-b", name)
            if not found:
                return None
            return not self.holding(digest)
        except ClipboardUnavailable:
            return False


@dataclass(frozen=True)
class CopyOutcome:
    """Whether the system clipboard holds the text (read back), and if not, why (never the text)."""

    system: bool
    reason: str = ""


def default_backend() -> Backend:
    return SystemClipboard()


def fingerprint(text: str) -> str:
    """A digest to recognise copied text later without keeping a secret around in memory."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reads_back(backend: Backend, holds: Callable[[str], bool]) -> bool:
    """Whether the clipboard soon reads as ``holds`` wants.

    xclip, xsel and wl-copy hand the selection to a child they fork, which may take it a moment
    after the tool exits: a read at once can still see the previous owner.
    """
    deadline = time.monotonic() + _SETTLE_SECONDS
    while not holds(backend.paste()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def copy_to_system(text: str, backend: Backend | None = None) -> CopyOutcome:
    """Put ``text`` on the OS clipboard and read it back. Never raises."""
    backend = backend or default_backend()
    try:
        backend.copy(text)
        if not _reads_back(backend, lambda now: now == text):
            return CopyOutcome(False, "the system clipboard did not keep it")
    except ClipboardUnavailable as exc:
        return CopyOutcome(False, exc.reason)
    except Exception as exc:  # a test's board, the Windows API: the class name only
        return CopyOutcome(False, f"no system clipboard ({type(exc).__name__})")
    return CopyOutcome(True)


def clear_if_unchanged(digest: str, backend: Backend | None = None) -> bool:
    """Empty the OS clipboard if it still holds the text with this fingerprint.

    True only when it held the text and reads back without it now. If the user copied something
    else since, it is left alone (False).
    """
    backend = backend or default_backend()
    try:
        if fingerprint(backend.paste()) != digest:
            return False
        backend.copy("")
        return _reads_back(backend, lambda now: fingerprint(now) != digest)
    except Exception:
        return False


def phrase(what: str) -> str:
    """``what`` as it reads inside a sentence ("Copied the rotation summary …"): a leading
    article loses its capital, so a caller's "The rotation summary" cannot put a capital in the
    middle of the sentence; a name ("GitHub's …") keeps its own."""
    first, space, rest = what.partition(" ")
    return f"{first.lower()}{space}{rest}" if first in ("The", "A", "An") and rest else what


def copied_text(what: str, *, system: bool, tmux: bool, terminal: bool, reason: str) -> str:
    """The sentence after copying ``what``: where it is for sure, and where it was only sent."""
    what = phrase(what)
    if system:
        return f"Copied {what} to the system clipboard."
    if tmux:
        also = " and sent it through the terminal" if terminal else ""
        return f"Copied {what} to tmux's paste buffer (prefix ] pastes it){also}."
    if terminal:
        return (
            f"Sent {what} through the terminal (OSC 52); regsecret cannot check that it arrived. "
            f"No system clipboard: {reason}."
        )
    return f"Nothing was copied: no system clipboard ({reason})."


def cleared_text(cleared: Sequence[str], *, terminal: bool) -> str:
    """After clearing a copied secret, what was read back gone, and where it may still be.

    ``cleared``: the places it was read back gone from; an empty string for a tmux buffer that
    would not go.
    """
    places = [p for p in cleared if p]
    parts = []
    if places:
        parts.append(f"Cleared the copied secret from {' and '.join(places)}.")
    if "" in cleared:
        # The first sentence names the secret, the next ones say "it": said alone, a sentence
        # of "it" would not say what.
        it = "it" if parts else "the copied secret"
        parts.append(f"A tmux buffer still holds {it}: tmux delete-buffer removes it.")
    if terminal:
        it = "it" if parts else "the copied secret"
        parts.append(f"Your terminal's clipboard may still hold {it}: copy something else.")
    return " ".join(parts)


def secret_note(*, system: bool, tmux: bool, terminal: bool) -> str:
    """What happens to a copied secret: where it is cleared, and where it cannot be."""
    places = [p for p, used in (("the system clipboard", system), ("tmux's buffers", tmux)) if used]
    parts = []
    seconds = int(CLEAR_AFTER_SECONDS)
    if places:
        parts.append(f"It holds a secret: cleared from {' and '.join(places)} in {seconds} s.")
    if terminal:
        parts.append(
            "Your terminal's clipboard cannot be cleared by regsecret: copy something else over "
            "it after pasting."
        )
    return " ".join(parts)


def terminal_only_warning(what: str, reason: str, *, tmux: bool) -> str:
    """Asked before a secret goes where it cannot be cleared: the terminal's clipboard."""
    buffer = " tmux's paste buffer gets it too; that one is cleared." if tmux else ""
    what = phrase(what)
    return (
        f"{what[:1].upper()}{what[1:]} holds a secret, and no system clipboard can be used "
        f"here: {reason}. Copying sends it through the terminal (OSC 52) to your terminal's "
        "clipboard, which regsecret can neither check nor clear: it stays there until you copy "
        f"something else.{buffer}"
    )
