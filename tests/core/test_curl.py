"""The curl command sends exactly the engine's body, byte for byte, through real shells and curl."""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.request import SecretDraft, create_body, curl_command, patch_body
from tui.core.secret import Secret
from tui.core.snippets import body_curl_command

TOKEN = "tok-en.123_ABC"
SHELLS = [shell for shell in ("bash", "zsh") if shutil.which(shell)]

# What the validator accepts as a password: anything but NUL and lone surrogates.
passwords = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1)


@dataclass
class Received:
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Received]]:
    received = Received()

    class Handler(http.server.BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            received.requests.append((self.command, self.path, dict(self.headers), body))
            self.send_response(202)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"message": "Secret has been created"}')

        do_POST = do_PATCH = _record

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", received
    httpd.shutdown()
    httpd.server_close()


def run_curl(shell: str, command: str, password: str, locale: str = "C.UTF-8") -> str:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "LC_ALL": locale,
        "AICORE_TOKEN": TOKEN,
        "REGISTRY_PASSWORD": password,
    }
    done = subprocess.run(
        [shell, "-c", command], env=env, capture_output=True, text=True, timeout=20
    )
    assert done.returncode == 0, done.stderr
    assert "HTTP 202" in done.stdout
    return done.stdout


def sent(
    server: tuple[str, Received], shell: str, draft: SecretDraft, *, patch: bool = False, **kw: str
) -> tuple[str, str, dict[str, str], bytes]:
    url, received = server
    received.requests.clear()
    run_curl(shell, curl_command(draft, url, patch=patch), draft.password.reveal(), **kw)
    assert len(received.requests) == 1
    return received.requests[0]


NASTY = [
    "plain",
    'it\'s "quoted" \\ back\\\\slash',
    "$HOME `id` $(id) !! !$ ${x} %s %n *?[a] ~ #",
    "tab\there\nnew\r\nline\x01\x07\x08\x0c\x1b\x1f\x7f\x80\x9f",
    "<script>&amp;</script>",
    "unicode é ß 中文 🐳 \u2028 \u2029 \ufeff",
    " leading and trailing ",
    "-starts-with-dash",
    "'",
    '"',
    "\\",
    "\n",
    "a" * 3000,
]


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("password", NASTY)
def test_curl_sends_exactly_the_body(
    server: tuple[str, Received], shell: str, password: str
) -> None:
    draft = SecretDraft(
        name="my-registry",
        registry="https://index.docker.io/v1/",
        username="o'neil$x`<&>",
        password=Secret(password),
        email="me@example.com",
    )
    method, path, headers, body = sent(server, shell, draft)
    assert method == "POST"
    assert path == "/v2/admin/dockerRegistrySecrets"
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Content-Type"] == "application/json"
    assert body == create_body(draft).reveal().encode()


@pytest.mark.parametrize("shell", SHELLS)
def test_curl_patch_sends_the_patch_body(server: tuple[str, Received], shell: str) -> None:
    draft = SecretDraft("my-reg", "ghcr.io", "u", Secret("p&'\n"), "")
    method, path, headers, body = sent(server, shell, draft, patch=True)
    assert (method, path) == ("PATCH", "/v2/admin/dockerRegistrySecrets/my-reg")
    assert headers["Content-Type"] == "application/merge-patch+json"
    assert body == patch_body(draft).reveal().encode()


@pytest.mark.parametrize("shell", SHELLS)
def test_curl_works_in_the_c_locale(server: tuple[str, Received], shell: str) -> None:
    draft = SecretDraft("ab", "quay.io", "ü", Secret("中\u2028é\n<"), "é@x")
    _, _, _, body = sent(server, shell, draft, locale="C")
    assert body == create_body(draft).reveal().encode()


@pytest.mark.parametrize("shell", SHELLS)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    password=passwords,
    username=st.text(
        st.characters(exclude_categories=["Cs", "Cc"], exclude_characters=":"), min_size=1
    ),
    email=st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=8),
)
def test_curl_property(
    server: tuple[str, Received], shell: str, password: str, username: str, email: str
) -> None:
    registry = "registry.example.com:5000/team"
    draft = SecretDraft("prop-test", registry, username, Secret(password), email)
    _, _, _, body = sent(server, shell, draft)
    assert body == create_body(draft).reveal().encode()


def _single_quoted_spans(command: str) -> list[str]:
    """Text inside single quotes, the way a POSIX shell reads it (comments skipped)."""
    spans: list[str] = []
    for line in command.splitlines():
        if line.lstrip().startswith("#"):
            continue
        i = 0
        while i < len(line):
            c = line[i]
            if c == "\\":
                i += 2
                continue
            if c == "$" and line[i + 1 : i + 2] == "'":
                end = line.index("'", i + 2)
                i = end + 1
                continue
            if c == '"':
                i += 1
                while line[i] != '"':
                    i += 2 if line[i] == "\\" else 1
                i += 1
                continue
            if c == "'":
                end = line.index("'", i + 1)
                spans.append(line[i + 1 : end])
                i = end + 1
                continue
            i += 1
    return spans


