"""If an exception escapes, Textual prints a traceback: nothing typed may be in it. Textual shows
every frame's locals, where a field's value is a plain str (a password as typed, a pasted token):
the app's report leaves them out, and Secrets in the exception's message show masked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from tests.support.app import make_app
from tui.core.connection import Connection
from tui.core.request import SecretDraft
from tui.core.secret import MASK, Secret

MARK = "crash-LEAKMARK-5e1d"


class Boom(Exception):
    pass


def crash_with_secrets_in_scope() -> None:
    # A field's value is a plain str wherever code reads it: a local like this one.
    typed = MARK + "-typed"  # noqa: F841
    password = Secret(MARK)
    draft = SecretDraft("my-registry", "ghcr.io", "alice", Secret(MARK + "-draft"), "")
    connection = Connection(
        "http://127.0.0.1:1", "http://127.0.0.1:1/oauth/token", "demo", Secret(MARK + "-cs")
    )
    raise Boom(f"escaped with {password}, {draft.password} and {connection.client_secret}")


async def test_crash_traceback_shows_secrets_masked(
    sealed_home: Path, memory_keyring: object
) -> None:
    app = make_app(sealed_home)
    # Where Textual prints its crash report on exit (stderr otherwise).
    console = Console(record=True, width=160, file=io.StringIO(), color_system=None)
    app.error_console = console
    with pytest.raises(Boom):
        async with app.run_test(size=(100, 30)) as pilot:
            app.call_later(crash_with_secrets_in_scope)
            await pilot.pause(0.2)
    report = console.export_text()
    assert "Traceback" in report and "Boom" in report, "Textual printed no crash report"
    # Where it broke is still said: the function, and the message with its Secrets masked.
    assert "crash_with_secrets_in_scope" in report
    assert f"escaped with {MASK}" in report
    assert MARK not in report
