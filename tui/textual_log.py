"""Textual's own log never carries a secret, whoever turns it on.

With ``TEXTUAL_LOG=file`` (or devtools) Textual writes every message it dispatches: each key
event with its character, ``Input.Changed(... value='<the password>')``, pastes, and every worker
with a description made of its arguments (the request body, password inside). The file was
created 0644. ``TEXTUAL_DEBUG`` also made the terminal driver copy every raw keystroke into
``./keys.log``.

Textual has no hook for what its log writes, so :func:`guard` wraps its one ``Logger.__call__``,
through which both the file and devtools go: what would show a typed character, a pasted text,
a masked field's value or a worker's description is replaced by a note saying it was withheld.
Everything else is logged as before, so the log stays useful for debugging.
"""

from __future__ import annotations

import contextlib
import os
import stat
from typing import Any

from textual import Logger, constants, events
from textual._context import active_app
from textual.message import Message
from textual.worker import Worker

_GUARDED = "_regsecret_guarded"


def holds_secret(widget: object) -> bool:
    """True for a field whose value is secret: masked now, or a password field shown for once."""
    return bool(getattr(widget, "password", False) or getattr(widget, "secret_field", False))


def _worker(worker: Worker[Any]) -> str:
    # Name and group are ours; the description may be made of the arguments.
    return f"<Worker {worker.state.name} name={worker.name!r} group={worker.group!r}>"


def safe(value: object) -> object:
    """``value`` as the log may show it."""
    if isinstance(value, events.Key):
        if value.is_printable:
            return "Key(<a printable key, withheld>)"
        return value
    if isinstance(value, events.Paste):
        return f"Paste(<{len(value.text)} characters, withheld>)"
    if isinstance(value, Worker):
        return _worker(value)
    if isinstance(value, Worker.StateChanged):
        return f"Worker.StateChanged({_worker(value.worker)}, {value.state.name})"
    if isinstance(value, Message) and hasattr(value, "value"):
        control = getattr(value, "control", None) or getattr(value, "input", None)
        if holds_secret(control):
            return f"{type(value).__qualname__}(input={control!r}, value=<withheld>)"
    return value


def _secure_log_file(path: str) -> None:
    """Create the log file private (Textual's open() gave 0644), or make an existing one so."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077:
                os.fchmod(fd, 0o600)
        finally:
            os.close(fd)


def _devtools_connected(logger: Logger) -> bool:
    app = logger.app or active_app.get(None)
    return app is not None and bool(app._is_devtools_connected)


def guard() -> None:
    """Install the filter (once per process) and make the log file private."""
    if constants.LOG_FILE:
        _secure_log_file(constants.LOG_FILE)
    # The terminal driver's debug mode writes raw input, passwords included, to ./keys.log.
    constants.DEBUG = False  # type: ignore[misc]
    if getattr(Logger, _GUARDED, False):
        return
    original = Logger.__call__

    def guarded(self: Logger, *args: object, **kwargs: object) -> None:
        if not constants.LOG_FILE and not _devtools_connected(self):
            return  # Textual would write this nowhere: the common case, at every message
        original(self, *map(safe, args), **{key: safe(value) for key, value in kwargs.items()})

    Logger.__call__ = guarded  # type: ignore[method-assign]
    setattr(Logger, _GUARDED, True)
