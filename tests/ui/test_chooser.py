"""The one-widget chooser (tui/widgets/chooser.py) as a person meets it: a choice made from the
keyboard or the mouse says so, a value set by the form says nothing; its list opens under it (or
over it at the foot of the screen), escape and a click beside it close it, and its labels are
foreign text drawn as they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Footer, OptionList, Static
from textual.widgets._footer import FooterKey

import tui
from tests.support.app import until
from tui.widgets.bounded_input import BoundedInput
from tui.widgets.chooser import FIND_PAUSE, Chooser, ChooserList, find_option
from tui.widgets.labelled import INDENT, FormBody

OPTIONS = [("Docker Hub", "dockerhub"), ("GitHub Container Registry", "ghcr"), ("Quay.io", "quay")]


class Form(App[None]):
    """A field, a chooser and a field, as in a form; the chooser at the screen's foot if asked."""

    CSS_PATH = Path(tui.__file__).parent / "app.tcss"  # the app's form styles

    def __init__(
        self,
        *,
        at_foot: bool = False,
        options: list[tuple[str, str]] = OPTIONS,
        value: str | None = OPTIONS[0][1],
        labelled: bool = True,
    ) -> None:
        super().__init__()
        self.labelled = labelled
        self.at_foot = at_foot
        self.options = options
        self.value = value
        self.changes: list[str] = []

    def compose(self) -> ComposeResult:
        with FormBody(classes="form form-flat"):
            yield BoundedInput(id="before").labelled("Before")
            if self.at_foot:
                yield Static(id="spacer").set_styles("height: 16;")
            chooser = Chooser(self.options, prompt="choose one", value=self.value, id="pick")
            yield chooser.labelled("Registry") if self.labelled else chooser
            yield BoundedInput(id="after").labelled("After")

    def on_chooser_changed(self, event: Chooser.Changed) -> None:
        self.changes.append(event.value)

    @property
    def chooser(self) -> Chooser:
        return self.query_one(Chooser)


async def open_list(pilot: Pilot[Any], app: Form) -> OptionList:
    app.set_focus(app.chooser)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ChooserList))
    options = app.screen.query_one(OptionList)
    await until(pilot, lambda: options.has_focus)
    return options


async def closed(pilot: Pilot[Any], app: Form) -> None:
    await until(pilot, lambda: not isinstance(app.screen, ChooserList))
    await pilot.pause()
    assert not app.chooser.expanded


async def test_a_value_set_by_the_form_says_nothing_and_one_chosen_from_the_list_says_so() -> None:
    app = Form()
    async with app.run_test(size=(80, 24)) as pilot:
        app.chooser.value = "quay"
        app.chooser.clear()
        app.chooser.value = "dockerhub"
        await pilot.pause()
        assert app.changes == []
        options = await open_list(pilot, app)
        assert options.highlighted == 0  # the list opens on the value chosen
        await pilot.press("down", "enter")
        await closed(pilot, app)
        assert (app.chooser.value, app.changes) == ("ghcr", ["ghcr"])
        assert app.focused is app.chooser  # back where the person was
        # The same choice again is no change.
        await open_list(pilot, app)
        await pilot.press("enter")
        await closed(pilot, app)
        assert app.changes == ["ghcr"]


async def test_left_and_right_step_through_the_options_without_opening_the_list() -> None:
    app = Form()
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_focus(app.chooser)
        await pilot.press("right", "right", "right")  # the last stays the last
        await pilot.pause()
        assert app.chooser.value == "quay" and app.changes == ["ghcr", "quay"]
        await pilot.press("left")
        await pilot.pause()
        assert app.chooser.value == "ghcr" and app.changes[-1] == "ghcr"
        assert app.screen is app.screen_stack[0] and not app.chooser.expanded
        # Blank (an update of a secret whose registry is not known): a step picks the first.
        app.chooser.clear()
        await pilot.press("right")
        await pilot.pause()
        assert app.chooser.value == "dockerhub"


async def test_escape_and_a_click_beside_the_list_close_it_and_change_nothing() -> None:
    app = Form()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(pilot, app)
        await pilot.press("down", "escape")
        await closed(pilot, app)
        assert app.chooser.value == "dockerhub" and app.changes == []
        assert app.focused is app.chooser
        await open_list(pilot, app)
        await pilot.press("down")
        await pilot.click(offset=(2, 22))  # far below the list
        await closed(pilot, app)
        assert app.chooser.value == "dockerhub" and app.changes == []


