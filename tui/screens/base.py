"""What every full screen shares: escape goes back, and a helper to list its keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen


class BaseScreen(Screen[None]):
    # Escape is where everyone looks first; the footer's room goes to the keys nobody could guess.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", show=False)]

    #: One paragraph for the help screen: what this screen is for.
    HELP = ""

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


@dataclass(frozen=True)
class ScreenAction:
    key: str
    description: str
    action: str
    node: DOMNode


def open_new_form(app: App[object]) -> None:
    """Show an empty "register" form: the one already in the stack if any, else a new one.

    Reusing it keeps what the stack means simple: profiles, the form, and what the form led to.
    """
    from tui.screens.credentials import CredentialsScreen

    for screen in reversed(app.screen_stack):
        if isinstance(screen, CredentialsScreen) and screen.fixed_name is None:
            while app.screen is not screen:
                app.pop_screen()
            screen.start_new()
            return
    app.push_screen(CredentialsScreen())


def open_manage(app: App[object]) -> None:
    """Show the secrets list: back to the one in the stack (it refreshes), else a new one."""
    from tui.screens.manage import ManageScreen

    for screen in reversed(app.screen_stack):
        if isinstance(screen, ManageScreen):
            screen.mark_stale()
            while app.screen is not screen:
                app.pop_screen()
            return
    app.push_screen(ManageScreen())


def screen_actions(screen: Screen[object]) -> list[ScreenAction]:
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
        rows.append(ScreenAction(display or key, binding.description, binding.action, active.node))
    return rows