def test_nothing_secret_inside_single_quotes_and_no_pwd() -> None:
    draft = SecretDraft("my-reg", "ghcr.io", "bob", Secret("hunter2-SECRET"), "")
    for patch in (False, True):
        for masked in (False, True):
            command = curl_command(draft, "https://api.example.com", patch=patch, masked=masked)
            assert "hunter2-SECRET" not in command
            assert "$PWD" not in command
            assert "${PWD" not in command
            quoted = _single_quoted_spans(command)
            assert quoted, "the parser found no literals: it is broken"
            for span in quoted:
                assert "REGISTRY_PASSWORD" not in span
                assert "AICORE_TOKEN" not in span
            # The comments tell how to set both variables without echo or history.
            assert "read -rs REGISTRY_PASSWORD" in command
            assert "read -rs AICORE_TOKEN" in command
            # The secrets reach curl through stdin and a file descriptor, never its arguments.
            assert re.search(r"--data-binary @-", command)
            assert "-H @<(" in command


@pytest.mark.parametrize("shell", SHELLS)
def test_unset_password_stops_before_sending(server: tuple[str, Received], shell: str) -> None:
    url, received = server
    received.requests.clear()
    draft = SecretDraft("my-reg", "ghcr.io", "bob", Secret("x"), "")
    env = {"PATH": os.environ["PATH"], "AICORE_TOKEN": TOKEN}
    done = subprocess.run(
        [shell, "-c", curl_command(draft, url)], env=env, capture_output=True, text=True, timeout=20
    )
    assert done.returncode != 0
    assert "REGISTRY_PASSWORD" in done.stderr
    assert received.requests == []


def test_shells_are_present() -> None:
    # The byte-for-byte proof above needs at least bash; without it the suite proves nothing.
    assert "bash" in SHELLS


INTERACTIVE = {"bash": ["bash", "--norc", "--noprofile", "-i"], "zsh": ["zsh", "-f", "-i"]}


@pytest.mark.parametrize("shell", SHELLS)
def test_pasted_into_an_interactive_shell_it_prints_no_errors(shell: str) -> None:
    # Pasted at a prompt, zsh runs a "# ..." line as a command unless interactive_comments is set
    # (it is not by default, and zsh is macOS's shell): the notes must run silently in both.
    draft = SecretDraft("pasted", "ghcr.io", "octo", Secret("tok"), "")
    command = curl_command(draft, "http://127.0.0.1:9")  # nothing listens on port 9
    env = dict(os.environ, AICORE_TOKEN="t", REGISTRY_PASSWORD="p")
    done = subprocess.run(
        INTERACTIVE[shell],
        input=command + "\nexit\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    output = done.stdout + done.stderr
    assert "command not found" not in output
    assert "parse error" not in output and "syntax error" not in output
    assert "Failed to connect" in output  # it did get as far as curl


# The short form: regsecret body builds the body, curl sends it ---------------------------------

#: The regsecret of this test run (the venv's), first on PATH for the shells below.
REGSECRET_BIN = Path(sys.executable).parent


def run_short(
    shell: str, draft: SecretDraft, url: str, *, patch: bool = False
) -> subprocess.CompletedProcess[str]:
    command = body_curl_command(
        draft.name, draft.registry, draft.username, draft.email, url, patch=patch
    )
    env = {
        "PATH": f"{REGSECRET_BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LC_ALL": "C.UTF-8",
        "AICORE_TOKEN": TOKEN,
    }
    # Standard input is not a terminal here, so --password-stdin reads the password from it
    # (on a terminal it asks without echo).
    return subprocess.run(
        [shell, "-c", command],
        input=draft.password.reveal(),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("patch", [False, True], ids=["post", "patch"])
def test_the_short_form_sends_exactly_the_body(
    server: tuple[str, Received], shell: str, patch: bool
) -> None:
    assert (REGSECRET_BIN / "regsecret").exists(), "the project's regsecret is not installed"
    url, received = server
    received.requests.clear()
    draft = SecretDraft("my-registry", "ghcr.io", "-dash user", Secret(NASTY[2]), "a@b.example")
    done = run_short(shell, draft, url, patch=patch)
    assert done.returncode == 0, done.stderr
    assert "HTTP 202" in done.stdout
    [(method, path, headers, body)] = received.requests
    expected = patch_body(draft) if patch else create_body(draft)
    assert body == expected.reveal().encode()
    assert method == ("PATCH" if patch else "POST")
    assert path.endswith("/my-registry") == patch
    assert headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("shell", SHELLS)
def test_the_short_form_sends_nothing_when_regsecret_refuses_a_field(
    server: tuple[str, Received], shell: str
) -> None:
    url, received = server
    received.requests.clear()
    done = run_short(shell, SecretDraft("Bad_Name!", "ghcr.io", "u", Secret("pw"), ""), url)
    assert done.returncode != 0
    assert "cannot build the body" in done.stderr
    assert received.requests == []
