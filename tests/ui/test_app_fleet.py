"""The fleet view and a rotation across tenants, in the app, against emulators over loopback."""

from __future__ import annotations

import re
from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, Footer, Input, Label

from tests.support.app import make_app, until
from tests.support.emulator import stored_password
from tests.support.fleet import running_tenants, sdk_profiles, seed
from tests.support.fleet_app import lost_profile, open_fleet, rotate_form, row_text, send
from tests.support.pilot import SIZE, record_pushed, status_lines, wait_for, wait_for_workers
from tui.app import RegsecretApp
from tui.core.fleet import Load
from tui.core.rotation import Step
from tui.emulator.state import QUOTA
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.credentials import CredentialsScreen
from tui.screens.fleet import FleetScreen
from tui.screens.help import HelpScreen
from tui.screens.manage import ManageScreen
from tui.screens.modals import ConfirmModal
from tui.screens.rotate import RotateScreen, TenantList


async def test_fleet_matrix_with_an_unreachable_tenant_and_one_at_quota(sealed_home: Path) -> None:
    with running_tenants("dev", "test", "prod") as tenants:
        seed(tenants["dev"], "ghcr", "ecr")
        seed(tenants["test"], "ghcr")
        seed(tenants["prod"], *[f"s{i:02}" for i in range(QUOTA)])
        sdk_profiles(sealed_home, tenants)
        lost_profile(sealed_home)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            fleet = await open_fleet(pilot)
            states = fleet.states
            assert states["lost"].status is Load.UNREACHABLE
            assert states["prod"].at_quota and not states["dev"].at_quota
            table = fleet.query_one(DataTable)
            headers = {str(c.key.value): str(c.label) for c in table.columns.values()}
            status = dict(zip(headers, row_text(table, "\x00status"), strict=True))
            assert status["prod"] == f"{QUOTA} of {QUOTA} (full)"
            assert status["dev"] == f"2 of {QUOTA}"
            assert status["lost"].startswith("unreachable: ")
            ghcr = dict(zip(headers, row_text(table, "ghcr"), strict=True))
            assert ghcr["dev"] == ghcr["test"] == "✓ outside regsecret"
            assert ghcr["prod"] == "—" and ghcr["lost"] == "?"

            # "/" filters by name; esc clears the filter first, and only then goes back.
            await pilot.press("slash", *"ghc")
            await until(pilot, lambda: fleet.filter_text == "ghc")
            names = [str(k.value) for k in table.rows]
            assert names == ["\x00status", "ghcr"]
            # What is typed stands in line with the title and the names, not a cell left of them.
            box = fleet.query_one("#fleet-filter", Input)
            title = fleet.query_one(".screen-title")
            assert box.content_region.x == title.content_region.x
            await pilot.press("escape")
            assert fleet.filter_text == "" and app.screen is fleet
            assert not fleet.query_one("#fleet-filter", Input).display
            assert table.row_count == 1 + len(fleet.matrix.names if fleet.matrix else ())
            await pilot.press("escape")
            assert isinstance(app.screen, ProfilesScreen)


async def test_each_tenant_says_its_count_once_and_the_corner_says_what_the_rows_are(
    sealed_home: Path,
) -> None:
    """The header said "2/50" and the row under it "2 secrets", and the line under the table
    "2 secrets; 2 of 50 secrets used": the same count two times. The corner said "secret"
    beside the tenants' names and "tenant" beside the counts."""
    with running_tenants("dev", "solo", "prod") as tenants:
        seed(tenants["dev"], "ghcr", "ecr")
        seed(tenants["solo"], "ghcr")
        seed(tenants["prod"], *[f"s{i:02}" for i in range(QUOTA)])
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            fleet = await open_fleet(pilot)
            table = fleet.query_one(DataTable)
            headers = {str(c.key.value): str(c.label) for c in table.columns.values()}
            # The names alone on one line; the corner names the row beside it.
            assert headers == {"\x00name": "Tenant", "dev": "dev", "solo": "solo", "prod": "prod"}
            assert table.header_height == 1
            status = dict(zip(headers, row_text(table, "\x00status"), strict=True))
            assert status == {
                "\x00name": "Secrets used",
                "dev": f"2 of {QUOTA}",
                "solo": f"1 of {QUOTA}",
                "prod": f"{QUOTA} of {QUOTA} (full)",
            }

            def detail() -> str:
                return str(fleet.query_one("#fleet-detail").render())

            said = {}
            for _ in headers.keys() - {"\x00name"}:
                await pilot.press("right")
                member = detail().split(":", 1)[0]
                said[member] = detail()
            assert said["dev"].startswith(f"dev: 2 of {QUOTA} secrets used. "), said
            assert said["solo"].startswith(f"solo: 1 of {QUOTA} secrets used. "), said
            assert said["prod"].startswith(
                f"prod: {QUOTA} of {QUOTA} secrets used: the tenant is full, delete one before "
                "registering another there. "
            ), said
            assert not [s for s in said.values() if "2 secrets" in s or "1 secrets" in s], said


