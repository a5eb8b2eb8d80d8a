"""``regsecret`` reads the app's own options without argparse, and reads them as argparse does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui.cli import build_parser
from tui.start import app_options

APP_STARTS = [
    [],
    ["--demo"],
    ["--profile", "dev"],
    ["--profile=dev"],
    ["--profile="],
    ["--profile", ""],
    ["--demo", "--profile", "dev"],
    ["--profile", "dev", "--demo"],
    ["--profile", "body"],  # a command's name, as the option's value
    ["--profile", "team [/] prod"],
]
EVERYTHING_ELSE = [
    ["-h"],
    ["--help"],
    ["--version"],
    ["--prof", "dev"],  # argparse's abbreviation
    ["--profile"],
    ["--profile", "-x"],
    ["--profile", "--demo"],
    ["--demo", "--demo"],
    ["--profile", "a", "--profile", "b"],
    ["--demo=yes"],
    ["body", "--name", "x"],
    ["--demo", "yaml", "x"],
    ["--", "--demo"],
    ["nonsense"],
]


@pytest.mark.parametrize("words", APP_STARTS)
def test_the_app_options_are_read_as_argparse_reads_them(words: list[str]) -> None:
    options = app_options(words)
    parsed = build_parser().parse_args(words)
    assert parsed.command is None
    assert options == (parsed.demo, parsed.profile)


@pytest.mark.parametrize("words", EVERYTHING_ELSE)
def test_everything_else_is_left_to_the_command_line_parser(words: list[str]) -> None:
    assert app_options(words) is None


def test_starting_the_app_loads_no_command_line_parser() -> None:
    code = (
        "import sys\n"
        "import tui.app\n"
        "tui.app.run_app = lambda demo, profile: print(demo, profile) or 0\n"
        "sys.argv = ['regsecret', '--profile', 'dev']\n"
        "from tui.start import main\n"
        "rc = main()\n"
        "print(rc, sorted(m for m in ('argparse', 'tui.cli') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["False dev", "0 []"]
