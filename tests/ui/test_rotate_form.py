"""The rotate form reads as the register form does: ticks without colour, notes under the fields
while typing, the first bad field focused on ctrl+s, and the registry's own hints."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from tests.support.app import AppPilot, until
from tests.support.fleet import Tenants, seed
from tests.support.fleet_app import rotate_again, rotate_form, send
from tests.support.pilot import choose, wait_for
from tests.support.screen import screen_text
from tui.core.registries import PRESETS, PRESETS_BY_ID
from tui.core.request import Problem, validate_email
from tui.core.secret_name import validate_name
from tui.screens.fleet import FleetScreen
from tui.screens.modals import CarefulConfirmModal
from tui.screens.rotate import NO_TENANT, PASSWORD_HINT, TENANT_KEYS, RotateScreen, TenantList
from tui.widgets.chooser import Chooser, ChooserList
from tui.widgets.field_note import FieldNote
from tui.widgets.plain import PlainStatic

KEPT = "Back as you left it; the password or token is never kept: enter it again."


def boxes(rotate: RotateScreen) -> list[str]:
    """What each tenant's line shows, as plain text (no colour)."""
    tenants = rotate.query_one(TenantList)
    return [tenants.render_line(y).text.strip() for y in range(tenants.option_count)]


async def test_chosen_and_not_chosen_tenants_differ_without_colour(sealed_home: Path) -> None:
    async with rotate_form(sealed_home, "dev", "test") as (_, _, pilot, rotate):
        assert boxes(rotate) == ["[x] dev", "[ ] test"]
        rotate.query_one(TenantList).select_all()
        await pilot.pause()
        assert boxes(rotate) == ["[x] dev", "[x] test"]
        rotate.query_one(TenantList).deselect_all()
        await pilot.pause()
        assert boxes(rotate) == ["[ ] dev", "[ ] test"]


def note(rotate: RotateScreen, wid: str) -> str:
    """A note under a field, as shown: empty while it is hidden."""
    widget = rotate.query_one(f"#{wid}", FieldNote)
    return widget.said if widget.display else ""


def problem(rotate: RotateScreen, field: str) -> str:
    """The field's problem, as its one note shows it (a problem, not the registry's advice)."""
    widget = rotate.query_one(f"#{field}-note", FieldNote)
    return "" if widget.has_class("-hint") else note(rotate, f"{field}-note")


def advice(rotate: RotateScreen, field: str) -> str:
    """The registry's advice for the field, as its one note shows it while nothing is wrong."""
    widget = rotate.query_one(f"#{field}-note", FieldNote)
    return note(rotate, f"{field}-note") if widget.has_class("-hint") else ""


def said(problems: list[Problem]) -> str:
    return "\n".join(p.sentence for p in problems)


async def retype(pilot: AppPilot, rotate: RotateScreen, field: str, text: str) -> None:
    rotate.set_focus(rotate.query_one(f"#{field}", Input))
    await pilot.press("ctrl+a", "ctrl+k", *text)
    await pilot.pause()