async def test_a_click_on_the_chooser_opens_its_list_and_a_click_on_an_option_chooses_it() -> None:
    app = Form()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click(Chooser)
        await until(pilot, lambda: isinstance(app.screen, ChooserList))
        options = app.screen.query_one(OptionList)
        # Its options stand one a line inside the list's border.
        row = options.region.y + 1 + 2
        await pilot.click(offset=(options.region.x + 3, row))
        await closed(pilot, app)
        assert app.chooser.value == "quay" and app.changes == ["quay"]


@pytest.mark.parametrize("at_foot", [False, True])
async def test_the_list_opens_under_the_chooser_or_over_it_at_the_foot_of_the_screen(
    at_foot: bool,
) -> None:
    app = Form(at_foot=at_foot)
    async with app.run_test(size=(80, 24)) as pilot:
        options = await open_list(pilot, app)
        await pilot.pause()
        field, shown = app.chooser.region, options.region
        assert shown.height == len(OPTIONS) + 2  # every option, inside its border
        if at_foot:
            assert field.bottom == 20  # four lines below it: too few for three options
            assert shown.bottom <= field.y
        else:
            assert shown.y == field.bottom
        # Over the chooser's box (its focus bar, its value and arrow), its options' text under
        # the value's: it ended a cell short of the chooser's right edge.
        value = app.chooser.content_region
        assert (shown.x, shown.right) == (value.x - 1, value.right)
        assert app.chooser.region.x + INDENT - 1 == shown.x  # the bar's column


async def test_a_label_is_drawn_as_it_is_never_as_markup() -> None:
    app = Form(options=[("[b]bold[/b] \x1b[2Jreg", "odd"), ("Quay.io", "quay")], value="quay")
    async with app.run_test(size=(80, 24)) as pilot:
        app.chooser.value = "odd"
        await pilot.pause()
        drawn = "".join(segment.text for segment in app.chooser.render_line(0))
        assert "[b]bold[/b]" in drawn and "\x1b" not in drawn
        with pytest.raises(ValueError):
            app.chooser.value = "not-an-option"
        app.chooser.clear()
        assert app.chooser.is_blank()
        await pilot.pause()
        assert "choose one" in "".join(segment.text for segment in app.chooser.render_line(0))


@pytest.mark.parametrize("size", [(40, 12), (30, 6), (160, 45)])
async def test_a_terminal_resized_while_the_list_is_open_keeps_it_on_screen_by_its_chooser(
    size: tuple[int, int],
) -> None:
    # The list was placed once, as it opened: in a terminal made smaller it stood past the
    # screen's edges, its options cut off.
    app = Form()
    async with app.run_test(size=(80, 24)) as pilot:
        options = await open_list(pilot, app)
        await pilot.resize_terminal(*size)
        width, height = size

        def placed() -> bool:
            field, shown = app.chooser.content_region, options.region
            return (
                app.screen.size == size
                and shown.right <= width
                and shown.bottom <= height
                and (shown.y == field.bottom or shown.bottom <= field.y)
                and shown.x <= field.x
                and shown.width >= min(20, width)
            )

        await until(pilot, placed)
        await pilot.press("down", "enter")
        await closed(pilot, app)
        assert app.chooser.value == "ghcr"


# Three labels that start with the same letter, and two that start with others.
FINDING = [
    ("Docker Hub", "dockerhub"),
    ("GitHub Container Registry", "ghcr"),
    ("GitLab Container Registry", "gitlab"),
    ("Google Artifact Registry", "gar"),
    ("Quay.io", "quay"),
]


def foot(options: OptionList) -> str:
    """The words at the list's foot, as drawn (Textual gives them back as markup)."""
    return Content.from_markup(options.border_subtitle or "").plain


