"""What the rotate form held when the person left it unsent, kept for its next opening.

Nothing typed is lost: the session (tui/core/session.py) keeps it by the secret the form was
opened for, and the form opens with it again. Never the password or token: it does not linger
after its form has gone (the form asks before it drops one typed; tui/core/rotation.py).
No Textual.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RotateDraft:
    """What the rotate form holds, but never the password or token: kept when the person leaves
    the form unsent, so that it opens with it again in this session (nothing typed is lost;
    a token does not linger after its form has gone). ``preset`` is the registry chosen in the
    list, ``tenants`` the tenants chosen, in the fleet's order."""

    name: str
    registry: str
    username: str
    email: str
    preset: str
    tenants: tuple[str, ...]


def keep_draft(
    kept: dict[str, RotateDraft], opened_for: str, held: RotateDraft, fresh: RotateDraft
) -> None:
    """Keep what the form for ``opened_for`` (the secret whose row it was opened on; "" for a
    new one) holds, unless it is what a fresh form would hold: then nothing was typed, and the
    next form starts from what the ledger knows then, not from a stale copy of it. Kept by the
    secret the form was opened for: another row's form never opens on this one's values."""
    if held == fresh:
        kept.pop(opened_for, None)
    else:
        kept[opened_for] = held
