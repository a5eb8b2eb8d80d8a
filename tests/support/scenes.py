"""Fake data and the way to each screen, shared by the snapshot tests and scripts/screenshots.py.

Nothing here is a real secret: the password is a made-up token and it is masked on every screen.
Hosts are fixed (no emulator port on screen) so the pictures are the same on every run.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tui.app import RegsecretApp
from tui.core.client import Quota
from tui.core.errors import ServerError
from tui.core.fleet import Fleet, Load, Member, TenantState, build_matrix, loaded_sentence
from tui.core.ledger import LedgerEntry, LedgerRead, now_utc
from tui.core.profile_actions import Profile, ProfileStore
from tui.core.request import SecretDraft
from tui.core.rotation import Rotation, Step, TenantRotation
from tui.core.secret import Secret
from tui.core.session import Tenant
from tui.screens.base import screen_actions
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.fleet import FleetScreen
from tui.screens.help import HelpScreen
from tui.screens.import_key import ImportKeyScreen
from tui.screens.manage import ManageScreen
from tui.screens.modals import ConfirmModal, ErrorModal, TypedConfirmModal
from tui.screens.preview import PreviewScreen
from tui.screens.profile_form import ProfileFormScreen
from tui.screens.result import ResultScreen
from tui.screens.rotate import RotateScreen
from tui.widgets.chooser import ChooserList

SIZE = (100, 30)
API_URL = "https://api.ai.prod.eu-central-1.aws.ml.hana.ondemand.com"
TOKEN_URL = "https://acme-dev.authentication.eu10.hana.ondemand.com/oauth/token"
FAKE_PASSWORD = "ghp_FAKE0000000000000000000000000000"
DEV = Profile("dev", API_URL, TOKEN_URL, "sb-demo-client!b1234|aicore!b540")
PROD = Profile(
    "prod-eu",
    API_URL.replace("eu-central-1", "eu-west-1"),
    TOKEN_URL.replace("acme-dev", "acme-prod"),
    "sb-prod-client!b99|aicore!b540",
    auth="x509",
    certificate="-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
)
DRAFT = SecretDraft("ghcr-team-ml", "ghcr.io", "octo-ml", Secret(FAKE_PASSWORD), "")
SECRETS = ("dockerhub-base", "ghcr-team-ml", "gitlab-inference", "quay-robots")

Scene = Callable[[Pilot[Any]], Awaitable[None]]


def write_profiles() -> None:
    """Two profiles of ours in the (test-sealed) config dir; no secret is written anywhere."""
    store = ProfileStore()
    store.add(DEV)
    store.add(PROD)


def scene_app(home: Path, emulator: Any = None) -> RegsecretApp:
    return RegsecretApp(
        demo=emulator is not None,
        emulator=emulator,
        env={"HOME": str(home)},
        home=home,
        clipboard_backend=_NullClipboard(),
    )


class _NullClipboard:
    def copy(self, text: str) -> None:
        pass

    def paste(self) -> str:
        return ""


async def _settle(pilot: Pilot[Any]) -> None:
    """Until the screen has handled what the scene caused, and what that caused in turn.

    Each pause() waits for every message queued so far; a typed value queues a validation, which
    queues an update, which queues a layout: on a loaded machine one round is not enough.
    """
    await pilot.pause(0.1)
    for _ in range(3):
        await pilot.pause()
    # A blinking cursor is drawn or not depending on when the picture is taken: hold it still,
    # or a snapshot flips between two pictures run by run.
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


async def _loaded(pilot: Pilot[Any]) -> None:
    app = pilot.app
    for _ in range(200):
        screen = app.screen
        if getattr(screen, "result", "x") is not None:
            break
        await pilot.pause(0.02)
    await _settle(pilot)


async def _with_dev(pilot: Pilot[Any]) -> RegsecretApp:
    await _loaded(pilot)
    app = pilot.app
    assert isinstance(app, RegsecretApp)
    app.state.select(DEV, Secret("not-a-real-client-secret"))
    return app


async def profiles(pilot: Pilot[Any]) -> None:
    await _loaded(pilot)


async def profiles_empty(pilot: Pilot[Any]) -> None:
    await _loaded(pilot)


async def credentials(pilot: Pilot[Any]) -> None:
    app = await _with_dev(pilot)
    app.state.draft = DRAFT
    await app.push_screen(CredentialsScreen())
    await _settle(pilot)


async def credentials_list(pilot: Pilot[Any]) -> None:
    """The registry list open over the form: under the field's value, its own keys below."""
    await credentials(pilot)
    await pilot.press("tab", "enter")
    for _ in range(100):
        if isinstance(pilot.app.screen, ChooserList) and pilot.app.screen.focused is not None:
            break
        await pilot.pause(0.02)
    await pilot.press("down")
    await _settle(pilot)
    assert isinstance(pilot.app.screen, ChooserList)


