"""The Textual app: screens, global keys, command palette, clipboard and the demo emulator.

Start-up matters: this module and the first screen import only Textual and small core modules.
httpx, keyring, the clipboard, the client, the emulator and the registry check are imported inside
workers, after the first paint.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import Screen
from textual.signal import Signal

from tui.core.foreign_text import displayable
from tui.core.profile_model import Profile, Source
from tui.core.secret import Secret
from tui.core.session import Session
from tui.navigator import Navigator
from tui.screens.base import ScreenAction, screen_actions
from tui.textual_log import guard
from tui.type_ahead import TypeAhead, Typed
from tui.widgets.plain import SCREEN_LIMIT, farewell

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.widgets import Input

    from tui.core import clipboard
    from tui.core.secret_store import SecretStore
    from tui.core.workflows import Unsent
    from tui.emulator.demo_fleet import DemoFleet
    from tui.screens.modals import ConfirmModal
    from tui.seam import AppServices


@runtime_checkable
class RunsRequests(Protocol):
    """A screen whose requests run without the busy dialog: asked before the app quits."""

    def in_flight(self) -> str | None:
        """What is known of the requests under way, or None when none runs."""
        ...

    def stop_for_quit(self) -> str:
        """Stop them; what may have happened, for after the app has gone ("" for nothing)."""
        ...


@runtime_checkable
class HoldsTyping(Protocol):
    """A form that may hold what a person typed and did not send or save: asked before the app
    quits, since nothing of the session outlives it (not the drafts it keeps either)."""

    def unsent(self) -> Unsent | None:
        """What quitting now would drop of what was typed here; None when nothing."""
        ...


def _dialog_title(screen: Screen[Any]) -> str:
    """What help over a dialog is titled: its question, as the dialog shows it (help said
    "Help: CarefulConfirmModal", its class name, over "Discard the password you typed?")."""
    for shown in screen.query(".dialog-title"):
        return str(shown.render())
    return "this dialog"


class RegsecretApp(App[int]):
    """Register a Docker registry secret in SAP AI Core, with the keyboard alone."""

    CSS_PATH = "app.tcss"
    TITLE = "regsecret"
    SUB_TITLE = "Docker registry secrets for SAP AI Core"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True, id="help"),
        # Not a priority: in a field, ? is a character typed; elsewhere it opens help too.
        Binding("question_mark", "help", "Help", show=False, id="help-question-mark"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit"),
        Binding("ctrl+p", "command_palette", "More", show=False, priority=True, id="palette"),
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
        demo_fleet: DemoFleet | None = None,
    ) -> None:
        guard()  # before Textual logs anything of ours
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
        # The demo's tenants: tests hand in a running in-process emulator (to inject faults);
        # `regsecret --demo` hands in the fleet it launched before the app was built, so the
        # demo profiles are on the first frame.
        self.emulator: Any = emulator
        self.demo_fleet = demo_fleet
        # The demo keeps its own ledger, in a throw-away directory of this run: its tenants are
        # on new ports every run, and nothing the demo does may reach the user's ledger.toml.
        # --demo's fleet made it (and its serving process removes it even if this one is
        # killed); a test's own emulator gets one here.
        self.demo_ledger_dir: Path | None = None
        if demo_fleet is not None:
            self.demo_ledger_dir = Path(demo_fleet.scratch_dir)
        elif emulator is not None:
            self.demo_ledger_dir = throwaway_dir()
        self.demo_profiles: tuple[Profile, ...] = demo_profiles(
            demo_fleet, emulator, self.demo_ledger_dir
        )
        self.nav = Navigator(self)
        self.crashed = False
        self.secrets_changed: Signal[str] = Signal(self, "secrets-changed")
        self.profiles_changed: Signal[None] = Signal(self, "profiles-changed")
        self.type_ahead = TypeAhead(self, self._hand_out)
        # The question ctrl+q asked, while it is up: a second ctrl+q does not ask it again.
        self._quit_question: Screen[Any] | None = None
        # Whose each toast is (its identity: the screen it was said on, None for the session's).
        self._toast_owners: dict[str, weakref.ref[Screen[Any]] | None] = {}

    def on_mount(self) -> None:
        # At once, in the push or pop: the next screen's first frame has no toast of the last.
        self.screen_change_signal.subscribe(self, self._toasts_follow, immediate=True)

    # --- keys ---------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # Every key and paste from the terminal passes the type-ahead gate (tui/type_ahead.py):
        # one typed right behind a key that changes the screen or the focus waits for it.
        if isinstance(event, Typed) and not event.is_forwarded and self.type_ahead.hold(event):
            return
        await super().on_event(event)

    def type_held_text(self, field: Input) -> None:
        self.type_ahead.type_into(field)

    async def _hand_out(self, event: Typed) -> None:
        await super().on_event(event)

    # --- foreign text and crashes -----------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
        lasting: bool = False,
    ) -> None:
        """Every toast, from the app or any widget: plain text through the display boundary.

        Textual reads a toast as markup by default; toasts quote servers, registries and names,
        so ``markup`` is ignored here and no toast can run an action or break on ``[/]``.

        A toast is about the screen it was said on: it goes when that screen is left, another
        pushed over it or it closed (see ``_toasts_follow``), where it no longer applies and
        covered the next screen's fields. ``lasting``: it is about the whole session (the
        keyring), and stays until it times out. A dialog still clears every toast as it opens.
        """
        notification = Notification(
            displayable(message, limit=SCREEN_LIMIT, multiline=True),
            displayable(title, limit=200),
            severity,
            self.NOTIFICATION_TIMEOUT if timeout is None else timeout,
            markup=False,
        )
        owner = None if lasting else self._toast_screen()
        self._toast_owners[notification.identity] = None if owner is None else weakref.ref(owner)
        self.post_message(Notify(notification))

    def _toast_screen(self) -> Screen[Any] | None:
        """The screen a toast said now is about: the top one, or the one under a list opened
        over it (a chooser's options, the command palette), which belongs to it."""
        screen: Screen[Any]
        for screen in reversed(self.screen_stack):
            part = getattr(screen, "PART_OF_SCREEN_BELOW", False)
            if not (part or isinstance(screen, CommandPalette)):
                return screen
        return None

    def _stale_toast(self, identity: str, screen: Screen[Any] | None) -> bool:
        """A toast of another screen than ``screen`` (one gone, or now under another)."""
        owner = self._toast_owners.get(identity)
        return owner is not None and owner() is not screen

    def _toasts_follow(self, _top: Screen[Any]) -> None:
        """Another screen came to the top: the toasts said on the one it replaced go."""
        screen = self._toast_screen()
        stale = [n for n in self._notifications if self._stale_toast(n.identity, screen)]
        for notification in stale:
            self._unnotify(notification, refresh=False)
        shown = {n.identity for n in self._notifications}
        for identity in [i for i in self._toast_owners if i not in shown]:
            del self._toast_owners[identity]
        if stale:
            self._refresh_notifications()

    def _on_notify(self, event: Notify) -> None:
        # Said on a screen that was left before its message arrived ("Saved", then closed).
        if self._stale_toast(event.notification.identity, self._toast_screen()):
            self._toast_owners.pop(event.notification.identity, None)
            return
        super()._on_notify(event)

    def panic(self, *renderables: RenderableType) -> None:
        # Textual's own crash path (its input thread uses it) leaves the return code at 0.
        self.crashed = True
        super().panic(*renderables)

    def _fatal_error(self) -> None:
        """Textual's crash report, without each frame's local variables.

        Textual shows them, and a field's value is a plain ``str`` wherever the code handles it
        (the password as typed, a pasted token, keys typed ahead): masked only where it is a
        Secret, it would be printed in clear to the terminal, its scrollback and tmux's history.
        The frames, lines and the exception's message still say where it broke.
        """
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        report = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()

    def _print_error_renderables(self) -> None:
        """What Textual prints on the terminal once the screen is gone (its crash report, a
        panic's text, an exit message), through the display boundary.

        A crash that quotes a server (an exception's message, a panic's text) would otherwise
        write its escapes to the user's own terminal after the app: its title, its clipboard
        (OSC 52), a cleared screen. Rich draws the report's colours itself, as styles; only the
        text between them is foreign, and loses every escape and control character here.
        """
        from rich.segment import Segment, Segments

        from tui.core.foreign_text import unescaped

        console = self.error_console
        safe: list[RenderableType] = []
        for renderable in self._exit_renderables:
            if isinstance(renderable, Segments):
                pieces = list(renderable.segments)
            else:
                pieces = list(console.render(renderable, console.options))
            safe.append(
                Segments(
                    Segment(unescaped(piece.text), piece.style)
                    for piece in pieces
                    if not piece.control  # a cursor move or a bell, never text
                )
            )
        self._exit_renderables[:] = safe
        super()._print_error_renderables()

    # --- start-up -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        # The first screen is the app's base screen: one compose and one layout before the first
        # frame instead of a blank default screen and then a pushed one. Imported here, so
        # `regsecret --help` and the command line never load the screens.
        form = self._start_form()
        if form is not None:
            return form
        from tui.screens.choose_profile import ProfilesScreen

        return ProfilesScreen()

    def _start_form(self) -> Screen[Any] | None:
        """``--profile NAME`` of a profile that carries its secret: its form, as the first screen.

        SDK files, the environment and the demo hand over the secret with the profile, so the
        form can take keys on the first frame; the profiles screen is built only if the user goes
        back (BaseScreen.action_back). Anything else (a profile of ours, whose secret is in the
        keyring; an unknown name; files that cannot be read) starts on the profiles screen, which
        says what is wrong or asks the keyring.
        """
        name = self.start_profile
        if not name:
            return None
        from tui.core.profile_actions import load_all_profiles

        profile = next((p for p in self.demo_profiles if p.name == name), None)
        if profile is None:
            try:
                profile = load_all_profiles(env=self.env, home=self.home).get(name)
            except Exception:  # the profiles screen reads them again and shows what is wrong
                return None
        if profile is None or profile.inline_secret is None:
            return None
        self.start_profile = None
        self.state.select(profile, profile.inline_secret)
        from tui.screens.credentials import CredentialsScreen

        return CredentialsScreen()

    @property
    def demo_registry_host(self) -> str | None:
        """``127.0.0.1:PORT`` of the demo's Docker registry, if this run has one."""
        if self.demo_fleet is not None:
            return self.demo_fleet.registry_host
        return getattr(self.emulator, "registry_host", None)

    async def wait_for_emulator(self) -> None:
        """Kept for tests written when the demo started after the first frame: it is ready now."""

    async def on_unmount(self) -> None:
        self.type_ahead.close()
        if self._pending_secret_copy is not None:
            # Quitting before the 45 s are up must not leave the secret on the clipboard.
            digest, self._pending_secret_copy = self._pending_secret_copy, None
            await asyncio.to_thread(self._clear_everywhere, digest, True)
        await self.state.aclose()
        if self.demo_fleet is not None:
            await asyncio.to_thread(self.demo_fleet.stop)
        self.forget_demo_ledger()

    def forget_demo_ledger(self) -> None:
        """Remove the demo's throw-away ledger (at exit: it only ever described this run)."""
        if self.demo_ledger_dir is not None:
            import shutil

            shutil.rmtree(self.demo_ledger_dir, ignore_errors=True)

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
                from tui.core.secret_store import short_notice

                self.keyring_warned = True
                # A line or two: the whole sentence is in help (keyring_detail), where it fits.
                title, line = short_notice(status)
                self.notify(line, title=title, severity="warning", timeout=12, lasting=True)
        return self._secret_store

    def keyring_detail(self) -> str:
        """Why the keyring cannot be used and what to do, for help; "" while it can (or has
        not been asked yet)."""
        store = self._secret_store
        if store is None:
            return ""
        status = store.status()
        return "" if status.usable else status.message or ""

    # --- clipboard --------------------------------------------------------------------------

    def copy_text(self, text: str, what: str, *, contains_secret: bool = False) -> None:
        """Copy ``text``; the screen that asked says where it is for sure (its status line, a
        short toast). See ``tui.core.clipboard``."""
        if not contains_secret:
            self.copy_to_clipboard(text)  # the terminal's clipboard (OSC 52), at once
        self._copy(text, what, contains_secret, self.screen)

    def report(
        self,
        screen: Screen[Any],
        sentence: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
    ) -> None:
        """What was just done, said on ``screen``'s status line, near what it is about.

        No toast then: in the corner it covered what the corner holds (a table's rows, the
        field being typed in, the status line itself). A screen without a status line (or one
        gone meanwhile) gets the sentence in a toast, as before.
        """
        from tui.widgets.status_line import StatusLine

        lines = list(screen.query(StatusLine)) if screen.is_attached else []
        if lines:
            lines[0].say(sentence, warning=severity != "information")
        else:
            self.notify(sentence, title=title, severity=severity, timeout=12)

    def _tmux(self) -> clipboard.Tmux:
        from tui.core import clipboard

        return clipboard.Tmux(self.env)

    @work(group="clipboard", exit_on_error=False)
    async def _copy(self, text: str, what: str, contains_secret: bool, screen: Screen[Any]) -> None:
        from tui.core import clipboard

        outcome = await asyncio.to_thread(clipboard.copy_to_system, text, self._clipboard_backend)
        tmux = self._tmux()
        inside_tmux = await asyncio.to_thread(lambda: tmux.inside)
        terminal = not contains_secret
        if contains_secret and not outcome.system:
            # The terminal's clipboard cannot be read back or cleared: say so before, not after.
            from tui.screens.modals import ConfirmModal

            question = ConfirmModal(
                "Copy a secret through the terminal?",
                clipboard.terminal_only_warning(what, outcome.reason, tmux=inside_tmux),
                yes="Copy",
                no="Don't copy",
            )
            terminal = await self._ask(question)
            if not terminal:
                self.notify("Nothing was copied.", timeout=5)
                return
            self.copy_to_clipboard(text)
        in_tmux = False
        if inside_tmux and (terminal or not outcome.system):
            in_tmux = await asyncio.to_thread(tmux.load, text)
        message = clipboard.copied_text(
            what, system=outcome.system, tmux=in_tmux, terminal=terminal, reason=outcome.reason
        )
        if not outcome.system and not in_tmux and not self._osc52_hinted:
            message = f"{message} {clipboard.OSC52_HINT}"
            self._osc52_hinted = True
        if contains_secret:
            note = clipboard.secret_note(system=outcome.system, tmux=inside_tmux, terminal=terminal)
            message = f"{message} {note}"
            digest = clipboard.fingerprint(text)
            self._pending_secret_copy = digest
            self.set_timer(
                clipboard.CLEAR_AFTER_SECONDS,
                lambda: self._clear_clipboard(digest, outcome.system, terminal),
            )
        self.report(screen, message, title="Copied" if outcome.system or in_tmux else "Sent")

    async def _ask(self, question: ConfirmModal) -> bool:
        screen: Screen[Any] = question
        return bool(await self.push_screen_wait(screen))

    def _clear_everywhere(self, digest: str, system: bool) -> list[str]:
        """Clear the secret from the system clipboard and tmux; where that was read back."""
        from tui.core import clipboard

        cleared = []
        if system and clipboard.clear_if_unchanged(digest, self._clipboard_backend):
            cleared.append("the system clipboard")
        tmux = self._tmux()
        if tmux.inside:
            result = tmux.clear(digest)
            if result:
                cleared.append("tmux's buffers")
            elif result is False:
                cleared.append("")  # a buffer that would not go: said below
        return cleared

    @work(group="clipboard", exit_on_error=False)
    async def _clear_clipboard(self, digest: str, system: bool, terminal: bool) -> None:
        from tui.core import clipboard

        if self._pending_secret_copy != digest:
            return  # cleared already (a later copy, or quitting)
        self._pending_secret_copy = None
        # A later copy went through the terminal too: its clipboard holds that now, not the
        # secret, and nothing is to be said of it.
        terminal = terminal and clipboard.fingerprint(self.clipboard or "") == digest
        if terminal:
            self.copy_to_clipboard("")  # some terminals clear on this; none says so
        cleared = await asyncio.to_thread(self._clear_everywhere, digest, system)
        said = clipboard.cleared_text(cleared, terminal=terminal)
        if said:
            self.report(self.screen, said)

    # --- help and command palette -------------------------------------------------------------

    def _busy(self) -> bool:
        """A request's busy dialog is on top: nothing may stack over it; the key is refused
        there, where the person sees it."""
        from tui.screens.modals import BusyModal  # dialogs load with the first one shown

        screen = self.screen
        if isinstance(screen, BusyModal):
            screen.refuse()
            return True
        return False

    def action_help_quit(self) -> None:
        """ctrl+c outside a field (where it copies): Textual's own toast says how to quit, in
        markup ("Press [b]ctrl+q[/b]"), and toasts here are plain text, so it showed the tags."""
        self.notify("Press ctrl+q to quit regsecret.", title="Do you want to quit?")

    async def action_quit(self) -> None:
        """ctrl+q, and Quit in the palette: with a request in flight, its dialog asks first;
        else, with something typed and not sent or saved in a form open, one question says
        what goes. Nothing to lose: the app quits at once.

        Quitting at once would leave the person not knowing whether the secret was created; the
        question says what is known (not sent yet, or sent with no answer yet).
        """
        from tui.screens.modals import BusyModal, CarefulConfirmModal, ConfirmModal

        busy = next((s for s in reversed(self.screen_stack) if isinstance(s, BusyModal)), None)
        if busy is not None:
            busy.ask_to_quit()  # nothing may stack over a busy dialog: it asks itself
            return
        if self._quit_question in self.screen_stack:
            return  # asked already: it waits for its answer
        # A screen that runs requests without a busy dialog (a rotation's table) says so.
        for screen in reversed(self.screen_stack):
            if isinstance(screen, RunsRequests) and (known := screen.in_flight()):
                question = ConfirmModal(
                    "Quit while requests run?", known, yes="Quit", no="Keep waiting"
                )
                self._quit_question = question
                self.push_screen(question, functools.partial(self._quit_anyway, screen))
                return
        # Each form says what it would drop; the words are the core's (workflows.quit_question).
        unsent = [
            lost
            for screen in reversed(self.screen_stack)
            if isinstance(screen, HoldsTyping) and (lost := screen.unsent()) is not None
        ]
        if unsent:
            from tui.core.workflows import quit_question

            asked = quit_question(unsent)
            careful = CarefulConfirmModal(asked.title, asked.body, yes=asked.yes, no=asked.no)
            self._quit_question = careful
            self.push_screen(careful, self._quit_discarding)
            return
        self.exit()

    def _quit_discarding(self, yes: bool | None) -> None:
        self._quit_question = None
        if yes:
            self.exit()

    def _quit_anyway(self, screen: RunsRequests, yes: bool | None) -> None:
        self._quit_question = None
        if not yes:
            return
        from tui.core.exit_codes import EXIT_STOPPED

        said = screen.stop_for_quit()
        self.exit(return_code=EXIT_STOPPED, message=farewell(said) if said else None)

    def action_command_palette(self) -> None:
        # Nothing may stack over a running request: its dialog must stay on top to close itself.
        if not self._busy():
            super().action_command_palette()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen  # loads with the first F1, not at start

        if self._busy():
            return
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        screen = self.screen
        title = screen.title or _dialog_title(screen)
        about = getattr(screen, "HELP", "")
        keys = screen_actions(screen)
        self.push_screen(HelpScreen(str(title), about, keys, keyring=self.keyring_detail()))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Every action of the screen, by its description, so the palette is the full menu.
        for item in screen_actions(screen):
            if item.action == "command_palette":
                continue
            yield SystemCommand(item.description, f"key: {item.key}", self._runner(item))
        if self._fleet_elsewhere(screen):
            yield SystemCommand(
                "Fleet view",
                "Every profile's secrets side by side (f on the profiles screen)",
                lambda: self.open_fleet(screen),
            )
        yield SystemCommand(
            "Theme", "Change the colour theme (dark or light)", self.action_change_theme
        )
        if self.demo_profiles:
            yield from self._demo_commands()

    def _fleet_elsewhere(self, screen: Screen[Any]) -> bool:
        """The palette offers the fleet on every full screen but the ones that have it already:
        the profiles screen (its f), the fleet itself and the rotation started from it."""
        from textual.screen import ModalScreen

        from tui.screens.choose_profile import ProfilesScreen
        from tui.screens.fleet import FleetScreen
        from tui.screens.rotate import RotateScreen

        return not isinstance(screen, ModalScreen | ProfilesScreen | FleetScreen | RotateScreen)

    @work(group="fleet-open", exclusive=True, exit_on_error=False)
    async def open_fleet(self, origin: Screen[Any]) -> None:
        """The fleet of every profile, read afresh as the profiles screen reads them."""
        from tui.core.profile_actions import load_all_profiles

        try:
            result = await asyncio.to_thread(load_all_profiles, env=self.env, home=self.home)
            profiles = list(result.profiles)
        except Exception as exc:  # as on the profiles screen: say so, show the demo's if any
            self.show_error("Profiles could not be read", exc)
            profiles = []
        profiles[:0] = self.demo_profiles
        if self.screen is not origin:
            return  # the person went elsewhere meanwhile: do not pull them back
        if not profiles:
            self.notify(
                "No profile yet, so no tenant to show: add one on the profiles screen (n or i).",
                severity="warning",
            )
            return
        self.nav.fleet(profiles)

    def _demo_commands(self) -> Iterable[SystemCommand]:
        """In --demo, let people see the failure paths without breaking a real tenant."""
        profile = self.state.profile
        if profile is None or profile.source is not Source.DEMO:
            return
        yield SystemCommand(
            "Demo: fail the next request",
            f"The emulated tenant {profile.name} answers HTTP 500",
            lambda: self._demo_fault(profile, "faults", {"status": 500}, "answers HTTP 500"),
        )
        yield SystemCommand(
            "Demo: slow down the next request",
            "Shows the busy state",
            lambda: self._demo_fault(profile, "faults", {"delay": 3.0}, "takes 3 seconds"),
        )
        yield SystemCommand(
            "Demo: expire the token",
            "Tokens are renewed on their own",
            lambda: self._demo_fault(profile, "expire-tokens", None, "needs a new token"),
        )

    @work(group="demo", exit_on_error=False)
    async def _demo_fault(
        self, profile: Profile, action: str, payload: dict[str, float] | None, effect: str
    ) -> None:
        def inject() -> None:
            fleet = self.demo_fleet
            if fleet is not None:
                fleet.control(fleet.tenant(profile.name), action, payload)
            elif action == "expire-tokens":
                self.emulator.expire_tokens()
            elif payload and "delay" in payload:
                self.emulator.delay_next(payload["delay"])
            else:
                self.emulator.fail_next(int((payload or {}).get("status", 500)))

        try:
            await asyncio.to_thread(inject)
        except OSError as exc:
            self.show_error("The demo emulator did not answer", exc)
            return
        self.notify(f"Demo: the next request to {profile.name} {effect}.")

    def _runner(self, item: ScreenAction) -> Callable[[], Any]:
        async def run() -> None:
            await self.run_action(item.action, item.node)

        return run


def _implements_the_seam(app: RegsecretApp) -> AppServices:
    return app  # mypy proves here that the app is what screens expect of it (tui/seam.py)


def _tolerate_undecodable_input() -> None:
    """A byte that is not UTF-8 from the terminal becomes U+FFFD instead of killing the app.

    Textual's Linux driver decodes its input strictly, and a UnicodeDecodeError in its input
    thread ends the app (a pasted Latin-1 byte, a terminal in another encoding). It builds its
    decoder through the module's ``getincrementaldecoder`` name, so that name is pointed at one
    that replaces what it cannot decode.
    """
    import codecs
    import functools

    try:
        from textual.drivers import linux_driver
    except ImportError:  # not on this platform: its driver decodes differently
        return

    def lenient(encoding: str) -> Callable[..., codecs.IncrementalDecoder]:
        return functools.partial(codecs.getincrementaldecoder(encoding), errors="replace")

    setattr(linux_driver, "getincrementaldecoder", lenient)  # noqa: B010 - not a public name


def throwaway_dir() -> Path:
    """A private (0700) directory of this run, for what the demo writes."""
    import tempfile  # only with --demo (or a test's emulator)

    return Path(tempfile.mkdtemp(prefix="regsecret-demo-"))


def demo_profiles(
    fleet: DemoFleet | None, emulator: Any, ledger_dir: Path | None = None
) -> tuple[Profile, ...]:
    """The demo's tenants as profiles: the fleet's three, or one for a test's own emulator;
    their ledger in ``ledger_dir``."""
    origin = "demo emulator on 127.0.0.1, never saved"
    if fleet is not None:
        return tuple(
            Profile(
                name=tenant.profile_name,
                api_url=tenant.api_url,
                token_url=tenant.token_url,
                client_id=tenant.client_id,
                source=Source.DEMO,
                origin=origin,
                inline_secret=Secret(tenant.client_secret),
                ledger_dir=ledger_dir,
            )
            for tenant in fleet.tenants
        )
    if emulator is None:
        return ()
    return (
        Profile(
            name="demo",
            api_url=emulator.api_url,
            token_url=emulator.token_url,
            client_id="demo",
            source=Source.DEMO,
            origin=origin,
            inline_secret=Secret("demo-secret"),
            # With its own registry the demo shows the login check before submit; without one,
            # a check would reach for the real internet.
            check_registry_login=getattr(emulator, "registry_host", None) is not None,
            ledger_dir=ledger_dir,
        ),
    )


def run_app(demo: bool, profile: str | None) -> int:
    """Entry point used by ``regsecret`` and ``python -m tui``: 1 after any crash, never 0."""
    _tolerate_undecodable_input()
    fleet = None
    if demo:
        # Seam: the demo's launcher loads only with --demo. It binds its sockets here, before
        # the app exists, so the emulated tenants are listed on the first frame.
        from tui.emulator.demo_fleet import launch

        try:
            fleet = launch()
        except OSError as exc:
            # The error quotes the operating system, whose words we did not write either.
            print(farewell(f"the demo emulator could not start ({exc}). Try again."))
            return 1
    app = RegsecretApp(demo=demo, profile=profile, demo_fleet=fleet)
    # What the imports built (modules, classes, functions) lives as long as the process: out of
    # the collector's sight, the first full collection scans only what the screens create.
    gc.freeze()
    try:
        result = app.run()
    finally:
        if fleet is not None:
            fleet.stop()
        app.forget_demo_ledger()  # also after a crash that skipped the app's own clean-up
    if app.return_code or app.crashed:
        return app.return_code or 1
    return int(result or 0)
