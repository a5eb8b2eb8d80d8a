"""The app's own words: no sentence a flow shows was written for the command line.

Every toast and every text of every screen and dialog met on the way is collected while the
credentials flows run: a login check with an image on another registry, a blocked submit, a
refused login, a registry that does not answer, a name that exists, an update of a secret
registered elsewhere. None may tell the user to add an option such as ``--registry``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.screen import Screen
from textual.widgets import Button, Input, Static

from tests.support.app import AppPilot, make_app, seed_secret, until, write_service_key
from tests.support.pilot import import_key, record_pushed, wait_for, wait_for_workers
from tui.app import RegsecretApp
from tui.emulator.registry import RegistryEmulator
from tui.emulator.server import Emulator
from tui.screens.credentials import CredentialsScreen
from tui.screens.modals import ConfirmModal

SIZE = (100, 30)
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


class Seen:
    """Everything the app showed: toasts as they are raised, screens' texts when collected."""

    def __init__(self, app: RegsecretApp) -> None:
        self.texts: list[str] = []
        notify = app.notify

        def recorded(message: str, *args: Any, **kwargs: Any) -> None:
            self.texts.append(f"{kwargs.get('title', '')}: {message}")
            notify(message, *args, **kwargs)

        app.notify = recorded  # type: ignore[method-assign]

    def collect(self, screen: Screen[Any]) -> None:
        for widget in screen.query(Static):
            self.texts.append(str(widget.render()))
        for button in screen.query(Button):
            self.texts.append(str(button.label))
        for field in screen.query(Input):
            self.texts.append(field.placeholder)

    async def more_than(self, pilot: AppPilot, count: int) -> None:
        """Until more than ``count`` texts were shown (a toast was raised)."""
        await until(pilot, lambda: len(self.texts) > count)

    def options(self) -> list[tuple[str, str]]:
        return [(found, text) for text in self.texts for found in OPTION.findall(text)]


def fill(screen: CredentialsScreen, name: str, registry: str, password: str, image: str) -> None:
    for field, value in (
        ("name", name),
        ("registry", registry),
        ("username", "demo"),
        ("password", password),
        ("image", image),
    ):
        screen.query_one(f"#{field}", Input).value = value


async def answer(pilot: AppPilot, app: RegsecretApp, seen: Seen, key: str) -> ConfirmModal:
    dialog = await wait_for(pilot, app, ConfirmModal)
    seen.collect(dialog)
    await pilot.press(key)
    return dialog


async def test_no_sentence_in_the_credentials_flows_names_a_command_line_option(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "taken")
    seed_secret(emulator, "theirs")
    key = write_service_key(sealed_home / "key.json", emulator)
    with RegistryEmulator() as registry:
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            await import_key(app, pilot, key, "tenant")
            await pilot.press("enter")
            form = await wait_for(pilot, app, CredentialsScreen)
            seen = Seen(app)
            pushed = record_pushed(app)
            # An image on another registry, checked alone and then on submit (blocked).

            def verdict_shown() -> bool:
                # The verdict's line is made the first time there is one to say.
                return any(line.display for line in form.query("#login-verdict"))

            for host, image in (
                ("docker.io", "ghcr.io/org/app:1"),
                (registry.host, "quay.io/org/app:1"),
            ):
                fill(form, "checked", host, "demo-registry-token", image)
                await until(pilot, lambda: not verdict_shown())  # new values: no verdict yet
                await pilot.press("ctrl+l")  # its answer is the line under the password
                await until(pilot, verdict_shown)
                seen.collect(form)
                await pilot.press("ctrl+s")  # blocked: the verdict line says why, the form stays
                await wait_for_workers(pilot, "submit")
                seen.collect(form)
            # A refused login (fix it), a registry that does not answer (cancel), a taken name.
            fill(form, "checked", registry.host, "wrong-token", "")
            await pilot.press("ctrl+s")
            await answer(pilot, app, seen, "n")
            fill(form, "checked", "127.0.0.1:9", "demo-registry-token", "")
            await pilot.press("ctrl+s")
            await answer(pilot, app, seen, "n")
            fill(form, "taken", registry.host, "demo-registry-token", "")
            await pilot.press("ctrl+s")
            await answer(pilot, app, seen, "y")
            await answer(pilot, app, seen, "n")  # do not update it
            await wait_for(pilot, app, CredentialsScreen)
            seen.collect(form)
            # Nothing valid typed: the form lists what to fix.
            fill(form, "", "", "", "")
            await pilot.press("ctrl+s")
            await pilot.pause()
            seen.collect(form)
            # The update of a secret registered elsewhere.
            app.nav.update_secret("theirs")
            update = await wait_for(pilot, app, CredentialsScreen)
            seen.collect(update)
            assert len([s for s in pushed if isinstance(s, ConfirmModal)]) == 4
    assert seen.options() == []
    # The sweep saw the sentences it is about.
    assert any("make ghcr.io the registry" in text for text in seen.texts)
    assert any("Login not checked. " in text for text in seen.texts)