async def credentials_errors(pilot: Pilot[Any]) -> None:
    app = await _with_dev(pilot)
    await app.push_screen(CredentialsScreen())
    await _settle(pilot)
    screen = app.screen
    screen.query_one("#name", Input).value = "Team_Registry!"
    screen.query_one("#registry", Input).value = "https://"
    screen.query_one("#username", Input).value = "octo:ml"
    screen.query_one("#email", Input).value = "not-an-email"
    await _settle(pilot)


async def preview(pilot: Pilot[Any]) -> None:
    app = await _with_dev(pilot)
    await app.push_screen(PreviewScreen(DRAFT, API_URL))
    await _settle(pilot)


async def preview_curl(pilot: Pilot[Any]) -> None:
    await preview(pilot)
    await pilot.press("3")
    await _settle(pilot)


async def confirm(pilot: Pilot[Any]) -> None:
    app = await _with_dev(pilot)
    app.state.draft = DRAFT
    await app.push_screen(CredentialsScreen())
    await _settle(pilot)
    await app.push_screen(
        ConfirmModal(
            "Register secret “ghcr-team-ml”?",
            f"Tenant: {app.state.tenant_label()}\nSecret: ghcr-team-ml\n"
            "Registry: ghcr.io, user octo-ml\n\n"
            "The secret becomes visible to every resource group of the tenant.",
            yes="Register",
            no="Cancel",
        )
    )
    await _settle(pilot)


async def error(pilot: Pilot[Any]) -> None:
    app = await _with_dev(pilot)
    app.state.draft = DRAFT
    await app.push_screen(CredentialsScreen())
    await _settle(pilot)
    failure = ServerError(
        "AI Core had an internal error and did not register the secret. Nothing was changed; "
        "try again in a minute. If it keeps failing, give SAP support the request id below.",
        status=500,
        code="01010076",
        message="Internal server error",
        request_id="3f1c9a7e-5b2d-4e8f-9a61-0c7d2b4e8f10",
    )
    await app.push_screen(ErrorModal("“ghcr-team-ml” could not be registered", failure))
    await _settle(pilot)


async def result(pilot: Pilot[Any]) -> None:
    app = await _with_dev(pilot)
    await app.push_screen(ResultScreen("ghcr-team-ml", "Secret has been created"))
    await _settle(pilot)


async def manage(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, RegsecretApp)
    await app.wait_for_emulator()
    for name in SECRETS:
        body = {"auths": {"ghcr.io": {"username": "u", "password": "p", "auth": "dTpw"}}}
        app.emulator.state.create({"name": name, "data": {".dockerconfigjson": json.dumps(body)}})
    await _loaded(pilot)
    for _ in range(200):
        screen = app.screen
        if (
            isinstance(screen, ProfilesScreen)
            and screen.query("DataTable")
            and screen.result
            and screen.result.profiles
        ):
            break
        await pilot.pause(0.02)
    await pilot.press("m")
    for _ in range(200):
        if isinstance(app.screen, ManageScreen) and app.screen.names:
            break
        await pilot.pause(0.02)
    await _settle(pilot)


#: When the manage scene's ledger says its secrets were registered: fixed, so the pictures are.
LEDGER_TIME = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def record_ledger(app: RegsecretApp) -> None:
    """What the demo's ledger knows of two of the manage scene's secrets; the other two it
    does not."""
    from tests.support.app import ledger_knows

    ledger_knows(
        app, "ghcr-team-ml", registry="ghcr.io", username="octo-ml", email="ml@example.com",
        verified_image="ghcr.io/acme/trainer:1.4", expires_at=datetime(2099, 1, 31, tzinfo=UTC),
        now=LEDGER_TIME,
    )  # fmt: skip
    ledger_knows(
        app, "quay-robots", registry="quay.io", username="acme+deploy",
        now=LEDGER_TIME + timedelta(days=3),
    )  # fmt: skip


