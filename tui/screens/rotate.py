"""Rotate one credential across tenants: enter it once, check the login once, confirm once, watch.

The credential is entered once (the form's fields and rules, tui/core/request.py), typed or loaded
from where it already is (ctrl+o: a docker login, a variable, a file, a command; the command
line's own readers), the tenants are chosen with a multi-select ("all", "all that have it"), the
registry login is checked once, a masked preview says what goes where, and one confirmation sends
it to every chosen tenant at once (tui/core/rotation.py). The table below shows each tenant
waiting, sending, done or failed with its sentence; failed ones can be retried alone. Nothing is
shown as done that AI Core did not confirm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.strip import Strip
from textual.widgets import DataTable, Footer, Input, Label, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

from tui.core.dockerconfigjson import (
    chosen_preset,
    fitting_preset,
    offered_presets,
    registry_hint,
)
from tui.core.foreign_text import displayable
from tui.core.registries import PRESETS_BY_ID
from tui.core.request import FIELDS, SecretDraft, has_errors, validate_draft, validate_field
from tui.core.rotate_draft import RotateDraft, keep_draft
from tui.core.rotation import Rotation, Step, TenantRotation, rotate_discard_question
from tui.core.secret import Secret
from tui.core.wording import counted
from tui.core.workflows import Unsent
from tui.screens.base import BaseScreen
from tui.screens.person import ScreenPerson
from tui.widgets.bounded_input import BoundedInput
from tui.widgets.chooser import Chooser
from tui.widgets.field_note import FieldNote
from tui.widgets.form_focus import (
    ENTER_BINDING,
    FOCUS_BINDINGS,
    enter_moves_on,
    focus_at_end,
    form_owns_keys,
    move_focus,
)
from tui.widgets.labelled import FormBody, LabelledField
from tui.widgets.password_input import PasswordInput
from tui.widgets.plain import PlainStatic, plain, plain_cell
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from tui.core.fleet import Fleet, Matrix
    from tui.core.registries import RegistryPreset
    from tui.core.request import Problem
    from tui.core.source_spec import SourceSpec

_STEP_STYLE = {
    Step.WAITING: "dim",
    Step.SENDING: "bold",
    Step.DONE: "bold green",
    Step.FAILED: "bold red",
}
#: Keys that only mean something before the credential is sent, and those only after.
_BEFORE = {"send", "load_login", "reveal"}
_AFTER = {"retry", "copy_summary"}
#: Room for a sentence in the table; the highlighted tenant's whole sentence is shown below it.
SENTENCE_CELL = 60
#: After the registry's own advice, in the password's one note while it is typed.
PASSWORD_HINT = "ctrl+o loads it from docker, a variable, a file or a command."
#: Under the tenant boxes when ctrl+s finds none chosen, as a field's problem stands under it.
NO_TENANT = "Choose at least one tenant to send to:"
#: The tenant boxes' keys, in their one note (with the count, or with NO_TENANT).
TENANT_KEYS = "space toggles · a all · h those that have it"


def preview_text(draft: SecretDraft, chosen: list[str], holders: set[str], origin: str) -> str:
    """What will be sent where, the password masked: one line per tenant."""
    lines = [
        f"Secret “{draft.name}”: registry {draft.registry}, user {draft.username}, "
        f"password {'•' * 8} (masked{', from ' + origin if origin else ''})"
        + (f", email {draft.email}" if draft.email else "")
        + ".",
        "",
    ]
    for name in chosen:
        verb = "update" if name in holders else "create"
        lines.append(f"  {name}: {verb}")
    return displayable("\n".join(lines), limit=4000, multiline=True)


class TenantList(LabelledField, SelectionList[str]):
    """The tenants to send to; its letters choose many at once (nothing is typed here). Its
    label is drawn on its first line, as every form field's is (tui/widgets/labelled.py).

    Drawn ``[x]`` chosen and ``[ ]`` not: Textual's box draws an X either way and tells them
    apart by colour alone, which 16 colours, a plain capture or a colour-blind eye cannot read.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.all", "All", tooltip="Choose every tenant", id="rotate.all"),
        Binding(
            "h",
            "screen.having",
            "Holders",
            tooltip="Choose the tenants that have this secret",
            id="rotate.having",
        ),
    ]

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        left, inner, right, *rest = segments
        mark = "x" if selection.value in self.selected else " "
        box = [Segment("[", left.style), Segment(mark, inner.style), Segment("]", right.style)]
        return Strip([*box, *rest], strip.cell_length)


