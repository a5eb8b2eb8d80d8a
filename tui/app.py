"""The Textual app: screens, global keys, command palette, clipboard and the demo emulator.

Start-up matters: this module and the first screen import only Textual and small core modules.
httpx, keyring, pyperclip, the client, the emulator and the registry check are imported inside
workers, after the first paint.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal

from tui.core.session import Session
from tui.navigator import Navigator
from tui.screens.base import ScreenAction, screen_actions
from tui.screens.help import HelpScreen

if TYPE_CHECKING:
    from tui.core import clipboard
    from tui.core.secret_store import SecretStore
    from tui.seam import AppServices


class RegsecretApp(App[int]):
    """Register a Docker registry secret in SAP AI Core, with the keyboard alone."""

    CSS_PATH = "app.tcss"
    TITLE = "regsecret"
    SUB_TITLE = "Docker registry secrets for SAP AI Core"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True),
    ]

    def __init__(
        self,
        *,
        demo: bool = False,
        profile: str | None = None,
        clipboard_backend: clipboard.Backend | None = None,
        secret_store_factory: Callable[[], SecretStore] | None = None,
        env: dict[str, str] | None = None,
        home: Path | None = None,
        emulator: Any = None,
    ) -> None:
        super().__init__()
        self.demo = demo
        self.start_profile = profile
        self.state = Session()
        self.env = env
        self.home = home
        self._clipboard_backend = clipboard_backend
        self._secret_store_factory = secret_store_factory
        self._secret_store: SecretStore | None = None
        self.keyring_warned = False
        self._osc52_hinted = False
        # Fingerprint of a secret on the system clipboard that the timer has not cleared yet.
        self._pending_secret_copy: str | None = None
        # Tests hand in a running emulator (to inject faults); --demo starts its own after paint.
        self.emulator: Any = None
        self._given_emulator = emulator
        self._emulator_ready = asyncio.Event()
        self.nav = Navigator(self)
        self.secrets_changed: Signal[str] = Signal(self, "secrets-changed")
        self.profiles_changed: Signal[None] = Signal(self, "profiles-changed")

    # --- start-up -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        # The profiles screen is the app's base screen: one compose and one layout before the
        # first frame instead of a blank default screen and then a pushed one. Imported here,
        # so `regsecret --help` and the command line never load the screens.
        from tui.screens.choose_profile import ProfilesScreen

        return ProfilesScreen()

    def on_mount(self) -> None:
        if self.demo:
            self.call_after_refresh(self._start_emulator)

    @work(exclusive=True, group="emulator", exit_on_error=False)
    async def _start_emulator(self) -> None:
        def start() -> Any:
            if self._given_emulator is not None:
                return self._given_emulator
            # http.server and the emulator load only with --demo.
            from tui.emulator.server import Emulator

            emulator = Emulator(with_registry=True)
            emulator.start()
            return emulator

        try:
            self.emulator = await asyncio.to_thread(start)
        except Exception as exc:
            self.notify(
                f"The demo emulator did not start ({type(exc).__name__}). Quit and try again.",
                severity="error",
                timeout=15,
            )
            return
        self._emulator_ready.set()
        # The demo profile exists now.
        self.profiles_changed.publish(None)

    async def wait_for_emulator(self) -> None:
        await self._emulator_ready.wait()

    async def on_unmount(self) -> None:
        if self._pending_secret_copy is not None:
            # Quitting before the 45 s are up must not leave the secret on the clipboard.
            from tui.core import clipboard  # loaded by the copy that set the pending digest

            await asyncio.to_thread(
                clipboard.clear_if_unchanged, self._pending_secret_copy, self._clipboard_backend
            )
        await self.state.aclose()
        if self.emulator is not None and self.emulator is not self._given_emulator:
            await asyncio.to_thread(self.emulator.stop)

    # --- errors ---------------------------------------------------------------------------

    def show_error(self, title: str, error: BaseException) -> None:
        """The one way a failure is shown: a dialog with the sentence, what to do, the facts."""
        # Dialogs load with the first one shown, not before the first screen.
        from tui.screens.modals import ErrorModal

        self.push_screen(ErrorModal(title, error))

    # --- keyring ----------------------------------------------------------------------------

    async def secret_store(self) -> SecretStore:
        """The keyring wrapper, made in a thread (backend discovery is slow); warns once."""
        if self._secret_store is None:

            def make() -> SecretStore:
                if self._secret_store_factory is not None:
                    return self._secret_store_factory()
                # keyring loads here, in a thread: its backend discovery is slow.
                from tui.core.secret_store import SecretStore

                return SecretStore()

            store = await asyncio.to_thread(make)
            status = await asyncio.to_thread(store.status)
            self._secret_store = store
            if not status.usable and not self.keyring_warned:
                self.keyring_warned = True
                self.notify(
                    status.message or "The keyring cannot be used: secrets last this session only.",
                    title="Keyring locked" if status.locked else "No usable keyring",
                    severity="warning",
                    timeout=12,
                )
        return self._secret_store

    # --- clipboard --------------------------------------------------------------------------

    def copy_text(self, text: str, what: str, *, contains_secret: bool = False) -> None:
        """Copy through the terminal (OSC 52) now, and to the system clipboard in a thread."""
        self.copy_to_clipboard(text)
        self._copy_to_system(text, what, contains_secret)

    @work(group="clipboard", exit_on_error=False)
    async def _copy_to_system(self, text: str, what: str, contains_secret: bool) -> None:
        # The clipboard module (and pyperclip) load with the first copy, not at start.
        from tui.core import clipboard

        backend = self._clipboard_backend
        outcome = await asyncio.to_thread(clipboard.copy_to_system, text, backend)
        message = clipboard.toast_text(
            what,
            system=outcome.system,
            contains_secret=contains_secret,
            hint=not self._osc52_hinted,
        )
        full_hint = not outcome.system and not self._osc52_hinted
        self._osc52_hinted = self._osc52_hinted or not outcome.system
        self.notify(message, title="Copied", timeout=12 if full_hint else 5)
        if contains_secret:
            digest = clipboard.fingerprint(text)
            self._pending_secret_copy = digest if outcome.system else None
            self.set_timer(
                clipboard.CLEAR_AFTER_SECONDS,
                lambda: self._clear_clipboard(digest, outcome.system),
            )

    @work(group="clipboard", exit_on_error=False)
    async def _clear_clipboard(self, digest: str, system: bool) -> None:
        from tui.core import clipboard  # loaded by the copy this clears

        if self._pending_secret_copy == digest:
            self._pending_secret_copy = None
        cleared = False
        if self.clipboard and clipboard.fingerprint(self.clipboard) == digest:
            self.copy_to_clipboard("")
            cleared = True
        if system:
            cleared = (
                await asyncio.to_thread(
                    clipboard.clear_if_unchanged, digest, self._clipboard_backend
                )
                or cleared
            )
        if cleared:
            self.notify("Cleared the copied secret from the clipboard.", timeout=5)

    # --- help and command palette -------------------------------------------------------------

    def _busy(self) -> bool:
        from tui.screens.modals import BusyModal  # dialogs load with the first one shown

        return isinstance(self.screen, BusyModal)

    def action_command_palette(self) -> None:
        # Nothing may stack over a running request: its dialog must stay on top to close itself.
        if not self._busy():
            super().action_command_palette()

    def action_help(self) -> None:
        if self._busy():
            return
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        screen = self.screen
        title = screen.title or screen.__class__.__name__
        about = getattr(screen, "HELP", "")
        self.push_screen(HelpScreen(str(title), about, screen_actions(screen)))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Every action of the screen, by its description, so the palette is the full menu.
        for item in screen_actions(screen):
            if item.action == "command_palette":
                continue
            yield SystemCommand(item.description, f"key: {item.key}", self._runner(item))
        yield SystemCommand(
            "Theme", "Change the colour theme (dark or light)", self.action_change_theme
        )
        if self.emulator is not None:
            yield from self._demo_commands()

    def _demo_commands(self) -> Iterable[SystemCommand]:
        """In --demo, let people see the failure paths without breaking a real tenant."""
        emulator = self.emulator

        def fail() -> None:
            emulator.fail_next(500)
            self.notify("Demo: the next AI Core request answers HTTP 500.")

        def slow() -> None:
            emulator.delay_next(3.0)
            self.notify("Demo: the next AI Core request takes 3 seconds.")

        def expire() -> None:
            emulator.expire_tokens()
            self.notify("Demo: tokens expired; the next request renews its token silently.")

        yield SystemCommand("Demo: fail the next request", "The emulator answers HTTP 500", fail)
        yield SystemCommand("Demo: slow down the next request", "Shows the busy state", slow)
        yield SystemCommand("Demo: expire the token", "Tokens are renewed on their own", expire)

    def _runner(self, item: ScreenAction) -> Callable[[], Any]:
        async def run() -> None:
            await self.run_action(item.action, item.node)

        return run


def _implements_the_seam(app: RegsecretApp) -> AppServices:
    return app  # mypy proves here that the app is what screens expect of it (tui/seam.py)


def run_app(demo: bool, profile: str | None) -> int:
    """Entry point used by ``regsecret`` and ``python -m tui``."""
    app = RegsecretApp(demo=demo, profile=profile)
    result = app.run()
    return int(result or 0)