async def manage_ledger(pilot: Pilot[Any]) -> None:
    """The manage table with the ledger's columns; ghcr-team-ml highlighted (its details)."""
    app = pilot.app
    assert isinstance(app, RegsecretApp)
    await app.wait_for_emulator()
    record_ledger(app)
    await manage(pilot)
    await pilot.press("down")
    await _settle(pilot)


async def delete_confirm(pilot: Pilot[Any]) -> None:
    await manage(pilot)
    await pilot.press("d")
    await _settle(pilot)
    assert isinstance(pilot.app.screen, TypedConfirmModal)


async def help_screen(pilot: Pilot[Any]) -> None:
    app = await _with_dev(pilot)
    app.state.draft = DRAFT
    await app.push_screen(CredentialsScreen())
    await _settle(pilot)
    form = app.screen
    assert isinstance(form, CredentialsScreen)
    await app.push_screen(HelpScreen(str(form.title), form.HELP, screen_actions(form)))
    await _settle(pilot)


async def preview_light(pilot: Pilot[Any]) -> None:
    pilot.app.theme = "textual-light"
    await preview(pilot)


async def credentials_light(pilot: Pilot[Any]) -> None:
    pilot.app.theme = "textual-light"
    await credentials_errors(pilot)


async def profile_form(pilot: Pilot[Any]) -> None:
    await _loaded(pilot)
    await pilot.app.push_screen(ProfileFormScreen(DEV))
    await _settle(pilot)


async def import_key(pilot: Pilot[Any]) -> None:
    await _loaded(pilot)
    await pilot.app.push_screen(ImportKeyScreen())
    await _settle(pilot)


def _fleet_data() -> tuple[dict[str, TenantState], LedgerRead]:
    """Four tenants: two loaded, one at quota, one that cannot be reached; a ledger of two."""
    tenants = {n: Tenant(f'profile “{n}”', "api.example.com", f"{n}@api.example.com") for n in (
        "dev", "test", "prod-eu", "prod-us")}  # fmt: skip

    def loaded(member: str, names: tuple[str, ...], quota: Quota) -> TenantState:
        sentence = loaded_sentence(len(names), quota)
        return TenantState(member, tenants[member], Load.LOADED, names, quota, sentence)

    states = {
        "dev": loaded("dev", SECRETS, Quota(4, 50)),
        "test": loaded("test", SECRETS[:2], Quota(2, 50)),
        "prod-eu": loaded("prod-eu", SECRETS[1:2], Quota(10, 10)),
        "prod-us": TenantState(
            "prod-us",
            tenants["prod-us"],
            Load.UNREACHABLE,
            sentence="profile “prod-us”: the token request failed: HTTP 401. Check the client ID.",
        ),
    }
    rotated = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    soon = now_utc() + timedelta(days=2)
    entries = {
        ("dev@api.example.com", "ghcr-team-ml"): LedgerEntry(
            "dev@api.example.com", "ghcr-team-ml", "ghcr.io", "octo-ml",
            registered_at=rotated, updated_at=rotated, expires_at=soon,
        ),
        ("test@api.example.com", "ghcr-team-ml"): LedgerEntry(
            "test@api.example.com", "ghcr-team-ml", "ghcr.io", "octo-ml",
            registered_at=rotated, updated_at=rotated,
        ),
    }  # fmt: skip
    return states, LedgerRead(entries)


async def fleet(pilot: Pilot[Any]) -> None:
    await _loaded(pilot)
    screen = FleetScreen([])
    await pilot.app.push_screen(screen)
    await _settle(pilot)
    await pilot.app.workers.wait_for_complete()
    screen.states, screen.ledger = _fleet_data()
    screen.redraw()
    await _settle(pilot)


async def rotate_form(pilot: Pilot[Any]) -> None:
    """The rotate form before sending: the registry the ledger knows, chosen from the list."""
    await _loaded(pilot)
    states, ledger = _fleet_data()
    members = [Member(s.member, s.tenant, None, "fake") for s in states.values()]
    matrix = build_matrix(states.values(), ledger)
    screen = RotateScreen(Fleet(members), matrix, "ghcr-team-ml", check_login=False)
    await pilot.app.push_screen(screen)
    await _settle(pilot)


