"""The command line against hostile files, variables and a hostile registry.

No byte of a foreign escape sequence may reach stdout or stderr, nothing may end in a traceback,
and one bad source never hides the good ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.hostile_server import (
    BAD_MARKUP,
    ESCAPES,
    HOSTILE_TEXTS,
    HostileServer,
    carries_no_control,
)

GOOD_SDK = {
    "AICORE_AUTH_URL": "https://tenant.authentication.example.com/oauth/token",
    "AICORE_CLIENT_ID": "sdk-client",
    "AICORE_CLIENT_SECRET": "sdk-secret",
    "AICORE_BASE_URL": "https://api.ai.example.com/v2",
}


def regsecret(
    *args: str, env: dict[str, str], stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
    )


def assert_clean(done: subprocess.CompletedProcess[bytes]) -> str:
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert carries_no_control(out), repr(out)
    assert carries_no_control(err), repr(err)
    return out + err


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    (home / ".aicore").mkdir(parents=True)
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("AICORE_") and k != "VCAP_SERVICES"
    }
    base.update(
        HOME=str(home),
        AICORE_HOME=str(home / ".aicore"),
        REGSECRET_CONFIG_DIR=str(tmp_path / "config"),
    )
    return base


def test_profiles_list_survives_every_hostile_source(env: dict[str, str]) -> None:
    aicore = Path(env["AICORE_HOME"])
    (aicore / "config_good.json").write_text(json.dumps(GOOD_SDK))
    (aicore / "config_badurl.json").write_text(
        json.dumps({**GOOD_SDK, "AICORE_BASE_URL": "https://[x"})
    )
    (aicore / "config_port.json").write_text(
        json.dumps({**GOOD_SDK, "AICORE_AUTH_URL": "https://host:99999/oauth/token"})
    )
    (aicore / "config_deep.json").write_text("[" * 60_000)
    (aicore / "config_digits.json").write_text('{"AICORE_CLIENT_ID": ' + "9" * 5000 + "}")
    (aicore / "config_escape.json").write_text(
        json.dumps({**GOOD_SDK, "AICORE_CLIENT_ID": 5, ESCAPES: ESCAPES})
    )
    config = Path(env["REGSECRET_CONFIG_DIR"])
    config.mkdir()
    (config / "profiles.toml").write_text(
        '[profiles."evil\\u001b]0;PWNED\\u0007"]\napi_url = "https://a.example.com"\n'
        'token_url = "https://t.example.com"\nclient_id = "c"\n'
        '[profiles."team [/] prod"]\napi_url = "https://[x"\n'
        'token_url = "https://t.example.com"\nclient_id = "c"\n"x\\u009b31m" = 1\n',
        encoding="utf-8",
    )
    env["AICORE_SERVICE_KEY"] = '{"clientid": "c", "url": "https://[x", "n": ' + "9" * 5000 + "}"
    env["VCAP_SERVICES"] = json.dumps(
        {"aicore": [{"label": "aicore", "name": ESCAPES, "credentials": {"url": "https://[x"}}]}
    )
    done = regsecret("profiles", env=env)
    text = assert_clean(done)
    assert "good" in done.stdout.decode()  # one bad source hides nothing else
    assert "team [/] prod" in text


@pytest.mark.parametrize("text", [*HOSTILE_TEXTS, BAD_MARKUP])
def test_check_prints_a_hostile_registry_refusal_cleanly(
    hostile: HostileServer, env: dict[str, str], text: str
) -> None:
    hostile.registry_refuses(text)
    done = regsecret(
        "check",
        "--registry",
        hostile.registry_host,
        "--username",
        "octo",
        "--password-stdin",
        env=env,
        stdin=b"pw\n",
    )
    assert done.returncode not in (0, 1), done
    assert_clean(done)


def test_importing_a_hostile_service_key_is_a_sentence(env: dict[str, str], tmp_path: Path) -> None:
    for number, content in enumerate(
        [
            "[" * 60_000,
            '{"clientid": ' + "9" * 5000 + "}",
            json.dumps(
                {
                    "clientid": ESCAPES,
                    "clientsecret": "s",
                    "url": "https://[x",
                    "serviceurls": {"AI_API_URL": "https://exämple.com"},
                }
            ),
        ]
    ):
        path = tmp_path / f"key{number}.json"
        path.write_text(content, encoding="utf-8")
        done = regsecret("profiles", "import", str(path), "--name", f"k{number}", env=env)
        assert done.returncode == 2, done
        assert_clean(done)
    done = regsecret("profiles", "import", "/dev/zero", "--name", "zero", env=env)
    assert done.returncode == 2 and b"not a regular file" in done.stderr
    assert_clean(done)
