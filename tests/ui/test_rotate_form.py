"""The rotate form reads as the register form does: ticks without colour, notes under the fields
while typing, the first bad field focused on ctrl+s, and the registry's own hints."""

from __future__ import annotations

from pathlib import Path

from tests.support.app import make_app
from tests.support.fleet import running_tenants, sdk_profiles, seed
from tests.support.fleet_app import start_rotation
from tests.support.pilot import SIZE
from tui.screens.rotate import RotateScreen, TenantList


def boxes(rotate: RotateScreen) -> list[str]:
    """What each tenant's line shows, as plain text (no colour)."""
    tenants = rotate.query_one(TenantList)
    return [tenants.render_line(y).text.strip() for y in range(tenants.option_count)]


async def test_chosen_and_not_chosen_tenants_differ_without_colour(sealed_home: Path) -> None:
    with running_tenants("dev", "test", registry=True) as tenants:
        seed(tenants["dev"], "ghcr")
        sdk_profiles(sealed_home, tenants)
        app = make_app(sealed_home)
        async with app.run_test(size=SIZE) as pilot:
            rotate = await start_rotation(pilot, tenants)
            assert boxes(rotate) == ["[x] dev", "[ ] test"]
            rotate.query_one(TenantList).select_all()
            await pilot.pause()
            assert boxes(rotate) == ["[x] dev", "[x] test"]
            rotate.query_one(TenantList).deselect_all()
            await pilot.pause()
            assert boxes(rotate) == ["[ ] dev", "[ ] test"]
