"""Step 6: the tenant's secrets, with the quota; filter, update, delete, copy YAML."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.core import workflows
from tui.core.snippets import serving_snippet, workflow_snippet
from tui.screens.base import BaseScreen
from tui.screens.person import ScreenPerson
from tui.widgets.plain import PlainLabel, plain

if TYPE_CHECKING:
    from tui.core.ledger import LedgerEntry

OUTSIDE = "registered outside regsecret"


def known_here(tenant_key: str) -> dict[str, LedgerEntry]:
    """The ledger's entries for this tenant; none when it cannot be read (the list still works)."""
    from tui.core.ledger import Ledger

    if not tenant_key:
        return {}
    try:
        return Ledger().load().for_tenant(tenant_key)
    except Exception:
        return {}


def row_text(name: str, entry: LedgerEntry | None) -> str:
    """One secret's row: its name, then the ledger's columns or that regsecret did not make it."""
    if entry is None:
        return f"{name} · {OUTSIDE}"
    rotated = entry.last_rotated
    when = rotated.strftime("%Y-%m-%d") if rotated is not None else "?"
    expires = entry.expires_at.strftime("%Y-%m-%d %H:%M") if entry.expires_at else "no expiry"
    return f"{name} · {entry.registry} · {entry.username} · rotated {when} · {expires}"


