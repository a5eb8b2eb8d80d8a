"""First screen: choose the tenant. Also new, edit, delete, import and test connection.

The profiles are read while the screen is built, so the first frame already lists them and
Enter works at once: reading two small files costs less than a worker hop, a loading indicator
and a second layout. The keyring, the client and the dialogs load later, when used
(tests/ui/test_app_startup.py guards it).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer

from tui.core.profile_actions import LoadResult, Profile, load_all_profiles
from tui.core.secret import Secret
from tui.core.session import host_of
from tui.screens.base import BaseScreen
from tui.widgets.plain import PlainLabel, PlainStatic, plain_cell

if TYPE_CHECKING:
    from rich.text import Text

    from tui.core.secret_store import SecretStore

Destination = Literal["credentials", "manage"]
NO_PROFILES = (
    "No connection profiles yet.\n\n"
    "To reach your SAP AI Core tenant you need a service key: in the SAP BTP cockpit open your "
    "subaccount, then Instances and Subscriptions, your AI Core instance, Service Keys, and "
    "download one (or create one). Then press i to import the file, or n to type the values in.\n\n"
    "Profiles of SAP's AI Core SDK (~/.aicore/config.json, AICORE_* variables) appear here on "
    "their own.\n\n"
    "Just looking? Quit (ctrl+q) and run:  regsecret --demo"
)


class ProfileTable(DataTable[str]):
    """The profiles list; enter keeps its name in the footer whether or not the table has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Use", tooltip="Use profile", id="use-profile")
    ]


