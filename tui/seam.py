"""What a screen may ask of the app, typed: the one seam between screens and ``tui/app.py``.

Screens reach the app through ``BaseScreen.rapp`` (typed as :class:`AppServices`) and never import
``tui.app`` or each other: ``RegsecretApp`` implements these protocols, ``tui/navigator.py``
decides which screen comes after which, and changes are announced on signals that screens
subscribe to. So the arrows point one way: app -> navigator -> screens -> seam -> core.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen
    from textual.signal import Signal
    from textual.widgets import Input

    from tui.core.fleet import Fleet, Matrix
    from tui.core.profile_actions import Profile
    from tui.core.request import SecretDraft
    from tui.core.secret_store import SecretStore
    from tui.core.session import Session
    from tui.core.workflows import Result


class Navigation(Protocol):
    """Where the app goes next; the one implementation is :class:`tui.navigator.Navigator`."""

    def profiles(self) -> None:
        """The profiles list, in place of a first screen that was a form (``--profile NAME``)."""

    def after_profile(self, then: Literal["credentials", "manage"]) -> None:
        """A profile was chosen: open the form (or the secrets list)."""

    def new_secret(self) -> None:
        """An empty register form: the one in the stack if any, else a new one."""

    def manage(self) -> None:
        """The secrets list: back to the one in the stack, else a new one."""

    def update_secret(self, name: str) -> None:
        """The form that replaces the credentials of ``name``."""

    def preview(
        self, draft: SecretDraft, api_url: str, *, patch: bool, submit: Callable[[], None]
    ) -> None:
        """What will be sent; its ctrl+s calls ``submit`` (the form's own submit)."""

    def sent(self, result: Result) -> None:
        """A secret was created or updated: show its YAML."""

    def leave_result(self) -> None:
        """Back from the result: past the update form that led there (its job is done)."""

    def profile_form(self, profile: Profile | None) -> None:
        """New (None) or edit one of our profiles."""

    def import_key(self) -> None:
        """Import a service key file as a profile."""

    def fleet(self, profiles: Sequence[Profile]) -> None:
        """The fleet view over these tenants' profiles."""

    def rotate(self, fleet: Fleet, matrix: Matrix, name: str | None, *, check_login: bool) -> None:
        """Rotate one credential (``name``, or a new one) across the fleet's tenants."""


class AppServices(Protocol):
    """The app as screens use it, beyond Textual's own ``App``."""

    state: Session
    demo: bool
    start_profile: str | None
    env: dict[str, str] | None
    home: Path | None
    # The demo's emulated tenants, listed first on the profiles screen (empty without --demo).
    demo_profiles: tuple[Profile, ...]

    @property
    def demo_registry_host(self) -> str | None:
        """``127.0.0.1:PORT`` of the demo's Docker registry, if this run has one."""
        ...

    @property
    def nav(self) -> Navigation:
        """Where to go next (read-only: the app's navigator)."""
        ...

    # A secret of the current tenant was created, updated or deleted (its name).
    secrets_changed: Signal[str]
    # The list of profiles may have changed (one saved, imported or deleted; the demo started).
    profiles_changed: Signal[None]

    def type_held_text(self, field: Input) -> None:
        """Text typed before this screen was ready (tui/type_ahead.py), into ``field`` now."""

    async def secret_store(self) -> SecretStore: ...

    def copy_text(self, text: str, what: str, *, contains_secret: bool = False) -> None: ...

    def report(
        self,
        screen: Screen[Any],
        sentence: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
    ) -> None:
        """What was just done, on the screen's status line (a toast where it has none)."""

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
        """A toast; it goes with the screen it was said on, unless ``lasting`` (the session's)."""

    def show_error(self, title: str, error: BaseException) -> None:
        """The one way a failure reaches the screen: a dialog with the sentence and the facts."""