async def test_enter_rotates_the_highlighted_secret_and_help_says_so(sealed_home: Path) -> None:
    """Enter rotated the row's secret, but help listed only o: enter is the screen's own key
    now, with an id and its sentence, and does what help says."""
    with running_tenants("dev", "test") as tenants:
        seed(tenants["dev"], "alpha", "bravo")
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            fleet = await open_fleet(pilot)
            enter = fleet.active_bindings["enter"]
            assert enter.node is fleet and enter.binding.id == "fleet.rotate-highlighted"
            await pilot.press("f1")
            help_screen = await wait_for(pilot, app, HelpScreen)
            keys = {item.key: item.description for item in help_screen._keys}
            assert keys["⏎"] == "Rotate the highlighted secret across tenants", keys
            assert keys["o"] == "Rotate across tenants", keys
            assert "Enter or o rotates the highlighted secret" in help_screen._about
            await pilot.press("escape")
            await wait_for(pilot, app, FleetScreen)
            await pilot.press("down", "enter")
            rotate = await wait_for(pilot, app, RotateScreen)
            assert rotate.query_one("#name", Input).value == "bravo"


async def test_the_line_under_the_table_stays_in_view_and_in_line_at_80x24(
    sealed_home: Path,
) -> None:
    """With more secrets than rows, the table pushed the line that says what the highlighted
    cell holds off the screen; that line and the progress began a column left of the rest. The
    progress said "1 of 1 tenants", and help's title "Help: Fleet: secrets by tenant"."""
    with running_tenants("dev") as tenants:
        seed(tenants["dev"], *[f"s{i:02}" for i in range(40)])
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=(80, 24)) as pilot:
            fleet = await open_fleet(pilot)
            await pilot.press("right")
            await pilot.pause()
            detail = fleet.query_one("#fleet-detail")
            footer = fleet.query_one(Footer)
            assert str(detail.render()).startswith("dev: 40 of 50 secrets used. s00: ")
            assert detail.region.height > 0 and detail.region.bottom <= footer.region.y
            title = fleet.query_one(".screen-title")
            progress = fleet.query_one("#fleet-progress")
            assert detail.content_region.x == progress.content_region.x == title.content_region.x
            assert str(progress.render()) == "1 of 1 tenant answered; 40 secrets."
            assert ":" not in str(title.render())  # help's title is "Help: " and it


async def test_rotation_updates_exactly_the_chosen_tenants(sealed_home: Path) -> None:
    async with rotate_form(sealed_home, "dev", "test", "prod", holders=("dev", "test")) as (
        tenants,
        _,
        pilot,
        rotate,
    ):
        rotate.query_one("#password", Input).value = "demo-registry-token"
        # Preselected: the tenants that have it; in the list h says the same, a adds prod.
        assert sorted(rotate.chosen()) == ["dev", "test"]
        rotate.query_one(TenantList).focus()
        await pilot.press("a")
        assert sorted(rotate.chosen()) == ["dev", "prod", "test"]
        await pilot.press("h")
        assert sorted(rotate.chosen()) == ["dev", "test"]
        await send(pilot, rotate)
        assert rotate.rotation is not None and rotate.rotation.ok
        assert sorted(rotate.rotation.done()) == ["dev", "test"]
        assert "ghcr" not in tenants["prod"].secret_names()
        table = rotate.query_one("#rotate-table", DataTable)
        assert [str(table.get_row(n)[1]) for n in ("dev", "test")] == ["done", "done"]


