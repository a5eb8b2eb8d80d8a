"""A registry with a pasted token (``user:TOKEN@host``) or a look-alike character never gets past
the form: the sentence says why, and the token shows up nowhere, not even in the busy message."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.support.app import make_app, until
from tests.support.pilot import SIZE, open_credentials
from tui.emulator.server import Emulator
from tui.screens.credentials import CredentialsScreen

TOKEN = "ghp-UsErInFo-TOKEN"


@pytest.mark.parametrize(
    ("registry", "words"),
    [
        (f"https://octo:{TOKEN}@ghcr.io", "user name or token"),
        ("gh\u0441r.io", "U+0441 (CYRILLIC SMALL LETTER ES)"),
        ("ghcr.io\u202e", "U+202E"),
    ],
)
async def test_form_refuses_userinfo_and_confusables_and_never_shows_the_token(
    sealed_home: Path, memory_keyring: object, emulator: Emulator, registry: str, words: str
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        screen.query_one("#name", Input).value = "my-registry"
        screen.query_one("#username", Input).value = "octo"
        screen.query_one("#password", Input).value = "pw-1"
        host = screen.query_one("#registry", Input)
        host.focus()
        # As a paste would put it there: a bidi control cannot be typed key by key.
        host.value = registry
        rule = screen.query_one("#registry-note", Static)
        # The rule runs on the field's change message: on a loaded machine that is a moment later.
        await until(pilot, lambda: words in str(rule.render()))
        problem = str(rule.render())
        seen_before = len(emulator.requests)
        for key in ("ctrl+l", "f2", "ctrl+s"):
            await pilot.press(key)
            await pilot.pause(0.1)
            # No preview, confirmation or busy dialog: the form stays, and nothing was sent.
            assert isinstance(app.screen, CredentialsScreen), key
        assert len(emulator.requests) == seen_before
        toasts = [n.message for n in app._notifications]
        assert any(words in toast for toast in toasts)
        # The field itself shows what was typed; everything else on screen must not.
        host.value = ""
        await pilot.pause()
        screen_text = app.export_screenshot()
        for text in [problem, *toasts, screen_text]:
            assert TOKEN not in text


async def test_a_host_with_a_path_says_which_images_get_the_login(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # An address pasted from an image reference keeps its path in the secret's key, and the
    # kubelet matches it: the form says so before it is registered.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        host = screen.query_one("#registry", Input)
        host.focus()
        host.value = "ghcr.io/octo-org"

        def note() -> str:
            return str(screen.query_one("#registry-note", Static).render())

        await until(pilot, lambda: "Used only for images under ghcr.io/octo-org/" in note())
        assert "Type ghcr.io alone" in note()
        host.value = "ghcr.io"
        await until(pilot, lambda: not screen.query_one("#registry-note", Static).display)
