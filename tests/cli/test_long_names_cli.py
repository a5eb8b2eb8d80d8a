"""Names a person gives (argv) or a file holds, quoted by a command: bounded, never a control.

A 5,000-character ``--profile`` carrying an escape sequence must not flood the terminal, drive
it, nor push the sentence's next step out of what is printed: every sentence quotes it through
``tui.core.foreign_text.named`` (or ``named_path``), so it is cut with an ellipsis and the rest of
the sentence (what to do next) still stands.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.support.fleet import sdk_profile_at
from tests.support.hostile_server import carries_no_control
from tui.cli import main

# An OSC that sets the title, 5,000 letters, a C1 CSI and a bidi override.
LONG = "ab\x1b]0;pwned\x07" + "c" * 5000 + "\x9b31m\u202e"
RUN = "c" * 200  # what must not be printed: a name is cut at 64 characters, a path at 160

SENT_WITH = ["--registry", "ghcr.io", "--username", "u", "--password-env", "TOKEN", "--no-check"]

# id -> (argv, words the sentence must still end with or hold)
CASES: dict[str, tuple[list[str], str]] = {
    "list-profile": (["list", "--profile", LONG], "(--profile). Profiles: dev."),
    "global-profile": (["--profile", LONG, "list"], "(--profile). Profiles: dev."),
    "rotate-profile": (
        ["rotate", "ghcr", "--profile", LONG, *SENT_WITH],
        "Profiles: dev.",
    ),
    "apply-tenant": (["apply", "{tenant_file}"], "Profiles: dev."),
    "apply-secret-name": (["apply", "{name_file}"], "at most 63."),
    "apply-path": (["apply", "/nonexistent/" + LONG], "File name too long."),
    "register-name": (
        ["register", LONG, "--registry", "ghcr.io", "--username", "u", "--password-env", "TOKEN"],
        "Nothing was sent.",
    ),
    "delete-name": (["delete", LONG, "--profile", "dev"], "nothing was deleted."),
    "delete-name-sent": (["delete", LONG, "--yes", "--profile", "dev"], "start it with"),
    "profiles-delete": (["profiles", "delete", LONG], "(ours: none)."),
    "profiles-import-path": (
        ["profiles", "import", "/nonexistent/" + LONG, "--name", "x"],
        "File name too long.",
    ),
    "emulator-host": (["emulator", "--host", LONG], "use --host 127.0.0.1."),
    "emulator-variable": (["emulator", "--client-secret-env", LONG], "to accept demo-secret."),
    "emulator-service-key": (
        ["emulator", "--port", "0", "--service-key", "/nonexistent/" + LONG],
        "pick another file with --service-key.",
    ),
    "unknown-argument": (["list", "--x" + LONG], "Run 'regsecret --help' for details."),
}


@pytest.fixture
def files(private_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    # One profile, at a port nothing listens on: nothing here may reach a tenant.
    sdk_profile_at(private_home, "dev", "http://127.0.0.1:9", "http://127.0.0.1:9/oauth/token")
    monkeypatch.setenv("TOKEN", "t0ken")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    body = 'registry = "ghcr.io"\nusername = "u"\nsource = "env:TOKEN"\ncheck = false\n'
    tenant_file = tmp_path / "tenant.toml"
    tenant_file.write_text(f"[secrets.ghcr]\n{body}tenants = [{json.dumps(LONG)}]\n")
    name_file = tmp_path / "name.toml"
    name_file.write_text(f'[secrets.{"n" * 5000}]\n{body}tenants = ["dev"]\n')
    return {"{tenant_file}": str(tenant_file), "{name_file}": str(name_file)}


@pytest.mark.parametrize("case", list(CASES))
def test_a_long_name_is_cut_and_the_sentence_still_ends(
    case: str, files: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    argv, ending = CASES[case]
    try:
        code = main([files.get(a, a) for a in argv])
    except SystemExit as exited:  # argparse's refusals
        code = int(exited.code or 0)
    out, err = capfd.readouterr()
    assert code != 0
    assert carries_no_control(out) and carries_no_control(err), repr(err[:300])
    assert "\u202e" not in err + out
    assert RUN not in err + out and "n" * 200 not in err
    assert len(err) < 700, err
    assert "…" in err, err
    assert ending in err, err