async def rotation(pilot: Pilot[Any]) -> None:
    await _loaded(pilot)
    states, ledger = _fleet_data()
    members = [Member(s.member, s.tenant, None, "fake") for s in states.values()]
    matrix = build_matrix(states.values(), ledger)
    screen = RotateScreen(Fleet(members), matrix, "ghcr-team-ml", check_login=False)
    await pilot.app.push_screen(screen)
    await _settle(pilot)
    screen.rotation = Rotation(DRAFT, members, on_change=screen._show_step)
    screen.show_progress()
    steps = {
        "dev": (Step.DONE, "updated (Secret updated.)"),
        "test": (Step.DONE, "updated (Secret updated.)"),
        "prod-eu": (Step.FAILED, "“ghcr-team-ml” could not be registered: quota reached (10)."),
        "prod-us": (Step.SENDING, ""),
    }
    for member in members:
        step, sentence = steps[member.name]
        screen.rotation._set(TenantRotation(member.name, member.tenant, step, sentence))
    screen._summarise()
    await _settle(pilot)


# name -> (scene, needs profiles on disk, needs the emulator)
SCENES: dict[str, tuple[Scene, bool, bool]] = {
    "profiles": (profiles, True, False),
    "profiles_empty": (profiles_empty, False, False),
    "profile_form": (profile_form, True, False),
    "import_key": (import_key, True, False),
    "credentials": (credentials, True, False),
    "credentials_errors": (credentials_errors, True, False),
    "credentials_list": (credentials_list, True, False),
    "preview": (preview, True, False),
    "preview_curl": (preview_curl, True, False),
    "confirm": (confirm, True, False),
    "error": (error, True, False),
    "result": (result, True, False),
    "manage": (manage_ledger, False, True),
    "delete_confirm": (delete_confirm, False, True),
    "help": (help_screen, True, False),
    "fleet": (fleet, True, False),
    "rotate_form": (rotate_form, True, False),
    "rotation": (rotation, True, False),
    "preview_light": (preview_light, True, False),
    "credentials_light": (credentials_light, True, False),
}


# --- focus on every form: where the typing goes, at the smallest and a wide terminal ---------

LIGHT_THEME = "textual-light"
FOCUS_SIZES = {"80x24": (80, 24), "160x45": (160, 45)}


async def focus_credentials(pilot: Pilot[Any]) -> None:
    """Focus moved off the first field: the marking must have moved with it."""
    app = await _with_dev(pilot)
    app.state.draft = DRAFT
    await app.push_screen(CredentialsScreen())
    await _settle(pilot)
    await pilot.press("tab", "tab", "tab")
    await _settle(pilot)
    assert isinstance(app.screen.focused, Input) and app.screen.focused.id == "username"


async def focus_credentials_select(pilot: Pilot[Any]) -> None:
    app = await _with_dev(pilot)
    app.state.draft = DRAFT
    await app.push_screen(CredentialsScreen())
    await _settle(pilot)
    await pilot.press("tab")
    await _settle(pilot)


async def focus_profile_form(pilot: Pilot[Any]) -> None:
    await _loaded(pilot)
    await pilot.app.push_screen(ProfileFormScreen(DEV))
    await _settle(pilot)
    await pilot.press("tab", "tab", "tab", "tab")  # name, the URLs, the key's kind: its id
    await _settle(pilot)
    assert isinstance(pilot.app.screen.focused, Input)
    assert pilot.app.screen.focused.id == "client_id"


async def focus_import_key(pilot: Pilot[Any]) -> None:
    await _loaded(pilot)
    await pilot.app.push_screen(ImportKeyScreen())
    await _settle(pilot)
    await pilot.press("tab")
    await _settle(pilot)


FOCUS_SCENES: dict[str, Scene] = {
    "credentials": focus_credentials,
    "credentials_select": focus_credentials_select,
    "profile_form": focus_profile_form,
    "import_key": focus_import_key,
}


# The screens whose layout follows the terminal's width, as in SCENES.
LAYOUT_SCENES: dict[str, tuple[Scene, bool, bool]] = {
    "manage": (manage_ledger, False, True),
    "preview": (preview, True, False),
}


def themed(scene: Scene, theme: str | None) -> Scene:
    async def run(pilot: Pilot[Any]) -> None:
        if theme is not None:
            pilot.app.theme = theme
        await scene(pilot)

    return run
