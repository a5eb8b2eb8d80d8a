"""Rotate one credential across tenants: enter it once, check the login once, confirm once, watch.

The credential is entered once (the form's fields and rules, tui/core/request.py), the tenants are
chosen with a multi-select ("all that have it", "all"), the registry login is checked once, a
masked preview says what goes where, and one confirmation sends it to every chosen tenant at once
(tui/core/rotation.py). The table below shows each tenant waiting, sending, done or failed with
its sentence; failed ones can be retried alone. Nothing is shown as done that AI Core did not
confirm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Input, Label, SelectionList, Static

from tui.core.foreign_text import displayable
from tui.core.request import SecretDraft, has_errors, validate_draft
from tui.core.rotation import Rotation, Step, TenantRotation
from tui.core.secret import Secret
from tui.screens.base import BaseScreen
from tui.screens.person import ScreenPerson
from tui.widgets.password_input import PasswordInput

if TYPE_CHECKING:
    from tui.core.fleet import Fleet, Matrix

_STEP_STYLE = {
    Step.WAITING: "dim",
    Step.SENDING: "bold",
    Step.DONE: "bold green",
    Step.FAILED: "bold red",
}


def preview_text(draft: SecretDraft, chosen: list[str], holders: set[str]) -> str:
    """What will be sent where, the password masked: one line per tenant."""
    lines = [
        f"Secret “{draft.name}”: registry {draft.registry}, user {draft.username}, "
        f"password {'•' * 8} (masked)" + (f", email {draft.email}" if draft.email else "") + ".",
        "",
    ]
    for name in chosen:
        verb = "update" if name in holders else "create"
        lines.append(f"  {name}: {verb}")
    return displayable("\n".join(lines), limit=4000, multiline=True)


class RotateScreen(BaseScreen):
    TITLE = "Rotate across tenants"
    HELP = (
        "One credential into several tenants. Fill the secret's fields once, choose the tenants "
        "(space toggles one; ctrl+t all, ctrl+g all that have it), then ctrl+s: the registry "
        "login is checked once, a masked preview says what goes where, and after one yes every "
        "chosen tenant is created or updated at once. Failed tenants: ctrl+r retries them alone. "
        "ctrl+y copies the summary."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=False, id="back"),
        # Short words for the footer (80 columns); help and the palette show the tooltips.
        Binding(
            "ctrl+s",
            "send",
            "Send",
            tooltip="Check the login, preview, then send",
            id="rotate.send",
            priority=True,
        ),
        Binding("ctrl+t", "all", "All", tooltip="Choose all tenants", id="rotate.all"),
        Binding(
            "ctrl+g", "having", "Holders", tooltip="Choose all that have it", id="rotate.having"
        ),
        Binding("ctrl+r", "retry", "Retry", tooltip="Retry the failed tenants", id="rotate.retry"),
        Binding("ctrl+y", "copy_summary", "Copy", tooltip="Copy the summary", id="rotate.copy"),
    ]

    def __init__(
        self, fleet: Fleet, matrix: Matrix, name: str | None, *, check_login: bool = True
    ) -> None:
        super().__init__()
        self.fleet = fleet
        self.matrix = matrix
        self.start_name = name or ""
        self.check_login = check_login
        self.rotation: Rotation | None = None
        self.person = ScreenPerson(self)

    def compose(self) -> ComposeResult:
        yield Label(self.TITLE, classes="screen-title")
        with VerticalScroll(id="rotate-form"):
            yield Label("Secret name")
            yield Input(self.start_name, id="name")
            yield Label("Registry")
            yield Input(self._known("registry"), id="registry")
            yield Label("Username")
            yield Input(self._known("username"), id="username")
            yield Label("Password or token")
            yield PasswordInput(id="password")
            yield Label("Email (optional)")
            yield Input(id="email")
            yield Label("Tenants (space toggles)")
            yield SelectionList[str](
                *[(m.name, m.name, m.name in self._holders()) for m in self.fleet.members],
                id="tenants",
            )
        yield DataTable[Text](id="rotate-table", cursor_type="row", classes="-hidden")
        yield Static("", id="rotate-summary", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#rotate-table", DataTable)
        table.add_columns("tenant", "state", "what happened")

    def _holders(self) -> set[str]:
        return set(self.matrix.holders(self.start_name)) if self.start_name else set()

    def _known(self, field: str) -> str:
        """The registry or username the ledger knows for this secret (one tenant suffices)."""
        for state in self.matrix.tenants:
            entry = self.matrix.cell(self.start_name, state.member).entry
            if entry is not None:
                return str(getattr(entry, field))
        return "docker.io" if field == "registry" else ""

    # --- choosing tenants ----------------------------------------------------------------------

    def action_all(self) -> None:
        self.query_one(SelectionList).select_all()

    def action_having(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        holders = set(self.matrix.holders(name))
        tenants = self.query_one(SelectionList)
        tenants.deselect_all()
        for member in holders:
            tenants.select(member)
        if not holders:
            self.notify(f"No loaded tenant has “{displayable(name, limit=60)}”.")

    def chosen(self) -> list[str]:
        picked = set(self.query_one(SelectionList).selected)
        return [m.name for m in self.fleet.members if m.name in picked]

    # --- sending -------------------------------------------------------------------------------

    def read_draft(self) -> SecretDraft:
        return SecretDraft(
            name=self.query_one("#name", Input).value.strip(),
            registry=self.query_one("#registry", Input).value.strip(),
            username=self.query_one("#username", Input).value,
            password=Secret(self.query_one("#password", PasswordInput).value),
            email=self.query_one("#email", Input).value.strip(),
        )

    def action_send(self) -> None:
        if self.rotation is not None:
            self.notify("Sent already: ctrl+r retries the failed tenants.", severity="warning")
            return
        self._send()

    @work(exclusive=True, group="rotate", exit_on_error=False)
    async def _send(self) -> None:
        from tui.core.rotation import check_once
        from tui.core.workflows import LOGIN_STOPPED, Interrupted, Record
        from tui.screens.modals import ConfirmModal

        draft = self.read_draft()
        problems = validate_draft(draft)
        if has_errors(problems):
            listed = "; ".join(f"{p.field}: {p.message}" for p in problems if not p.warning)
            self.notify(f"Fix these first. {listed}", severity="error", timeout=10)
            return
        chosen = self.chosen()
        if not chosen:
            self.notify("Choose at least one tenant (space, ctrl+t, ctrl+g).", severity="error")
            return
        checked = None
        if self.check_login:
            try:
                go, checked = await check_once(self.person, draft)
            except Interrupted:
                self.notify(LOGIN_STOPPED, title="Stopped")
                return
            if not go:
                return
        body = preview_text(draft, chosen, set(self.matrix.holders(draft.name)))
        title = f"Send to {len(chosen)} tenant{'s' if len(chosen) != 1 else ''}?"
        if not await self.app.push_screen_wait(ConfirmModal(title, body, yes="Send")):
            return
        members = [m for m in self.fleet.members if m.name in chosen]
        self.rotation = Rotation(
            draft, members, record=Record(checked=checked), on_change=self._show_step
        )
        self.show_progress()
        await self.rotation.run()
        self._finished()

    def show_progress(self) -> None:
        """The form gives way to the per-tenant table."""
        self.query_one("#rotate-form").add_class("-hidden")
        table = self.query_one("#rotate-table", DataTable)
        table.remove_class("-hidden")
        table.focus()

    def _show_step(self, state: TenantRotation) -> None:
        table = self.query_one("#rotate-table", DataTable)
        cells = (
            Text(displayable(state.member, limit=40)),
            Text(state.step.value, style=_STEP_STYLE[state.step]),
            Text(displayable(state.sentence, limit=200)),
        )
        if state.member in {str(key.value) for key in table.rows}:
            for column, value in zip(table.columns, cells, strict=True):
                table.update_cell(state.member, column, value)
        else:
            table.add_row(*cells, key=state.member)

    def _finished(self) -> None:
        rotation = self.rotation
        if rotation is None:
            return
        failed = rotation.failed()
        more = f" {len(failed)} failed: ctrl+r retries them alone." if failed else ""
        words = f"Done in {len(rotation.done())} of {len(rotation.states)} tenants.{more}"
        self.query_one("#rotate-summary", Static).update(words + " ctrl+y copies the summary.")
        self.rapp.secrets_changed.publish(rotation.draft.name)

    def action_retry(self) -> None:
        if self.rotation is None or not self.rotation.failed():
            self.notify("No failed tenant to retry.")
            return
        self._retry()

    @work(exclusive=True, group="rotate", exit_on_error=False)
    async def _retry(self) -> None:
        if self.rotation is not None:
            await self.rotation.retry_failed()
            self._finished()

    def action_copy_summary(self) -> None:
        if self.rotation is None:
            self.notify("Nothing sent yet: there is no summary to copy.")
            return
        text = displayable(self.rotation.summary(), limit=20000, multiline=True)
        self.rapp.copy_text(text, "The rotation summary")
