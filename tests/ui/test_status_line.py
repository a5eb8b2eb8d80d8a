"""A status line says one bounded paragraph, whatever the name it quotes holds."""

from __future__ import annotations

from pathlib import Path

from tests.support.app import make_app, until
from tests.support.hostile_server import HostileServer
from tests.support.pilot import open_manage, status_lines
from tui.widgets.status_line import STATUS_LIMIT, StatusLine

# Found by an attacker: a name of 41 lines filled manage's status line down to its hint line,
# and not one row of the table was left in sight.
TALL = "top" + "\nline" * 40 + "\x1b]52;c;cHduZWQ=\x07end"


async def test_a_name_with_line_breaks_keeps_the_status_line_short(
    sealed_home: Path, memory_keyring: object, hostile: HostileServer
) -> None:
    hostile.secrets(TALL)
    app = make_app(sealed_home, emulator=hostile)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_manage(app, pilot)
        await pilot.press("w")  # copy the workflow-template YAML of the highlighted secret
        await until(pilot, lambda: bool(status_lines(app)) and bool(status_lines(app)[0]))
        said = status_lines(app)[0]
        assert "\n" not in said and "\x1b" not in said and "\x07" not in said
        assert len(said) <= STATUS_LIMIT
        line = screen.query_one(StatusLine)
        await pilot.pause()
        assert line.outer_size.height <= 9  # 600 characters at 80 columns, not 41 lines
