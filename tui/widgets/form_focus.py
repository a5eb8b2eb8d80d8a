"""Moving between a form's fields, decided by the app as each key arrives; both forms use it.

Left to the focused Input, a burst such as "user<tab>token" (a paste, a password manager's
auto-type) lands wholly in the first field, in clear text: the keys after the tab are handed out
before the Input has processed the tab. Bound with priority, the move happens at once.
"""

from __future__ import annotations

from typing import Any

from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input

FOCUS_BINDINGS: list[BindingType] = [
    Binding("tab", "move_focus(1)", "Next field", show=False, priority=True, id="next-field"),
    Binding(
        "shift+tab",
        "move_focus(-1)",
        "Previous field",
        show=False,
        priority=True,
        id="previous-field",
    ),
]
#: Enter moves on too, for the forms where no field has a meaning of its own for it.
ENTER_BINDING = Binding(
    "enter", "enter", "Next field", show=False, priority=True, id="enter-next-field"
)


def form_owns_keys(screen: Screen[Any]) -> bool:
    """True while this form, not a dialog or an open list on top of it, has the keys (a
    chooser's list is a screen of its own, over the form)."""
    return screen.app.screen is screen


def move_focus(screen: Screen[Any], step: int) -> None:
    """The next (``step`` 1) or previous field, now; elsewhere the key keeps its own meaning."""
    if not form_owns_keys(screen):
        raise SkipAction()
    if step > 0:
        screen.focus_next()
    else:
        screen.focus_previous()


def enter_moves_on(screen: Screen[Any]) -> None:
    """Enter in a field: the next one, now. In a list, a table or a dialog, enter is theirs."""
    if not isinstance(screen.focused, Input):
        raise SkipAction()
    move_focus(screen, 1)


def focus_at_end(screen: Screen[Any], field: Input) -> None:
    """Put the cursor in ``field`` at the end of its value, nothing selected: where a problem is
    to be fixed, a key typed next edits the value rather than replacing all of it (an Input
    selects its whole value on focus). Now, not by ``focus()``, which waits for the next turn.
    """
    screen.set_focus(field)
    # After the Focus event just queued for the field, whose handler selects the value.
    field.call_later(field.action_end)