async def test_letters_typed_in_the_open_list_highlight_the_options_they_start() -> None:
    # They were dropped, unseen; Textual's Select, which the chooser replaced, found with them.
    app = Form(options=FINDING)
    async with app.run_test(size=(80, 24)) as pilot:
        options = await open_list(pilot, app)
        moves = []
        for _ in range(4):  # the same letter again and again: the next that starts with it
            await pilot.press("g")
            moves.append(options.highlighted)
        assert moves == [1, 2, 3, 1]  # round to the first
        # What was typed is never drawn: it may be a secret meant for the next field.
        assert foot(options) == ""
        await pilot.press("down")  # a move by hand ends the search
        assert options.highlighted == 2 and foot(options) == ""
        await pilot.press("Q")  # whatever the case
        assert options.highlighted == 4
        # After a pause, a new search: letters typed in a row find the option they all start.
        await pilot.pause(FIND_PAUSE + 0.1)
        await pilot.press("g", "i", "t", "l")
        assert options.highlighted == 2 and foot(options) == ""
        # One that starts no option says so and leaves the highlight; it is not kept in the
        # search, so the right letter typed next goes on from the letters before it.
        await pilot.press("left_square_bracket")
        assert options.highlighted == 2 and foot(options) == "no option starts with those letters"
        assert isinstance(app.screen, ChooserList)
        await pilot.press("a")
        assert options.highlighted == 2 and foot(options) == ""
        assert app.changes == []  # only moved: enter (or space) chooses
        await pilot.press("space")
        await closed(pilot, app)
        assert app.chooser.value == "gitlab" and app.changes == ["gitlab"]


async def test_a_letter_typed_on_the_closed_chooser_opens_the_list_where_it_finds() -> None:
    app = Form(options=FINDING)
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_focus(app.chooser)
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, ChooserList))
        options = app.screen.query_one(OptionList)
        await until(pilot, lambda: options.highlighted == 1)
        assert app.chooser.value == "dockerhub"  # only highlighted: enter chooses
        await pilot.press("o")  # typed on in the list, the same search
        assert options.highlighted == 3 and foot(options) == ""
        await pilot.press("enter")
        await closed(pilot, app)
        assert app.changes == ["gar"]


async def test_the_open_list_has_a_footer_of_its_own_keys_and_leaves_it_in_sight() -> None:
    # The form's footer stayed under it, its keys doing nothing while the list was open.
    app = Form(at_foot=True, options=FINDING)
    async with app.run_test(size=(80, 24)) as pilot:
        options = await open_list(pilot, app)
        await pilot.pause()
        keys = {key.key_display: key.description for key in app.screen.query(FooterKey)}
        assert {"⏎": "Choose", "esc": "Close", "f1": "Help"}.items() <= keys.items()
        assert {"↑", "↓"} <= keys.keys()
        footer = app.screen.query_one(Footer)
        assert footer.region.y == 23 and options.region.bottom <= footer.region.y
        # A click on a key of the footer is that key, pressed in the list: it does not close
        # the list as a click beside it does.
        for shown in ("↓", "⏎"):
            assert isinstance(app.screen, ChooserList)
            await pilot.click(
                next(k for k in app.screen.query(FooterKey) if k.key_display == shown)
            )
            await pilot.pause()
        await closed(pilot, app)
        assert app.changes == ["ghcr"]


async def test_a_chooser_given_a_value_none_of_its_options_starts_with_nothing_chosen() -> None:
    # It kept the value: its first frame raised KeyError.
    app = Form(value="gone")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.chooser.is_blank() and app.chooser.value is None
        assert "choose one" in "".join(segment.text for segment in app.chooser.render_line(0))
        options = await open_list(pilot, app)
        assert options.highlighted == 0


async def test_the_list_of_a_chooser_with_no_label_stands_under_it_from_its_first_cell() -> None:
    # No label, no focus bar before the value: the list does not start a cell left of it.
    app = Form(labelled=False)
    async with app.run_test(size=(80, 24)) as pilot:
        options = await open_list(pilot, app)
        await pilot.pause()
        assert (options.region.x, options.region.right) == (
            app.chooser.region.x,
            app.chooser.content_region.right,
        )


def test_find_option_takes_a_label_start_first_then_a_word_start() -> None:
    labels = ["Docker Hub", "Amazon ECR", "GitHub Container Registry", "Other registry"]
    assert find_option(labels, "ecr", None) == 1  # a word of "Amazon ECR"
    assert find_option(labels, "hub", None) == 0  # "Docker Hub", not GitHub's "github"
    assert find_option(labels, "reg", None) == 2  # a word start, the first that has one
    assert find_option(labels, "o", None) == 3  # a label's own start comes first
    assert find_option(labels, "zzz", None) is None
