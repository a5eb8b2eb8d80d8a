"""The fleet view: secret names down the side, tenants across, loaded concurrently.

Each cell says whether the tenant has the secret (its live list) and, from the ledger, when it was
last rotated and whether it expires soon. A column header is the tenant's name; the row under it
says how many secrets it uses of its quota, or that it is loading, or why it cannot be reached.
Every name and server sentence goes through the foreign-text boundary and is shown as plain text,
never as markup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Input, Label

from tui.core.fleet import (
    Cell,
    Load,
    Matrix,
    TenantState,
    build_matrix,
    matching_sentence,
    secrets_word,
    usage,
)
from tui.core.foreign_text import displayable
from tui.core.ledger import LedgerRead
from tui.core.wording import counted
from tui.screens.base import BaseScreen
from tui.widgets.bounded_input import BoundedInput
from tui.widgets.plain import PlainStatic, plain_cell

if TYPE_CHECKING:
    from tui.core.fleet import Fleet
    from tui.core.profile_actions import Profile
    from tui.core.secret import Secret

#: The first row: each tenant's state (how many secrets of its quota, loading, or why it cannot
#: be reached), under the row of names.
STATUS_ROW = "\x00status"
#: What the corner says of the row of names and of the state row under it: plain words, as a
#: person reads a table's first column.
NAMES_CORNER = "Tenant"
STATUS_LABEL = "Secrets used"
#: Room for a tenant's sentence in its column; the whole sentence is shown below the table.
COLUMN_TEXT = 28


def header(state: TenantState) -> Text:
    """The column header: the tenant's name (its quota is in the row under it)."""
    return Text(displayable(state.member, limit=24), style="bold")


def status_text(state: TenantState) -> Text:
    """Under the tenant's name: how many secrets of its quota, said once, or why none are known."""
    words = usage(state)
    if state.status is Load.LOADING:
        return Text(words, style="italic")
    if state.status is Load.UNREACHABLE:
        return Text(f"{words}: " + displayable(state.sentence, limit=COLUMN_TEXT), "bold red")
    return Text(words, style="bold yellow" if state.at_quota else "")


def cell_text(cell: Cell, state: TenantState) -> Text:
    """One secret in one tenant, in a few characters a person reads at a glance."""
    if cell.present is None:
        return Text("?" if state.status is Load.UNREACHABLE else "…", style="dim")
    if not cell.present:
        return Text("—" if cell.entry is None else "missing (ledger has it)", style="dim")
    if cell.entry is None:
        return Text("✓ outside regsecret")
    rotated = cell.last_rotated
    when = rotated.strftime("%Y-%m-%d") if rotated is not None else "?"
    if cell.expired:
        return Text(f"✓ {when} EXPIRED", style="bold red")
    if cell.expires_soon:
        return Text(f"✓ {when} expires soon", style="bold yellow")
    return Text(f"✓ {when}")


class FleetTable(DataTable[Text]):
    """The matrix; enter on a row rotates that secret.

    The first row (each tenant's state) is not a secret: the cursor never lands on it while a
    secret is listed (keys, mouse, a redraw), so it starts on the first secret and what enter
    or o rotates is always the highlighted name.

    The table leaves enter to the screen (as the manage table does): its own enter (select the
    cursor, hidden) had no id and no place in help, which listed o but not enter. A click on the
    highlighted cell still selects it, and the screen rotates that secret too.
    """

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return False  # the key goes on to the screen's enter (Rotate)
        return super().check_action(action, parameters)

    def validate_cursor_coordinate(self, value: Coordinate) -> Coordinate:
        coordinate = super().validate_cursor_coordinate(value)
        if coordinate.row == 0 and self.row_count > 1:
            return Coordinate(1, coordinate.column)
        return coordinate


