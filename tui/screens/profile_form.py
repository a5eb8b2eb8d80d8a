"""New or edit one of our profiles. The secret goes to the keyring, never into profiles.toml."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Input

from tui.core.errors import ProfileError, explain
from tui.core.pem_input import pem_from_field
from tui.core.profile_actions import Profile, ProfileStore, save_new_profile, update_profile
from tui.core.profile_checks import PROFILE_FIELDS, check_profile_field, check_profile_form
from tui.core.profile_model import normalise_api_url, normalise_token_url
from tui.core.secret import Secret
from tui.core.wording import joined
from tui.screens.base import BaseScreen
from tui.widgets.bounded_input import SECRET_LIMIT, BoundedInput
from tui.widgets.chooser import Chooser
from tui.widgets.field_note import FieldNote
from tui.widgets.form_focus import (
    ENTER_BINDING,
    FOCUS_BINDINGS,
    enter_moves_on,
    focus_at_end,
    move_focus,
)
from tui.widgets.labelled import FormBody, LabelledField
from tui.widgets.password_input import PasswordInput
from tui.widgets.path_suggester import PathSuggester
from tui.widgets.plain import PlainLabel
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.core.workflows import Unsent

#: On the form's status line when escape or ctrl+s is pressed while a save is under way.
STILL_SAVING = (
    "Still saving the profile (the keyring may be asking to be unlocked): wait until it has "
    "finished."
)

_LABELS = {
    "pname": "Name",
    "api_url": "AI API URL",
    "token_url": "Token URL",
    "client_id": "Client id",
    "client_secret": "Client secret",
    "certificate": "Certificate",
    "private_key": "Private key",
    "resource_group": "Resource group",
    "auth": "Auth",
}


_REFUSED = "Nothing was saved: fix "


def _refusal(fields: list[str]) -> str:
    """The status line's sentence after a refused save, naming the fields at fault."""
    labels = [_LABELS[field] for field in fields]
    listed = joined(labels)
    return f"{_REFUSED}{listed} first; each says what is wrong."


