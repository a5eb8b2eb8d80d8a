"""`regsecret emulator` as a user runs it: a real process, driven with the real curl binary."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.keyring_memory import MemoryKeyring
from tui.cli import main
from tui.core.request import SecretDraft, create_body, patch_body
from tui.core.secret import Secret

SECRETS = "/v2/admin/dockerRegistrySecrets"


@dataclass
class Running:
    process: subprocess.Popen[str]
    api_url: str
    token_url: str
    client_id: str
    registry_host: str
    control_token: str


def start(*args: str, env: dict[str, str] | None = None) -> Running:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "emulator", "--port", "0", *args],
        env=None if env is None else {**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines = [process.stdout.readline().rstrip("\n") for _ in range(5)]
    return Running(process, *lines)


def stop(running: Running, sig: int = signal.SIGINT) -> tuple[int, str, str]:
    running.process.send_signal(sig)
    out, err = running.process.communicate(timeout=10)
    return running.process.returncode, out, err


@pytest.fixture
def cli() -> Iterator[Running]:
    running = start(
        "--client-id",
        "ci-client",
        "--client-secret-env",
        "CI_SECRET",
        env={"CI_SECRET": "ci-secret"},
    )
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.communicate(timeout=10)


def curl(*args: str, stdin: str | None = None) -> tuple[int, str, dict[str, str]]:
    """Status, body and lower-cased headers of one curl call."""
    assert shutil.which("curl"), "the curl binary is needed for this test (apt-get install curl)"
    result = subprocess.run(
        ["curl", "-sS", "-i", "--max-time", "10", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    head, _, body = result.stdout.replace("\r\n", "\n").partition("\n\n")
    status_line, *header_lines = head.split("\n")
    headers = {}
    for line in header_lines:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    return int(status_line.split()[1]), body, headers


def test_prints_five_lines_and_stops_cleanly_on_ctrl_c(cli: Running) -> None:
    assert cli.api_url.startswith("http://127.0.0.1:")
    assert cli.token_url == cli.api_url + "/oauth/token"
    assert cli.client_id == "ci-client"
    status, _, _ = curl(cli.api_url + SECRETS)
    assert status == 401
    code, out, err = stop(cli)
    assert (code, out) == (0, "")
    # People get the same facts labelled, on stderr; no secret of a user's is among them.
    assert "AI API URL" in err and "Docker registry" in err and "Ctrl+C stops it." in err
    assert f"control token   {cli.control_token}" in err
    assert f"AICORE_BASE_URL={cli.api_url}/v2 AICORE_AUTH_URL={cli.token_url}" in err
    assert 'AICORE_CLIENT_SECRET="$CI_SECRET" regsecret' in err
    assert "ci-secret" not in err


def test_help_describes_every_option_and_how_to_point_the_app_at_it() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "emulator", "--help"],
        env={**os.environ, "COLUMNS": "80"},
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 0
    text = result.stdout
    assert max(len(line) for line in text.splitlines()) <= 80
    for option, words in [
        ("--host HOST", "address to listen on (default: 127.0.0.1)"),
        ("--port PORT", "(default: 8765)"),
        ("--token-ttl SECONDS", "(default: 7199)"),
        ("--client-id CLIENT_ID", "(default: demo)"),
        ("--client-secret-env VAR", "environment variable VAR (default: the fixed demo-secret)"),
        ("--service-key FILE", "for `regsecret profiles import FILE --name emulator`"),
    ]:
        assert option in text and words in " ".join(text.split()), option
    # The secret itself is no longer offered as an argument.
    assert "--client-secret " not in text and "CLIENT_SECRET]" not in text
    assert "regsecret emulator --service-key ~/emulator-key.json" in text
    assert "regsecret profiles import ~/emulator-key.json --name emulator" in text
    assert "AICORE_BASE_URL=http://127.0.0.1:8765/v2" in text
    assert "AICORE_AUTH_URL=http://127.0.0.1:8765/oauth/token" in text
    assert "regsecret --demo" in text and "X-Emulator-Token" in text


def test_the_old_client_secret_argument_still_works_with_a_warning() -> None:
    running = start("--client-secret", "old-style-secret")
    status, _, _ = curl(
        "-u", "demo:old-style-secret", "-d", "grant_type=client_credentials", running.token_url
    )
    code, _, err = stop(running)
    assert (status, code) == (200, 0)
    assert "warning: --client-secret puts the secret in the process list" in err
    assert "old-style-secret" not in err


@pytest.mark.parametrize(
    ("env", "words"),
    [({}, "$EMU_SECRET is not set or empty"), ({"EMU_SECRET": ""}, "is not set or empty")],
)
def test_a_missing_secret_variable_is_one_sentence_and_exit_2(
    env: dict[str, str], words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EMU_SECRET", raising=False)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "emulator",
            "--port",
            "0",
            "--client-secret-env",
            "EMU_SECRET",
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert words in result.stderr and "leave out --client-secret-env" in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_service_key_it_writes_imports_into_a_working_profile(
    tmp_path: Path, memory_keyring: MemoryKeyring, capfd: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "emulator-key.json"
    running = start(
        "--service-key", str(key), "--client-secret-env", "S", env={"S": "from-the-env"}
    )
    try:
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert json.loads(key.read_text())["clientsecret"] == "from-the-env"
        assert main(["profiles", "import", str(key), "--name", "emulator"]) == 0
        capfd.readouterr()
        # The imported profile reaches the emulator: a token for the secret, then the list.
        assert main(["list", "--profile", "emulator"]) == 0
        listed = capfd.readouterr()
        assert "0 secrets in profile" in listed.err, listed.err
    finally:
        code, _, err = stop(running)
    assert code == 0
    assert f"Import it: regsecret profiles import {key} --name emulator" in err
    assert "from-the-env" not in err and "from-the-env" not in capfd.readouterr().err


def test_tokens_live_7199_seconds_by_default(cli: Running) -> None:
    status, text, _ = curl(
        "-u", "ci-client:ci-secret", "-d", "grant_type=client_credentials", cli.token_url
    )
    assert (status, json.loads(text)["expires_in"]) == (200, 7199)


def test_fourth_line_is_a_docker_registry_that_asks_for_a_login(cli: Running) -> None:
    assert cli.registry_host.startswith("127.0.0.1:")
    status, _, headers = curl(f"http://{cli.registry_host}/v2/")
    assert status == 401
    assert headers["www-authenticate"].startswith('Bearer realm="http://127.0.0.1:')
    assert stop(cli)[0] == 0


def test_sigterm_also_stops_cleanly(cli: Running) -> None:
    assert stop(cli, signal.SIGTERM)[0] == 0


def test_port_in_use_is_one_line_and_exit_1() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tui", "emulator", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=20,
        )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr


def test_whole_life_of_a_secret_with_curl(cli: Running) -> None:
    api = cli.api_url + SECRETS

    # Token: client credentials by Basic auth, as `curl -u` sends them.
    status, text, _ = curl(
        "-u", "ci-client:ci-secret", "-d", "grant_type=client_credentials", cli.token_url
    )
    assert status == 200
    token = json.loads(text)["access_token"]
    auth = ["-H", f"Authorization: Bearer {token}"]
    status, text, _ = curl(
        "-u", "ci-client:wrong", "-d", "grant_type=client_credentials", cli.token_url
    )
    assert (status, json.loads(text)["error"]) == (401, "unauthorized")

    draft = SecretDraft(
        name="ghcr-pull", registry="ghcr.io", username="octo", password=Secret("ghp_t0ken")
    )
    post = [*auth, "-H", "Content-Type: application/json", "--data-binary", "@-"]
    status, text, _ = curl(*post, api, stdin=create_body(draft).reveal())
    assert (status, json.loads(text)) == (202, {"message": "Secret has been created"})

    status, text, _ = curl(*post, api, stdin=create_body(draft).reveal())
    error = json.loads(text)["error"]
    assert status == 409 and "already exists" in error["message"]

    status, text, _ = curl(*auth, api + "?$top=10&$skip=0&$count=true")
    assert (status, json.loads(text)) == (200, {"count": 1, "resources": [{"name": "ghcr-pull"}]})

    status, text, _ = curl(*auth, api + "/ghcr-pull")
    assert (status, json.loads(text)) == (200, {"name": "ghcr-pull"})
    assert "ghp_t0ken" not in text

    patch = [*auth, "-X", "PATCH", "-H", "Content-Type: application/merge-patch+json"]
    status, text, _ = curl(
        *patch, "--data-binary", "@-", api + "/ghcr-pull", stdin=patch_body(draft).reveal()
    )
    assert (status, json.loads(text)) == (
        202,
        {"id": "ghcr-pull", "message": "Secret has been modified"},
    )

    status, text, _ = curl(*auth, cli.api_url + "/v2/admin/resourceQuota/dockerRegistrySecrets")
    assert json.loads(text) == {"usage": {"count": 1}, "quota": {"maxCount": 50}}

    status, text, _ = curl(*auth, "-X", "DELETE", api + "/ghcr-pull")
    assert (status, json.loads(text)["message"]) == (202, "Docker Registry Secret has been deleted")
    status, text, _ = curl(*auth, api + "/ghcr-pull")
    assert status == 404 and json.loads(text)["error"]["code"]

    # Errors a person meets: a missing token, and a fault injected with curl too.
    status, text, _ = curl(api)
    assert (status, text) == (401, "Unauthorized")
    fault: dict[str, Any] = {"status": 503, "retry_after": 7}
    control = ["-H", f"X-Emulator-Token: {cli.control_token}"]
    status, _, _ = curl(
        *control,
        "-H",
        "Content-Type: application/json",
        "-d",
        json.dumps(fault),
        cli.api_url + "/_emulator/faults",
    )
    assert status == 200
    status, _, headers = curl(*auth, api)
    assert (status, headers["retry-after"]) == (503, "7")
    status, _, _ = curl(*control, "-X", "POST", cli.api_url + "/_emulator/expire-tokens")
    status, text, _ = curl(*auth, api)
    assert status == 401 and "expired" in text.lower()

    assert stop(cli)[0] == 0


def test_curl_chunked_upload_is_stored(cli: Running) -> None:
    status, text, _ = curl(
        "-u", "ci-client:ci-secret", "-d", "grant_type=client_credentials", cli.token_url
    )
    token = json.loads(text)["access_token"]
    draft = SecretDraft(name="chunked", registry="ghcr.io", username="octo", password=Secret("p"))
    status, text, _ = curl(
        *["-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json"],
        *["-H", "Transfer-Encoding: chunked", "--data-binary", "@-"],
        cli.api_url + SECRETS,
        stdin=create_body(draft).reveal(),
    )
    assert (status, json.loads(text)) == (202, {"message": "Secret has been created"})
    status, text, _ = curl("-H", f"Authorization: Bearer {token}", cli.api_url + SECRETS)
    assert json.loads(text)["resources"] == [{"name": "chunked"}]


def test_control_endpoint_refuses_curl_without_the_printed_token(cli: Running) -> None:
    faults = cli.api_url + "/_emulator/faults"
    for extra in ([], ["-H", "X-Emulator-Token: guessed"]):
        status, text, _ = curl(*extra, "-d", '{"status": 500}', faults)
        assert status == 403 and "X-Emulator-Token" in json.loads(text)["error"]["message"]
    status, text, _ = curl("-H", f"X-Emulator-Token: {cli.control_token}", faults)
    assert (status, json.loads(text)) == (200, {"pending": []})