class RotateScreen(BaseScreen):
    TITLE = "Rotate across tenants"
    HELP = (
        "One credential into several tenants. Fill the secret's fields once; type the password "
        "or load it with ctrl+o (a docker login, an environment variable, a file or a "
        "command's output), ctrl+r shows it. Choose the tenants in the list (space toggles one, "
        "a all, h all that have the secret), then ctrl+s: the registry login is checked once, a "
        "masked preview says what goes where, and after one yes every chosen tenant is created "
        "or updated at once. Failed tenants: f5 retries them alone; ctrl+y copies the summary. "
        "Escape before sending goes back and keeps what you typed but the password for the "
        "next time you rotate that secret; with a password typed, it asks first."
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
        Binding(
            "ctrl+o",
            "load_login",
            "Load login",
            tooltip="Load the password from a docker login, a variable, a file or a command",
            id="load-docker-login",
        ),
        # The same keys as in the forms: ctrl+r reveals, never anything else.
        Binding("ctrl+r", "reveal", "Reveal", id="reveal"),
        Binding(
            "f5", "retry", "Retry failed", tooltip="Retry the failed tenants", id="rotate.retry"
        ),
        Binding("ctrl+y", "copy_summary", "Copy", tooltip="Copy the summary", id="rotate.copy"),
        # As in the forms: the app moves the focus as each key arrives, so a burst such as
        # "user<tab>token" (a paste, a password manager) cannot land in one field.
        *FOCUS_BINDINGS,
        ENTER_BINDING,
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
        self.running = False
        # Where the password came from when it was loaded (the ledger notes it); None: typed.
        self.source: SourceSpec | None = None
        self.source_origin = ""  # the same, in words: "$CI_TOKEN", "the output of 'aws'"
        self._loaded_password = ""
        self.person = ScreenPerson(self)
        # What each field held when the form was drawn: its first Changed is not the user's.
        self._composed: dict[str, str] = {}
        self._touched: set[str] = set()
        self._advice_for = ""  # the registry whose hints are under the fields now
        self._advice: dict[str, str] = {}
        self._offered: tuple[RegistryPreset, ...] = ()  # the registry list, as the form's
        # What was kept when this secret's form was last left unsent (no password), and what a
        # form holds that nothing was typed in: what is kept, unless it is that (keep_draft).
        self._kept: RotateDraft | None = None
        self._fresh: RotateDraft | None = None

    def compose(self) -> ComposeResult:
        # The secret it acts on, named where the eye lands first (the fleet's highlighted row).
        title = self.TITLE
        if self.start_name:
            title = f"Rotate “{displayable(self.start_name, limit=60)}” across tenants"
        yield Label(Text(title), classes="screen-title")
        # The registry list of the register form, from the one table: its choice brings the
        # host (where a registry has one) and the hints, and the rules the fields are checked
        # by; a host typed moves the choice to the registry it fits.
        self._offered = offered_presets(self.rapp.demo_registry_host)
        self._fresh = fresh = self._fresh_draft()
        kept = self._kept = self.rapp.state.rotate_drafts.get(self.start_name)
        start = kept or fresh
        offered = {preset.id for preset in self._offered}
        preset = start.preset if start.preset in offered else fresh.preset
        chosen = set(start.tenants)
        yield PlainStatic(self._context_text(), id="rotate-context")
        with FormBody(classes="form form-flat"):
            yield from self._row("Secret name", BoundedInput(start.name, id="name"))
            chooser = Chooser(
                [(preset.label, preset.id) for preset in self._offered],
                id="preset",
                prompt="choose the registry",
                value=preset,
            )
            yield from self._row("Registry", chooser)
            registry = BoundedInput(start.registry, placeholder="e.g. ghcr.io", id="registry")
            yield from self._row("Host", registry)
            yield from self._row("Username", BoundedInput(start.username, id="username"))
            yield from self._row("Password/token", PasswordInput(id="password"))
            email = BoundedInput(start.email, placeholder="optional", id="email")
            yield from self._row("Email", email)
            members = [m.name for m in self.fleet.members]
            # Profile names come from files: a prompt, like a DataTable cell, is read as markup.
            tenants = TenantList(
                *[(plain(name, multiline=False), name, name in chosen) for name in members],
                id="tenants",
                compact=True,
            )
            count = len(chosen.intersection(members))
            yield from self._row("Tenants", tenants)
            # One note under the boxes: how many are chosen and the keys, or (ctrl+s with none
            # chosen) that one must be; a count and a problem under it said the same twice.
            yield FieldNote(self._tenants_hint(count), id="tenants-note", classes="problem")
        yield DataTable[Text](id="rotate-table", cursor_type="row", classes="-hidden")
        # With the table: before anything is sent, their rows are the form's (80x24 holds it).
        yield PlainStatic("", id="rotate-detail", classes="-hidden")
        yield PlainStatic("", id="rotate-summary", classes="-hidden")
        # What the tenants' workflows had to say besides their result (a ledger that could not
        # be written): in sight after the rotation, not only in the copied summary.
        yield PlainStatic("", id="rotate-notes", classes="problem -warning -hidden")
        yield StatusLine(id="rotate-status")  # where the summary was copied
        yield Footer(compact=True)

    def _row(self, label: str, widget: LabelledField) -> ComposeResult:
        # The field draws its label; its notes follow it in the form itself, as on the register
        # form (tui/screens/credentials.py): one way to lay out a form field.
        field = widget.id or ""
        yield widget.labelled(label)
        if isinstance(widget, Input) and field in FIELDS:
            self._composed[field] = widget.value
            # As in the register form: its problem, else the registry's own advice, in one note.
            yield FieldNote(id=f"{field}-note", classes="problem")

    def _tenants_hint(self, count: int) -> str:
        total = len(self.fleet.members)
        return f"{count} of {total} chosen · {TENANT_KEYS}"

    @on(SelectionList.SelectedChanged, "#tenants")
    def _chosen_changed(self) -> None:
        chosen = self.chosen()
        self.query_one("#tenants-note", FieldNote).say(self._tenants_hint(len(chosen)), hint=True)
        self._keep()

    def _context_text(self) -> str:
        host = self.rapp.demo_registry_host
        if host:
            line = f"Demo registry {host}: user demo, password demo-registry-token."
        else:
            line = "One credential, checked once, into every tenant you choose."
        if self._kept is not None:
            line += "\nBack as you left it; the password or token is never kept: enter it again."
        return line

    def on_mount(self) -> None:
        table = self.query_one("#rotate-table", DataTable)
        table.add_columns("tenant", "state", "what happened")
        self._update_advice()
        kept, fresh = self._kept, self._fresh
        if kept is not None and fresh is not None:
            # What was typed before is checked again, as it was while it was typed.
            draft = self.read_draft()
            for field in ("name", "registry", "username", "email"):
                if getattr(kept, field) != getattr(fresh, field):
                    self._touched.add(field)
                    self._show(field, validate_field(draft, field, self._preset()))

    # --- keeping what was typed (nothing typed is lost; a token does not linger) -------------

    def _fresh_draft(self) -> RotateDraft:
        """What the form holds when nothing was typed in it: the ledger's registry and user,
        the tenants that have the secret."""
        host = self._known("registry")
        holders = self._holders()
        return RotateDraft(
            name=self.start_name,
            registry=host,
            username=self._known("username"),
            email="",
            preset=fitting_preset(host, self._offered).id,
            tenants=tuple(m.name for m in self.fleet.members if m.name in holders),
        )

    def held(self) -> RotateDraft:
        """What the form holds now, but the password."""
        return RotateDraft(
            name=self.query_one("#name", Input).value,
            registry=self.query_one("#registry", Input).value,
            username=self.query_one("#username", Input).value,
            email=self.query_one("#email", Input).value,
            preset=self.query_one("#preset", Chooser).value or "",
            tenants=tuple(self.chosen()),
        )

    def _keep(self) -> None:
        """Keep what the form holds for the next form of this secret (once sent, nothing)."""
        if self.rotation is None and self._fresh is not None:
            keep_draft(self.rapp.state.rotate_drafts, self.start_name, self.held(), self._fresh)

    def unsent(self) -> Unsent | None:
        """What quitting before sending would drop of what was typed here (tui/app.py asks):
        the password, and the rest kept for the next form in a session that ends too."""
        if self.rotation is not None or self._fresh is None:
            return None  # sent: the table says what became of it
        if self._password_typed() or self.held() != self._fresh:
            return Unsent("rotate", self.start_name)
        return None

    def _password_typed(self) -> bool:
        """A password typed (or edited) by hand; one loaded with ctrl+o can be loaded again."""
        return bool(self.query_one("#password", PasswordInput).value) and self.source is None

    # --- checking the fields while typing (the register form's rules and notes) -------------

    def _preset(self) -> RegistryPreset:
        """The registry whose conventions apply: the one the host fits, else the one chosen."""
        host = self.query_one("#registry", Input).value
        chosen = self.query_one("#preset", Chooser).value
        found = chosen_preset(host, chosen, self._offered)
        return found or PRESETS_BY_ID["custom"]

    @on(Chooser.Changed, "#preset")
    def _registry_chosen(self, event: Chooser.Changed) -> None:
        # The person chose it (the list following a host typed posts nothing): the host follows.
        preset = next((p for p in self._offered if p.id == event.value), None)
        if preset is None:
            return
        host = self.query_one("#registry", Input)
        host.placeholder = preset.host_example
        # A host typed stays if it fits the registry chosen; "Other registry" takes any host.
        typed = host.value.strip()
        fits = preset.id == "custom" or fitting_preset(typed, self._offered).id == preset.id
        if not (typed and fits):
            host.value = preset.host  # its Changed checks the fields again
        self._registry_changed()
        self._keep()

    def _registry_changed(self) -> None:
        """Another registry: its hints under the fields, and its rules on what was typed."""
        self._update_advice()
        self._advice["registry"] = self._registry_advice()
        draft = self.read_draft()
        preset = self._preset()
        for each in self._touched:
            self._show(each, validate_field(draft, each, preset))

    @on(Input.Changed)
    def _field_changed(self, event: Input.Changed) -> None:
        self._check_changed(event)
        self._keep()  # after the list has followed a host typed

    def _check_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if field not in FIELDS:
            return
        # The value the form was drawn with (its first Changed), not a key of the user's. Also
        # for a field on_mount marked touched (kept from the last form): taken as typed, the
        # kept host moved the list off the registry chosen ("Other registry" became Harbor).
        drawn = self._composed.pop(field, None)
        if event.value == drawn:
            return
        self._touched.add(field)
        if field == "registry":
            # The list follows the host typed; the registry's rules apply to the user and the
            # password too: check them again.
            chooser = self.query_one("#preset", Chooser)
            fits = fitting_preset(event.value, self._offered).id
            if event.value.strip() and chooser.value != fits:
                chooser.value = fits
            self._registry_changed()
            return
        self._show(field, validate_field(self.read_draft(), field, self._preset()))

    def _update_advice(self) -> None:
        preset = self._preset()
        if preset.id == self._advice_for:
            return
        self._advice_for = preset.id
        self.query_one("#username", Input).placeholder = preset.username_placeholder
        self.query_one("#password", Input).placeholder = preset.password_example
        self._advice = {
            "registry": self._registry_advice(),
            "username": preset.username_hint,
            "password": self._password_advice(),
        }
        for field in ("registry", "username", "password"):
            self._show(field, [])

    def _registry_advice(self) -> str:
        """As on the register form: a host with a path says that only images under it get
        the login (ghcr.io/org/app pasted from an image reference covers that one repository)."""
        host = self.query_one("#registry", Input).value.strip()
        return registry_hint(host) if host else ""

    def _password_advice(self) -> str:
        """The registry's advice for the password, then where it came from or how to load it:
        one note under the field, as on the register form (a second one stood under it)."""
        hint = self._preset().password_hint
        if self.source is not None:
            return f"{hint} Loaded from {self.source_origin}; ctrl+o loads another."
        return f"{hint} {PASSWORD_HINT}"

    def _source_changed(self) -> None:
        """Loaded or typed over: the password's note says so (its problem, if it has one)."""
        self._advice["password"] = self._password_advice()
        problems = []
        if "password" in self._touched:
            problems = validate_field(self.read_draft(), "password", self._preset())
        self._show("password", problems)

    def _show(self, field: str, problems: list[Problem]) -> None:
        note = self.query_one(f"#{field}-note", FieldNote)
        note.explain([p for p in problems if p.field == field], self._advice.get(field, ""))

    def _show_all(self, problems: list[Problem]) -> None:
        self._touched.update(FIELDS)
        for field in FIELDS:
            self._show(field, problems)

    def _holders(self) -> set[str]:
        return set(self.matrix.holders(self.start_name)) if self.start_name else set()

    def _known(self, field: str) -> str:
        """The registry or username the ledger knows for this secret (one tenant suffices)."""
        for state in self.matrix.tenants:
            entry = self.matrix.cell(self.start_name, state.member).entry
            if entry is not None:
                return str(getattr(entry, field))
        if field == "registry":
            return self.rapp.demo_registry_host or "docker.io"
        return ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Before sending: the form's keys; after: retry and copy. The footer shows only those.
        if action in _BEFORE:
            return self.rotation is None
        if action == "retry":
            return self.rotation is not None and bool(self.rotation.failed())
        if action in _AFTER:
            return self.rotation is not None
        return True

    # --- moving between fields ----------------------------------------------------------------

    def action_move_focus(self, step: int) -> None:
        move_focus(self, step)

    def action_enter(self) -> None:
        # Enter in a field walks down the form; in the tenant list and the table it is theirs.
        # From the name it skips the registry list (enter would open it; the host sets it).
        if self.focused is self.query_one("#name", Input) and form_owns_keys(self):
            self.set_focus(self.query_one("#registry", Input))
            return
        enter_moves_on(self)

    # --- the credential ----------------------------------------------------------------------

    def action_reveal(self) -> None:
        field = self.query_one("#password", PasswordInput)
        field.toggle_reveal()

    def action_load_login(self) -> None:
        self._load()

    @work(exclusive=True, group="credential-source", exit_on_error=False)
    async def _load(self) -> None:
        from tui.screens.load_credential import load_from_any_source

        loaded = await load_from_any_source(self, self.person)
        if loaded is None:
            return
        credential = loaded.credential
        if credential.registry:
            self.query_one("#registry", Input).value = credential.registry
        if credential.username:
            self.query_one("#username", Input).value = credential.username
        self._loaded_password = credential.password.reveal()
        self.query_one("#password", PasswordInput).value = self._loaded_password
        self.source = loaded.spec
        self.source_origin = credential.origin
        self._source_changed()

    @on(Input.Changed, "#password")
    def _password_edited(self, event: Input.Changed) -> None:
        # Edited by hand, the password no longer is what the source gave: it counts as typed.
        if self.source is not None and event.value != self._loaded_password:
            self.source = None
            self.source_origin = ""
            self._loaded_password = ""
            self._source_changed()

    # --- choosing tenants ----------------------------------------------------------------------

    def action_all(self) -> None:
        self.query_one(TenantList).select_all()

    def action_having(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        holders = set(self.matrix.holders(name))
        tenants = self.query_one(TenantList)
        tenants.deselect_all()
        for member in holders:
            tenants.select(member)
        if not holders:
            self.notify(f"No loaded tenant has “{displayable(name, limit=60)}”.")

    def chosen(self) -> list[str]:
        picked = set(self.query_one(TenantList).selected)
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
        self._send()

    @work(exclusive=True, group="rotate", exit_on_error=False)
    async def _send(self) -> None:
        from tui.core.rotation import rotation_question
        from tui.core.workflows import (
            LOGIN_STOPPED,
            Interrupted,
            LoginVerdict,
            Record,
            draft_warnings,
            fix_field,
            login_verdict,
        )

        draft = self.read_draft()
        problems = validate_draft(draft, self._preset())
        self._show_all(problems)
        chosen = self.chosen()
        # Each problem stands under its field, the tenants' under their boxes; the first one
        # gets the cursor (no toast: it would cover the form and fade before it is read).
        if not chosen:
            self.query_one("#tenants-note", FieldNote).say(f"{NO_TENANT} {TENANT_KEYS}")
        if has_errors(problems):
            first = next(p for p in problems if not p.warning)
            self._to_fix(first.field)
            return
        if not chosen:
            self.set_focus(self.query_one(TenantList))
            return
        verdict: LoginVerdict | None = None
        if self.check_login:
            try:
                verdict = await login_verdict(self.person, draft, None, None)
            except Interrupted:
                self.notify(LOGIN_STOPPED, title="Stopped")
                return
            if verdict.blocks:
                self.notify(verdict.sentence, title="Fix the login first", severity="error")
                self._to_fix(fix_field(verdict))
                return
        source = "" if self.source is None else str(self.source)
        holders = set(self.matrix.holders(draft.name))
        # One confirmation: what goes where, the login verdict and every warning.
        body = preview_text(draft, chosen, holders, self.source_origin)
        question = rotation_question(body, len(chosen), verdict, draft_warnings(draft))
        if not await self.person.confirm(question):
            self._to_fix(fix_field(verdict))  # "Fix it": the field the refusal names first
            return
        checked = verdict.check if verdict is not None else None
        members = [m for m in self.fleet.members if m.name in chosen]
        # Sent: what was typed is in the tenants now, and the next form starts from the ledger.
        self.rapp.state.rotate_drafts.pop(self.start_name, None)
        self.rotation = Rotation(
            draft,
            members,
            record=Record(source=source, checked=checked),
            on_change=self._show_step,
            holders=frozenset(holders),  # updated, as the preview said
        )
        self.show_progress()
        await self._run(self.rotation.run())

    def _keep_unless_sent(self) -> None:
        """Done in no tenant (each failed, or stopped first): what was typed is in none of them,
        so it is kept for the next form, as if left unsent (it was dropped, and the next form
        started from the ledger, all of it to type again); done in one, it is not."""
        rotation = self.rotation
        if rotation is None or self._fresh is None:
            return
        if rotation.done():
            self.rapp.state.rotate_drafts.pop(self.start_name, None)
        else:
            keep_draft(self.rapp.state.rotate_drafts, self.start_name, self.held(), self._fresh)

    def _to_fix(self, field: str) -> None:
        """The cursor at the end of the field to fix, if this form has it."""
        if field in FIELDS:
            focus_at_end(self, self.query_one(f"#{field}", Input))

    async def _run(self, job: Awaitable[list[TenantRotation]]) -> None:
        self.running = True
        self._summarise()
        try:
            await job
        finally:
            self.running = False
            self._summarise()
            self._point_at_first_failure()
            self._keep_unless_sent()
        if self.rotation is not None:
            self.rapp.secrets_changed.publish(self.rotation.draft.name)

    def show_progress(self) -> None:
        """The form gives way to the per-tenant table; the footer to retry and copy."""
        self.query_one(FormBody).add_class("-hidden")
        table = self.query_one("#rotate-table", DataTable)
        for shown in (table, *self.query("#rotate-detail, #rotate-summary")):
            shown.remove_class("-hidden")
        table.focus()
        self.refresh_bindings()

    def _show_step(self, state: TenantRotation) -> None:
        table = self.query_one("#rotate-table", DataTable)
        cells = (
            plain_cell(state.member, limit=40),
            Text(state.step.value, style=_STEP_STYLE[state.step]),
            plain_cell(state.sentence, limit=SENTENCE_CELL),
        )
        if state.member in {str(key.value) for key in table.rows}:
            for column, value in zip(table.columns, cells, strict=True):
                table.update_cell(state.member, column, value, update_width=True)
        else:
            table.add_row(*cells, key=state.member)
        self._detail()
        if self.running:
            self._summarise()

    def _point_at_first_failure(self) -> None:
        table = self.query_one("#rotate-table", DataTable)
        failed = self.rotation.failed() if self.rotation is not None else []
        if failed:
            rows = [str(key.value) for key in table.rows]
            table.move_cursor(row=rows.index(failed[0]))

    def _detail(self) -> None:
        """The highlighted tenant's whole sentence (the table has room for its start only)."""
        rotation = self.rotation
        table = self.query_one("#rotate-table", DataTable)
        if rotation is None or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        state = rotation.states.get(str(key))
        if state is not None:
            words = f"{state.member}: {state.sentence or state.step.value}"
            self.query_one("#rotate-detail", PlainStatic).update(words)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _summarise(self) -> None:
        rotation = self.rotation
        if rotation is None:
            return
        total = len(rotation.states)
        done = len(rotation.done())
        failed = rotation.failed()
        if self.running:
            words = f"Sending… done in {done} of {counted(total, 'tenant')}"
            words += f", {len(failed)} failed." if failed else "."
        else:
            again = "it" if len(failed) == 1 else "them"
            more = f" {len(failed)} failed: f5 retries {again} alone." if failed else ""
            count = len(rotation.notes())
            if count:
                more += f" {counted(count, 'warning')} below."
            tenants = counted(total, "tenant")
            words = (
                f"Done in {done} of {tenants}.{more} ctrl+y copies the summary; escape goes back."
            )
        self.query_one("#rotate-summary", PlainStatic).update(words)
        notes = self.query_one("#rotate-notes", PlainStatic)
        notes.update("\n".join(rotation.notes()))
        notes.set_class(not rotation.notices, "-hidden")
        self.refresh_bindings()

    def action_retry(self) -> None:
        if self.running:
            self.notify("Still sending: wait for every tenant to finish.", severity="warning")
            return
        if self.rotation is None or not self.rotation.failed():
            self.notify("No failed tenant to retry.")
            return
        self._retry()

    @work(exclusive=True, group="rotate", exit_on_error=False)
    async def _retry(self) -> None:
        if self.rotation is not None:
            await self._run(self.rotation.retry_failed())

    def action_copy_summary(self) -> None:
        if self.rotation is None:
            self.notify("Nothing sent yet: there is no summary to copy.")
            return
        text = displayable(self.rotation.summary(), limit=20000, multiline=True)
        self.rapp.copy_text(text, "the rotation summary")

    # --- quitting while a rotation runs (the app asks first: tui/app.py) ---------------------

    def action_back(self) -> None:
        # Leaving mid-rotation drops the tenants' connections: ask, as quitting does.
        known = self.in_flight("leave")
        if known is None:
            if self.rotation is None and self._password_typed():
                # Unsent, the rest is kept for the next form (_keep); a typed token is not.
                self._ask_to_discard()
                return
            super().action_back()
            return
        from tui.screens.modals import ConfirmModal

        question = ConfirmModal("Stop the rotation?", known, yes="Stop", no="Keep waiting")
        self.app.push_screen(question, self._stop_and_leave)

    @work(exclusive=True, group="rotate-leave", exit_on_error=False)
    async def _ask_to_discard(self) -> None:
        if await self.person.confirm(rotate_discard_question(self.start_name)) and self.is_current:
            super().action_back()

    def _stop_and_leave(self, yes: bool | None) -> None:
        rotation = self.rotation
        if not yes or rotation is None or not self.running:
            return  # kept waiting, or it finished meanwhile: the summary says how it went
        states = list(rotation.states.values())
        done = [s.member for s in states if s.step is Step.DONE]
        unsure = [s.member for s in states if s.step is Step.SENDING]
        unsent = [s.member for s in states if s.step is Step.WAITING]
        self.workers.cancel_group(self, "rotate")
        words = [f"Stopped the rotation of “{rotation.draft.name}”."]
        words.append(f"Done in {', '.join(done)}." if done else "Done in no tenant.")
        if unsure:
            words.append(
                f"Sent with no answer to {', '.join(unsure)}: AI Core may have taken the new "
                "credentials there; look at the secret to be sure."
            )
        if unsent:
            words.append(f"Not sent to {', '.join(unsent)}.")
        self.notify(" ".join(words), title="Rotation stopped", severity="warning", timeout=20)
        super().action_back()

    def in_flight(self, verb: str = "quit") -> str | None:
        """What is known of a running rotation, for the question before quitting; else None."""
        rotation = self.rotation
        if rotation is None or not self.running:
            return None
        states = list(rotation.states.values())
        sending = [s.member for s in states if s.step is Step.SENDING]
        waiting = [s.member for s in states if s.step is Step.WAITING]
        words = [f"{len(states) - len(sending) - len(waiting)} of {len(states)} tenants answered."]
        if sending:
            words.append(
                f"To {', '.join(sending)} the new credentials are sent or being sent, with no "
                f"answer yet: AI Core may take them there whether you {verb} or not."
            )
        if waiting:
            doing = {"quit": "quitting", "leave": "leaving"}[verb]
            words.append(f"{', '.join(waiting)}: not sent yet; {doing} stops them.")
        return " ".join(words)

    def stop_for_quit(self) -> str:
        """Stop the rotation, then say what may have happened (true once the app has gone)."""
        self.workers.cancel_group(self, "rotate")
        rotation = self.rotation
        if rotation is None:
            return ""
        unsure = [s.member for s in rotation.states.values() if s.step is Step.SENDING]
        if not unsure:
            return ""
        return (
            f"Quit during the rotation of “{rotation.draft.name}”: AI Core may have taken the new "
            f"credentials in {', '.join(unsure)}; look at the secret there to be sure."
        )
