"""The profiles table's columns fit every row as soon as the list changes.

Found by a fresh-eyes tester: after saving a profile of ours beside the demo's three (its source
"regsecret" is wider than "demo"), its source showed cut to "regsec", and once a test redrew some
rows they stood out of line with the rest, for good. The table left to itself widened a column
only later, when it got round to it; the screen now sets each column's width with its rows.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from tests.support.app import make_app
from tests.support.pilot import loaded
from tui.core.profile_model import LoadResult, Source
from tui.emulator.server import Emulator


async def test_columns_fit_a_wider_profile_the_moment_it_is_listed(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(app, pilot)
        assert screen.result is not None
        demo = screen.result.profiles[0]
        wide = demo.replace(
            name="my-profile", source=Source.OURS, api_url="https://api.example.com"
        )
        screen.show_profiles(LoadResult([*screen.result.profiles, wide], []))
        table = screen.query_one(DataTable)
        source = list(table.columns.values())[1]
        assert str(source.label) == "Source"
        assert source.get_render_width(table) >= len("regsecret") + 2 * table.cell_padding
        await pilot.pause()
        cells = [str(table.get_row_at(row)[1]) for row in range(table.row_count)]
        assert cells[-1] == "regsecret"
