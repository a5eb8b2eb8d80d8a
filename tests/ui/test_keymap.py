"""One key map: every binding of every screen has an id and a description, and the footer
shows each screen's keys within 80 columns (the rest are in help and the palette)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Footer, Input
from textual.widgets._footer import FooterKey

from tests.support.scenes import SCENES, scene_app, write_profiles
from tui.emulator.server import Emulator
from tui.screens.base import screen_actions

NARROW = (80, 24)


def _ours(*nodes: object) -> set[tuple[str, str]]:
    """The bindings this app declares (Textual's own, such as tab for focus_next, are not)."""
    found = set()
    for node in nodes:
        for cls in type(node).__mro__:
            if cls.__module__.startswith("tui."):
                for binding in cls.__dict__.get("BINDINGS", []):
                    if isinstance(binding, Binding):
                        found.add((binding.action, binding.description))
    return found


async def _walk(name: str, app: Any) -> None:
    scene = SCENES[name][0]
    async with app.run_test(size=NARROW) as pilot:
        await scene(pilot)
        await pilot.pause()
        screen = app.screen
        ids: dict[str, str] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.system or (binding.action, binding.description) not in _ours(screen, app):
                continue
            assert binding.id, f"{name}: {binding.key} → {binding.action} has no id"
            assert binding.description, f"{name}: {binding.key} has no description"
            # One id is one action on a screen (a keymap entry must not move two of them).
            assert ids.setdefault(binding.id, binding.action) == binding.action, (name, binding)
        # Help and the palette speak in sentence case, Textual's focus keys included.
        described = {row.description for row in screen_actions(screen)}
        assert not described & {"Focus Next", "Focus Previous"}, name
        footers = list(screen.query(Footer))
        if not footers:
            return
        footer = footers[0]
        keys = [key for key in footer.query(FooterKey) if not key.has_class("-command-palette")]
        palette = [key for key in footer.query(FooterKey) if key.has_class("-command-palette")]
        room = footer.size.width - sum(key.outer_size.width for key in palette)
        used = max((key.virtual_region_with_margin.right for key in keys), default=0)
        assert used <= room, f"{name}: footer needs {used} columns, has {room}"


@pytest.mark.parametrize("name", list(SCENES))
async def test_bindings_have_ids_and_descriptions_and_the_footer_fits(
    name: str, sealed_home: Path, memory_keyring: object
) -> None:
    _scene, with_profiles, with_emulator = SCENES[name]
    if with_profiles:
        write_profiles()
    if with_emulator:
        with Emulator() as emulator:
            await _walk(name, scene_app(sealed_home, emulator))
    else:
        await _walk(name, scene_app(sealed_home))


async def test_the_credentials_footer_shows_reveal_and_every_placeholder_fits_at_80x24(
    sealed_home: Path, memory_keyring: object
) -> None:
    """A person about to paste a token finds Reveal; no field's example is cut at 80x24."""
    write_profiles()
    app = scene_app(sealed_home)
    async with app.run_test(size=NARROW) as pilot:
        await SCENES["credentials"][0](pilot)
        screen = app.screen
        shown = {key.key_display: key.description for key in screen.query(FooterKey)}
        assert "Reveal" in shown.values(), shown
        for field in screen.query(Input):
            if field.placeholder and not field.value:
                room = field.content_size.width
                assert len(field.placeholder) < room, (field.id, field.placeholder, room)


def _declared(*, dialogs: bool = True) -> dict[str, set[str]]:
    """Every key this app binds (its screens, dialogs, widgets, the app), to the actions;
    without ``dialogs``, what the screens and their widgets bind (a dialog's y and n answer it)."""
    import importlib
    import inspect
    import pkgutil

    import tui.app
    import tui.screens
    import tui.widgets

    found: dict[str, set[str]] = {}
    classes: list[type] = [tui.app.RegsecretApp]
    for package in (tui.screens, tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            classes += [c for _, c in inspect.getmembers(module, inspect.isclass)]
    for cls in classes:
        if not dialogs and issubclass(cls, ModalScreen):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and cls.__module__.startswith("tui."):
                for key in binding.key.split(","):
                    found.setdefault(key, set()).add(binding.action.removeprefix("app."))
    return found


# ctrl+s is each screen's one "send what this screen is for"; f1 opens help, and closes it.
SAME_MEANING = {"ctrl+s": {"submit", "submit_update", "save", "send"}, "f1": {"help", "close"}}


def test_a_ctrl_or_function_key_means_one_thing_on_every_screen() -> None:
    """ctrl+r reveals wherever it is bound, ctrl+o loads a login, f5 retries: the same key
    never does something else on another screen (the rotate screen's ctrl+r once retried)."""
    for key, actions in _declared().items():
        if key.startswith(("ctrl+", "f")) and len(key) > 1:
            allowed = SAME_MEANING.get(key)
            if allowed is not None:
                assert actions <= allowed, (key, actions)
            else:
                assert len(actions) == 1, (key, actions)
    declared = _declared()
    assert declared["ctrl+r"] == {"reveal"} and declared["f5"] == {"retry"}
    assert declared["ctrl+o"] == {"load_login"}


# r reloads what the screen lists (its method is named reload on some screens, refresh on others).
SAME_LETTER = {"r": {"reload", "refresh"}}


def test_a_plain_letter_means_one_thing_on_every_screen() -> None:
    """On the screens (where no text field has the keys) a letter does one thing wherever it is
    bound: o once sorted the manage table and rotated in the fleet view, r revealed the preview
    and refreshed the lists."""
    for key, actions in _declared(dialogs=False).items():
        if len(key) == 1 and key.isalpha():
            allowed = SAME_LETTER.get(key)
            if allowed is not None:
                assert actions <= allowed, (key, actions)
            else:
                assert len(actions) == 1, (key, actions)
    declared = _declared(dialogs=False)
    assert declared["o"] == {"rotate"} and declared["f6"] == {"sort"}
    assert "r" in declared and "reveal" not in declared["r"]
