"""Keystrokes reach the fields in the order typed, editing keys included, whatever the load.

Found: under load, "abcd BS BS xy Left Left Q" gave "abQcd", "abcdx" or "abcdQ", and "Tab ctrl+u
<text>" left the next field empty. The cause is Textual's: an Input inserts printable keys at once
but runs its editing keys as bindings only after they bubbled up to the App, so in a burst the
letters overtake them (a bare Textual Input does the same). BoundedInput runs its own bindings in
order. Each round sends one burst with no pause between keys while another process burns a core.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.support.app import make_app
from tests.support.burst import cpu_burner, send_burst
from tests.support.pilot import SIZE, open_credentials
from tui.core.request import SecretDraft
from tui.core.secret import Secret
from tui.emulator.server import Emulator
from tui.screens.credentials import CredentialsScreen

ROUNDS = 100
# fmt: off
KEYS = [
    # The finding's two sequences: name "abQxy"; then to the host (past the registry list),
    # cleared by ctrl+u and typed anew.
    *"abcd", "backspace", "backspace", *"xy", "left", "left", "Q",
    "tab", "tab", "ctrl+u", *"new.io",
]
# fmt: on
EXPECTED = {"name": "abQxy", "registry": "new.io"}


def values(screen: CredentialsScreen) -> dict[str, str]:
    return {field: screen.query_one(f"#{field}", Input).value for field in EXPECTED}


# 100 rounds of up to 10 s each under a burner: on a loaded machine they take longer than the
# suite's 60 s for one test (68 s at a load average of 9 on two cores), and a timeout is no verdict.
@pytest.mark.timeout(300)
async def test_a_burst_of_editing_and_printable_keys_lands_in_order_under_load(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        with cpu_burner(seconds=120):
            for round_ in range(ROUNDS):
                screen.fill(SecretDraft(registry="docker.io"))
                screen.set_focus(screen.query_one("#name", Input))
                await asyncio.sleep(0.01)
                send_burst(app, KEYS)
                deadline = time.monotonic() + 10
                while values(screen) != EXPECTED and time.monotonic() < deadline:
                    await asyncio.sleep(0.005)
                # Settled: nothing that arrives later changes a field again.
                await asyncio.sleep(0.02)
                assert values(screen) == EXPECTED, f"round {round_}"


async def test_tabbing_into_a_loaded_password_puts_the_cursor_at_its_end(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Selected on focus, one key silently replaced the whole hidden login.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_credentials(app, pilot)
        screen.fill(SecretDraft(registry="docker.io", username="alice", password=Secret("loaded")))
        screen.set_focus(screen.query_one("#username", Input))
        await pilot.pause()
        await pilot.press("tab", "x")
        password = screen.query_one("#password", Input)
        assert password.value == "loadedx"
        await pilot.press("shift+tab", "tab", "backspace")
        assert password.value == "loaded"
        assert password.selection.is_empty