async def test_fields_are_checked_while_typing_and_ctrl_s_points_at_the_first_bad_one(
    sealed_home: Path,
) -> None:
    async with rotate_form(sealed_home, "dev", "test") as (_, app, pilot, rotate):
        assert problem(rotate, "name") == "" == problem(rotate, "email")
        await retype(pilot, rotate, "name", "My_Reg")
        assert problem(rotate, "name") == said(validate_name("My_Reg"))
        await retype(pilot, rotate, "email", "bad-mail")
        assert problem(rotate, "email") == said(validate_email("bad-mail"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        # The cursor goes back to the first bad field; no toast covers the form.
        assert rotate.focused is rotate.query_one("#name", Input)
        assert not list(app._notifications)
        assert rotate.rotation is None
        await retype(pilot, rotate, "name", "my-reg")
        assert problem(rotate, "name") == ""


async def test_the_registry_typed_brings_its_username_and_password_hints(
    sealed_home: Path,
) -> None:
    async with rotate_form(sealed_home, "dev") as (_, _, pilot, rotate):
        custom, ghcr = PRESETS_BY_ID["custom"], PRESETS_BY_ID["ghcr"]
        assert advice(rotate, "username") == custom.username_hint
        await retype(pilot, rotate, "registry", "ghcr.io")
        assert advice(rotate, "username") == ghcr.username_hint
        assert advice(rotate, "password") == f"{ghcr.password_hint} {PASSWORD_HINT}"
        assert rotate.query_one("#password", Input).placeholder == ghcr.password_example


async def test_the_registry_is_chosen_from_the_register_forms_list_and_its_hints_and_rules_follow(
    sealed_home: Path,
) -> None:
    async with rotate_form(sealed_home, "dev") as (_, _, pilot, rotate):
        chooser = rotate.query_one("#preset", Chooser)
        # Enter walks from the name to the host, past the list (enter would open it).
        rotate.set_focus(rotate.query_one("#name", Input))
        await pilot.press("enter")
        assert rotate.focused is rotate.query_one("#registry", Input)
        offered = [value for _label, value in chooser.options]
        assert offered == [preset.id for preset in PRESETS]  # the one table, in its order
        await retype(pilot, rotate, "registry", "ghcr.io")
        assert chooser.value == "ghcr"  # the list follows the host typed
        await choose(pilot, rotate, "#preset", PRESETS_BY_ID["ecr"].label)
        ecr = PRESETS_BY_ID["ecr"]
        host = rotate.query_one("#registry", Input)
        # ghcr.io is no ECR host: the host is emptied for one, and the list says whose.
        assert (chooser.value, host.value, host.placeholder) == ("ecr", "", ecr.host_example)
        # The user name kept from before is no ECR user: said so, with ECR's rule.
        assert rotate.query_one("#username", Input).value not in ("", "AWS")
        assert ecr.username_hint in problem(rotate, "username")
        assert advice(rotate, "password") == f"{ecr.password_hint} {PASSWORD_HINT}"
        assert rotate.query_one("#username", Input).placeholder == ecr.username_placeholder
        # ctrl+s checks against the registry chosen: the empty host names ECR's own form.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert problem(rotate, "registry") == f"Enter the host. {ecr.host_hint}"
        assert rotate.focused is host and rotate.rotation is None
        await choose(pilot, rotate, "#preset", PRESETS_BY_ID["dockerhub"].label)
        assert host.value == "docker.io"  # a registry with one host brings it
        await retype(pilot, rotate, "username", "octo@example.com")
        warned = problem(rotate, "username")
        assert warned.startswith("Looks like an email address.") and "Docker Hub" in warned


async def test_other_registry_keeps_the_host_typed_and_the_password_has_one_note(
    sealed_home: Path,
) -> None:
    async with rotate_form(sealed_home, "dev", size=(80, 24)) as (_, app, pilot, rotate):
        chooser = rotate.query_one("#preset", Chooser)
        host = rotate.query_one("#registry", Input)
        await retype(pilot, rotate, "registry", "harbor.corp.example:8443")
        assert chooser.value == "harbor"  # the list follows the host typed
        # Not Harbor after all: "Other registry" takes any host, and the one typed stays.
        await choose(pilot, rotate, "#preset", PRESETS_BY_ID["custom"].label)
        assert (chooser.value, host.value) == ("custom", "harbor.corp.example:8443")
        # The hints are the ones of the registry chosen, not Harbor's the host looks like.
        custom = PRESETS_BY_ID["custom"]
        assert advice(rotate, "username") == custom.username_hint
        # One note under the password: the registry's advice, then how to load it.
        assert not rotate.query("#password-hint")
        password = advice(rotate, "password")
        assert password == f"{custom.password_hint} {PASSWORD_HINT}"
        assert " ".join(password.split()) in " ".join(screen_text(app).split())
        # A key typed in the host: the list follows it again.
        await retype(pilot, rotate, "registry", "harbor.corp.example")
        assert chooser.value == "harbor"
        assert advice(rotate, "username") == PRESETS_BY_ID["harbor"].username_hint


async def test_with_the_registry_list_open_tab_and_enter_are_the_lists_not_the_forms(
    sealed_home: Path,
) -> None:
    async with rotate_form(sealed_home, "dev") as (_, app, pilot, rotate):
        chooser = rotate.query_one("#preset", Chooser)
        values = [value for _label, value in chooser.options]
        assert chooser.value == "custom"  # the emulator's registry: the last, "other"
        above = values[-2]
        rotate.set_focus(chooser)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChooserList))
        # The form's tab and enter move on at once (priority keys): not while the list is
        # open over it, where tab stays in the list and enter chooses.
        await pilot.press("tab", "up", "enter")
        await until(pilot, lambda: app.screen is rotate and not chooser.expanded)
        await pilot.pause()
        assert chooser.value == above
        assert rotate.focused is chooser


