"""Which screen comes after which: every push and pop between full screens is decided here.

Screens ask for a destination (``self.rapp.nav.manage()``) and never import one another; this is
the only module that knows them all. Each screen module is imported when first shown, not at start:
the first frame needs only the profiles screen (tests/ui/test_app_startup.py guards it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from textual.app import App

    from tui.core.fleet import Fleet, Matrix
    from tui.core.profile_actions import Profile
    from tui.core.request import SecretDraft
    from tui.core.workflows import Result


class Navigator:
    def __init__(self, app: App[Any]) -> None:
        self._app = app

    def profiles(self) -> None:
        """Back from the first screen of ``--profile NAME`` (its form): the profiles replace it."""
        from tui.screens.choose_profile import ProfilesScreen

        app = self._app
        first = app.screen
        if len(app.screen_stack) == 1 and not isinstance(first, ProfilesScreen):
            # Textual's switch_screen drops the result callback push_screen gave the screen it
            # replaces; the first screen was never pushed, so it gets the one it would have had.
            first._push_result_callback(first, None)
            app.switch_screen(ProfilesScreen())

    def after_profile(self, then: Literal["credentials", "manage"]) -> None:
        if then == "manage":
            self.manage()
        else:
            from tui.screens.credentials import CredentialsScreen

            self._app.push_screen(CredentialsScreen())

    def new_secret(self) -> None:
        """Reusing the form in the stack keeps what the stack means simple: profiles, the form,
        and what the form led to."""
        from tui.screens.credentials import CredentialsScreen

        app = self._app
        forms = [s for s in app.screen_stack if isinstance(s, CredentialsScreen)]
        form = next((f for f in reversed(forms) if f.fixed_name is None), None)
        if form is None:
            app.push_screen(CredentialsScreen())
            return
        while app.screen is not form:
            app.pop_screen()
        form.start_new()

    def manage(self) -> None:
        from tui.screens.manage import ManageScreen

        app = self._app
        for screen in reversed(app.screen_stack):
            if isinstance(screen, ManageScreen):
                # Back to it: it refreshes when shown again (it asks for that itself).
                while app.screen is not screen:
                    app.pop_screen()
                return
        app.push_screen(ManageScreen())

    def update_secret(self, name: str) -> None:
        from tui.screens.credentials import CredentialsScreen

        self._app.push_screen(CredentialsScreen(fixed_name=name))

    def preview(
        self, draft: SecretDraft, api_url: str, *, patch: bool, submit: Callable[[], None]
    ) -> None:
        from tui.screens.preview import PreviewScreen

        def after(choice: str | None) -> None:
            if choice == "submit":
                submit()

        self._app.push_screen(PreviewScreen(draft, api_url, patch=patch), after)

    def sent(self, result: Result) -> None:
        from tui.core.workflows import Outcome
        from tui.screens.result import ResultScreen

        updated = result.outcome is Outcome.UPDATED
        self._app.push_screen(ResultScreen(result.name, result.message, updated=updated))

    def leave_result(self) -> None:
        from tui.screens.credentials import CredentialsScreen

        app = self._app
        app.pop_screen()
        screen = app.screen
        if isinstance(screen, CredentialsScreen) and screen.fixed_name is not None:
            app.pop_screen()
        elif isinstance(screen, CredentialsScreen):
            # Registered: the form is ready for the next one (registry and username kept). Left
            # holding the name and password sent, it read as a registration not sent yet, and
            # its draft followed the person to the next tenant.
            screen.start_new()

    def profile_form(self, profile: Profile | None) -> None:
        from tui.screens.profile_form import ProfileFormScreen

        self._app.push_screen(ProfileFormScreen(profile))

    def import_key(self) -> None:
        from tui.screens.import_key import ImportKeyScreen

        self._app.push_screen(ImportKeyScreen())

    def fleet(self, profiles: Sequence[Profile]) -> None:
        from tui.screens.fleet import FleetScreen

        self._app.push_screen(FleetScreen(profiles))

    def rotate(self, fleet: Fleet, matrix: Matrix, name: str | None, *, check_login: bool) -> None:
        from tui.screens.rotate import RotateScreen

        self._app.push_screen(RotateScreen(fleet, matrix, name, check_login=check_login))