class ManageScreen(BaseScreen):
    TITLE = "Manage secrets"
    HELP = (
        "Every docker registry secret of the tenant (they are shared by all resource groups). "
        "/ filters the list, escape clears the filter. AI Core never returns stored "
        "credentials, so updating means entering them again. Deleting asks you to type the name."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        # The list has the keys, as the profiles list: the same letters as on the other screens
        # (w/s as on the result screen, n new, d delete, r refresh); / moves to the filter.
        Binding("enter", "update", "Update", id="update-credentials"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("w", "copy_workflow", "Copy workflow YAML", id="copy-workflow-yaml"),
        Binding("s", "copy_serving", "Copy serving YAML", id="copy-serving-yaml"),
        Binding("d", "delete", "Delete", id="delete"),
        Binding("n", "new", "New", show=False, id="new"),
        Binding("r", "refresh", "Refresh", show=False, id="refresh"),
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("down", "move(1)", "Next", show=False, id="next"),
        Binding("up", "move(-1)", "Previous", show=False, id="previous"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        # What the ledger knows of this tenant's secrets (registry, user, rotated, expiry).
        self.known: dict[str, LedgerEntry] = {}
        self._stale = False
        self._filtering = False
        # The list shows its own loading indicator; a delete shows the busy dialog (escape
        # stops it) and then its toast.
        self._person = ScreenPerson(self, busy_dialog=False)
        self._deleter = ScreenPerson(self)

    def compose(self) -> ComposeResult:
        yield PlainLabel(f"Secrets in {self.rapp.state.tenant_label()}", classes="screen-title")
        yield Static("Quota: …", id="quota", markup=False)
        yield Input(placeholder="/ filters", id="filter", compact=True)
        yield OptionList(id="secret-list")
        yield Label(
            "enter updates the highlighted secret's credentials · n registers a new one · "
            "r refreshes",
            classes="hint",
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.rapp.secrets_changed.subscribe(self, self._secret_changed, immediate=True)
        self.action_refresh()

    def _secret_changed(self, name: str) -> None:
        """Another screen changed a secret: refresh the list when this one shows again."""
        # Not while on top (its own delete refreshes at once); is_current is no test here, it
        # counts screens drawn behind the top one.
        if self.app.screen is not self:
            self._stale = True

    def action_refresh(self) -> None:
        self.query_one(OptionList).loading = True
        self._load()

    @work(exclusive=True, group="manage-load", exit_on_error=False)
    async def _load(self) -> None:
        state = self.rapp.state
        option_list = self.query_one(OptionList)
        listing = await workflows.list_secrets(state.client(), self._person, state.tenant())
        option_list.loading = False
        # A loading list gives its focus away (to the filter, where letters would type): the
        # list takes the keys back unless the user went to the filter with /.
        if not self._filtering:
            option_list.focus()
        if listing.error is not None:
            self.query_one("#quota", Static).update("The list could not be read.")
            self.rapp.show_error(listing.title, listing.error)
            return
        self.names = listing.names
        self.known = await asyncio.to_thread(known_here, state.tenant().key)
        quota = listing.quota.describe() if listing.quota is not None else "quota unknown"
        self.query_one("#quota", Static).update(f"Quota: {quota}")
        self._apply_filter()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._apply_filter()

    def visible_names(self) -> list[str]:
        text = self.query_one("#filter", Input).value.strip().lower()
        return [name for name in self.names if text in name.lower()]

    def _apply_filter(self) -> None:
        option_list = self.query_one(OptionList)
        current = self.selected()
        shown = self.visible_names()
        option_list.clear_options()
        if not shown:
            empty = "No secrets yet: n registers one." if not self.names else "No match."
            option_list.add_option(Option(empty, id="", disabled=True))
            return
        # Names come from the server: shown as plain text, kept exact as the option's id.
        option_list.add_options(
            [
                Option(plain(row_text(name, self.known.get(name)), multiline=False), id=name)
                for name in shown
            ]
        )
        option_list.highlighted = shown.index(current) if current in shown else 0

    def selected(self) -> str | None:
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if index is None or index >= option_list.option_count:
            return None
        option = option_list.get_option_at_index(index)
        return option.id or None

    def _need_selection(self) -> str | None:
        name = self.selected()
        if name is None:
            self.notify("No secret selected.", severity="warning")
        return name

    def action_filter(self) -> None:
        self._filtering = True
        self.query_one("#filter", Input).focus()

    def _to_list(self) -> None:
        self._filtering = False
        self.query_one(OptionList).focus()

    def action_back(self) -> None:
        # A filter typed is cleared first (and the list takes the keys again); then escape leaves.
        field = self.query_one("#filter", Input)
        if field.value or field.has_focus:
            field.value = ""
            self._to_list()
            return
        super().action_back()

    def action_move(self, delta: int) -> None:
        # From the filter, the arrows move the highlight and hand the keys back to the list.
        option_list = self.query_one(OptionList)
        if option_list.has_focus:
            return
        self._to_list()
        if delta > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # enter keeps the filter and gives the keys back to the list, as in k9s and lazygit.
        event.stop()
        self._to_list()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_update()

    def action_update(self) -> None:
        name = self._need_selection()
        if name is None:
            return
        self._stale = True
        self.rapp.nav.update_secret(name)

    def action_new(self) -> None:
        self._stale = True
        self.rapp.nav.new_secret()

    def action_copy_workflow(self) -> None:
        name = self._need_selection()
        if name is not None:
            self.rapp.copy_text(workflow_snippet(name), f"the workflow-template YAML for {name}")

    def action_copy_serving(self) -> None:
        name = self._need_selection()
        if name is not None:
            self.rapp.copy_text(serving_snippet(name), f"the serving-template YAML for {name}")

    def action_delete(self) -> None:
        name = self._need_selection()
        if name is not None:
            self._delete(name)

    @work(exclusive=True, group="manage-delete", exit_on_error=False)
    async def _delete(self, name: str) -> None:
        state = self.rapp.state
        result = await workflows.delete(state.client(), self._deleter, name, state.tenant())
        if result.error is not None:
            self.rapp.show_error(result.title, result.error)
        elif result.outcome is workflows.Outcome.STOPPED:
            self._deleter.tell(workflows.stopped_notice(result))
            if result.sent:
                self.action_refresh()  # the list shows whether it is still there
        elif result.changed:
            self.notify(result.sentence)
            self.rapp.secrets_changed.publish(name)
            self.action_refresh()

    def on_screen_resume(self) -> None:
        # Back from an update or a new registration the list may have changed; back from a
        # dialog it has not (and an error dialog must not reopen itself by refreshing).
        if self._stale:
            self._stale = False
            self.action_refresh()