class FleetScreen(BaseScreen):
    # Not "Fleet: …": help's title is "Help: " and this, and two colons read as a path.
    TITLE = "Secrets by tenant (fleet view)"
    HELP = (
        "Every chosen tenant's registry secrets side by side: a row per secret, a column per "
        "tenant, and under each tenant's name how many secrets it uses of its quota. ✓ the "
        "tenant has it, with the day regsecret last rotated it there and whether it expires "
        "soon (its ledger); “outside regsecret” when the ledger does not know it; — it is not "
        "there; ? the tenant could not be reached. The line at the bottom says more of the "
        "highlighted cell. Enter or o rotates the highlighted secret across tenants; / filters "
        "the names (escape clears the filter); r reads every tenant again."
    )
    DEFAULT_CSS = """
    /* The table takes the room, so the line under it stays in view with many secrets. */
    #fleet-table {
        height: 1fr;
    }

    /* In line with the title and the table's cells. */
    #fleet-progress, #fleet-detail {
        height: auto;
        padding: 0 1;
    }
    """
    AUTO_FOCUS = "#fleet-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=False, id="back"),
        # Not in the footer (the line under the table says it; the footer must fit 80 columns);
        # help and the palette list it with the whole sentence.
        Binding(
            "enter",
            "rotate_highlighted",
            "Rotate",
            tooltip="Rotate the highlighted secret across tenants",
            show=False,
            id="fleet.rotate-highlighted",
        ),
        # Decided as the key arrives (priority): the keys typed right after / then go to the
        # filter, not to the table (where they would be lost). No secret name holds a "/".
        Binding("slash", "filter", "Filter names", id="fleet.filter", priority=True),
        Binding("o", "rotate", "Rotate across tenants", id="fleet.rotate"),
        Binding("r", "reload", "Refresh", id="fleet.reload"),
    ]

    def __init__(self, profiles: Sequence[Profile]) -> None:
        super().__init__()
        self.profiles = list(profiles)
        self.states: dict[str, TenantState] = {}
        self.ledger = LedgerRead({})
        self.matrix: Matrix | None = None
        self.fleet: Fleet | None = None
        self.filter_text = ""
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Label(self.TITLE, classes="screen-title")
        yield PlainStatic("", id="fleet-progress")
        box = BoundedInput(
            placeholder="filter the names (enter: back to the table, esc: clear)",
            id="fleet-filter",
            compact=True,
        )
        box.display = False  # shown by /: hidden, it must take neither focus nor keys
        yield box
        # The names and the tenants' states stay in view while 20 tenants scroll past.
        yield FleetTable(id="fleet-table", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
        yield PlainStatic("", id="fleet-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.rapp.secrets_changed.subscribe(self, self._secret_changed, immediate=True)
        self.load()

    def _secret_changed(self, name: str) -> None:
        # A rotation (or a form) changed a secret: the matrix is read again when this shows.
        if self.app.screen is not self:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.load()

    async def on_unmount(self) -> None:
        if self.fleet is not None:
            await self.fleet.aclose()

    # --- loading -----------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.load()

    def load(self) -> None:
        self._load()

    @work(exclusive=True, group="fleet-load", exit_on_error=False)
    async def _load(self) -> None:
        from tui.core.fleet import load_fleet, open_fleet, read_ledgers

        if self.fleet is not None:
            await self.fleet.aclose()
        secrets = await self._secrets()
        fleet = open_fleet(self.profiles, secret_for=lambda p: secrets.get(p.name))
        self.fleet = fleet
        try:
            self.ledger = await asyncio.to_thread(read_ledgers, fleet.members)
        except Exception as exc:  # the matrix stays useful without the ledger's columns
            self.ledger = LedgerRead({}, problem=str(exc))
        self.states = {}
        async for state in load_fleet(fleet.members):
            self.states[state.member] = state
            self.redraw()

    async def _secrets(self) -> dict[str, Secret | None]:
        """Each profile's client secret, read from the keyring in a thread (never asked here)."""
        store = None
        found: dict[str, Secret | None] = {}
        for profile in self.profiles:
            if profile.inline_secret is not None:
                found[profile.name] = profile.inline_secret
                continue
            if store is None:
                store = await self.rapp.secret_store()
            try:
                found[profile.name] = await asyncio.to_thread(store.get, profile.name)
            except Exception:
                found[profile.name] = None  # open_fleet says "no secret" in that column
        return found

    # --- drawing -----------------------------------------------------------------------------

    def redraw(self) -> None:
        matrix = build_matrix(self.states.values(), self.ledger)
        self.matrix = matrix
        shown = matrix.filtered(self.filter_text) if self.filter_text else matrix
        table = self.query_one(FleetTable)
        row, column = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column(Text(NAMES_CORNER, style="bold"), key="\x00name")
        for state in shown.tenants:
            table.add_column(header(state), key=state.member)
        table.add_row(
            Text(STATUS_LABEL, style="bold"), *map(status_text, shown.tenants), key=STATUS_ROW
        )
        # Fixed once it is there: a table that fills its room draws before the first tenant
        # answers, and Textual cannot draw a fixed row that does not exist (KeyError).
        table.fixed_rows = 1
        for name in shown.names:
            cells = [cell_text(shown.cell(name, t.member), t) for t in shown.tenants]
            table.add_row(plain_cell(name, limit=40), *cells, key=name)
        table.move_cursor(row=row, column=column)
        self._progress(matrix)
        self._detail()

    def _progress(self, matrix: Matrix) -> None:
        total = len(matrix.tenants)
        loading = sum(1 for t in matrix.tenants if t.status is Load.LOADING)
        down = sum(1 for t in matrix.tenants if t.status is Load.UNREACHABLE)
        words = f"{total - loading} of {counted(total, 'tenant')} answered"
        if loading:
            words = f"Loading… {words}"
        if down:
            words += f"; {down} unreachable"
        total_names = len(matrix.names)
        if self.filter_text:
            matched = len(matrix.filtered(self.filter_text).names)
            words += f"; {matching_sentence(matched, total_names, self.filter_text)}"
        else:
            words += f"; {secrets_word(total_names)}"
        if matrix.ledger_problem:
            words += f". The ledger could not be read: {displayable(matrix.ledger_problem)}"
        self.query_one("#fleet-progress", PlainStatic).update(words + ".")

    def highlighted(self) -> tuple[str | None, TenantState | None]:
        """The secret name (None on the status row) and the tenant under the cursor."""
        if self.matrix is None:
            return None, None
        table = self.query_one(FleetTable)
        if not table.row_count:
            return None, None
        row_key, column_key = table.coordinate_to_cell_key(table.cursor_coordinate)
        name = row_key.value if row_key.value != STATUS_ROW else None
        state = self.states.get(str(column_key.value))
        return name, state

    def _detail(self) -> None:
        name, state = self.highlighted()
        words = "Move to a tenant's cell for its details; enter or o rotates that row's secret."
        if state is not None:
            words = f"{state.member}: " + (state.sentence or state.status.value)
            if name is not None and self.matrix is not None:
                cell = self.matrix.cell(name, state.member)
                entry = cell.entry
                if entry is not None:
                    expires = entry.expires_at.isoformat() if entry.expires_at else "no expiry"
                    words += (
                        f" {name}: {entry.registry}, user {entry.username}, last rotated "
                        f"{entry.last_rotated or '?'}, {expires}."
                    )
                elif cell.present:
                    words += f" {name}: registered outside regsecret (its ledger has no entry)."
                elif cell.present is False:
                    words += f" {name}: not in this tenant; o creates it here too."
        self.query_one("#fleet-detail", PlainStatic).update(words)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._detail()

    # --- filter ------------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#fleet-filter", Input)
        box.display = True
        self.set_focus(box)  # at once: box.focus() waits a turn, and the next keys with it

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "fleet-filter":
            self.filter_text = event.value
            self.redraw()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "fleet-filter":
            self.query_one(FleetTable).focus()

    def action_back(self) -> None:
        # Esc clears the filter first; with none, it goes back.
        box = self.query_one("#fleet-filter", Input)
        if self.filter_text or box.display:
            box.value = ""
            self.filter_text = ""
            box.display = False
            self.query_one(FleetTable).focus()
            self.redraw()
            return
        super().action_back()

    # --- rotate ------------------------------------------------------------------------------

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()  # a click on the highlighted cell
        self.action_rotate()

    def action_rotate_highlighted(self) -> None:
        self.action_rotate()

    def action_rotate(self) -> None:
        if self.fleet is None or self.matrix is None:
            self.notify("The tenants are still loading.", severity="warning")
            return
        name, _ = self.highlighted()
        # The login check reaches the registry; profiles that say not to (a demo without its own
        # registry) are not checked, as in the single-tenant form.
        check = all(p.check_registry_login for p in self.profiles)
        self.rapp.nav.rotate(self.fleet, self.matrix, name, check_login=check)