class ProfileFormScreen(BaseScreen):
    HELP = (
        "The values come from a service key: url (token service), serviceurls.AI_API_URL, "
        "clientid and clientsecret, or certificate and key for X.509 keys: paste the PEM or give "
        "a file path. Every field says what is wrong while you type. ctrl+s saves. The secret is "
        "stored in the OS keyring; when editing, leave it empty to keep it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="save"),
        Binding("ctrl+r", "reveal", "Reveal", id="reveal"),
        # Tab and enter move on at once, so a burst "id<tab>secret" never leaves the secret in
        # clear text in the client id (form_focus.py).
        *FOCUS_BINDINGS,
        ENTER_BINDING,
    ]

    def __init__(self, profile: Profile | None) -> None:
        super().__init__()
        self.profile = profile
        self.title = f"Edit profile “{profile.name}”" if profile else "New connection profile"
        # A field's problem shows once the person has changed it, or tried to save.
        self._touched: set[str] = set()
        # What the form held when it opened: escape asks before anything else is dropped.
        self._opened_with: dict[str, str | None] = {}
        # A save under way (the keyring may take seconds, or wait to be unlocked): it goes on
        # in its thread whatever the form does, so neither escape nor ctrl+s may act meanwhile.
        self._saving = False

    def compose(self) -> ComposeResult:
        p = self.profile
        yield PlainLabel(str(self.title), classes="screen-title")
        with FormBody(classes="form form-flat"):
            yield from self._row(
                BoundedInput(p.name if p else "", placeholder="e.g. dev", id="pname"),
            )
            yield from self._row(
                BoundedInput(
                    p.api_url if p else "",
                    placeholder="https://api.ai.prod.eu-central-1.aws.ml.hana.ondemand.com",
                    id="api_url",
                ),
            )
            yield from self._row(
                BoundedInput(
                    p.token_url if p else "",
                    placeholder="https://<subdomain>.authentication.<region>.hana.ondemand.com",
                    id="token_url",
                ),
            )
            # How the key logs in, before its client id: the id and its secret are next to each
            # other, so a password manager typing id, tab, secret puts the secret in its field
            # (after the id, a tab landed here: the secret's letters searched this list).
            auth = p.auth if p else "secret"
            yield from self._row(
                Chooser(
                    [("Client secret", "secret"), ("X.509 certificate", "x509")],
                    prompt="choose how the key logs in",
                    value=auth,
                    id="auth",
                ),
            )
            yield from self._row(BoundedInput(p.client_id if p else "", id="client_id"))
            keep = " (empty keeps the stored one)" if p else ""
            yield from self._row(
                PasswordInput(placeholder="the key's clientsecret" + keep, id="client_secret"),
            )
            yield from self._row(
                BoundedInput(
                    p.certificate or "" if p else "",
                    placeholder="PEM text or a file path",
                    id="certificate",
                    limit=SECRET_LIMIT,
                    pem=True,
                    suggester=PathSuggester(),
                ),
            )
            yield from self._row(
                PasswordInput(
                    placeholder="PEM text or a file path" + keep,
                    id="private_key",
                    pem=True,
                ),
            )
            yield from self._row(
                BoundedInput(
                    p.resource_group or "" if p else "",
                    placeholder="optional, e.g. default",
                    id="resource_group",
                ),
            )
        # Why nothing was saved, below the form and above the keys: in sight however the form
        # scrolls, and covering none of the notes under the fields (a toast did).
        yield StatusLine(id="form-problem", classes="problem")
        yield Footer(compact=True)

    def _row(self, widget: LabelledField) -> ComposeResult:
        # The field draws its label; its problem follows it in the form itself, as on the
        # register form (tui/screens/credentials.py): one way to lay out a form field.
        field = widget.id or ""
        yield widget.labelled(_LABELS[field])
        if field in PROFILE_FIELDS:
            yield FieldNote(id=f"{field}-problem", classes="problem")

    def on_mount(self) -> None:
        # Before the type-ahead hands the form what was typed behind "n" (base.py): that counts.
        self._opened_with = self._held()
        self._auth_changed()
        self.query_one("#pname", Input).focus()

    @on(Chooser.Changed, "#auth")
    def _auth_changed(self) -> None:
        x509 = self._x509()
        self.query_one("#client_secret").display = not x509
        self.query_one("#certificate").display = x509
        self.query_one("#private_key").display = x509
        # The checks again: a field not in use has no problem, so its note hides with it.
        for field in self._touched:
            self._check(field)
        # A refused save's sentence named the fields of the other kind of key (the certificate
        # and private key, hidden now, over a client secret that was fine): it follows.
        status = self.query_one("#form-problem", StatusLine)
        if status.said.startswith(_REFUSED):
            at_fault = [
                f for f in PROFILE_FIELDS if self.query_one(f"#{f}-problem", FieldNote).said
            ]
            status.say(_refusal(at_fault) if at_fault else "")

    def _x509(self) -> bool:
        return self.query_one("#auth", Chooser).value == "x509"

    def _values(self) -> dict[str, str]:
        return {field: self.value(field) for field in PROFILE_FIELDS}

    def _held(self) -> dict[str, str | None]:
        """Everything the form holds as typed (the secrets too, never shown): to compare."""
        held: dict[str, str | None] = {
            field: self.query_one(f"#{field}", Input).value for field in PROFILE_FIELDS
        }
        held["auth"] = self.query_one("#auth", Chooser).value
        return held

    # --- live checks, as the credentials form does ---------------------------------------------

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if field not in PROFILE_FIELDS:
            return
        self._touched.add(field)
        self._check(field)
        # The form-wide sentence was about an earlier save: it goes once all is well again.
        if not any(self.query_one(f"#{f}-problem", FieldNote).said for f in PROFILE_FIELDS):
            self.query_one("#form-problem", StatusLine).say("")

    def _check(self, field: str) -> None:
        problem = check_profile_field(
            field, self._values(), x509=self._x509(), editing=self.profile is not None
        )
        self.query_one(f"#{field}-problem", FieldNote).say(problem or "")

    def _show_all(self) -> dict[str, str]:
        """Every problem next to its field; the problems, in form order."""
        problems = check_profile_form(
            self._values(), x509=self._x509(), editing=self.profile is not None
        )
        self._touched.update(PROFILE_FIELDS)
        for field in PROFILE_FIELDS:
            self.query_one(f"#{field}-problem", FieldNote).say(problems.get(field, ""))
        return problems

    def action_move_focus(self, step: int) -> None:
        move_focus(self, step)

    def action_enter(self) -> None:
        enter_moves_on(self)

    def action_reveal(self) -> None:
        for widget in self.query(PasswordInput):
            widget.toggle_reveal()

    def value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()

    def action_save(self) -> None:
        if self._still_saving():
            return
        self._saving = True
        self._save()

    def _still_saving(self) -> bool:
        """A save is under way: say so, and let the key do nothing. Asked "discard?", the form
        said the profile was not saved, and closed, while its save went on and saved it; a
        second ctrl+s cancelled the first worker (not its thread) and failed on the name."""
        if self._saving:
            self.query_one("#form-problem", StatusLine).say(STILL_SAVING)
        return self._saving

    def _refuse(self, problems: dict[str, str]) -> None:
        """Nothing is saved while a field has a problem; everything typed stays."""
        self.query_one("#form-problem", StatusLine).say(_refusal(list(problems)))
        # At the end, nothing selected: the next key mends the value, not replaces all of it.
        focus_at_end(self, self.query_one(f"#{next(iter(problems))}", Input))

    @work(exclusive=True, group="profile-save", exit_on_error=False)
    async def _save(self) -> None:
        try:
            await self._save_now()
        finally:
            self._saving = False

    async def _save_now(self) -> None:
        problem = self.query_one("#form-problem", StatusLine)
        problems = self._show_all()
        if problems:
            self._refuse(problems)
            return
        problem.say("")
        x509 = self._x509()
        secret_text = self.value("private_key" if x509 else "client_secret")
        try:
            certificate = None
            if x509:
                # Only here are files read: a path in the field is opened now.
                field = "certificate"
                certificate = await asyncio.to_thread(
                    pem_from_field, self.value("certificate"), "certificate"
                )
                field = "private_key"
                if secret_text:
                    secret_text = await asyncio.to_thread(
                        pem_from_field, secret_text, "private key"
                    )
        except ProfileError as exc:
            self.query_one(f"#{field}-problem", FieldNote).say(exc.explanation)
            self._refuse({field: exc.explanation})
            return
        try:
            profile = Profile(
                name=self.value("pname"),
                api_url=normalise_api_url(self.value("api_url")),
                token_url=normalise_token_url(self.value("token_url")),
                client_id=self.value("client_id"),
                auth="x509" if x509 else "secret",
                resource_group=self.value("resource_group") or None,
                certificate=certificate,
            )
            secrets = await self.rapp.secret_store()
            store = ProfileStore()
            secret = Secret(secret_text) if secret_text else None
            if self.profile is None:
                assert secret is not None  # check_profile_form asks for it on a new profile
                await asyncio.to_thread(
                    save_new_profile, profile, secret, store=store, secrets=secrets
                )
            else:
                profile = profile.replace(check_registry_login=self.profile.check_registry_login)
                await asyncio.to_thread(
                    update_profile,
                    self.profile.name,
                    profile,
                    store=store,
                    secrets=secrets,
                    secret=secret,
                )
        except Exception as exc:
            problem.say(explain(exc))
            return
        self.rapp.profiles_changed.publish(None)
        self.dismiss()
        # Said once this form has closed: about the list it went to (a toast goes with the
        # screen it was said on).
        self.notify(f"Saved profile “{profile.name}”.")

    def unsent(self) -> Unsent | None:
        """What quitting now would drop of what was typed here (tui/app.py asks first)."""
        from tui.core.workflows import Unsent

        if self._held() == self._opened_with:
            return None
        if self.profile is None:
            return Unsent("new-profile", self.value("pname"))
        return Unsent("profile", self.profile.name)

    def action_back(self) -> None:
        """Escape: gone at once if nothing was changed; else asked, keep editing or discard."""
        if self._still_saving():
            return
        if self._held() == self._opened_with:
            self.dismiss()
            return
        # Loaded with the first question, not with the form.
        from tui.core.workflows import discard_question
        from tui.screens.modals import CarefulConfirmModal

        if self.profile is None:
            lost = "The new profile is not saved: what you typed goes if you leave now."
        else:
            lost = f"The changes to “{self.profile.name}” are not saved: they go if you leave now."
        asked = discard_question(lost, finish="save it")
        # Keep editing is highlighted: an enter out of habit, or a second escape, keeps it all.
        dialog = CarefulConfirmModal(asked.title, asked.body, yes=asked.yes, no=asked.no)
        self.app.push_screen(dialog, self._discard)

    def _discard(self, yes: bool | None) -> None:
        if yes and self.is_attached:
            self.dismiss()