def under_the_boxes(rotate: RotateScreen) -> list[str]:
    """What the lines under the tenant boxes say, as shown (hidden ones say nothing)."""
    tenants = rotate.query_one(TenantList)
    after = list(tenants.parent.children) if tenants.parent is not None else []
    notes = after[after.index(tenants) + 1 :]
    return [str(w.render()) for w in notes if isinstance(w, PlainStatic) and w.display]


async def test_no_tenant_chosen_is_said_under_the_boxes_not_in_a_toast(sealed_home: Path) -> None:
    async with rotate_form(sealed_home, "dev", "test", size=(80, 24)) as (_, app, pilot, rotate):
        rotate.query_one("#password", Input).value = "demo-registry-token"
        tenants_list = rotate.query_one(TenantList)
        tenants_list.deselect_all()
        rotate.set_focus(rotate.query_one("#email", Input))
        await pilot.pause()
        assert under_the_boxes(rotate) == [f"0 of 2 chosen · {TENANT_KEYS}"]
        await pilot.press("ctrl+s")
        # One note under the boxes says it (a count of none and a problem under it said the
        # same twice), in sight, with the cursor in the list; nothing covers the form.
        await until(pilot, lambda: under_the_boxes(rotate) == [f"{NO_TENANT} {TENANT_KEYS}"])
        assert not rotate.query_one("#tenants-note").has_class("-hint")
        assert rotate.focused is tenants_list
        assert NO_TENANT in screen_text(app)
        assert not list(app._notifications) and rotate.rotation is None
        await pilot.press("space")  # the tenant under the cursor
        await until(pilot, lambda: rotate.chosen() == ["dev"])
        assert under_the_boxes(rotate) == [f"1 of 2 chosen · {TENANT_KEYS}"]
        # A bad field too: both are said at once, and the cursor goes to the field.
        tenants_list.deselect_all()
        await retype(pilot, rotate, "name", "")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: under_the_boxes(rotate) == [f"{NO_TENANT} {TENANT_KEYS}"])
        assert problem(rotate, "name") != ""
        assert rotate.query_one("#name", Input).has_focus


# --- leaving unsent: what was typed is kept, but never the password ---------------------------


def values(rotate: RotateScreen) -> dict[str, str]:
    return {f: rotate.query_one(f"#{f}", Input).value for f in ("name", "registry", "username")} | {
        "email": rotate.query_one("#email", Input).value,
        "preset": rotate.query_one("#preset", Chooser).value or "",
        "password": rotate.query_one("#password", Input).value,
    }


def context(rotate: RotateScreen) -> str:
    return str(rotate.query_one("#rotate-context", PlainStatic).render())


