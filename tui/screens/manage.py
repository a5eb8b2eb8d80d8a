"""Step 6: the tenant's secrets, with the quota; filter, update, delete, copy YAML."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Label, Static

from tui.core import workflows
from tui.core.foreign_text import displayable
from tui.core.secret_rows import (
    COLUMNS,
    UNKNOWN,
    SortOrder,
    cells,
    column_minimums,
    details,
    fit_widths,
    sorted_names,
)
from tui.core.snippets import serving_snippet, workflow_snippet
from tui.screens.base import BaseScreen
from tui.screens.person import ScreenPerson
from tui.widgets.bounded_input import BoundedInput
from tui.widgets.plain import PlainLabel, PlainStatic, plain_cell
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.core.ledger import LedgerEntry
    from tui.core.session import Tenant

#: From this width the details of the highlighted secret stand beside the table.
WIDE = 140


def known_here(tenant: Tenant) -> dict[str, LedgerEntry]:
    """The ledger's entries for this tenant; none when it cannot be read (the list still works)."""
    if not tenant.key:
        return {}
    try:
        return tenant.ledger().load().for_tenant(tenant.key)
    except Exception:
        return {}


def details_view(name: str, entry: LedgerEntry | None) -> RenderableType:
    """The details pane: the name, what the ledger knows, then the YAML that uses the secret.

    The name comes from the server and the ledger's values from a file: each goes through the
    display boundary into a Text, which Rich never reads as markup.
    """
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    if entry is not None:
        for label, value in details(entry):
            grid.add_row(Text(label), Text(displayable(value, limit=400)))
    parts: list[RenderableType] = [
        Text(displayable(name, limit=200), style="bold"),
        Text(""),
        grid if entry is not None else Text(UNKNOWN),
    ]
    for heading, snippet in (
        ("Workflow template (w copies it)", workflow_snippet(name)),
        ("Serving template (s copies it)", serving_snippet(name)),
    ):
        yaml = displayable(snippet, multiline=True)
        parts += [Text(""), Text(heading, style="bold"), Text(yaml, no_wrap=True)]
    return Group(*parts)


