"""Step 2: the registry credentials, checked while typing; submit, preview and check login."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Input

from tui.core.dockerconfigjson import fitting_preset, registry_hint
from tui.core.registries import PRESETS, RegistryPreset, demo_registry_preset
from tui.core.request import (
    FIELD_LABELS,
    FIELDS,
    SecretDraft,
    has_errors,
    validate_draft,
    validate_field,
)
from tui.core.secret import Secret
from tui.screens.base import BaseScreen
from tui.widgets.bounded_input import BoundedInput
from tui.widgets.chooser import Chooser
from tui.widgets.field_note import FieldNote
from tui.widgets.form_focus import FOCUS_BINDINGS, focus_at_end, form_owns_keys, move_focus
from tui.widgets.labelled import FormBody, LabelledField
from tui.widgets.password_input import PasswordInput
from tui.widgets.plain import PlainLabel, PlainStatic

if TYPE_CHECKING:
    from collections.abc import Callable

    # The workflows and the dialogs a running request needs load with the first request, not
    # before the form's first frame (tests/ui/test_app_startup.py).
    from tui.core import workflows
    from tui.core.request import Problem
    from tui.screens.person import ScreenPerson


def empty_draft(name: str = "", registry: str = "docker.io") -> SecretDraft:
    return SecretDraft(name=name, registry=registry, username="", password=Secret(""), email="")


class CredentialsScreen(BaseScreen):
    TITLE = "Registry credentials"
    HELP = (
        "Fill in the secret name and the registry login. Every field says what is wrong while "
        "you type. ctrl+s registers the secret (after a confirmation), f2 previews exactly what "
        "will be sent. The password stays masked unless you press ctrl+r."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        # One key, two names: check_action shows the one that fits this form.
        Binding("ctrl+s", "submit", "Register", priority=True, id="register"),
        Binding("ctrl+s", "submit_update", "Update", priority=True, id="update"),
        Binding("f2,ctrl+g", "preview", "Preview", id="preview"),
        Binding("ctrl+r", "reveal", "Reveal", id="reveal"),
        Binding("ctrl+l", "check_login", "Test login", id="check-login"),
        Binding(
            "ctrl+o",
            "load_login",
            "Load login",
            tooltip="Load a login from ~/.docker/config.json",
            id="load-docker-login",
        ),
        Binding("f3,ctrl+b", "manage", "Manage", tooltip="Manage secrets", id="manage"),
        # 80 columns hold six keys besides the palette's: f1 still opens help (and is in the
        # palette and on every other screen), its room here goes to Reveal, which a person
        # about to paste a token needs to find.
        Binding("f1", "app.help", "Help", show=False, priority=True, id="help"),
        # Moving between fields is decided by the app as each key arrives (form_focus.py).
        *FOCUS_BINDINGS,
        Binding("enter", "enter", "Next field", show=False, priority=True, id="enter-next-field"),
    ]

    # on_mount chooses the field. Textual's own first-focusable pick would, on an update form
    # (name disabled), land on the registry list instead of the password or the host.
    AUTO_FOCUS = None

    def __init__(self, fixed_name: str | None = None) -> None:
        super().__init__()
        # Updating an existing secret: the name is the one thing that cannot change.
        self.fixed_name = fixed_name
        self.busy = False
        self._touched: set[str] = set()
        # The fields fill() changed whose Input.Changed has not come yet: that message is
        # handled after fill() returns, and is not the person typing. (Names only: a value
        # kept here would be one more copy of the password.)
        self._filled: set[str] = set()
        self._preset_shown = ""
        self._hints: dict[str, str] = {}
        self._problems: dict[str, list[Problem]] = {}
        self._notes: dict[str, FieldNote] = {}
        self._demo_preset: RegistryPreset | None = None
        self._preset_by_id = {preset.id: preset for preset in PRESETS}
        self._person_made: ScreenPerson | None = None
        # What the login verdict under the password was given for: (host, user, password, test
        # image). It stays until one of them changes.
        self._verdict_for: tuple[str, str, Secret, str] | None = None
        self._known: SecretDraft | None = None  # an update's registry and user, when known
        self._drawn_host: str | None = None  # the host the form was drawn with (see _changed)

    # --- layout ------------------------------------------------------------------------------

    def _preset_for(self, registry: str) -> RegistryPreset:
        # As the rotate form decides it: the demo's own registry, else the table's.
        return fitting_preset(registry, tuple(self._preset_by_id.values()))

    def _find_demo_preset(self) -> RegistryPreset | None:
        profile = self.rapp.state.profile
        host = self.rapp.demo_registry_host
        if not host or profile is None or str(profile.source) != "demo":
            return None
        return demo_registry_preset(host)

    def compose(self) -> ComposeResult:
        self._demo_preset = self._find_demo_preset()
        self._known = self._known_login()
        presets = PRESETS if self._demo_preset is None else (self._demo_preset, *PRESETS)
        self._preset_by_id = {preset.id: preset for preset in presets}
        title = (
            f"Update the credentials of “{self.fixed_name}”"
            if self.fixed_name
            else "Register a Docker registry secret"
        )
        # Built as it starts, values, placeholders and hints in place: filled in after its mount,
        # each field and note was styled and laid out again before the first frame (~20 M
        # instructions of it).
        draft = self._starting_draft()
        chosen = self._kept_choice() or self._fitting(draft.registry)
        self._drawn_host = draft.registry
        shown, hints = self._presentation(draft.registry, chosen)
        self._preset_shown, self._hints = shown.id, hints
        yield PlainLabel(title, classes="screen-title")
        yield PlainStatic(self._context_text(), id="context")
        with FormBody(classes="form form-flat"):
            yield from self._row(
                "Secret name",
                BoundedInput(
                    draft.name,
                    placeholder="e.g. my-registry",
                    id="name",
                    # Disabled from the start: disabling the focused field later hands the
                    # focus to the registry list, whose late Changed would pick Docker Hub.
                    disabled=self.fixed_name is not None,
                ),
                "name",
            )
            options = [(preset.label, preset.id) for preset in presets]
            # A secret registered elsewhere: its registry is not known here, and the list must
            # not pretend one (Docker Hub beside an empty host).
            yield from self._row(
                "Registry",
                Chooser(
                    options,
                    id="preset",
                    prompt="not known: choose it, or type the host",
                    value=None if chosen is None else chosen.id,
                ),
                None,
            )
            yield from self._row(
                "Host",
                BoundedInput(
                    draft.registry,
                    placeholder="e.g. ghcr.io (docker.io for Docker Hub)"
                    if chosen is None
                    else shown.host_example,
                    id="registry",
                ),
                "registry",
            )
            yield from self._row(
                "Username",
                BoundedInput(draft.username, placeholder=shown.username_placeholder, id="username"),
                "username",
            )
            yield from self._row(
                "Password/token",
                PasswordInput(
                    draft.password.reveal(), placeholder=shown.password_example, id="password"
                ),
                "password",
            )
            yield from self._row(
                "Email", BoundedInput(draft.email, placeholder="optional", id="email"), "email"
            )
            # Not part of the secret: the login check also proves this image can be pulled.
            yield from self._row(
                "Test image",
                BoundedInput(
                    placeholder="optional: the login check tries it, e.g. ghcr.io/org/app:1.2",
                    id="image",
                ),
                None,
            )
        yield Footer(compact=True)

    def _context_text(self) -> str:
        state = self.rapp.state
        line = f"Tenant: {state.tenant_label()}"
        if self.fixed_name is None:
            return line + self._carried_over(state.draft, state.draft_tenant, state.tenant_label())
        if self._known is not None:
            where = (
                "registered in this session"
                if self.fixed_name in state.logins
                else "regsecret last registered them here"
            )
            return (
                f"{line}\nRegistry and username as {where}; AI Core never returns stored "
                "credentials, so enter the password or token again."
            )
        return (
            f"{line}\nregsecret did not register this secret on this machine, and AI Core never "
            "returns stored credentials, so its registry is not known here: choose it (or type "
            "its host), then enter the username and the password or token. They replace the "
            "stored ones."
        )

    @staticmethod
    def _carried_over(draft: SecretDraft | None, typed_for: str | None, tenant: str) -> str:
        """A sentence when the form opens on what was typed for another tenant."""
        typed = draft is not None and any((draft.name, draft.username, draft.password, draft.email))
        if not typed or typed_for is None or typed_for == tenant:
            return ""
        return (
            f"\nKept from the form for {typed_for}: check that each value is meant for this tenant."
        )

    @property
    def _registry_unknown(self) -> bool:
        return self.fixed_name is not None and self._known is None

    def _known_login(self) -> SecretDraft | None:
        """What this session or the ledger knows of the secret being updated (no password)."""
        if self.fixed_name is None:
            return None
        return self.rapp.state.logins.get(self.fixed_name) or self._from_ledger()

    def _row(self, label: str, widget: LabelledField, field: str | None) -> ComposeResult:
        # A row is the field alone (it draws its label), its notes below it in the form itself:
        # each container or label more a field cost the first frame ~5-10 M instructions.
        yield widget.labelled(label)
        if field is not None and self._hints.get(field):
            # Its problem, else its hint: one at a time, so one note. Made now only if it has
            # something to say (_note): a widget more a field cost the first frame ~4 M
            # instructions, and most fields start with nothing wrong and no hint.
            note = FieldNote(self._hints[field], id=f"{field}-note", classes="problem")
            self._notes[note.id or ""] = note
            yield note

    def _starting_draft(self) -> SecretDraft:
        if self.fixed_name is not None:
            # Credentials are never returned by AI Core: an update starts from what this session
            # or the ledger knows of that name, if anything, and never from a password.
            # Unknown: the host starts empty, so a new token alone cannot quietly move the
            # secret to Docker Hub; the form asks for the registry.
            return self._known or empty_draft(self.fixed_name, "")
        return self.rapp.state.draft or self._fresh()

    def _fresh(self) -> SecretDraft:
        """What a new registration's form holds with nothing typed in it."""
        registry = self._demo_preset.host if self._demo_preset is not None else "docker.io"
        return empty_draft(registry=registry)

    def _kept_choice(self) -> RegistryPreset | None:
        """The registry chosen in the kept draft's form, if this form opens on that draft."""
        state = self.rapp.state
        if self.fixed_name is not None or state.draft is None or state.draft_preset is None:
            return None
        return self._preset_by_id.get(state.draft_preset)

    def on_mount(self) -> None:
        self._keep_draft(self.read_draft())
        first = "#name"
        if self.fixed_name is not None:
            first = "#password" if self._known else "#registry"
        # Focused now, not by focus() (deferred): keys typed at start-up go into this field in
        # the first frame (AppScreen.on_mount hands them over). The cursor at the end of a kept
        # draft's value, nothing selected: a key typed next adds to it, never replaces it.
        focus_at_end(self, self.query_one(first, Input))

    def _from_ledger(self) -> SecretDraft | None:
        """What the ledger knows of this secret here (registry, username, email; no password),
        so an update in a later session starts from its registry and user too."""
        tenant = self.rapp.state.tenant()
        if self.fixed_name is None or not tenant.key:
            return None
        try:
            entry = tenant.ledger().load().get(tenant.key, self.fixed_name)
        except Exception:
            return None
        if entry is None:
            return None
        return SecretDraft(self.fixed_name, entry.registry, entry.username, Secret(""), entry.email)

    def fill(self, draft: SecretDraft) -> None:
        """Put a draft into the widgets without flagging the fields as touched."""
        for field, value in (
            ("name", draft.name),
            ("registry", draft.registry),
            ("username", draft.username),
            ("password", draft.password.reveal()),
            ("email", draft.email),
        ):
            widget = self.query_one(f"#{field}", Input)
            if widget.value != value:
                self._filled.add(field)
                widget.value = value
        chosen = self._fitting(draft.registry)
        self.query_one("#preset", Chooser).value = None if chosen is None else chosen.id
        self._keep_draft(draft)
        self._update_hints()
        for field in FIELDS:
            if field in self._touched:
                self._show(field, validate_field(draft, field, self._chosen_preset()))

    def _keep_draft(self, draft: SecretDraft) -> None:
        """Keep a new registration's draft for the next new form (nothing typed is lost); an
        update's is never kept, or "new" would open on another secret's name and overwrite it."""
        if self.fixed_name is None:
            state = self.rapp.state
            state.draft = draft
            state.draft_tenant = state.tenant_label()
            state.draft_preset = self.query_one("#preset", Chooser).value

    def read_draft(self) -> SecretDraft:
        def value(wid: str) -> str:
            return self.query_one(f"#{wid}", Input).value

        return SecretDraft(
            name=self.fixed_name if self.fixed_name is not None else value("name").strip(),
            registry=value("registry").strip(),
            username=value("username"),
            password=Secret(value("password")),
            email=value("email").strip(),
        )

    # --- live validation --------------------------------------------------------------------

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if self._verdict_for is not None and self._verdict_for != self._login_fields():
            self._show_verdict(None)
        if field not in FIELDS:
            return
        draft = self.read_draft()
        if field in self._filled:
            self._filled.discard(field)
            return
        self._touched.add(field)
        if field == "registry" and draft.registry:
            # The host the form was drawn with posts a Changed too: not typed, and followed, it
            # took the list off the registry kept with the draft ("Other registry" for ghcr.io).
            drawn, self._drawn_host = self._drawn_host, None
            if event.value != drawn:
                # The list follows the host typed, before the host is checked by its rules.
                self.query_one("#preset", Chooser).value = self._preset_for(draft.registry).id
        self._keep_draft(draft)  # with the registry the list shows now
        self._show(field, validate_field(draft, field, self._chosen_preset()))
        self._update_hints()

    @on(Chooser.Changed, "#preset")
    def _preset_changed(self, event: Chooser.Changed) -> None:
        # The person chose it (a form filling itself in posts nothing): the host follows.
        preset = self._preset_by_id[event.value]
        registry = self.query_one("#registry", Input)
        registry.placeholder = preset.host_example
        # A host typed stays if it fits the registry chosen; "Other registry" takes any host.
        fits = preset.id == "custom" or self._preset_for(registry.value).id == preset.id
        if not (registry.value and fits):
            registry.value = preset.host
        draft = self.read_draft()
        self._keep_draft(draft)
        self._update_hints()
        # Its rules on what was typed, now: an empty host posts no Changed when the registry
        # has none either (Google, then ECR), and its sentence named the registry before.
        for field in self._touched:
            self._show(field, validate_field(draft, field, self._chosen_preset()))

    def _chosen_preset(self) -> RegistryPreset | None:
        """The registry whose conventions apply: the one the host fits, else the one chosen."""
        registry = self.query_one("#registry", Input).value.strip()
        chosen = self.query_one("#preset", Chooser).value
        # "Other registry" chosen after a host was typed: the person's word (as in the core's
        # chosen_preset); the list follows every host typed.
        if registry and chosen != "custom":
            return self._preset_for(registry)
        return None if chosen is None else self._preset_by_id[chosen]

    def _fitting(self, registry: str) -> RegistryPreset | None:
        """The registry a host fits; none for no host on a secret whose registry is not known."""
        if not registry and self._registry_unknown:
            return None
        return self._preset_for(registry)

    def _presentation(
        self, registry: str, chosen: RegistryPreset | None
    ) -> tuple[RegistryPreset, dict[str, str]]:
        """Whose placeholders the fields show, and the hint under each field."""
        # No registry chosen yet (an update of a secret registered elsewhere): generic words.
        preset = chosen or self._preset_by_id["custom"]
        return preset, {
            # The registry's own sentences, under its fields from the moment it is chosen.
            "username": preset.username_hint,
            "password": preset.password_hint,
            "registry": registry_hint(registry) if registry else "",
        }

    def _update_hints(self) -> None:
        registry = self.query_one("#registry", Input).value.strip()
        chosen = self._chosen_preset()
        preset, hints = self._presentation(registry, chosen)
        if self._preset_shown != preset.id:
            self._preset_shown = preset.id
            if chosen is not None:
                # (Else the host keeps its own placeholder.)
                self.query_one("#registry", Input).placeholder = preset.host_example
            self.query_one("#username", Input).placeholder = preset.username_placeholder
            self.query_one("#password", Input).placeholder = preset.password_example
        for field, text in hints.items():
            self._hint(field, text)

    def _hint(self, field: str, text: str) -> None:
        self._hints[field] = text
        self._explain(field)

    def _show(self, field: str, problems: list[Problem]) -> None:
        self._problems[field] = [p for p in problems if p.field == field]
        self._explain(field)

    def _explain(self, field: str) -> None:
        problems, hint = self._problems.get(field, []), self._hints.get(field, "")
        note = self._note(f"{field}-note", below=field, needed=bool(problems or hint))
        if note is not None:
            note.explain(problems, hint)

    def _note(
        self, wid: str, *, below: str, needed: bool, classes: str = "problem"
    ) -> FieldNote | None:
        """The note ``wid``, made under the widget ``below`` the first time it has something to
        say; None while it never had."""
        note = self._notes.get(wid)
        if note is None and needed:
            note = self._notes[wid] = FieldNote(id=wid, classes=classes)
            self.query_one(FormBody).mount(note, after=self.query_one(f"#{below}"))
        return note

    def show_all(self, problems: list[Problem]) -> None:
        for field in FIELDS:
            self._touched.add(field)
            self._show(field, problems)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.fixed_name is None
        if action == "submit_update":
            return self.fixed_name is not None
        return True

    def action_submit_update(self) -> None:
        self.action_submit()

    def action_move_focus(self, step: int) -> None:
        move_focus(self, step)

    def action_enter(self) -> None:
        # Enter walks down the form; on the last field it opens the preview. Anywhere else (the
        # registry list, its open overlay) enter keeps its own meaning.
        focused = self.focused
        if not self._owns_focus() or not isinstance(focused, Input):
            raise SkipAction()
        field = focused.id or ""
        # set_focus, not widget.focus(): that one waits for the next turn of the loop, and the
        # keys typed after enter would still go to this field.
        if field == "email":
            self.set_focus(self.query_one("#image", Input))
        elif field not in FIELDS:
            self.action_preview()
        else:
            # Skip the preset list: enter would open it, and the host field already sets it.
            following = FIELDS[FIELDS.index(field) + 1]
            self.set_focus(self.query_one(f"#{following}", Input))

    def _owns_focus(self) -> bool:
        return form_owns_keys(self)

    # --- actions ---------------------------------------------------------------------------

    def action_reveal(self) -> None:
        shown = self.query_one("#password", PasswordInput).toggle_reveal()
        self.notify(
            "Password shown: mind who can see your screen." if shown else "Password hidden."
        )

    def _valid_draft(self) -> SecretDraft | None:
        draft = self.read_draft()
        problems = validate_draft(draft, self._chosen_preset())
        self.show_all(problems)
        if has_errors(problems):
            errors = [p for p in problems if not p.warning]
            first = errors[0]
            # Each field says what is wrong under it: the toast names them, in a line or two,
            # and the cursor goes to the first.
            fields = ", ".join(dict.fromkeys(FIELD_LABELS.get(p.field, p.field) for p in errors))
            self.notify(
                f"Fix {len(errors)} field{'s' if len(errors) > 1 else ''} first: {fields}.",
                severity="error",
                timeout=8,
            )
            self._to_fix(first.field)
            return None
        return draft

    def action_preview(self) -> None:
        draft = self._valid_draft()
        if draft is None:
            return
        profile = self.rapp.state.profile
        api_url = profile.api_url if profile else "https://api.example.com"
        # A name the tenant's list holds is sent as the update it is (see _submit_flow).
        patch = self.fixed_name is not None or draft.name in self.rapp.state.existing
        self.rapp.nav.preview(draft, api_url, patch=patch, submit=self.action_submit)

    def action_manage(self) -> None:
        if self.fixed_name is not None and not self.busy and self._typed_in_update():
            self._ask_to_discard(self.rapp.nav.manage)  # f3 leaves the update as escape does
            return
        self.rapp.nav.manage()

    def action_load_login(self) -> None:
        self._load_docker()

    @work(exclusive=True, group="docker-config", exit_on_error=False)
    async def _load_docker(self) -> None:
        from tui.screens.load_credential import load_docker_login

        loaded = await load_docker_login(self, self._person)
        if loaded is None:
            return
        credential = loaded.credential
        current = self.read_draft()
        self._touched.update(("registry", "username", "password"))
        self.fill(
            SecretDraft(
                name=current.name,
                registry=credential.registry or current.registry,
                username=credential.username or "",
                password=credential.password,
                email=current.email,
            )
        )

    def action_check_login(self) -> None:
        draft = self.read_draft()
        missing = [
            label
            for label, value in (
                ("the host", draft.registry),
                ("the username", draft.username),
                ("the password", draft.password.reveal()),
            )
            if not value
        ]
        if missing:
            self.notify(f"Fill in {' and '.join(missing)} first.", severity="warning")
            return
        # The busy message names the registry: one holding a pasted token never gets that far.
        problems = validate_field(draft, "registry", self._chosen_preset())
        self._touched.add("registry")
        self._show("registry", problems)
        if has_errors(problems):
            self.notify(f"Host: {problems[0].message}.", severity="error", timeout=8)
            return
        self._check_login(draft)

    def action_back(self) -> None:
        # A new registration's draft is kept for the next form (_keep_draft); an update's is
        # not: leaving it with something typed asks first.
        if self.fixed_name is not None and not self.busy and self._typed_in_update():
            self._ask_to_discard(super().action_back)
            return
        super().action_back()

    def _typed_in_update(self) -> bool:
        return any(
            self.query_one(f"#{field}", Input).value for field in self._touched if field != "name"
        )

    def _typed_in_new(self) -> bool:
        """A new registration typed and not sent (the draft kept for the next form is lost on
        quitting all the same)."""
        if self.fixed_name is not None:
            return False
        return self.rapp.state.typed_unsent(self.read_draft(), self._fresh())

    def unsent(self) -> workflows.Unsent | None:
        """What quitting now would drop of what was typed here (tui/app.py asks first)."""
        from tui.core.workflows import Unsent

        if self.fixed_name is not None:
            return Unsent("update", self.fixed_name) if self._typed_in_update() else None
        return Unsent("register", self.read_draft().name) if self._typed_in_new() else None

    @work(exclusive=True, group="discard", exit_on_error=False)
    async def _ask_to_discard(self, leave: Callable[[], None]) -> None:
        from tui.core import workflows

        question = workflows.update_discard_question(self.fixed_name or "")
        if await self._person.confirm(question) and self.is_current:
            leave()

    @property
    def _person(self) -> ScreenPerson:
        """The person a workflow talks to through this screen, made with the first request."""
        from tui.screens.person import ScreenPerson

        if self._person_made is None:
            self._person_made = ScreenPerson(self)
        return self._person_made

    @work(exclusive=True, group="check-login", exit_on_error=False)
    async def _check_login(self, draft: SecretDraft) -> None:
        from tui.core import workflows

        checked = self._login_fields(draft)
        try:
            result = await workflows.check_registry_login(self._person, draft, image=self._image())
        except workflows.Interrupted:
            self.notify(workflows.LOGIN_STOPPED, title="Stopped")
            return
        if result is None:
            return
        # The answer is the verdict line under the password, near what it is about; no toast,
        # which in the corner covered the Test image field that the person may be typing in.
        self._show_verdict(workflows.verdict_of(result), checked)
        if self._verdict_for is None:  # typed over while it ran: that answer is not shown
            self.notify(
                "The login changed during the check: ctrl+l checks it again.", severity="warning"
            )

    def _login_fields(self, draft: SecretDraft | None = None) -> tuple[str, str, Secret, str]:
        """What a login verdict depends on, as the form holds it now (or as ``draft`` has it)."""
        draft = draft or self.read_draft()
        return (draft.registry, draft.username, draft.password, self._image() or "")

    def _show_verdict(
        self,
        verdict: workflows.LoginVerdict | None,
        checked: tuple[str, str, Secret, str] | None = None,
    ) -> None:
        """Keep ``verdict`` under the password while the fields it was given for stay as they
        were; None (or fields changed since) clears it."""
        from tui.core import workflows

        if verdict is not None and checked != self._login_fields():
            verdict = None  # typed over while the check ran: the verdict is for other values
        self._verdict_for = checked if verdict is not None else None
        text = verdict.line_at(datetime.now().strftime("%H:%M")) if verdict is not None else ""
        accepted = verdict is not None and verdict.verdict is workflows.Verdict.ACCEPTED
        # The last login check's verdict, kept in sight under the password (a toast fades).
        note = self._note(
            "login-verdict", below="password", needed=bool(text), classes="field-hint"
        )
        if note is not None:
            note.set_class(accepted, "ok")
            note.say(text, warning=verdict is not None and not accepted)

    def _image(self) -> str | None:
        return self.query_one("#image", Input).value.strip() or None

    def action_submit(self) -> None:
        if self.busy:
            self.notify("A request is already running; wait for it to finish.", severity="warning")
            return
        draft = self._valid_draft()
        if draft is None:
            return
        self.busy = True
        self._submit(draft)

    @work(exclusive=True, group="submit", exit_on_error=False)
    async def _submit(self, draft: SecretDraft) -> None:
        try:
            await self._submit_flow(draft)
        finally:
            self.busy = False

    async def _submit_flow(self, draft: SecretDraft) -> None:
        from tui.core import workflows
        from tui.core.errors import NotFound

        state = self.rapp.state
        profile = state.profile
        if profile is None:
            self.notify("Choose a connection profile first (escape).", severity="error")
            return
        checked = self._login_fields(draft)
        client, tenant, check, image = (
            state.client(),
            state.tenant(),
            profile.check_registry_login,
            self._image(),
        )
        if self.fixed_name is None:
            # A name the tenant's list holds: one question, the update it is (not "Register?"
            # and then "already exists").
            result = await workflows.register(
                client,
                self._person,
                draft,
                tenant,
                check_login=check,
                image=image,
                exists=draft.name in state.existing,
            )
        else:
            result = await workflows.update(
                client, self._person, draft, tenant, check_login=check, image=image
            )
        if isinstance(result.error, NotFound):
            state.gone(draft.name)  # deleted meanwhile: ctrl+s again registers it anew
        if result.login is not None:
            self._show_verdict(workflows.verdict_of(result.login), checked)
        if result.changed:
            state.remember(draft)
            self.rapp.secrets_changed.publish(draft.name)
            self.rapp.nav.sent(result)
        elif result.error is not None:
            self.rapp.show_error(result.title, result.error)
        elif result.outcome is workflows.Outcome.BLOCKED:
            # The verdict line under the password says why; a toast would cover the field the
            # cursor goes to (often the Test image field, the form's last). Only if the line
            # could not say it (the login changed meanwhile) does a toast.
            if self._verdict_for is None:
                self.notify(result.sentence, title=result.title, severity="error", timeout=10)
            self._to_fix(result.fix_field)
        elif result.outcome is workflows.Outcome.CANCELLED:
            self._to_fix(result.fix_field)  # "Fix it": the field the refusal names first
        elif result.outcome is workflows.Outcome.EXISTS:
            state.existing.add(draft.name)  # ctrl+s again asks the update question, once
            self.notify(result.sentence)
        elif result.outcome is workflows.Outcome.STOPPED:
            # What was typed stays in the form, to send again once the person has looked.
            self._person.tell(workflows.stopped_notice(result))
            if result.sent:
                self.rapp.secrets_changed.publish(draft.name)

    def _to_fix(self, field: str) -> None:
        """The cursor at the end of the field to fix (a field of the form, not disabled)."""
        if field in (*FIELDS, "image"):
            widget = self.query_one(f"#{field}", Input)
            if not widget.disabled:
                focus_at_end(self, widget)

    def start_new(self) -> None:
        """After a success: keep registry and username, clear name and password for the next one.
        A registration typed and not sent stays as it is: "new" from the secrets list cleared
        its name and password."""
        if self._typed_in_new():
            return
        current = self.read_draft()
        self._touched.clear()
        self.fill(
            SecretDraft(
                name="" if self.fixed_name is None else self.fixed_name,
                registry=current.registry,
                username=current.username,
                password=Secret(""),
                email=current.email,
            )
        )
        for field in FIELDS:
            self._show(field, [])
        self.query_one("#name", Input).focus()