async def test_one_failure_is_shown_and_retried_alone(sealed_home: Path) -> None:
    async with rotate_form(sealed_home, "dev", "test", "prod") as (tenants, app, pilot, rotate):
        rotate.query_one("#password", Input).value = "demo-registry-token"
        rotate.query_one(TenantList).focus()
        await pilot.press("a")
        tenants["test"].fail_next(500, body='{"error": {"message": "backend down"}}')
        await send(pilot, rotate)
        rotation = rotate.rotation
        assert rotation is not None and rotation.failed() == ["test"]
        table = rotate.query_one("#rotate-table", DataTable)
        assert str(table.get_row("test")[1]) == "failed"
        assert "ghcr" not in tenants["test"].secret_names()
        summary = str(rotate.query_one("#rotate-summary").render())
        assert "Done in 2 of 3 tenants. 1 failed" in summary
        # The failure's title, then its sentence as a sentence: no capital after a colon.
        failure = rotation.states["test"].sentence
        assert failure.startswith("“ghcr” could not be registered. "), failure
        await pilot.press("f5")
        await wait_for_workers(pilot, "rotate")
        assert rotation.ok and rotation.states["test"].step is Step.DONE
        assert "ghcr" in tenants["test"].secret_names()
        await pilot.press("ctrl+y")
        await wait_for_workers(pilot, "clipboard")
        assert "Rotated “ghcr” in 3 of 3 tenants." in app.clipboard
        # Said on the rotate screen's status line, under the table, not in a toast over it.
        copied = status_lines(app)
        assert copied and copied[0].startswith("Copied the rotation summary to "), copied
        assert not [n for n in app._notifications if n.title == "Copied"]


async def test_the_cursor_moves_over_secrets_only_and_the_form_names_the_one_chosen(
    sealed_home: Path,
) -> None:
    with running_tenants("dev", "test", registry=True) as tenants:
        seed(tenants["dev"], "alpha", "bravo", "charlie", "delta")
        seed(tenants["test"], "bravo")
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            fleet = await open_fleet(pilot)
            table = fleet.query_one(DataTable)

            def highlighted() -> str | None:
                return fleet.highlighted()[0]

            # The tenants' state row is not a secret: the cursor starts on the first one, and
            # up (or home) stays there; down three times is the fourth secret.
            assert highlighted() == "alpha"
            await pilot.press("up", "home")
            assert highlighted() == "alpha" and table.cursor_coordinate.row == 1
            await pilot.press("down", "down", "down")
            assert highlighted() == "delta"
            await pilot.press("up", "up")
            assert highlighted() == "bravo"
            await pilot.press("o")
            rotate = await wait_for(pilot, app, RotateScreen)
            assert rotate.query_one("#name", Input).value == "bravo"
            title = str(rotate.query_one(".screen-title", Label).render())
            assert title == "Rotate “bravo” across tenants", title
            assert sorted(rotate.chosen()) == ["dev", "test"]


async def test_a_holders_failure_says_it_could_not_be_updated(sealed_home: Path) -> None:
    async with rotate_form(sealed_home, "dev", "test", holders=("dev", "test")) as (
        tenants,
        _,
        pilot,
        rotate,
    ):
        rotate.query_one("#password", Input).value = "demo-registry-token"
        tenants["test"].fail_next(500, body='{"error": {"message": "backend down"}}')
        await send(pilot, rotate)  # its preview says "test: update"
        rotation = rotate.rotation
        assert rotation is not None and rotation.failed() == ["test"]
        failure = rotation.states["test"].sentence
        assert failure.startswith("“ghcr” could not be updated. "), failure
        assert "registered" not in str(rotate.query_one("#rotate-detail").render())


TWENTY = [f"t{i:02}" for i in range(19)]  # and "lost": 20 tenants on screen


