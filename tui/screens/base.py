"""What every screen shares: the typed app, escape goes back, failed workers are shown, keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events, on
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from tui.core.record import Record

if TYPE_CHECKING:
    from tui.seam import AppServices

ResultType = TypeVar("ResultType")

#: Textual's own focus keys (every Screen has them), as help and the palette name them: Textual
#: says "Focus Next". In every screen's and dialog's BINDINGS.
FOCUS_KEYS: list[BindingType] = [
    Binding("tab", "app.focus_next", "Focus next", show=False, id="focus-next"),
    Binding("shift+tab", "app.focus_previous", "Focus previous", show=False, id="focus-previous"),
]


class AppScreen(Screen[ResultType]):
    """A screen (or dialog) of this app: the app through its typed seam, and one error path."""

    #: One paragraph for the help screen: what this screen is for.
    HELP = ""

    _resumed_before = False

    BINDINGS: ClassVar[list[BindingType]] = [*FOCUS_KEYS]

    @property
    def rapp(self) -> AppServices:
        """The app, as screens may use it (tui/seam.py); RegsecretApp implements it."""
        return cast("AppServices", self.app)

    @on(events.ScreenResume)
    def _restyle_only_when_back(self, event: events.ScreenResume) -> None:
        # Textual restyles a screen's every widget as it comes to the top. Its mount has just
        # styled them all, so the first time that is the same work again: on the credentials
        # form, a fifth of what its first frame cost over a bare Textual app. (A screen coming
        # back from under another is restyled: the theme may have changed meanwhile.)
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        """Close this screen, and first what is open over it.

        Textual's dismiss pops the screen on top, whichever it is: a form that closed itself
        when its save ended, with a chooser's list or the help open over it, closed that
        instead and stayed (the chooser stuck open). Each screen over it is dismissed with no
        answer, so the one that opened it hears that it closed.
        """
        app = self.app
        if self in app.screen_stack:
            while app.screen is not self:
                app.screen.dismiss(None)
        return super().dismiss(result)

    def on_mount(self) -> None:
        # Textual runs a screen's own on_mount first: it has filled the form and focused its
        # field. What was typed before that goes into the field now, so the frame being drawn
        # shows it (at start-up, the first frame); the type-ahead gate would hand it out later.
        focused = self.focused
        if isinstance(focused, Input) and self.app.screen is self:
            self.rapp.type_held_text(focused)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A worker that raised is shown, never lost; the expected failures are turned into
        # sentences where they happen, this catches what nobody expected.
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.rapp.show_error("Something went wrong", event.worker.error)


class BaseScreen(AppScreen[None]):
    """A full screen: escape goes back."""

    # Escape is where everyone looks first; the footer's room goes to the keys nobody could guess.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=False, id="back")
    ]

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            # `regsecret --profile NAME` starts on that profile's form: back is the profiles.
            self.rapp.nav.profiles()


class ScreenAction(Record):
    """One key of a screen, as help and the command palette list it."""

    _fields = ("key", "description", "action", "node")
    __slots__ = _fields
    key: str
    description: str
    action: str
    node: DOMNode

    def __init__(self, key: str, description: str, action: str, node: DOMNode) -> None:
        self._init(key, description, action, node)


def screen_actions(screen: Screen[Any]) -> list[ScreenAction]:
    """Key, description, action and owner of every binding of this screen, app keys included.

    The command palette and the help screen both read this, so neither can drift from the keys.
    """
    seen: set[str] = set()
    rows = []
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in seen or binding.system:
            continue
        # The screen's and the app's own keys, plus what a widget chooses to show in the footer;
        # an Input's dozen editing keys would drown the list.
        if not (binding.show or active.node is screen or active.node is screen.app):
            continue
        seen.add(binding.action)
        display = screen.app.get_key_display(binding)
        # The footer has the short word; help and the palette the whole sentence, if there is one.
        description = binding.tooltip or binding.description
        rows.append(ScreenAction(display or key, description, binding.action, active.node))
    return rows