async def test_escape_with_nothing_secret_typed_goes_back_and_the_form_opens_as_it_was_left(
    sealed_home: Path,
) -> None:
    async with rotate_form(sealed_home, "dev", "test") as (_, app, pilot, rotate):
        assert KEPT not in context(rotate)
        await retype(pilot, rotate, "username", "robot$ci")
        await retype(pilot, rotate, "email", "bad-mail")
        await choose(pilot, rotate, "#preset", PRESETS_BY_ID["custom"].label)
        rotate.query_one(TenantList).select_all()
        await pilot.pause()
        left = values(rotate)
        await pilot.press("escape")  # no password typed: nothing to ask
        await until(pilot, lambda: isinstance(app.screen, FleetScreen))
        again = await rotate_again(pilot, rotate)
        assert values(again) == left and again.chosen() == ["dev", "test"]
        assert boxes(again) == ["[x] dev", "[x] test"]
        # Said where the eye lands, and what was wrong with it is said again under it.
        assert KEPT in context(again) and KEPT in " ".join(screen_text(app).split())
        assert problem(again, "email") == said(validate_email("bad-mail"))
        assert "2 of 2 chosen" in str(again.query_one("#tenants-note", PlainStatic).render())


async def test_escape_with_a_password_typed_asks_and_discarding_keeps_all_but_the_password(
    sealed_home: Path,
) -> None:
    async with rotate_form(sealed_home, "dev", "test") as (_, app, pilot, rotate):
        await retype(pilot, rotate, "email", "ops@example.com")
        await retype(pilot, rotate, "password", "typed-token")
        await pilot.press("escape")
        asked = await wait_for(pilot, app, CarefulConfirmModal)
        body = str(asked.query_one(".dialog-body").render())
        assert "Discard the password you typed?" in str(asked.query_one(".dialog-title").render())
        assert "never kept" in body and "“ghcr”" in body and "typed-token" not in body
        # Keep editing is highlighted: enter out of habit, or escape again, keeps it all.
        assert asked.focused is asked.query_one("#no")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is rotate)
        assert values(rotate)["password"] == "typed-token"
        assert rotate.focused is rotate.query_one("#password", Input)
        await pilot.press("escape")
        await wait_for(pilot, app, CarefulConfirmModal)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is rotate)
        await pilot.press("escape")
        await wait_for(pilot, app, CarefulConfirmModal)
        await pilot.press("y")
        again = await rotate_again(pilot, rotate)
        assert values(again)["email"] == "ops@example.com"
        assert values(again)["password"] == ""  # a token does not linger
        assert "keeps what you typed but the password" in RotateScreen.HELP  # f1 says so
        kept = app.state.rotate_drafts["ghcr"]
        assert "typed-token" not in repr(kept) and not hasattr(kept, "password")
        # With nothing typed in it, the password's field empty: escape goes at once.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, FleetScreen))


async def test_another_rows_form_opens_on_its_own_values_and_a_sent_form_is_forgotten(
    sealed_home: Path,
) -> None:
    def second_secret(tenants: Tenants) -> None:
        seed(tenants["test"], "quay")

    async with rotate_form(sealed_home, "dev", "test", prepare=second_secret) as form:
        tenants, app, pilot, rotate = form
        await retype(pilot, rotate, "email", "ops@example.com")
        await pilot.press("escape")
        fleet = await wait_for(pilot, app, FleetScreen)
        table = fleet.query_one(DataTable)
        table.move_cursor(row=[str(k.value) for k in table.rows].index("quay"), column=1)
        quay = await rotate_again(pilot, rotate)
        # Never another secret's values: a token typed next would go under the wrong name.
        assert values(quay)["name"] == "quay" and values(quay)["email"] == ""
        assert KEPT not in context(quay) and quay.chosen() == ["test"]
        await pilot.press("escape")
        fleet = await wait_for(pilot, app, FleetScreen)
        table.move_cursor(row=[str(k.value) for k in table.rows].index("ghcr"), column=1)
        ghcr = await rotate_again(pilot, quay)
        assert values(ghcr)["email"] == "ops@example.com"
        ghcr.query_one("#password", Input).value = "demo-registry-token"
        await send(pilot, ghcr)
        assert ghcr.rotation is not None and ghcr.rotation.ok
        assert "ghcr" not in app.state.rotate_drafts
        await pilot.press("escape")
        again = await rotate_again(pilot, ghcr)
        # Sent: it starts from what the ledger now knows, with nothing said to be kept.
        assert values(again)["email"] == "" and KEPT not in context(again)
        assert values(again)["registry"] == tenants.registry_host()
