"""The demo's tenants exist only inside ``regsecret --demo``: a command that names one, or
``--demo`` given with a command, is told so and how the command line gets a tenant (exit 2)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable

import pytest

from tui.cli import main
from tui.core import exit_codes

Run = Callable[..., tuple[int, str, str]]
WHERE = "The demo's tenants (demo-dev, demo-test, demo-prod) live only inside 'regsecret --demo'"
HOW = "run 'regsecret emulator --service-key FILE' in another terminal, then 'regsecret profiles"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> Run:
    def call(*argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
        monkeypatch.setenv("TOKEN", "not-used")
        try:
            code = main(list(argv))
        except SystemExit as exited:
            code = int(exited.code or 0)
        out, err = capfd.readouterr()
        return code, out, err

    return call


def _said(err: str) -> str:
    return " ".join(err.split())


ROTATE = ("--registry", "ghcr.io", "--username", "u", "--password-env", "TOKEN", "--no-check")
NAMING_A_DEMO_PROFILE = [
    ("list", "--profile", "demo-dev"),
    ("delete", "x", "--profile", "demo-prod", "--yes"),
    ("rotate", "x", "--profile", "demo-test", *ROTATE),
]


@pytest.mark.parametrize("argv", NAMING_A_DEMO_PROFILE)
def test_a_demo_profile_outside_the_app_says_where_the_demo_is(
    run: Run, argv: tuple[str, ...]
) -> None:
    code, out, err = run(*argv)
    assert (code, out) == (exit_codes.EXIT_BAD_INPUT, ""), err
    said = _said(err)
    assert WHERE in said and HOW in said, said
    assert "There are no connection profiles yet" not in said


@pytest.mark.parametrize(
    "argv", [("--demo", "list", "--profile", "demo-dev"), ("--demo", "yaml", "x")]
)
def test_demo_with_a_command_is_refused_not_ignored(run: Run, argv: tuple[str, ...]) -> None:
    code, out, err = run(*argv)
    assert (code, out) == (exit_codes.EXIT_BAD_INPUT, ""), err
    said = _said(err)
    assert "--demo starts the app and cannot be given with a command" in said
    assert WHERE in said and HOW in said, said


def test_other_unknown_profiles_keep_their_sentence(run: Run) -> None:
    code, _, err = run("list", "--profile", "demo-staging")
    assert code == exit_codes.EXIT_BAD_INPUT
    assert "There are no connection profiles yet" in err and "--demo" not in err
