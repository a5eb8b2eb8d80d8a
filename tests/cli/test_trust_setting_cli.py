"""An unusable SSL_CERT_FILE is a local configuration mistake: exit 2 in every command (it was 7 in
``check``, 9 in ``rotate`` and ``apply``), one sentence naming the variable and what to do, nothing
sent. A login check it stops is still "not checked", not a refusal: registering goes on where AI
Core needs no TLS."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.fleet import sdk_profile, sdk_profile_at
from tui.cli import main
from tui.core import exit_codes
from tui.emulator.server import Emulator

Run = Callable[..., tuple[int, str, str]]
# Nothing listens there: the setting stops every command before a connection is tried.
NOWHERE = "https://127.0.0.1:9"
LOGIN = ("--registry", "ghcr.io", "--username", "octo", "--password-stdin")


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> Run:
    def call(*argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"token-1\n")))
        code = main(list(argv))
        out, err = capfd.readouterr()
        return code, out, err

    return call


@pytest.fixture(params=["missing.pem", "not-a-certificate.txt"])
def bad_setting(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    (tmp_path / "not-a-certificate.txt").write_text("hello\n")
    path = tmp_path / str(request.param)
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    return path


COMMANDS = {
    "check": ("check", *LOGIN),
    "register": ("register", "my-registry", "--profile", "prod", *LOGIN),
    "update": ("update", "my-registry", "--profile", "prod", *LOGIN),
    "delete": ("delete", "my-registry", "--profile", "prod", "--yes"),
    "list": ("list", "--profile", "prod"),
    "rotate": ("rotate", "my-registry", "--all", *LOGIN),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_says_the_setting_and_exits_2(
    run: Run, private_home: Path, bad_setting: Path, command: str
) -> None:
    sdk_profile_at(private_home, "prod", f"{NOWHERE}/v2", f"{NOWHERE}/oauth/token")
    code, out, err = run(*COMMANDS[command])
    assert code == exit_codes.EXIT_BAD_INPUT, err
    said = out if command == "check" else err
    assert f"SSL_CERT_FILE names {bad_setting}" in said
    assert "fix it or unset SSL_CERT_FILE" in said
    assert "Login not checked" not in err  # said once, not before a request says it again


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_s_json_says_it_too(
    run: Run, private_home: Path, bad_setting: Path, command: str
) -> None:
    sdk_profile_at(private_home, "prod", f"{NOWHERE}/v2", f"{NOWHERE}/oauth/token")
    code, out, _ = run(*COMMANDS[command], "--json")
    answer = json.loads(out)
    assert code == answer["exit_code"] == exit_codes.EXIT_BAD_INPUT and answer["ok"] is False
    assert answer["outcome"] == ("bad-setting" if command == "check" else "bad-input")
    assert "SSL_CERT_FILE" in answer["sentence"]
    assert answer.get("sent") in (None, False)


def test_apply_says_the_setting_and_exits_2(
    run: Run, private_home: Path, bad_setting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sdk_profile_at(private_home, "prod", f"{NOWHERE}/v2", f"{NOWHERE}/oauth/token")
    declared = tmp_path / "secrets.toml"
    declared.write_text(
        '[secrets.ghcr]\nregistry = "ghcr.io"\nusername = "octo"\nsource = "env:TOKEN"\n'
        'tenants = ["prod"]\n'
    )
    monkeypatch.setenv("TOKEN", "token-1")
    code, _, err = run("apply", str(declared))
    assert code == exit_codes.EXIT_BAD_INPUT, err
    assert f"SSL_CERT_FILE names {bad_setting}" in err


def test_the_login_check_it_stops_is_not_checked_and_registering_goes_on(
    run: Run, private_home: Path, bad_setting: Path
) -> None:
    # AI Core over plain http on this machine needs no trust setting; the registry check over
    # HTTPS cannot run, and that is no verdict on the credentials (AI Core pulls from the cloud).
    with Emulator() as emu:
        sdk_profile(private_home, "dev", emu)
        code, out, err = run(
            "register", "my-registry", "--profile", "dev", "--registry", NOWHERE,
            "--username", "octo", "--password-stdin", "--json",
        )  # fmt: skip
        created = emu.secret_names()
    answer = json.loads(out)
    assert code == exit_codes.EXIT_OK and answer["outcome"] == "created", err
    assert answer["login"]["outcome"] == "bad-setting"
    assert "warning: Login not checked" in err and "SSL_CERT_FILE" in err
    assert "my-registry" in created
