"""The fleet view and a rotation across tenants, in the app, against emulators over loopback."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from textual.widgets import DataTable, Input

from tests.support.app import AppPilot, make_app, until
from tests.support.fleet import Tenants, running_tenants, sdk_profiles, seed
from tests.support.pilot import SIZE, wait_for, wait_for_workers
from tui.app import RegsecretApp
from tui.core.fleet import Load
from tui.core.rotation import Step
from tui.emulator.state import QUOTA
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.fleet import FleetScreen
from tui.screens.modals import ConfirmModal
from tui.screens.rotate import RotateScreen

TOKEN = "rotated-Zq8!token"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def lost_profile(home: Path) -> None:
    """An SDK profile whose tenant nobody answers for (a closed loopback port)."""
    url = f"http://127.0.0.1:{closed_port()}"
    config = {
        "AICORE_AUTH_URL": f"{url}/oauth/token",
        "AICORE_CLIENT_ID": "demo",
        "AICORE_CLIENT_SECRET": "x",
        "AICORE_BASE_URL": url,
    }
    (home / ".aicore" / "config_lost.json").write_text(json.dumps(config), encoding="utf-8")


async def open_fleet(pilot: AppPilot) -> FleetScreen:
    app = pilot.app
    profiles = app.screen
    assert isinstance(profiles, ProfilesScreen)
    await until(pilot, lambda: profiles.result is not None and profiles.result.profiles)
    await pilot.press("f")
    fleet = await wait_for(pilot, app, FleetScreen)  # type: ignore[arg-type]
    await until(
        pilot,
        lambda: fleet.states and all(s.status is not Load.LOADING for s in fleet.states.values()),
    )
    await wait_for_workers(pilot, "fleet-load")
    return fleet


def row_text(table: DataTable[object], key: str) -> list[str]:
    return [str(cell) for cell in table.get_row(key)]


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
            assert headers["prod"].endswith(f"{QUOTA}/{QUOTA} FULL")
            assert headers["dev"].endswith(f"2/{QUOTA}")
            status = dict(zip(headers, row_text(table, "\x00status"), strict=True))
            assert status["lost"].startswith("unreachable: ")
            assert status["dev"] == "2 secrets"
            ghcr = dict(zip(headers, row_text(table, "ghcr"), strict=True))
            assert ghcr["dev"] == ghcr["test"] == "✓ outside regsecret"
            assert ghcr["prod"] == "—" and ghcr["lost"] == "?"

            # "/" filters by name; esc clears the filter first, and only then goes back.
            await pilot.press("slash", *"ghc")
            await until(pilot, lambda: fleet.filter_text == "ghc")
            names = [str(k.value) for k in table.rows]
            assert names == ["\x00status", "ghcr"]
            await pilot.press("escape")
            assert fleet.filter_text == "" and app.screen is fleet
            assert not fleet.query_one("#fleet-filter", Input).display
            assert table.row_count == 1 + len(fleet.matrix.names if fleet.matrix else ())
            await pilot.press("escape")
            assert isinstance(app.screen, ProfilesScreen)


async def start_rotation(pilot: AppPilot, tenants: Tenants) -> RotateScreen:
    fleet = await open_fleet(pilot)
    table = fleet.query_one(DataTable)
    table.move_cursor(row=list(str(k.value) for k in table.rows).index("ghcr"), column=1)
    await pilot.press("o")
    rotate = await wait_for(pilot, pilot.app, RotateScreen)  # type: ignore[arg-type]
    host = tenants["dev"].registry_host
    assert host is not None
    rotate.query_one("#registry", Input).value = host
    rotate.query_one("#username", Input).value = "demo"
    rotate.query_one("#password", Input).value = "demo-registry-token"
    await pilot.pause()
    return rotate


async def send(pilot: AppPilot, rotate: RotateScreen) -> None:
    await pilot.press("ctrl+s")
    app = pilot.app
    assert isinstance(app, RegsecretApp)
    confirm = await wait_for(pilot, app, ConfirmModal)
    body = str(confirm.query_one(".dialog-body").render())
    # The preview says what goes where, the token masked.
    assert "demo-registry-token" not in body and "(masked)" in body
    assert all(f"{name}: " in body for name in rotate.chosen())
    await pilot.press("y")
    await until(pilot, lambda: rotate.rotation is not None)
    await wait_for_workers(pilot, "rotate")


async def test_rotation_updates_exactly_the_chosen_tenants(sealed_home: Path) -> None:
    with running_tenants("dev", "test", "prod", registry=True) as tenants:
        seed(tenants["dev"], "ghcr")
        seed(tenants["test"], "ghcr")
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            rotate = await start_rotation(pilot, tenants)
            # Preselected: the tenants that have it; ctrl+g says the same, ctrl+t adds prod.
            assert sorted(rotate.chosen()) == ["dev", "test"]
            await pilot.press("ctrl+t")
            assert sorted(rotate.chosen()) == ["dev", "prod", "test"]
            await pilot.press("ctrl+g")
            assert sorted(rotate.chosen()) == ["dev", "test"]
            await send(pilot, rotate)
            assert rotate.rotation is not None and rotate.rotation.ok
            assert sorted(rotate.rotation.done()) == ["dev", "test"]
            assert "ghcr" not in tenants["prod"].secret_names()
            table = rotate.query_one("#rotate-table", DataTable)
            assert [str(table.get_row(n)[1]) for n in ("dev", "test")] == ["done", "done"]


async def test_one_failure_is_shown_and_retried_alone(sealed_home: Path) -> None:
    with running_tenants("dev", "test", "prod", registry=True) as tenants:
        seed(tenants["dev"], "ghcr")
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            rotate = await start_rotation(pilot, tenants)
            await pilot.press("ctrl+t")
            tenants["test"].fail_next(500, body='{"error": {"message": "backend down"}}')
            await send(pilot, rotate)
            rotation = rotate.rotation
            assert rotation is not None and rotation.failed() == ["test"]
            table = rotate.query_one("#rotate-table", DataTable)
            assert str(table.get_row("test")[1]) == "failed"
            assert "ghcr" not in tenants["test"].secret_names()
            summary = str(rotate.query_one("#rotate-summary").render())
            assert "Done in 2 of 3 tenants. 1 failed" in summary
            await pilot.press("ctrl+r")
            await wait_for_workers(pilot, "rotate")
            assert rotation.ok and rotation.states["test"].step is Step.DONE
            assert "ghcr" in tenants["test"].secret_names()
            await pilot.press("ctrl+y")
            await wait_for_workers(pilot, "clipboard")
            assert "Rotated “ghcr” in 3 of 3 tenants." in app.clipboard
