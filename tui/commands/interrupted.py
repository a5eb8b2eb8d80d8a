"""What ctrl+c says when it stops a command between requests (tui/cli.py catches it).

A request to AI Core that ctrl+c stops while it runs is told by its workflow (sent or not, see
``tui/commands/secret_commands.py``); this is the sentence for every other moment, and it says only
what is true at any such moment.
"""

from __future__ import annotations

# Commands that send several requests at once (one per tenant): some may have gone out.
_SEVERAL = frozenset({"rotate", "apply"})
# Commands that change AI Core with one request, stopped while it ran only by their workflow.
_ONE = frozenset({"register", "update", "delete"})


def sentence(command: str | None) -> str:
    if command in _SEVERAL:
        return (
            "Stopped (ctrl+c). Requests already sent may have changed some tenants: list their "
            "secrets to see where each one stands."
        )
    if command in _ONE:
        return "Stopped (ctrl+c). No request to AI Core was under way at that moment."
    return "Stopped (ctrl+c). Nothing was changed in AI Core."
