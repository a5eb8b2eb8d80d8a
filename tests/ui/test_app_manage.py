"""Manage screen against the emulator: quota, filter, update credentials, delete, copy YAML."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input
from textual.widgets._toast import Toast

from tests.support.app import (
    NoClipboard,
    ledger_knows,
    make_app,
    seed_foreign_secret,
    seed_secret,
    until,
)
from tests.support.pilot import (
    PASSWORD,
    fill_form,
    manage_loaded,
    manage_row,
    open_credentials,
    open_manage,
    register_confirmed,
    shown,
    wait_for,
)
from tests.support.screen import screen_lines, screen_text
from tui.core.snippets import serving_snippet, workflow_snippet
from tui.emulator.server import Emulator
from tui.screens.credentials import CredentialsScreen
from tui.screens.help import HelpScreen
from tui.screens.manage import ManageScreen
from tui.screens.modals import ConfirmModal, ErrorModal, TypedConfirmModal
from tui.screens.result import ResultScreen
from tui.widgets.status_line import StatusLine

SIZE = (100, 30)


async def test_list_quota_filter_copy_and_delete_with_the_typed_name(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    for name in ("alpha-registry", "beta-registry", "gamma"):
        seed_secret(emulator, name)
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_manage(app, pilot)
        assert shown(screen) == ["alpha-registry", "beta-registry", "gamma"]
        assert "3 of 50" in str(screen.query_one("#quota").render())
        await pilot.press("slash", *"beta", "enter")  # / filters; enter gives the list the keys
        await pilot.pause()
        assert shown(screen) == ["beta-registry"]
        await pilot.press("w")
        await until(pilot, lambda: app.clipboard == workflow_snippet("beta-registry"))
        await pilot.press("s")
        await until(pilot, lambda: app.clipboard == serving_snippet("beta-registry"))
        await pilot.press("d")
        modal = await wait_for(pilot, app, TypedConfirmModal)
        await pilot.press(*"beta", "enter")  # not the name: refused, nothing deleted
        await pilot.pause()
        assert app.screen is modal
        modal.query_one(Input).value = "beta-registry"
        await pilot.press("enter")
        await wait_for(pilot, app, ManageScreen)
        await until(pilot, lambda: "beta-registry" not in screen.names)
        assert emulator.secret_names() == ["alpha-registry", "gamma"]
        assert "beta-registry" not in screen.names


async def test_update_credentials_from_the_list_sends_a_patch(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "gamma")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_manage(app, pilot)
        await pilot.press("enter")
        form = await wait_for(pilot, app, CredentialsScreen)
        assert form.fixed_name == "gamma"
        assert form.query_one("#name", Input).disabled
        assert form.query_one("#name", Input).value == "gamma"
        form.query_one("#registry", Input).value = "ghcr.io"
        form.query_one("#username", Input).value = "bob"
        form.query_one("#password", Input).value = PASSWORD
        await pilot.press("ctrl+s")
        confirm = await wait_for(pilot, app, ConfirmModal)
        assert "Update" in str(confirm.query_one(".dialog-title").render())
        await pilot.press("y")
        result = await wait_for(pilot, app, ResultScreen)
        assert result.updated and result.secret_name == "gamma"
    patch = [r for r in emulator.requests if r.method == "PATCH"]
    assert len(patch) == 1 and patch[0].path.endswith("/gamma")


async def test_list_failure_is_explained(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        emulator.fail_next(403, count=3)
        await pilot.press("f3")
        modal = await wait_for(pilot, app, ErrorModal)
        values = [str(w.render()) for w in modal.query(".detail-value")]
        assert "403" in values
        await pilot.press("escape")
        await wait_for(pilot, app, ManageScreen)
        emulator.faults.clear()
        await pilot.press("r")
        await until(pilot, lambda: "0 of 50" in str(app.screen.query_one("#quota").render()))


async def test_a_name_shown_without_its_control_characters_is_confirmed_as_shown(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # A hostile server's name: the dialog shows it without the escape sequence, so the name the
    # user is asked to type must be the one shown, or the secret can never be deleted.
    hostile = "t\x1b]0;PWNED\x07x"
    seed_secret(emulator, "gamma")
    with emulator.state.lock:
        emulator.state.secrets[hostile] = emulator.state.secrets["gamma"]
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_manage(app, pilot)
        await until(pilot, lambda: shown(screen) == ["gamma", hostile])
        await pilot.press("down")
        await pilot.press("d")
        modal = await wait_for(pilot, app, TypedConfirmModal)
        await pilot.press("t", "x", "enter")
        await wait_for(pilot, app, ManageScreen)
        assert modal not in app.screen_stack
        await until(pilot, lambda: hostile not in emulator.secret_names())
    assert emulator.secret_names() == ["gamma"]


async def test_known_secrets_show_the_ledger_and_an_update_starts_from_it(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    """Another session registered "gamma" here: its registry and user come from the ledger."""
    seed_secret(emulator, "gamma")
    seed_secret(emulator, "theirs")
    app = make_app(sealed_home, emulator=emulator)
    # The demo's tenant keeps its history in the demo's own ledger, never in the user's.
    ledger_knows(app, "gamma", registry="ghcr.io", username="octo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_manage(app, pilot)
        assert shown(screen) == ["gamma", "theirs"]
        gamma = manage_row(screen, "gamma")
        assert gamma["Registry"] == "ghcr.io" and gamma["Username"] == "octo"
        assert len(gamma["Last rotated"]) == len("2026-12-01")
        assert manage_row(screen, "theirs") == {
            "Name": "theirs",
            "Registry": "registered outside regsecret",
            "Username": "",
            "Last rotated": "",
        }
        await pilot.press("enter")
        form = await wait_for(pilot, app, CredentialsScreen)
        assert form.fixed_name == "gamma"
        assert form.query_one("#registry", Input).value == "ghcr.io"
        assert form.query_one("#username", Input).value == "octo"
        assert form.query_one("#password", Input).value == ""


async def test_the_demo_keeps_its_own_ledger_and_leaves_the_users_untouched(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    """Register, update and delete in the demo: the manage screen's ledger columns follow it,
    the user's ledger.toml is not touched, and the demo's own is gone when the app ends."""
    from tui.core.ledger import Ledger, tenant_key

    user = Ledger()
    user.record("prod@api.example.com", "theirs", registry="ghcr.io", username="me", created=True)
    before = (user.path.read_bytes(), user.path.stat().st_mtime_ns)
    app = make_app(sealed_home, emulator=emulator)
    demo_dir = app.demo_ledger_dir
    assert demo_dir is not None and demo_dir != user.config_dir
    demo = Ledger(demo_dir)
    key = tenant_key("demo", emulator.api_url)
    async with app.run_test(size=SIZE) as pilot:
        await open_credentials(app, pilot)
        await fill_form(pilot, name="mine")
        await register_confirmed(pilot, app)
        registered = demo.load().get(key, "mine")
        assert registered is not None and registered.username == "alice"
        # The secrets list shows the demo ledger's columns; an update starts from them.
        await pilot.press("m")  # the result screen's way to the secrets list
        screen = await wait_for(pilot, app, ManageScreen)
        await until(pilot, lambda: "mine" in shown(screen))
        mine = manage_row(screen, "mine")
        assert mine["Registry"] == "ghcr.io" and mine["Username"] == "alice"
        await pilot.press("enter")
        form = await wait_for(pilot, app, CredentialsScreen)
        assert form.query_one("#username", Input).value == "alice"
        form.query_one("#username", Input).value = "bob"
        form.query_one("#password", Input).value = PASSWORD
        await register_confirmed(pilot, app)
        updated = demo.load().get(key, "mine")
        assert updated is not None and updated.username == "bob"
        await pilot.press("escape")
        screen = await wait_for(pilot, app, ManageScreen)
        await until(pilot, lambda: shown(screen) == ["mine"])
        await pilot.press("d")
        await wait_for(pilot, app, TypedConfirmModal)
        await pilot.press(*"mine", "enter")
        await until(pilot, lambda: emulator.secret_names() == [])
        await until(pilot, lambda: demo.load().get(key, "mine") is None)
        assert (user.path.read_bytes(), user.path.stat().st_mtime_ns) == before
    assert (user.path.read_bytes(), user.path.stat().st_mtime_ns) == before
    assert user.load().get(key, "mine") is None
    assert not demo_dir.exists()


async def test_slash_filters_and_escape_clears_the_filter_before_leaving(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    for name in ("alpha-registry", "beta-registry"):
        seed_secret(emulator, name)
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_manage(app, pilot)
        await pilot.press("r", "d")  # the list has the keys: no letter lands in the filter
        await wait_for(pilot, app, TypedConfirmModal)
        await pilot.press("escape")
        await wait_for(pilot, app, ManageScreen)
        field = screen.query_one("#filter", Input)
        assert field.value == ""
        await pilot.press("slash", *"alp")
        await pilot.pause()
        assert field.has_focus and shown(screen) == ["alpha-registry"]
        await pilot.press("escape")  # clears the filter, stays
        await pilot.pause()
        assert app.screen is screen and field.value == "" and not field.has_focus
        assert shown(screen) == ["alpha-registry", "beta-registry"]
        await pilot.press("escape")  # now leaves
        await until(pilot, lambda: app.screen is not screen)


async def test_o_and_a_click_on_a_heading_sort_the_table(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    for name in ("alpha", "beta", "gamma"):
        seed_secret(emulator, name)
    app = make_app(sealed_home, emulator=emulator)
    ledger_knows(app, "gamma", registry="ghcr.io", username="amy")
    ledger_knows(app, "beta", registry="quay.io", username="zed")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_manage(app, pilot)
        assert shown(screen) == ["alpha", "beta", "gamma"]
        await pilot.press("f6")  # name, the other way
        assert shown(screen) == ["gamma", "beta", "alpha"]
        await pilot.press("f6")  # registry: ghcr.io, quay.io, then what the ledger does not know
        assert shown(screen) == ["gamma", "beta", "alpha"]
        assert manage_row(screen, "gamma")["Registry"] == "ghcr.io"
        table = screen.query_one("#secret-table")
        assert "Registry ▲" in [str(c.label) for c in table.ordered_columns]  # type: ignore[attr-defined]
        await pilot.press("f6")
        assert shown(screen) == ["beta", "gamma", "alpha"]
        # The Name heading is the first column: a click sorts by it, a second turns it round.
        await pilot.click("#secret-table", offset=(3, 0))
        await pilot.pause()
        assert shown(screen) == ["alpha", "beta", "gamma"]
        await pilot.click("#secret-table", offset=(3, 0))
        await pilot.pause()
        assert shown(screen) == ["gamma", "beta", "alpha"]
        # The highlight follows its secret through every new order (alpha, now last): up is
        # beta, and after another order enter still updates beta.
        assert screen.selected() == "alpha"
        await pilot.press("up")
        await pilot.press("f6")
        assert screen.selected() == "beta"
        await pilot.press("enter")
        form = await wait_for(pilot, app, CredentialsScreen)
        assert form.fixed_name == "beta"


async def test_a_wide_terminal_shows_the_highlighted_secrets_details_beside_the_table(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    seed_secret(emulator, "gamma")
    seed_secret(emulator, "theirs")
    app = make_app(sealed_home, emulator=emulator)
    ledger_knows(
        app, "gamma", registry="ghcr.io", username="octo", email="o@example.com",
        verified_image="ghcr.io/acme/app:1",
    )  # fmt: skip
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_manage(app, pilot)
        pane = screen.query_one("#secret-details")
        assert pane.display and pane.region.width > 0
        text = screen_text(app)
        for words in ("Registry key", "o@example.com", "login and image", "ghcr.io/acme/app:1"):
            assert words in text, words
        assert "- name: gamma" in text
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "This secret was registered outside regsecret" in text
        assert "- name: theirs" in text and "o@example.com" not in text
    async with make_app(sealed_home, emulator=emulator).run_test(size=SIZE) as pilot:
        screen = await open_manage(pilot.app, pilot)  # type: ignore[arg-type]
        await pilot.pause()
        assert not screen.query_one("#secret-details").region.width
        assert "Registry key" not in screen_text(pilot.app)


async def test_help_and_the_palette_list_enter_which_updates_the_highlighted_secret(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # The table has the focus, and DataTable binds enter itself: that binding used to hide the
    # screen's, so help did not say what enter does here.
    seed_secret(emulator, "alpha")
    seed_secret(emulator, "gamma")
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_manage(app, pilot)
        assert screen.query_one("#secret-table").has_focus
        update = "Update the highlighted secret's credentials"
        assert update in [command.title for command in app.get_system_commands(screen)]
        await pilot.press("f1")
        help_screen = await wait_for(pilot, app, HelpScreen)
        assert ("⏎", update) in [(i.key, i.description) for i in help_screen._keys]
        await pilot.press("escape")
        await wait_for(pilot, app, ManageScreen)
        await pilot.press("down", "enter")  # and enter still does it, on the highlighted row
        form = await wait_for(pilot, app, CredentialsScreen)
        assert form.fixed_name == "gamma"


LONG = "a-very-long-secret-name-for-testing-layout-0123456789-abcdefgh"  # 62 characters


async def test_a_long_name_is_cut_to_fit_80_columns_and_shown_whole_under_the_table(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # A 60-character name used to push Username, Last rotated and the sort arrow off screen.
    seed_secret(emulator, LONG)
    seed_secret(emulator, "gamma")
    app = make_app(sealed_home, emulator=emulator)
    ledger_knows(app, LONG, registry="registry.example.com", username="octo-ml-robot")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_credentials(app, pilot)
        await pilot.press("f3")
        screen = await manage_loaded(app, pilot)
        lines = screen_lines(app)
        heading = next(line for line in lines if "Name" in line and "Registry" in line)
        for words in ("Name ▲", "Registry", "Username", "Last rotated"):
            assert words in heading, heading
        row = next(line for line in lines if line.lstrip().startswith(LONG[:10]))
        assert "…" in row and LONG not in row
        for words in ("registry.example.com", "octo-ml-robot", "20"):
            assert words in row, row
        assert max(map(len, lines)) <= 80
        # The highlighted secret's whole name, under the table; the row key is the exact name.
        assert f"Highlighted: {LONG}" in screen_text(app)
        assert screen.selected() == LONG
        # The arrow stays on screen on every column it moves to.
        for arrowed in ("Name ▼", "Registry ▲", "Registry ▼", "Username ▲", "Username ▼"):
            await pilot.press("f6")
            await pilot.pause()
            assert arrowed in screen_text(app), arrowed
        await pilot.press("f6")
        await pilot.pause()
        assert "Last rotated ▲" in screen_text(app)
        # A short name is not cut: nothing to show under the table.
        await until(pilot, lambda: shown(screen)[0] == LONG)
        await pilot.press("down")
        await pilot.pause()
        assert screen.selected() == "gamma" and "Highlighted:" not in screen_text(app)
        await pilot.press("up")
        await pilot.pause()
        narrow = cut_name(app)
        # Wider, the table shows more of the name (the details beside it have all of it); and
        # back at 80 columns it fits again.
        await pilot.resize_terminal(100, 30)
        await until(pilot, lambda: len(cut_name(app)) > len(narrow))
        assert "Last rotated ▲" in screen_text(app) and "Highlighted:" in screen_text(app)
        await pilot.resize_terminal(160, 45)
        await until(pilot, lambda: "Registry key" in screen_text(app))
        assert "Last rotated ▲" in screen_text(app) and "Highlighted:" not in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: cut_name(app) == narrow)
        assert max(map(len, screen_lines(app))) <= 80


def cut_name(app: object) -> str:
    """The name as the table row shows it: the characters of LONG before the ellipsis."""
    lines = screen_lines(app)  # type: ignore[arg-type]
    row = next(line for line in lines if line.lstrip().startswith(LONG[:10]))
    return row.split("…")[0].strip() if "…" in row else LONG


async def test_a_hostile_name_is_cut_as_plain_text(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Cutting happens after the display boundary: markup is shown as typed, no escape survives.
    hostile = "[@click=app.quit]x[/]-" + "y" * 50 + "\x1b]0;PWNED\x07"
    seed_foreign_secret(emulator, hostile)
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_credentials(app, pilot)
        await pilot.press("f3")
        screen = await manage_loaded(app, pilot)
        text = screen_text(app)
        assert "[@click=app.quit]x[/]-yyy" in text and "…" in text
        assert "\x1b" not in text and "\x07" not in text
        assert screen.selected() == hostile
        assert app.is_running


async def test_a_copy_is_said_under_the_table_and_no_toast_covers_it(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # Without a system clipboard the whole story is long (sent, not checked, why, what to set):
    # as a toast it was 13 lines over the table at 80x24.
    names = [f"secret-{i:02}" for i in range(12)]
    for name in (LONG, *names):
        seed_secret(emulator, name)
    app = make_app(sealed_home, emulator=emulator, clipboard=NoClipboard())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_credentials(app, pilot)
        await pilot.press("f3")
        screen = await manage_loaded(app, pilot)
        await pilot.press("w")
        status = screen.query_one("#manage-status", StatusLine)
        await until(pilot, lambda: status.said)
        assert status.said.startswith(f"Sent the workflow-template YAML for {LONG} through")
        assert "cannot check that it arrived" in status.said and "Copied" not in status.said
        assert app.clipboard == workflow_snippet(LONG)
        await pilot.pause()
        assert not app._notifications and not app.screen.query(Toast)
        text = " ".join(screen_text(app).split())
        assert "Sent the workflow-template YAML" in text and "set-clipboard on" in text
        # The table still shows its rows and every column, the status line under it.
        assert all(name in text for name in names[:8]) and "Last rotated" in text
        # Sorting says its order on the same line (toasts stacked up over the table).
        await pilot.press("f6", "f6", "f6")
        await pilot.pause()
        assert status.said == "Secrets sorted by registry, Z to A." and not app._notifications
