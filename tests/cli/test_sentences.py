"""Sentences people read never nest parentheses: every --help, README, the API notes, and every
screen the snapshot tests render."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [
    "body", "yaml", "register", "update", "delete", "list",
    "rotate", "apply", "check", "profiles", "emulator",
]  # fmt: skip
# A parenthesis holding another: "(bundled emulator on 127.0.0.1 (never saved))".
NESTED = re.compile(r"\([^()]*\([^()]*\)[^()]*\)")


def nested(text: str) -> list[str]:
    """Each nested pair in ``text``, read paragraph by paragraph with lines joined."""
    found = []
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        # argparse's own "(default: %(default)s)" is expanded before anyone reads it.
        found += [m for m in NESTED.findall(flat) if "%(" not in m]
    return found


def test_the_finder_finds_one() -> None:
    assert nested("x (bundled emulator on 127.0.0.1\n(never saved)) y") != []
    assert nested("(one) and (two)\n\n(three)") == []


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_never_nests_parentheses(
    command: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["--help"] if command is None else [command, "--help"])
    assert nested(capsys.readouterr().out) == []


@pytest.mark.parametrize("doc", ["README.md", "docs/aicore-api.md"])
def test_docs_never_nest_parentheses(doc: str) -> None:
    assert nested((ROOT / doc).read_text(encoding="utf-8")) == []


def test_no_rendered_screen_nests_parentheses() -> None:
    snapshots = sorted((ROOT / "tests/ui/__snapshots__").rglob("*.svg"))
    assert snapshots
    for svg in snapshots:
        rows: dict[str, list[str]] = {}
        for y, text in re.findall(r'<text[^>]*y="([\d.]+)"[^>]*>(.*?)</text>', svg.read_text()):
            rows.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
        screen = "\n".join("".join(parts) for parts in rows.values())
        assert nested(screen) == [], svg.name