class ProfilesScreen(BaseScreen):
    TITLE = "Choose a connection profile"
    # Its own rules, read when it first opens (app.tcss is read before any first frame).
    DEFAULT_CSS = """
    #profiles-table {
        height: 1fr;
        margin: 0 1;
    }

    #profiles-empty {
        height: auto;
        padding: 1 2;
        border: round $primary;
        margin: 1;
    }

    #profile-status {
        height: auto;
        padding: 0 1;
    }
    """
    HELP = (
        "Each row is a connection to one SAP AI Core tenant: ours (stored by regsecret, secret in "
        "the OS keyring), the AI Core SDK's files, the environment, or the demo emulator. Enter "
        "chooses one and opens the credentials form."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        # The same letter does the same thing on every screen: n new, d delete, m manage, r refresh.
        Binding("enter", "select", "Use", tooltip="Use profile", id="use-profile"),
        Binding("n", "new", "New", id="new"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("d", "delete", "Delete", id="delete"),
        Binding("i", "import_key", "Import", tooltip="Import a service key", id="import-key"),
        Binding("t", "test", "Test", id="test-connection"),
        Binding("m", "manage", "Manage", tooltip="Manage secrets", id="manage"),
        Binding("f", "fleet", "Fleet", tooltip="Fleet view", id="profiles.fleet"),
        Binding("r", "reload", "Refresh", show=False, id="refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.result: LoadResult | None = None
        self._status = ""

    def compose(self) -> ComposeResult:
        yield PlainLabel("Choose a connection profile", classes="screen-title")
        yield PlainStatic("", id="problems", classes="banner -hidden")
        table = ProfileTable(id="profiles-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield PlainStatic(NO_PROFILES, id="profiles-empty", classes="-hidden")
        yield PlainStatic("", id="profile-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.rapp.profiles_changed.subscribe(self, lambda _: self.reload())
        self.reload()
        self._open_start_profile()

    def reload(self) -> None:
        try:
            result = load_all_profiles(env=self.rapp.env, home=self.rapp.home)
        except Exception as exc:  # a reader's bug must not take the first screen with it
            self.rapp.show_error("Profiles could not be read", exc)
            result = LoadResult([], [])
        result.profiles[:0] = self.rapp.demo_profiles
        self.show_profiles(result)

    def action_reload(self) -> None:
        self.reload()

    #: Actions that need a profile to act on; with none, the footer offers only new and import.
    NEEDS_A_PROFILE = frozenset(
        {"fleet", "select", "edit", "delete", "test", "manage", "select_cursor"}
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            # The first screen: escape has nowhere to go, so neither help nor footer offers it.
            return len(self.app.screen_stack) > 2
        if action in self.NEEDS_A_PROFILE:
            return bool(self.result and self.result.profiles)
        return True

    def show_profiles(self, result: LoadResult) -> None:
        self.result = result
        self.refresh_bindings()
        table = self.query_one(DataTable)
        current = self.highlighted()
        rows: list[tuple[str, list[Text]]] = []
        for profile in result.profiles:
            auth = "X.509" if profile.auth == "x509" else "client secret"
            # Names, hosts and sources come from files and the environment: cells, not markup.
            cells = (profile.name, str(profile.source), host_of(profile.api_url), auth)
            rows.append((profile.name, [plain_cell(cell) for cell in cells]))
        # Text, not str: a str heading is read as markup, which loads rich's emoji table (~3 ms).
        headings = [plain_cell(h) for h in ("Name", "Source", "AI API host", "Auth")]
        # Each column as wide as its widest cell, set here: left to the table, a wider row added
        # to the list (a profile of ours, "regsecret" beside "demo") was cut to the old width,
        # and rows drawn later stood out of line with the rest.
        table.clear(columns=True)
        for at, heading in enumerate(headings):
            width = max([heading.cell_len, *(row[at].cell_len for _, row in rows)])
            table.add_column(heading, width=width)
        for key, row in rows:
            table.add_row(*row, key=key)
        names = [p.name for p in result.profiles]
        if current is not None and current.name in names:
            table.move_cursor(row=names.index(current.name))
        elif result.default_name in names:
            table.move_cursor(row=names.index(result.default_name))
        empty = not result.profiles
        table.display = not empty
        self.query_one("#profiles-empty").set_class(not empty, "-hidden")
        banner = self.query_one("#problems", PlainStatic)
        if result.problems:
            lines = []
            for problem in result.problems:
                if problem.message.startswith(problem.path):
                    # A file's problem names the file and its line itself (as the CLI says it).
                    lines.append(problem.message)
                    continue
                where = problem.path + (f", line {problem.line}" if problem.line else "")
                lines.append(f"{where}: {problem.message}")
            banner.update("Some profiles could not be read:\n" + "\n".join(lines))
        banner.set_class(not result.problems, "-hidden")
        if self.rapp.demo_profiles and not self._status:
            self.set_status("Demo: emulated tenants on 127.0.0.1. Choose one and press enter.")
        # An empty table takes no focus: focused, even hidden, it would keep enter "Use profile"
        # in the footer with no profile to use.
        table.can_focus = not empty
        if not empty:
            table.focus()
        elif self.focused is table:
            self.set_focus(None)

    def set_status(self, text: str) -> None:
        self._status = text
        self.query_one("#profile-status", PlainStatic).update(text)

    def highlighted(self) -> Profile | None:
        if self.result is None or not self.result.profiles:
            return None
        table = self.query_one(DataTable)
        row = table.cursor_row
        if 0 <= row < len(self.result.profiles):
            return self.result.profiles[row]
        return None

    def _open_start_profile(self) -> None:
        """``--profile NAME`` that the app did not open as its first screen (RegsecretApp)."""
        name = self.rapp.start_profile
        if not name or self.result is None:
            return
        self.rapp.start_profile = None  # once: not again when this screen is shown anew
        profile = self.result.get(name)
        if profile is None:
            from tui.core.foreign_text import displayable

            # On the status line under the list, which it is about: a toast covered the list.
            # The name as typed, on one line and cut short: a long one pushed the list away.
            self.set_status(
                f"There is no profile named “{displayable(name, limit=60)}”. Choose one above, or "
                "press n to create it."
            )
            return
        self.choose(profile)  # ours: its secret comes from the keyring, in a worker

    # --- actions ---------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_select()

    def action_select(self) -> None:
        profile = self.highlighted()
        if profile is None:
            self.notify("No profile to choose yet: press n or i to add one.", severity="warning")
            return
        self.choose(profile)

    def choose(self, profile: Profile, then: Destination = "credentials") -> None:
        self._choose(profile, then)

    @work(exclusive=True, group="profile-choose", exit_on_error=False)
    async def _choose(self, profile: Profile, then: Destination) -> None:
        secret = await self.secret_for(profile)
        if secret is None:
            return
        old = self.rapp.state.select(profile, secret)
        if old is not None:
            await old.aclose()
        self.rapp.nav.after_profile(then)

    async def secret_for(self, profile: Profile) -> Secret | None:
        """The profile's client secret (or X.509 key), or None after telling the user why."""
        if profile.inline_secret is not None:
            return profile.inline_secret
        store = await self.rapp.secret_store()
        try:
            secret = await asyncio.to_thread(store.get, profile.name)
        except Exception as exc:
            self.rapp.show_error("The keyring could not be read", exc)
            return None
        if secret is None:
            secret = await self._ask_secret(profile, store)
        return secret

    async def _ask_secret(self, profile: Profile, store: SecretStore) -> Secret | None:
        """No stored secret: ask for it, and keep it where this machine can (keyring or session)."""
        from tui.core.errors import KeyringError
        from tui.screens.modals import SecretPromptModal

        what = "private key (PEM)" if profile.auth == "x509" else "client secret"
        status = await asyncio.to_thread(store.status)
        if status.usable:
            body = (
                f"The keyring holds no {what} for “{profile.name}”. Enter it from the service "
                "key; it goes to the keyring."
            )
        elif status.locked:
            body = (
                f"The keyring ({status.backend}) is locked or did not answer, so the {what} of "
                f"“{profile.name}” cannot be read from it. Enter it from the service key: it is "
                "kept in memory for this session only (unlock the keyring and restart regsecret "
                "to use the stored one)."
            )
        else:
            body = (
                f"This machine has no usable keyring, so the {what} of “{profile.name}” could "
                "not be kept when it was saved. Enter it from the service key: it is kept in "
                "memory for this session only."
            )
        secret = await self.app.push_screen_wait(
            SecretPromptModal(f"The {what} of “{profile.name}”", body)
        )
        if secret is None:
            return None
        try:
            await asyncio.to_thread(store.set, profile.name, secret)
        except KeyringError as exc:
            # About the session, not this list: it stays on the form the profile opens.
            self.rapp.notify(
                f"{exc.explanation} It is used for this session only.",
                severity="warning",
                lasting=True,
            )
        return secret

    def action_fleet(self) -> None:
        """Every profile's tenant side by side (the demo's three, or all of ours)."""
        profiles = self.result.profiles if self.result is not None else []
        self.rapp.nav.fleet(profiles)

    def action_manage(self) -> None:
        profile = self.highlighted()
        if profile is None:
            self.notify("No profile to choose yet: press n or i to add one.", severity="warning")
            return
        self.choose(profile, then="manage")

    def action_test(self) -> None:
        profile = self.highlighted()
        if profile is None:
            self.notify("No profile to test.", severity="warning")
            return
        self._test(profile)

    @work(exclusive=True, group="profile-test", exit_on_error=False)
    async def _test(self, profile: Profile) -> None:
        secret = await self.secret_for(profile)
        if secret is None:
            return
        from tui.core import workflows
        from tui.screens.person import ScreenPerson

        progress = workflows.connection_test_progress(profile)
        self.set_status(progress)
        try:
            test = await ScreenPerson(self).working(
                progress, workflows.connection_test(profile, secret)
            )
        except workflows.Interrupted:
            self.set_status(f"Stopped the connection test of “{profile.name}”; nothing changed.")
            return
        if test.error is not None:
            self.set_status(f"“{profile.name}”: the connection test failed.")
            self.rapp.show_error(test.title, test.error)
            return
        self.set_status(test.sentence)  # the line under the list; a toast said it again

    def _ours(self, profile: Profile | None, verb: str) -> Profile | None:
        if profile is None:
            self.notify(f"No profile to {verb}.", severity="warning")
            return None
        if profile.read_only:
            advice = "Change it where it comes from, or press n for a profile of your own."
            if str(profile.source) == "demo":
                advice = "Press n for a profile of your own."  # a demo tenant is changed nowhere
            self.set_status(
                f"“{profile.name}” comes from {profile.source} ({profile.origin or 'outside'}); "
                f"regsecret does not {verb} it. {advice}"
            )
            return None
        return profile

    def action_new(self) -> None:
        self.rapp.nav.profile_form(None)

    def action_edit(self) -> None:
        profile = self._ours(self.highlighted(), "edit")
        if profile is not None:
            self.rapp.nav.profile_form(profile)

    def action_delete(self) -> None:
        profile = self._ours(self.highlighted(), "delete")
        if profile is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(profile)

        from tui.screens.modals import ConfirmModal

        self.app.push_screen(
            ConfirmModal(
                f"Delete profile “{profile.name}”?",
                f"The profile and its client secret in the keyring are removed from this machine. "
                f"Nothing changes in the tenant at {host_of(profile.api_url)}.",
                yes="Delete",
                no="Keep",
            ),
            answered,
        )

    @work(exclusive=True, group="profile-delete", exit_on_error=False)
    async def _delete(self, profile: Profile) -> None:
        from tui.core.profile_actions import ProfileStore, delete_profile, deleted_sentence

        store = await self.rapp.secret_store()
        try:
            removal = await asyncio.to_thread(
                delete_profile, profile.name, store=ProfileStore(), secrets=store
            )
        except Exception as exc:
            self.rapp.show_error(f"“{profile.name}” was not deleted", exc)
            return
        self.set_status(deleted_sentence(profile.name, removal, store))
        self.reload()

    def action_import_key(self) -> None:
        self.rapp.nav.import_key()
