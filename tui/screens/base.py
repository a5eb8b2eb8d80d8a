"""What every full screen shares: escape goes back, and a helper to list its keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen


class BaseScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

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
