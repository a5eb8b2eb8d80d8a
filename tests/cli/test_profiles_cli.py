"""``regsecret profiles``: list, --json, import, delete; never a secret, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from keyring.backends import fail

from tests.support.keyring_memory import (
    LockableKeyring,
    MemoryKeyring,
    install_keyring,
    installed,
    restore_keyring,
)
from tui.cli import main

SECRET = "cli-client-secret-9876"
KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw"
API = "https://api.ai.example.com"
AUTH = "https://tenant.authentication.example.com"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in list(os.environ):
        if var.startswith("AICORE_") or var in ("VCAP_SERVICES", "PYTHON_KEYRING_BACKEND"):
            monkeypatch.delenv(var)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("REGSECRET_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    return home


def write_key(tmp_path: Path, kind: str = "secret") -> Path:
    data: dict[str, object] = {"clientid": "cid", "serviceurls": {"AI_API_URL": API}}
    if kind == "secret":
        data.update(clientsecret=SECRET, url=AUTH)
    else:
        pem = f"-----BEGIN PRIVATE KEY-----\\n{KEY_BODY}\\n-----END PRIVATE KEY-----\\n"
        data.update(
            certificate="-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----",
            key=pem,
            certurl=AUTH.replace("authentication", "authentication.cert"),
        )
    path = tmp_path / f"{kind}.json"
    path.write_text(json.dumps(data))
    return path


def sdk_config(home: Path) -> None:
    (home / ".aicore").mkdir()
    (home / ".aicore" / "config.json").write_text(
        json.dumps(
            {
                "AICORE_AUTH_URL": AUTH + "/oauth/token",
                "AICORE_CLIENT_ID": "sdk-client",
                "AICORE_CLIENT_SECRET": SECRET,
                "AICORE_BASE_URL": API + "/v2",
                "AICORE_RESOURCE_GROUP": "default",
            }
        )
    )


def test_empty_list_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "regsecret profiles import" in err


@pytest.mark.parametrize("kind", ["secret", "x509"])
def test_import_list_json_delete(
    kind: str, tmp_path: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["profiles", "import", str(write_key(tmp_path, kind)), "--name", "dev"]) == 0
    out, _ = capsys.readouterr()
    assert "Imported profile “dev”" in out
    assert len(memory_keyring.entries) == 1

    assert main(["profiles"]) == 0
    out, err = capsys.readouterr()
    header, row = out.splitlines()
    assert header.split() == ["NAME", "SOURCE", "AUTH", "API", "URL", "TOKEN", "URL"]
    assert row.split()[:4] == ["dev", "regsecret", kind, API]
    assert err == ""

    assert main(["profiles", "--json"]) == 0
    out, _ = capsys.readouterr()
    answer = json.loads(out)
    assert (answer["ok"], answer["command"], answer["outcome"]) == (True, "profiles", "listed")
    (entry,) = answer["profiles"]
    assert entry["name"] == "dev" and entry["source"] == "regsecret"
    assert entry["api_url"] == API and entry["token_url"].endswith("/oauth/token")
    assert entry["read_only"] is False
    config_text = (tmp_path / "config" / "profiles.toml").read_text()
    for text in (out, config_text):
        assert SECRET not in text and KEY_BODY not in text

    assert main(["profiles", "delete", "dev"]) == 0
    out, _ = capsys.readouterr()
    assert (
        out
        == "Deleted profile “dev” and its secret in the keyring (memory keyring of the tests).\n"
    )
    assert memory_keyring.entries == {}


def test_delete_with_the_keyring_locked_deletes_nothing_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with installed(LockableKeyring()) as lockable:
        assert main(["profiles", "import", str(write_key(tmp_path)), "--name", "dev"]) == 0
        lockable.locked = True
        capsys.readouterr()
        assert main(["profiles", "delete", "dev"]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert "profile “dev” was not deleted" in err and "may still be in it" in err
        assert "held no secret" not in err and "Unlock it" in err
        assert lockable.entries == {("regsecret", "dev"): SECRET}
        assert main(["profiles", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)["profiles"]
        assert [p["name"] for p in listed] == ["dev"]
        # Unlocked, the same command does it, and says both were removed.
        lockable.locked = False
        assert main(["profiles", "delete", "dev"]) == 0
        assert "and its secret in the keyring" in capsys.readouterr().out
        assert lockable.entries == {}


def test_delete_of_a_profile_the_keyring_holds_nothing_for(
    tmp_path: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["profiles", "import", str(write_key(tmp_path)), "--name", "dev"]) == 0
    memory_keyring.entries.clear()
    capsys.readouterr()
    assert main(["profiles", "delete", "dev"]) == 0
    out, _ = capsys.readouterr()
    assert out == (
        "Deleted profile “dev”; the keyring (memory keyring of the tests) held no secret for it.\n"
    )


def test_sdk_profile_shows_up_without_doing_anything(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sdk_config(isolated)
    assert main(["profiles", "--json"]) == 0
    out, err = capsys.readouterr()
    (entry,) = json.loads(out)["profiles"]
    assert entry["name"] == "default" and entry["source"] == "AI Core SDK"
    assert entry["default"] is True and entry["read_only"] is True
    assert entry["api_url"] == API
    assert SECRET not in out and err == ""


def test_delete_of_a_read_only_or_unknown_profile(
    isolated: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    sdk_config(isolated)
    assert main(["profiles", "delete", "default"]) == 2
    _, err = capsys.readouterr()
    assert "read-only" in err and "AI Core SDK" in err
    assert (isolated / ".aicore" / "config.json").exists()
    assert main(["profiles", "delete", "nobody"]) == 2
    _, err = capsys.readouterr()
    assert "no profile named “nobody”" in err


def test_import_bad_input_exits_2(
    tmp_path: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["profiles", "import", "missing.json", "--name", "dev"]) == 2
    assert "does not exist" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"clientid": "c", "clientsecret": SECRET, "url": AUTH}))
    assert main(["profiles", "import", str(bad), "--name", "dev"]) == 2
    err = capsys.readouterr().err
    assert "'serviceurls.AI_API_URL' is missing" in err and SECRET not in err
    assert main(["profiles", "import", str(write_key(tmp_path)), "--name", " "]) == 2
    assert "name" in capsys.readouterr().err
    assert memory_keyring.entries == {}


def test_import_refuses_the_session_fallback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = install_keyring(fail.Keyring())
    try:
        assert main(["profiles", "import", str(write_key(tmp_path)), "--name", "dev"]) == 1
    finally:
        restore_keyring(previous)
    _, err = capsys.readouterr()
    assert "was not imported" in err and "one-shot" in err
    assert "keyrings.alt" not in err and "gnome-keyring-daemon --unlock" in err
    assert not (tmp_path / "config" / "profiles.toml").exists()


def test_broken_profiles_file(
    tmp_path: Path,
    isolated: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "profiles.toml").write_text('[profiles.x]\napi_url = "https://a"\nbad line\n')
    sdk_config(isolated)
    assert main(["profiles"]) == 0
    out, err = capsys.readouterr()
    assert "default" in out and "AI Core SDK" in out
    assert "profiles.toml line 3" in err
    assert main(["profiles", "import", str(write_key(tmp_path)), "--name", "dev"]) == 1
    assert "will not change" in capsys.readouterr().err
    assert memory_keyring.entries == {}


def test_real_process_no_traceback(tmp_path: Path, isolated: Path) -> None:
    sdk_config(isolated)
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}

    def regsecret(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "tui", "profiles", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env)

    listing = regsecret()
    assert listing.returncode == 0, listing.stderr
    assert "default" in listing.stdout and SECRET not in listing.stdout
    refused = regsecret("import", str(write_key(tmp_path)), "--name", "dev")
    assert refused.returncode == 1
    unknown = regsecret("delete", "nobody")
    assert unknown.returncode == 2
    for result in (listing, refused, unknown):
        assert "Traceback" not in result.stderr and SECRET not in result.stderr


@pytest.mark.parametrize(
    ("argv", "code", "outcome"),
    [
        (["profiles", "delete", "nope", "--json"], 2, "bad-input"),
        (["profiles", "--json", "delete", "nope"], 2, "bad-input"),
        (["profiles", "import", "missing.json", "--name", "dev", "--json"], 2, "bad-input"),
        (["profiles", "import", "missing.json", "--json"], 2, "bad-input"),  # no --name
    ],
)
def test_every_profiles_json_failure_is_one_object(
    isolated: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    code: int,
    outcome: str,
) -> None:
    try:
        got = main(argv)
    except SystemExit as exited:
        got = int(exited.code or 0)
    out, err = capsys.readouterr()
    answer = json.loads(out)
    assert got == code == answer["exit_code"] and answer["ok"] is False
    assert (answer["command"], answer["outcome"], answer["profiles"]) == ("profiles", outcome, None)
    assert answer["sentence"] and err  # people read it on stderr too


def test_an_import_with_json_is_one_object_with_the_profile(
    tmp_path: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["profiles", "import", str(write_key(tmp_path)), "--name", "dev", "--json"]
    assert main(argv) == 0
    out, _ = capsys.readouterr()
    answer = json.loads(out)
    assert (answer["ok"], answer["outcome"]) == (True, "imported")
    assert [p["name"] for p in answer["profiles"]] == ["dev"] and SECRET not in out
    assert "Imported profile “dev”" in answer["sentence"]
    assert main(["profiles", "delete", "dev", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert (answer["ok"], answer["outcome"]) == (True, "deleted")
    assert answer["sentence"].startswith("Deleted profile “dev”")
