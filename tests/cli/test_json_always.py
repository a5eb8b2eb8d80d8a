"""``--json``: exactly one JSON object on stdout whatever ends the command, "ok" only with exit 0.

The ways out a command's own code does not answer: an argument the parser refuses, --demo given
with a command, a fault in regsecret. (ctrl+c, with a real process and a real SIGINT, is in
tests/cli/test_ctrl_c.py and tests/cli/test_ledger_lock.py.)
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tui.cli import main
from tui.core import exit_codes

Run = Callable[..., tuple[int, dict[str, Any], str]]
HOSTILE = "\x1b]52;c;aGk=\x07\x1b[2J"


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> Run:
    def call(*argv: str) -> tuple[int, dict[str, Any], str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"token-1\n")))
        try:
            code = main(list(argv))
        except SystemExit as exited:
            code = int(exited.code or 0)
        out, err = capfd.readouterr()
        answer = json.loads(out)  # one object: anything after it does not parse
        assert isinstance(answer, dict)
        assert answer["exit_code"] == code and answer["ok"] is (code == 0)
        assert answer["command"] == next(word for word in argv if not word.startswith("-"))
        return code, answer, err

    return call


REGISTER = ("register", "x", "--registry", "ghcr.io", "--username", "octo", "--json")


@pytest.mark.parametrize(
    ("argv", "key"),
    [
        (("register", "x", "--registry", "ghcr.io", "--json"), "name"),
        (("list", "--json", "--bogus"), "secrets"),
        (("check", "--json", "--password-stdin"), "registry"),
        (("rotate", "x", "--json", "--password-stdin", "--registry", "r"), "tenants"),
        (("apply", "--json"), "actions"),
    ],
)
def test_an_argument_the_parser_refuses_is_one_object_too(
    run: Run, argv: tuple[str, ...], key: str
) -> None:
    code, answer, err = run(*argv)
    assert code == exit_codes.EXIT_BAD_INPUT and answer["outcome"] == "bad-input"
    assert key in answer and answer[key] is None  # the command's keys, null: nothing was done
    assert "usage:" in err  # people still get the usage
    said = answer["sentence"].split(";")[0].lower()
    assert "--help" in answer["sentence"] and said in " ".join(err.split()).lower()


def test_demo_with_a_command_is_one_object(run: Run) -> None:
    code, answer, err = run("--demo", "list", "--json")
    assert code == exit_codes.EXIT_BAD_INPUT and answer["outcome"] == "bad-input"
    assert "--demo starts the app" in answer["sentence"] and "--demo starts the app" in err


def test_a_fault_in_regsecret_is_one_object_and_no_traceback(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.commands.secret_commands as commands

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError(f"a bug, quoting {HOSTILE}")

    monkeypatch.setattr(commands, "read_draft", broken)
    code, answer, err = run(*REGISTER, "--password-stdin")
    assert code == exit_codes.EXIT_FAILED and answer["outcome"] == "failed"
    assert answer["name"] == "x" and answer["sent"] is None  # not known: not claimed either way
    assert "unexpected error (RuntimeError)" in answer["sentence"]
    assert "Traceback" not in err and "\x1b" not in err and "a bug" not in err


def test_a_failure_before_anything_is_sent_is_one_object(run: Run) -> None:
    code, answer, _ = run("list", "--profile", "nowhere", "--json")
    assert code == exit_codes.EXIT_BAD_INPUT and answer["outcome"] == "bad-input"
    assert "no connection profiles" in answer["sentence"] and answer["secrets"] is None
