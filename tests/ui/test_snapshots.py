"""Snapshots of every screen at 100x30 with the fake data of tests/support/scenes.py.

Regenerate after a deliberate change: pytest tests/test_snapshots.py --snapshot-update, look at the
SVGs, then run scripts/screenshots.py so screenshots/ matches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.scenes import (
    FOCUS_SCENES,
    FOCUS_SIZES,
    LAYOUT_SCENES,
    LIGHT_THEME,
    SCENES,
    SIZE,
    Scene,
    scene_app,
    themed,
    write_profiles,
)
from tui.emulator.server import Emulator


def compare(
    snap_compare: Any,
    home: Path,
    size: tuple[int, int],
    scene: Scene,
    with_profiles: bool,
    with_emulator: bool,
) -> bool:
    """The scene's picture against its snapshot, with profiles on disk or the emulator if asked."""
    if with_profiles:
        write_profiles()
    if with_emulator:
        with Emulator() as emulator:
            return bool(
                snap_compare(scene_app(home, emulator), terminal_size=size, run_before=scene)
            )
    return bool(snap_compare(scene_app(home), terminal_size=size, run_before=scene))


@pytest.mark.parametrize("name", list(SCENES))
def test_screen(name: str, sealed_home: Path, memory_keyring: object, snap_compare: Any) -> None:
    scene, with_profiles, with_emulator = SCENES[name]
    assert compare(snap_compare, sealed_home, SIZE, scene, with_profiles, with_emulator)


@pytest.mark.parametrize("theme", [None, LIGHT_THEME], ids=["default", "light"])
@pytest.mark.parametrize("size", list(FOCUS_SIZES))
@pytest.mark.parametrize("form", list(FOCUS_SCENES))
def test_focused_field_marked(
    form: str,
    size: str,
    theme: str | None,
    sealed_home: Path,
    memory_keyring: object,
    snap_compare: Any,
) -> None:
    """The focused field has a bar beside it and its label is lit, on every form and theme."""
    write_profiles()
    app = scene_app(sealed_home)
    scene = themed(FOCUS_SCENES[form], theme)
    assert snap_compare(app, terminal_size=FOCUS_SIZES[size], run_before=scene)


@pytest.mark.parametrize("theme", [None, LIGHT_THEME], ids=["default", "light"])
@pytest.mark.parametrize("size", list(FOCUS_SIZES))
@pytest.mark.parametrize("name", list(LAYOUT_SCENES))
def test_layout_at_the_terminal_width(
    name: str,
    size: str,
    theme: str | None,
    sealed_home: Path,
    memory_keyring: object,
    snap_compare: Any,
) -> None:
    """Manage: a table, and at 160 columns the details pane; preview: no token cut in two."""
    scene, with_profiles, with_emulator = LAYOUT_SCENES[name]
    themed_scene = themed(scene, theme)
    size_ = FOCUS_SIZES[size]
    assert compare(snap_compare, sealed_home, size_, themed_scene, with_profiles, with_emulator)