class SecretTable(DataTable[Text]):
    """The secrets, one row each; enter on a row updates that secret's credentials.

    The table leaves enter to the screen: DataTable's own enter (select the cursor, hidden)
    would otherwise shadow the screen's binding, and help and the palette, which list the
    active bindings, would not know that enter updates the highlighted secret. A click on the
    highlighted row still selects it (the screen then updates it too).

    The columns are fitted to the table's width, now and on every resize: a long cell (a name,
    a registry) is cut with an ellipsis so that every column and the sort arrow stay on screen;
    the exact name stays the row's key, and the screen shows the whole of a cut one.
    """

    class Fitted(Message):
        """The rows were drawn anew (new rows, or another width): cut names may have changed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._headings: list[tuple[str, str]] = []
        self._rows: list[tuple[str, list[Text]]] = []
        self._cut: set[str] = set()
        self._fitted_room: int | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return False  # the key goes on to the screen's enter (Update)
        return super().check_action(action, parameters)

    def show(self, headings: list[tuple[str, str]], rows: list[tuple[str, list[Text]]]) -> None:
        """These headings (key, text) and rows (name, cells), fitted to the width, cursor kept."""
        self._headings, self._rows = headings, rows
        self._fit()

    def is_cut(self, name: str) -> bool:
        """Whether the name column shows ``name`` cut short."""
        return name in self._cut

    def on_resize(self, event: events.Resize) -> None:
        if self._headings and self._room() != self._fitted_room:
            self._fit()

    def _room(self) -> int:
        """The width the cells may take: the table's, less the cells' padding and the vertical
        scroll bar when the rows need one."""
        padding = 2 * self.cell_padding * len(self._headings)
        rows_shown = self.size.height - self.header_height
        scrollbar = self.styles.scrollbar_size_vertical if len(self._rows) > rows_shown else 0
        return self.size.width - padding - scrollbar

    def _fit(self) -> None:
        current = self.highlighted_name()
        headings = [cell_len(heading) for _key, heading in self._headings]
        natural = [
            max([width, *(row[i].cell_len for _name, row in self._rows)])
            for i, width in enumerate(headings)
        ]
        room = self._room()
        widths = fit_widths(natural, column_minimums(headings), room)
        self._fitted_room = room
        self.clear(columns=True)
        for (key, heading), width in zip(self._headings, widths, strict=True):
            self.add_column(heading, width=width, key=key)
        self._cut = set()
        for name, row in self._rows:
            shown = []
            for index, (cell, width) in enumerate(zip(row, widths, strict=True)):
                if cell.cell_len > width:
                    cell = cell.copy()
                    cell.truncate(width, overflow="ellipsis")
                    if index == 0:
                        self._cut.add(name)
                shown.append(cell)
            self.add_row(*shown, key=name)
        names = [name for name, _cells in self._rows]
        if current in names:
            self.move_cursor(row=names.index(current), animate=False)
        self.post_message(self.Fitted())

    def highlighted_name(self) -> str | None:
        if not self.row_count or not self.is_valid_row_index(self.cursor_row):
            return None
        row_key, _column = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value


class ManageScreen(BaseScreen):
    TITLE = "Manage secrets"
    # Its own rules, read when it first opens: app.tcss is read before the first frame.
    DEFAULT_CSS = """
    #manage-body {
        height: 1fr;
        margin: 0 1;
    }

    #secret-pane {
        width: 1fr;
    }

    #secret-table {
        height: 1fr;
    }

    #secret-empty {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }

    /* The whole name of the highlighted secret when the table cut it (narrow terminals). */
    #secret-name {
        height: auto;
        padding: 0 1;
    }

    /* Beside the table from 140 columns (ManageScreen.HORIZONTAL_BREAKPOINTS), gone below. */
    #secret-details {
        width: 64;
        height: 1fr;
        margin: 0 0 0 1;
        padding: 0 1;
        border-left: vkey $primary;
    }

    ManageScreen.-narrow #secret-details {
        display: none;
    }
    """
    HELP = (
        "Every docker registry secret of the tenant (they are shared by all resource groups), "
        "with the registry, user and last rotation that regsecret's ledger knows of. "
        "/ filters the list, escape clears the filter; f6 (or a click on a heading) changes "
        "the order. On a terminal at least 140 columns wide the highlighted secret's details "
        "and YAML stand beside the table. AI Core never returns stored credentials, so "
        "updating means entering them again. Deleting asks you to type the name."
    )
    # Not annotated ClassVar: Textual declares it "ClassVar[...] | None", which mypy reads as an
    # instance variable that a ClassVar may not override.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]  # noqa: RUF012
    # The table has the focus from the first frame. Textual's own pick (the first focusable,
    # the filter) stayed: on_mount's table.focus() comes a turn later, when the table is
    # already covered by its loading indicator and cannot take it, so n, r or / typed while the
    # list loaded were typed into the filter. A covered table keeps the focus and leaves its
    # keys to the screen's bindings.
    AUTO_FOCUS = "#secret-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        # The table has the keys, as the profiles list: the same letters as on the other
        # screens (w/s as on the result screen, n new, d delete, r refresh); / moves to the
        # filter; f6 sorts, as in htop (o rotates in the fleet view: one letter, one meaning).
        # Not in the footer (the hint line under the table says it; the footer must fit 80
        # columns); help and the palette list it with the whole sentence.
        Binding(
            "enter",
            "update",
            "Update",
            tooltip="Update the highlighted secret's credentials",
            show=False,
            id="update-credentials",
        ),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("f6", "sort", "Sort", tooltip="Sort by the next column", id="sort"),
        # Shorter than on the result screen: with Sort, the footer must fit 80 columns.
        Binding(
            "w",
            "copy_workflow",
            "Copy workflow",
            tooltip="Copy the workflow-template YAML",
            id="copy-workflow-yaml",
        ),
        Binding(
            "s",
            "copy_serving",
            "Copy serving",
            tooltip="Copy the serving-template YAML",
            id="copy-serving-yaml",
        ),
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
        self.order = SortOrder()
        self._stale = False
        self._filtering = False
        # The list shows its own loading indicator; a delete shows the busy dialog (escape
        # stops it) and then its toast.
        self._person = ScreenPerson(self, busy_dialog=False)
        self._deleter = ScreenPerson(self)

    def compose(self) -> ComposeResult:
        yield PlainLabel(f"Secrets in {self.rapp.state.tenant_label()}", classes="screen-title")
        yield Static("Quota: …", id="quota", markup=False)
        yield BoundedInput(placeholder="/ filters", id="filter", compact=True)
        with Horizontal(id="manage-body"):
            with Vertical(id="secret-pane"):
                yield PlainStatic("", id="secret-empty")
                yield SecretTable(id="secret-table", cursor_type="row", zebra_stripes=True)
                yield PlainStatic("", id="secret-name")
                yield StatusLine(id="manage-status")
            with VerticalScroll(id="secret-details", can_focus=False):
                yield Static("", id="details-view", markup=False)
        yield Label(
            "enter updates the highlighted secret · n registers a new one · r refreshes",
            classes="hint",
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#secret-empty").display = False
        self.query_one("#secret-name").display = False
        self._table().focus()
        self.rapp.secrets_changed.subscribe(self, self._secret_changed, immediate=True)
        self.action_refresh()

    def _table(self) -> SecretTable:
        return self.query_one(SecretTable)

    def _secret_changed(self, name: str) -> None:
        """Another screen changed a secret: refresh the list when this one shows again."""
        # Not while on top (its own delete refreshes at once); is_current is no test here, it
        # counts screens drawn behind the top one.
        if self.app.screen is not self:
            self._stale = True

    def action_refresh(self) -> None:
        self._table().loading = True
        self._load()

    @work(exclusive=True, group="manage-load", exit_on_error=False)
    async def _load(self) -> None:
        state = self.rapp.state
        table = self._table()
        listing = await workflows.list_secrets(state.client(), self._person, state.tenant())
        table.loading = False
        # The table takes the keys (back) unless the user went to the filter with /.
        if not self._filtering:
            table.focus()
        if listing.error is not None:
            self.query_one("#quota", Static).update("The list could not be read.")
            self.rapp.show_error(listing.title, listing.error)
            return
        self.names = listing.names
        state.listed(listing.names)
        self.known = await asyncio.to_thread(known_here, state.tenant())
        quota = listing.quota.describe() if listing.quota is not None else "quota unknown"
        self.query_one("#quota", Static).update(f"Quota: {quota}")
        self._redraw()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._redraw()

    def visible_names(self) -> list[str]:
        """The names the filter lets through, in the table's order."""
        text = self.query_one("#filter", Input).value.strip().lower()
        shown = [name for name in self.names if text in name.lower()]
        return sorted_names(shown, self.known, self.order)

    def _redraw(self) -> None:
        """The table anew (a tenant holds at most its quota of secrets), the cursor kept."""
        shown = self.visible_names()
        headings = [(key, self.order.heading(key, heading)) for key, heading in COLUMNS]
        # Names come from the server: plain cells, never markup; the exact name is the row key.
        rows = [
            (name, [plain_cell(cell) for cell in cells(name, self.known.get(name))])
            for name in shown
        ]
        self._table().show(headings, rows)
        empty = self.query_one("#secret-empty", PlainStatic)
        empty.display = not shown
        empty.update("No secrets yet: n registers one." if not self.names else "No match.")
        self._show_details()

    def selected(self) -> str | None:
        return self._table().highlighted_name()

    def _show_details(self) -> None:
        name = self.selected()
        view = self.query_one("#details-view", Static)
        view.update("" if name is None else details_view(name, self.known.get(name)))
        # The whole of a name the table cut, under it: the details beside the table show it on
        # a wide terminal, the narrow one has only this line.
        full = self.query_one("#secret-name", PlainStatic)
        cut = name is not None and self._table().is_cut(name) and not self._wide()
        full.display = cut
        if cut and name is not None:
            full.update(
                Text.assemble(("Highlighted: ", "dim"), (displayable(name, limit=200), "bold"))
            )
        else:
            full.update("")

    def _wide(self) -> bool:
        return self.has_class("-wide")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_details()

    def on_secret_table_fitted(self, event: SecretTable.Fitted) -> None:
        self._show_details()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # enter on a row, or a click on the highlighted one.
        event.stop()
        self.action_update()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self._sort(self.order.by(str(event.column_key.value)))

    def action_sort(self) -> None:
        self._sort(self.order.cycled())

    def _sort(self, order: SortOrder) -> None:
        # No toast: pressed a few times in a row, they stacked up over the table. The arrow in
        # the heading shows the order, this line says it.
        self.order = order
        self._redraw()
        self.query_one(StatusLine).say(f"Secrets {order.describe()}.")

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
        self._table().focus()

    def action_back(self) -> None:
        # A filter typed is cleared first (and the table takes the keys again); then escape
        # leaves.
        field = self.query_one("#filter", Input)
        if field.value or field.has_focus:
            field.value = ""
            self._to_list()
            return
        super().action_back()

    def action_move(self, delta: int) -> None:
        # From the filter, the arrows move the highlight and hand the keys back to the table.
        table = self._table()
        if table.has_focus:
            return
        self._to_list()
        if delta > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # enter keeps the filter and gives the keys back to the table, as in k9s and lazygit.
        event.stop()
        self._to_list()

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
            state.gone(name)
            self.rapp.report(self, result.sentence)
            self.rapp.secrets_changed.publish(name)
            self.action_refresh()

    def on_screen_resume(self) -> None:
        # Back from an update or a new registration the list may have changed; back from a
        # dialog it has not (and an error dialog must not reopen itself by refreshing).
        if self._stale:
            self._stale = False
            self.action_refresh()