async def test_twenty_tenants_load_with_progress_scroll_and_filter(sealed_home: Path) -> None:
    with running_tenants(*TWENTY) as tenants:
        for name in TWENTY:
            seed(tenants[name], "ghcr", f"only-{name}")
        seed(tenants["t07"], *[f"s{i:02}" for i in range(QUOTA - 2)])  # 50 of 50
        tenants["t11"].delay_next(3.0)  # still loading while others have answered
        sdk_profiles(sealed_home, tenants)
        lost_profile(sealed_home)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            profiles = app.screen
            assert isinstance(profiles, ProfilesScreen)
            await until(pilot, lambda: profiles.result is not None and profiles.result.profiles)
            await pilot.press("f")
            fleet = await wait_for(pilot, app, FleetScreen)
            progress = fleet.query_one("#fleet-progress")

            def said() -> str:
                return str(progress.render())

            # Progress while loading (t11 is slow): how many answered, and the rest say so.
            loading = re.compile(r"Loading… (\d+) of 20 tenants answered")
            await until(pilot, lambda: (m := loading.match(said())) and int(m[1]) > 0)
            match = loading.match(said())
            assert match is not None
            table = fleet.query_one(DataTable)
            columns = [str(c.key.value) for c in table.columns.values()]
            assert len(columns) == 21 and columns[-1] == "t18"
            status = dict(zip(columns, row_text(table, "\x00status"), strict=True))
            assert list(status.values()).count("loading…") == 20 - int(match[1])
            await until(pilot, lambda: said().startswith("20 of 20 tenants answered"))
            await wait_for_workers(pilot, "fleet-load")
            assert "1 unreachable" in said()

            # One unreachable tenant says why in its column; one at quota says so in its header.
            status = dict(zip(columns, row_text(table, "\x00status"), strict=True))
            assert status["lost"].startswith("unreachable: ")
            assert status["t07"] == f"{QUOTA} of {QUOTA} (full)"
            assert [n for n, s in status.items() if "full" in s] == ["t07"]
            await pilot.press("right")
            await until(pilot, lambda: "lost: " in str(fleet.query_one("#fleet-detail").render()))
            detail = str(fleet.query_one("#fleet-detail").render())
            assert "could not" in detail or "did not" in detail  # the whole sentence, below

            # 21 columns do not fit in 100: every one is reached by scrolling, and the names
            # stay at the left while the tenants scroll past.
            assert table.max_scroll_x > 0 and table.scroll_x == 0
            for _ in range(20):
                await pilot.press("right")
            await pilot.pause()
            assert table.cursor_coordinate.column == 20
            assert table.scroll_x == table.max_scroll_x and table.fixed_columns == 1
            assert "t18: " in str(fleet.query_one("#fleet-detail").render())

            # Filter by name: / then the name; esc clears the filter and keeps every column.
            await pilot.press("slash", *"only-t1")
            await until(pilot, lambda: fleet.filter_text == "only-t1")
            names = [str(k.value) for k in table.rows]
            assert names == ["\x00status", *[f"only-t1{i}" for i in range(9)]]
            total = 1 + 19 + (QUOTA - 2)
            assert f"9 of {total} secrets match “only-t1”" in said(), said()
            await pilot.press("x")  # no name holds "only-t1x": the line says so, not the total
            await until(pilot, lambda: fleet.filter_text == "only-t1x")
            assert "no secret name holds “only-t1x” (escape clears the filter)" in said()
            await pilot.press("escape")
            await pilot.pause()
            assert fleet.filter_text == "" and app.screen is fleet
            assert table.row_count == 1 + 1 + 19 + (QUOTA - 2)
            assert len(table.columns) == 21


async def test_twenty_tenants_rotation_live_one_failure_retried_alone(sealed_home: Path) -> None:
    # 19 tenants that answer (one with an injected failure), "ghcr" in every other one ...
    async with rotate_form(
        sealed_home,
        *TWENTY,
        holders=TWENTY[::2],
        prepare=lambda _: lost_profile(sealed_home, "t99"),  # ... and one that cannot be reached
    ) as (tenants, app, pilot, rotate):
        names = tenants.names()
        rotate.query_one("#password", Input).value = "demo-registry-token"
        rotate.query_one(TenantList).focus()
        await pilot.press("a")
        assert len(rotate.chosen()) == 20
        assert "20 of 20 chosen" in str(rotate.query_one("#tenants-note").render())
        tenants["t05"].fail_next(500, body='{"error": {"message": "backend down"}}')
        tenants["t09"].delay_next(4.0)  # long enough to be seen sending on a loaded machine
        await pilot.press("ctrl+s")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("y")
        await until(pilot, lambda: rotate.rotation is not None)
        table = rotate.query_one("#rotate-table", DataTable)
        summary = rotate.query_one("#rotate-summary")

        # Live: t09 is still sending while others are done, and the summary says so.
        def step(name: str) -> str:
            return str(table.get_row(name)[1])

        def others_done() -> int:
            return sum(step(n) == "done" for n in names if n != "t09")

        await until(pilot, lambda: step("t09") == "sending" and others_done() > 0)
        assert str(summary.render()).startswith("Sending… done in ")
        await wait_for_workers(pilot, "rotate")
        rotation = rotate.rotation
        assert rotation is not None and table.row_count == 20
        assert sorted(rotation.failed()) == ["t05", "t99"]
        assert [step(n) for n in ("t05", "t99")] == ["failed", "failed"]
        assert sum(step(str(k.value)) == "done" for k in table.rows) == 18
        # Nothing reported rotated that was not: done means AI Core holds the new token.
        for name in names:
            has_new = (
                "ghcr" in tenants[name].secret_names()
                and stored_password(tenants[name], "ghcr", tenants.registry_host())
                == "demo-registry-token"
            )
            assert has_new == (rotation.states[name].step is Step.DONE), name
        assert "Done in 18 of 20 tenants. 2 failed: f5 retries them alone." in str(summary.render())
        # The cursor is on the first failure and its whole sentence is below the table.
        assert "t05: " in str(rotate.query_one("#rotate-detail").render())
        assert rotate.check_action("retry", ()) and not rotate.check_action("send", ())

        # Retry: only the failed ones are asked again.
        before = {n: len(tenants[n].requests) for n in names}
        await pilot.press("f5")
        await wait_for_workers(pilot, "rotate")
        after = {n: len(tenants[n].requests) for n in names}
        assert [n for n in names if after[n] != before[n]] == ["t05"]
        assert rotation.failed() == ["t99"] and step("t05") == "done"
        assert "Done in 19 of 20 tenants. 1 failed: f5 retries it alone." in str(summary.render())
        assert stored_password(tenants["t05"], "ghcr", tenants.registry_host()) == (
            "demo-registry-token"
        )


