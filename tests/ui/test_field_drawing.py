"""Every field draws its value visibly: a foreign value put in by code never drives the terminal.

The value stays exactly as put in (it is what the checks refuse with a sentence, or what is
sent); only the drawing shows each control or invisible character as one visible character.
"""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input

import tui
from tests.support.app import make_app, seed_foreign_secret
from tests.support.pilot import SIZE, open_manage, wait_for
from tui.core.foreign_text import field_text
from tui.emulator.server import Emulator
from tui.screens.credentials import CredentialsScreen
from tui.widgets.bounded_input import BoundedInput
from tui.widgets.password_input import PasswordInput
from tui.widgets.path_suggester import PathSuggester
from tui.widgets.visible_input import VisibleInput

HOSTILE = [
    "my\x1b]0;PWNED-TITLE\x07sec",  # OSC 0: the terminal's title
    "my\x1b]52;c;aGk=\x1b\\sec",  # OSC 52: the clipboard
    "my\x1b[2J\x1b[Hsec",  # clear the screen
    "my\x9b2J\x9d0;x\x9csec",  # the same in C1
    "my\u202esec\u200b\ufeff",  # bidi override, zero-width characters
    "nul\x00del\x7fbell\x07",
]
# Categories a terminal acts on or draws as nothing.
NOT_DRAWN = ("Cc", "Cf", "Cs", "Zl", "Zp")


def undrawable(text: str) -> list[str]:
    return [char for char in text if unicodedata.category(char) in NOT_DRAWN]


def screenshot(app: App[Any]) -> str:
    """The SVG screenshot's text without its own line breaks."""
    return app.export_screenshot().replace("\n", "")


def drawn(field: Input) -> str:
    return "".join(segment.text for segment in field.render_line(0))


class Fields(App[None]):
    def __init__(self, value: str) -> None:
        super().__init__()
        self.hostile = value

    def compose(self) -> ComposeResult:
        yield BoundedInput(self.hostile, id="given")  # a value given at creation
        yield BoundedInput(id="set")  # a value set by code (loaded from a file, a helper)
        yield PasswordInput(id="password")
        yield BoundedInput(id="suggested", suggester=SuggestFromList([self.hostile + "-more"]))


@pytest.mark.parametrize("hostile", HOSTILE)
async def test_each_kind_of_field_draws_a_hostile_value_visibly_and_keeps_it(
    hostile: str,
) -> None:
    app = Fields(hostile)
    async with app.run_test(size=(60, 12)) as pilot:
        app.query_one("#set", BoundedInput).value = hostile
        password = app.query_one("#password", PasswordInput)
        password.value = hostile  # a password file's first line
        password.toggle_reveal()
        suggested = app.query_one("#suggested", BoundedInput)
        suggested.focus()
        suggested.value = hostile[:2]
        await pilot.pause()
        await pilot.pause(0.05)
        assert suggested._suggestion == hostile + "-more"  # the real one, accepted as it is
        for field in app.query(Input):
            assert undrawable(drawn(field)) == [], field.id
        assert field_text(hostile) in drawn(app.query_one("#given", Input))
        assert field_text(hostile) in drawn(password)
        assert field_text(hostile + "-more")[2:] in drawn(suggested)
        assert undrawable(screenshot(app)) == []
        for name in ("given", "set", "password"):
            assert app.query_one(f"#{name}", Input).value == hostile
        # The cursor after the last character, where the drawing puts it.
        given = app.query_one("#given", Input)
        given.focus()
        given.cursor_position = len(hostile)
        assert given._cursor_offset == len(field_text(hostile)) + 1


async def test_accepting_a_suggested_hostile_file_name_keeps_the_real_name(
    tmp_path: Path,
) -> None:
    hostile = "key\x1b]0;PWNED-TITLE\x07\x1b[2J.json"
    (tmp_path / hostile).write_text("{}")
    app = Fields("")
    async with app.run_test(size=(80, 12)) as pilot:
        field = app.query_one("#set", BoundedInput)
        field.suggester = PathSuggester()
        field.focus()
        field.value = f"{tmp_path}/ke"
        await pilot.pause(0.1)
        await pilot.pause()
        assert field._suggestion == f"{tmp_path}/{hostile}"
        assert undrawable(drawn(field)) == []
        assert undrawable(screenshot(app)) == []
        await pilot.press("end", "right")
        assert field.value == f"{tmp_path}/{hostile}"
        assert undrawable(drawn(field)) == []


async def test_the_update_form_opened_on_a_hostile_name_draws_it_visibly(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    hostile = "my\x1b]0;PWNED-TITLE\x07\x1b]52;c;aGk=\x07\x9d0;x\x9c\x1b[2Jsec"
    seed_foreign_secret(emulator, hostile)
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        await open_manage(app, pilot)
        await pilot.press("enter")
        form = await wait_for(pilot, app, CredentialsScreen)
        await pilot.pause()
        name = form.query_one("#name", Input)
        assert name.value == hostile  # what the check refuses, with a sentence
        assert undrawable(drawn(name)) == []
        assert "my␛]0;PWNED-TITLE␇" in drawn(name)
        assert undrawable(screenshot(app)) == []


def _input_calls(source: str) -> list[int]:
    """Lines that build a bare Textual Input (``Input(...)`` or ``widgets.Input(...)``)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "Input")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "Input")
        )
    ]


def test_no_screen_or_widget_builds_a_bare_textual_input() -> None:
    root = Path(tui.__file__).parent
    bare = {
        str(path.relative_to(root)): lines
        for path in sorted(root.rglob("*.py"))
        if (lines := _input_calls(path.read_text(encoding="utf-8")))
    }
    assert bare == {}


def test_every_input_class_of_the_app_draws_visibly() -> None:
    import importlib
    import pkgutil

    import tui.screens
    import tui.widgets

    for package in (tui.screens, tui.widgets):
        for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)

    def subclasses(kind: type[Input]) -> list[type[Input]]:
        return [kind, *(c for sub in kind.__subclasses__() for c in subclasses(sub))]

    ours = [c for c in subclasses(Input) if c.__module__.startswith("tui.")]
    assert BoundedInput in ours and PasswordInput in ours
    assert [c for c in ours if not issubclass(c, VisibleInput)] == []
