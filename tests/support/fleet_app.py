"""Pilot steps for the fleet view and the rotate screen, against emulators over loopback."""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from textual.widgets import DataTable, Input

from tests.support.app import AppPilot, make_app, until
from tests.support.fleet import Tenants, running_tenants, sdk_profiles, seed
from tests.support.pilot import SIZE, wait_for, wait_for_workers
from tui.app import RegsecretApp
from tui.core.fleet import Load
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.fleet import FleetScreen
from tui.screens.modals import ConfirmModal
from tui.screens.rotate import RotateScreen


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def lost_profile(home: Path, name: str = "lost") -> None:
    """An SDK profile whose tenant nobody answers for (a closed loopback port)."""
    url = f"http://127.0.0.1:{closed_port()}"
    config = {
        "AICORE_AUTH_URL": f"{url}/oauth/token",
        "AICORE_CLIENT_ID": "demo",
        "AICORE_CLIENT_SECRET": "x",
        "AICORE_BASE_URL": url,
    }
    (home / ".aicore" / f"config_{name}.json").write_text(json.dumps(config), encoding="utf-8")


async def open_fleet(pilot: AppPilot) -> FleetScreen:
    """From the profiles screen, f: the fleet view once every tenant has answered."""
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


async def start_rotation(pilot: AppPilot, tenants: Tenants, secret: str = "ghcr") -> RotateScreen:
    """The fleet view, the cursor on ``secret``'s row, o; the registry and its user filled in."""
    fleet = await open_fleet(pilot)
    table = fleet.query_one(DataTable)
    table.move_cursor(row=[str(k.value) for k in table.rows].index(secret), column=1)
    await pilot.press("o")
    rotate = await wait_for(pilot, pilot.app, RotateScreen)  # type: ignore[arg-type]
    host = tenants.registry_host()
    rotate.query_one("#registry", Input).value = host
    rotate.query_one("#username", Input).value = "demo"
    await pilot.pause()
    return rotate


async def rotate_again(pilot: AppPilot, left: RotateScreen) -> RotateScreen:
    """Back on the fleet view after leaving ``left``: o again, on the same row, a new form."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, FleetScreen))
    await pilot.press("o")
    await until(pilot, lambda: isinstance(app.screen, RotateScreen) and app.screen is not left)
    rotate = await wait_for(pilot, app, RotateScreen)  # type: ignore[arg-type]
    await pilot.pause()
    return rotate


class RotateForm(NamedTuple):
    """What :func:`rotate_form` hands out: the tenants, the app, its pilot, the rotate screen."""

    tenants: Tenants
    app: RegsecretApp
    pilot: AppPilot
    rotate: RotateScreen


@contextlib.asynccontextmanager
async def rotate_form(
    home: Path,
    *names: str,
    holders: Sequence[str] = ("dev",),
    env: dict[str, str] | None = None,
    size: tuple[int, int] = SIZE,
    prepare: Callable[[Tenants], None] | None = None,
) -> AsyncIterator[RotateForm]:
    """Tenants by ``names`` (the first serves the registry), "ghcr" seeded in ``holders``, an SDK
    profile each, then ``prepare`` (more set-up that needs the tenants); the app over ``home``
    (``env`` added) on the rotate screen of "ghcr", as :func:`start_rotation` leaves it."""
    with running_tenants(*names, registry=True) as tenants:
        for name in holders:
            seed(tenants[name], "ghcr")
        sdk_profiles(home, tenants)
        if prepare is not None:
            prepare(tenants)
        app = make_app(home, env=env)
        async with app.run_test(size=size) as pilot:
            rotate = await start_rotation(pilot, tenants)
            yield RotateForm(tenants, app, pilot, rotate)


async def send(pilot: AppPilot, rotate: RotateScreen) -> None:
    """ctrl+s, the preview checked (what goes where, the token masked), yes, and the result."""
    await pilot.press("ctrl+s")
    app = pilot.app
    assert isinstance(app, RegsecretApp)
    confirm = await wait_for(pilot, app, ConfirmModal)
    body = str(confirm.query_one(".dialog-body").render())
    assert "demo-registry-token" not in body and "(masked" in body
    assert all(f"{name}: " in body for name in rotate.chosen())
    await pilot.press("y")
    await until(pilot, lambda: rotate.rotation is not None)
    await wait_for_workers(pilot, "rotate")