async def test_a_refused_login_is_the_one_confirmation_of_a_rotation(sealed_home: Path) -> None:
    async with rotate_form(sealed_home, "dev", "test") as (_, app, pilot, rotate):
        rotate.query_one("#password", Input).value = "wrong-token"
        rotate.query_one("#email", Input).value = "octo"  # no @: a warning
        await pilot.pause()
        pushed = record_pushed(app)
        await pilot.press("ctrl+s")
        confirm = await wait_for(pilot, app, ConfirmModal)
        title = str(confirm.query_one(".dialog-title").render())
        body = str(confirm.query_one(".dialog-body").render())
        assert title == "The registry did not accept this login"
        assert "Login refused: " in body and "(masked)" in body
        assert "• Email: does not look like an email address (it is optional)" in body
        assert body.endswith(f"Send to {len(rotate.chosen())} tenant anyway?")
        await pilot.press("y")  # one yes sends: no second question
        await until(pilot, lambda: rotate.rotation is not None)
        await wait_for_workers(pilot, "rotate")
        assert [s for s in pushed if isinstance(s, ConfirmModal)] == [confirm]
        assert rotate.rotation is not None and rotate.rotation.done() == rotate.chosen()


def palette_titles(app: RegsecretApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_the_palette_offers_the_fleet_view_from_the_form_and_manage_not_only_profiles(
    sealed_home: Path,
) -> None:
    """README: "Fleet view" in the palette. It was only on the profiles screen (its f); from the
    form and manage, where a person looks too, it opens the fleet of every profile."""
    with running_tenants("dev", "test") as tenants:
        seed(tenants["dev"], "ghcr")
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            profiles = app.screen
            assert isinstance(profiles, ProfilesScreen)
            await until(pilot, lambda: profiles.result is not None and profiles.result.profiles)
            assert palette_titles(app).count("Fleet view") == 1  # its own f, not twice
            await pilot.press("enter")
            form = await wait_for(pilot, app, CredentialsScreen)
            # Through the palette itself, as a person does.
            await pilot.press("ctrl+p")
            palette = await wait_for(pilot, app, CommandPalette)
            await pilot.press(*"Fleet view")
            options = palette.query_one(CommandList)
            await until(
                pilot,
                lambda: (
                    options.option_count > 0
                    and "Fleet view" in str(options.get_option_at_index(0).prompt)
                ),
            )
            await pilot.press("enter")
            fleet = await wait_for(pilot, app, FleetScreen)
            assert [p.name for p in fleet.profiles] == ["dev", "test"]
            await until(pilot, lambda: fleet.states and fleet.states["dev"].status is Load.LOADED)
            assert "Fleet view" not in palette_titles(app)  # already there
            await pilot.press("escape")
            await wait_for(pilot, app, CredentialsScreen)
            assert app.screen is form
            await pilot.press("f3")
            await wait_for(pilot, app, ManageScreen)
            (command,) = [c for c in app.get_system_commands(app.screen) if c.title == "Fleet view"]
            command.callback()
            fleet = await wait_for(pilot, app, FleetScreen)
            assert [p.name for p in fleet.profiles] == ["dev", "test"]
