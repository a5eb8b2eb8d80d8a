"""New or edit one of our profiles. The secret goes to the keyring, never into profiles.toml."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, Label, Select, Static

from tui.core.errors import explain
from tui.core.pem_input import pem_from_field
from tui.core.profile_actions import Profile, ProfileStore, save_new_profile, update_profile
from tui.core.profile_model import normalise_api_url, normalise_token_url
from tui.core.secret import Secret
from tui.screens.base import BaseScreen
from tui.widgets.bounded_input import SECRET_LIMIT, BoundedInput
from tui.widgets.password_input import PasswordInput
from tui.widgets.path_suggester import PathSuggester
from tui.widgets.plain import PlainLabel, PlainStatic


class ProfileFormScreen(BaseScreen):
    HELP = (
        "The values come from a service key: url (token service), serviceurls.AI_API_URL, "
        "clientid and clientsecret, or certificate and key for X.509 keys (paste the PEM or give "
        "a file path). ctrl+s saves. The secret is stored in the OS keyring; when editing, leave "
        "it empty to keep it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="save"),
        Binding("ctrl+r", "reveal", "Reveal", id="reveal"),
    ]

    def __init__(self, profile: Profile | None) -> None:
        super().__init__()
        self.profile = profile
        self.title = f"Edit profile “{profile.name}”" if profile else "New connection profile"

    def compose(self) -> ComposeResult:
        p = self.profile
        yield PlainLabel(str(self.title), classes="screen-title")
        # Not a focus stop of its own: after the last field, a typed key would vanish into it.
        with VerticalScroll(classes="form", can_focus=False):
            yield from self._row(
                "Name",
                BoundedInput(p.name if p else "", placeholder="e.g. dev", id="pname", compact=True),
            )
            yield from self._row(
                "AI API URL",
                BoundedInput(
                    p.api_url if p else "",
                    placeholder="https://api.ai.prod.eu-central-1.aws.ml.hana.ondemand.com",
                    id="api_url",
                    compact=True,
                ),
            )
            yield from self._row(
                "Token URL",
                BoundedInput(
                    p.token_url if p else "",
                    placeholder="https://<subdomain>.authentication.<region>.hana.ondemand.com",
                    id="token_url",
                    compact=True,
                ),
            )
            yield from self._row(
                "Client id", BoundedInput(p.client_id if p else "", id="client_id", compact=True)
            )
            auth = p.auth if p else "secret"
            yield from self._row(
                "Auth",
                Select(
                    [("Client secret", "secret"), ("X.509 certificate", "x509")],
                    value=auth,
                    allow_blank=False,
                    id="auth",
                    compact=True,
                ),
            )
            keep = " (empty keeps the stored one)" if p else ""
            yield from self._row(
                "Client secret",
                PasswordInput(
                    placeholder="the key's clientsecret" + keep, id="client_secret", compact=True
                ),
            )
            yield from self._row(
                "Certificate",
                BoundedInput(
                    p.certificate or "" if p else "",
                    placeholder="PEM text or a file path",
                    id="certificate",
                    limit=SECRET_LIMIT,
                    pem=True,
                    suggester=PathSuggester(),
                    compact=True,
                ),
            )
            yield from self._row(
                "Private key",
                PasswordInput(
                    placeholder="PEM text or a file path" + keep,
                    id="private_key",
                    compact=True,
                    pem=True,
                ),
            )
            yield from self._row(
                "Resource group",
                BoundedInput(
                    p.resource_group or "" if p else "",
                    placeholder="optional, e.g. default",
                    id="resource_group",
                    compact=True,
                ),
            )
            yield PlainStatic("", id="form-problem", classes="problem")
        yield Footer(compact=True)

    def _row(self, label: str, widget: Any) -> ComposeResult:
        with Horizontal(classes="field-row", id=f"row-{widget.id}"):
            yield Label(label, classes="field-label")
            with Vertical(classes="field-body"):
                yield widget

    def on_mount(self) -> None:
        self._auth_changed()
        self.query_one("#pname", Input).focus()

    @on(Select.Changed, "#auth")
    def _auth_changed(self) -> None:
        x509 = self.query_one("#auth", Select).value == "x509"
        self.query_one("#row-client_secret").display = not x509
        self.query_one("#row-certificate").display = x509
        self.query_one("#row-private_key").display = x509

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_reveal(self) -> None:
        for widget in self.query(PasswordInput):
            widget.toggle_reveal()

    def value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()

    def action_save(self) -> None:
        self._save()

    @work(exclusive=True, group="profile-save", exit_on_error=False)
    async def _save(self) -> None:
        problem = self.query_one("#form-problem", Static)
        x509 = self.query_one("#auth", Select).value == "x509"
        secret_text = self.value("private_key" if x509 else "client_secret")
        try:
            certificate = None
            if x509:
                certificate = await asyncio.to_thread(
                    pem_from_field, self.value("certificate"), "certificate"
                )
                if not certificate:
                    raise ValueError("An X.509 profile needs the certificate (PEM text or file).")
            if x509 and secret_text:
                secret_text = await asyncio.to_thread(pem_from_field, secret_text, "private key")
            if not self.value("client_id"):
                raise ValueError("The client id is empty: copy clientid from the service key.")
            profile = Profile(
                name=self.value("pname"),
                api_url=normalise_api_url(self.value("api_url")),
                token_url=normalise_token_url(self.value("token_url")),
                client_id=self.value("client_id"),
                auth="x509" if x509 else "secret",
                resource_group=self.value("resource_group") or None,
                certificate=certificate,
            )
            if self.profile is None and not secret_text:
                what = "private key" if x509 else "client secret"
                raise ValueError(f"The {what} is empty: copy it from the service key.")
            secrets = await self.rapp.secret_store()
            store = ProfileStore()
            secret = Secret(secret_text) if secret_text else None
            if self.profile is None:
                assert secret is not None
                await asyncio.to_thread(
                    save_new_profile, profile, secret, store=store, secrets=secrets
                )
            else:
                profile = replace(profile, check_registry_login=self.profile.check_registry_login)
                await asyncio.to_thread(
                    update_profile,
                    self.profile.name,
                    profile,
                    store=store,
                    secrets=secrets,
                    secret=secret,
                )
        except ValueError as exc:
            problem.update(str(exc))
            return
        except Exception as exc:
            problem.update(explain(exc))
            return
        self.notify(f"Saved profile “{profile.name}”.")
        self.rapp.profiles_changed.publish(None)
        self.dismiss()

    def action_back(self) -> None:
        self.dismiss()
