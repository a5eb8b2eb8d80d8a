"""The preview never cuts a token in two: nothing wraps, what is wider than the window scrolls, and
the screen says so; the curl tabs say when to use which."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.geometry import Region

from tests.support import scenes
from tests.support.screen import screen_lines, screen_text
from tui.screens.preview import WHICH_CURL, WIDE_HINT, PreviewScreen, tab_hint
from tui.widgets.code_view import CodeView

#: JSON's tokens: strings (escapes included), numbers, the three words, punctuation.
JSON_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|[{}\[\]:,]'
)


def rows_of(view: CodeView) -> list[str]:
    """The lines the view draws, at its own width (beyond the window's edge too), without the
    focus bar and the padding; a final line break draws no line."""
    width, height = view.outer_size
    rows = [
        strip.text.lstrip("▌").strip() for strip in view.render_lines(Region(0, 0, width, height))
    ]
    return rows[:-1] if view.code.endswith("\n") and rows and not rows[-1] else rows


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
async def test_no_json_token_is_split_across_lines_masked_or_revealed(
    size: tuple[int, int], sealed_home: Path, memory_keyring: object
) -> None:
    scenes.write_profiles()
    app = scenes.scene_app(sealed_home)
    async with app.run_test(size=size) as pilot:
        await scenes.preview(pilot)
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        for revealed in (False, True):
            for tab in ("body", "config"):
                screen.action_tab(tab)
                await pilot.pause()
                view = screen.query_one(f"#{tab}-code", CodeView)
                rows = rows_of(view)
                lines = view.code.splitlines()
                assert len(rows) == len(lines), "a line was wrapped"
                tokens = JSON_TOKEN.findall(view.code)
                assert len(tokens) > 10
                for token in tokens:
                    assert any(token in row for row in rows), (tab, token)
            screen.action_tab("body")
            await pilot.pause()
            body = screen.query_one("#body-code", CodeView).code
            inner = max(JSON_TOKEN.findall(body), key=len)  # the escaped .dockerconfigjson
            assert inner.startswith('"{\\"auths\\"')
            view = screen.query_one("#body-code", CodeView)
            wide = view.outer_size.width > screen.query_one("#body-scroll").size.width
            if not wide:
                assert any(inner in line for line in screen_lines(app)), "it fits: shown whole"
                assert WIDE_HINT not in screen_text(app)
            else:
                # Cut by the window's edge, never wrapped: the screen says it scrolls.
                assert WIDE_HINT in screen_text(app)
            # Masked, the body fits 160 columns and does not fit 80.
            assert wide == (size[0] < 160) or revealed
            await pilot.press("ctrl+r")
            await pilot.pause()
        assert screen.revealed is False  # pressed twice


async def test_both_curl_tabs_say_when_to_use_which_and_the_shell_one_fits_100_columns_by_scrolling(
    sealed_home: Path, memory_keyring: object
) -> None:
    scenes.write_profiles()
    app = scenes.scene_app(sealed_home)
    async with app.run_test(size=(100, 30)) as pilot:
        await scenes.preview(pilot)
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        for key, tab in (("3", "curl"), ("4", "shell")):
            await pilot.press(key)
            await pilot.pause()
            text = screen_text(app)
            assert "needs regsecret where you run it" in text
            assert WHICH_CURL.startswith("“curl” needs regsecret")
            view = screen.query_one(f"#{tab}-code", CodeView)
            room = screen.query_one(f"#{tab}-scroll").scrollable_content_region.width
            # Wider than the window: it says so (the AI Core address is long), never silently.
            assert (view.outer_size.width > room) == (WIDE_HINT in text)
            assert len(rows_of(view)) == len(view.code.splitlines())
        # Every line of the shell-only command but the address fits 80 columns.
        shell = screen.query_one("#shell-code", CodeView).code
        long = [line for line in shell.splitlines() if len(line) > 80]
        assert len(long) == 1 and scenes.API_URL in long[0], long


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
async def test_the_focus_bar_stays_in_sight_while_the_code_scrolls_sideways(
    size: tuple[int, int], sealed_home: Path, memory_keyring: object
) -> None:
    scenes.write_profiles()
    app = scenes.scene_app(sealed_home)
    async with app.run_test(size=size) as pilot:
        await scenes.preview(pilot)
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        await pilot.press("ctrl+r")  # revealed, the body is wider than 160 columns too
        await pilot.pause()
        scroll = screen.query_one("#body-scroll")
        code = screen.query_one("#body-code", CodeView)
        assert screen.focused is code
        first = code.code.splitlines()[0]

        def code_rows() -> list[str]:
            top = scroll.region.y
            return screen_lines(app)[top : top + len(code.code.splitlines())]

        assert all(row.startswith("▌") for row in code_rows())
        for _ in range(8):
            await pilot.press("right")
        await pilot.pause()
        assert scroll.scroll_x > 0, "the code did not scroll"
        assert first not in code_rows()[0]  # scrolled: its start is out of sight
        assert all(row.startswith("▌") for row in code_rows()), code_rows()
        # Focus elsewhere (the tabs): the bar goes, so it marks focus and nothing else.
        await pilot.press("shift+tab")
        await pilot.pause()
        assert screen.focused is not code, screen.focused
        assert not any(row.startswith("▌") for row in code_rows()), screen.focused


async def test_each_tab_says_once_what_c_copies_and_claims_a_secret_only_where_there_is_one(
    sealed_home: Path, memory_keyring: object
) -> None:
    """80x24, where the body is wider than the window: the wide hint and the tab's hint stand
    together, and "c copies" is still said once. "Exactly as sent" only where the copy is the
    bytes sent; "masked" only where the tab holds a secret; the key named is the key bound."""
    from tui.core.request import create_body

    scenes.write_profiles()
    app = scenes.scene_app(sealed_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await scenes.preview(pilot)
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        sent = create_body(screen.draft).reveal()
        seen_wide = False
        for revealed in (False, True):
            for key, tab in (("1", "body"), ("2", "config"), ("3", "curl"), ("4", "shell")):
                await pilot.press(key)
                await pilot.pause()
                text = screen_text(app)
                seen_wide = seen_wide or WIDE_HINT in text
                assert tab_hint(tab, revealed=revealed) in text, "shown whole at 80 columns"
                assert text.count("c copies") == 1, (tab, text)
                copied = screen.text(tab, masked=False)
                secret = copied != screen.text(tab, masked=True)
                assert ("exactly as sent" in text) == (copied == sent), tab
                assert ("No secret" in text) == (not secret), tab
                assert ("Secrets are masked" in text) == (secret and not revealed), tab
                assert ("Secrets SHOWN" in text) == (secret and revealed), tab
                if secret:
                    assert "ctrl+r" in text and " r masks" not in text
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert screen.revealed is (not revealed)
        assert seen_wide, "at 80 columns the body is wider than the window"
