"""``regsecret body`` and ``regsecret yaml``: output, exit codes, stdin handling, kubectl parity."""

from __future__ import annotations

import base64
import io
import json
import os
import random
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import pytest

from tests.support.tty import tty_session
from tui.cli import main
from tui.core.dockerconfigjson import registry_key
from tui.core.request import SecretDraft, create_body, masked_body, patch_body
from tui.core.secret import MASK, Secret

KUBECTL = shutil.which("kubectl")
BODY_ARGS = ["body", "--name", "my-reg", "--registry", "ghcr.io", "--username", "octocat"]


class Cli(Protocol):
    """The ``cli`` fixture: run ``regsecret ARGV`` with STDIN; exit code, stdout, stderr."""

    def __call__(self, argv: list[str], stdin: bytes = b"") -> tuple[int, bytes, str]: ...


def run_cli(
    argv: list[str],
    stdin: bytes,
    monkeypatch: pytest.MonkeyPatch,
    capfdbinary: pytest.CaptureFixture[bytes],
) -> tuple[int, bytes, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(argv)
    out, err = capfdbinary.readouterr()
    return code, out, err.decode()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capfdbinary: pytest.CaptureFixture[bytes]) -> Cli:
    def call(argv: list[str], stdin: bytes = b"") -> tuple[int, bytes, str]:
        return run_cli(argv, stdin, monkeypatch, capfdbinary)

    return call


def test_body_prints_exactly_create_body(cli: Cli) -> None:
    code, out, err = cli([*BODY_ARGS, "--email", "me@x.io", "--password-stdin"], b"ghp_tok\n")
    assert (code, err) == (0, "")
    draft = SecretDraft("my-reg", "ghcr.io", "octocat", Secret("ghp_tok"), "me@x.io")
    assert out == create_body(draft).reveal().encode() + b"\n"
    assert out.count(b"\n") == 1


@pytest.mark.parametrize(
    ("stdin", "password"),
    [
        (b"tok\n", "tok"),
        (b"tok\r\n", "tok"),
        (b"tok", "tok"),
        (b"tok\n\n", "tok"),  # the one rule: blank lines around one line are dropped
        (b"t\xc3\xa9 \"'\\$`!\n", "té \"'\\$`!"),
    ],
)
def test_line_endings_are_dropped(cli: Cli, stdin: bytes, password: str) -> None:
    code, out, _ = cli([*BODY_ARGS, "--password-stdin"], stdin)
    assert code == 0
    inner = json.loads(json.loads(out)["data"][".dockerconfigjson"])
    assert inner["auths"]["ghcr.io"]["password"] == password


def test_masked_and_patch(cli: Cli) -> None:
    draft = SecretDraft("my-reg", "ghcr.io", "octocat", Secret("tok"), "")
    code, out, _ = cli([*BODY_ARGS, "--password-stdin", "--masked"], b"tok\n")
    assert code == 0 and out.decode() == masked_body(draft) + "\n"
    assert b"tok" not in out.replace(b"octocat", b"") and MASK.encode() in out
    code, out, _ = cli([*BODY_ARGS, "--password-stdin", "--patch"], b"tok\n")
    assert code == 0 and out.decode() == patch_body(draft).reveal() + "\n"
    code, out, _ = cli([*BODY_ARGS, "--password-stdin", "--patch", "--masked"], b"tok\n")
    assert code == 0 and out.decode() == masked_body(draft, patch=True) + "\n"


def test_every_problem_at_once_and_nothing_on_stdout(cli: Cli) -> None:
    argv = ["body", "--name=-Bad", "--registry", "a b", "--username", "x:y", "--password-stdin"]
    code, out, err = cli(argv, b"\n")
    assert code == 2
    assert out == b""
    for expected in (
        "name: use lowercase letters",
        "name: must not start with '-'",
        "registry: must not contain spaces",
        "username: must not contain ':'",
        "password: Nothing came on standard input",
    ):
        assert expected in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "registry", ["https://octo:ghp_UsErInFoToK@ghcr.io", "gh\u0441r.io", "ghcr.io\u200b"]
)
@pytest.mark.parametrize("masked", [[], ["--masked"]])
def test_userinfo_and_confusable_registries_are_refused(
    cli: Cli, registry: str, masked: list[str]
) -> None:
    argv = ["body", "--name", "my-reg", "--registry", registry, "--username", "octo"]
    code, out, err = cli([*argv, *masked, "--password-stdin"], b"pw\n")
    assert (code, out) == (2, b"")
    assert "registry: must" in err
    assert "ghp_UsErInFoToK" not in err
    assert err.isascii()


def test_warnings_go_to_stderr_and_exit_zero(cli: Cli) -> None:
    argv = [
        "body",
        "--name",
        "my_reg",
        "--registry",
        "ghcr.io",
        "--username",
        "u",
        "--password-stdin",
    ]
    code, out, err = cli(argv, b" tok \n")
    assert code == 0
    assert json.loads(out)["name"] == "my_reg"
    assert "warning: name: _ is allowed by AI Core" in err
    assert "warning: password:" in err
    assert "tok" not in err


@pytest.mark.parametrize("name", ["a..b", "a.-b", "a-.b"])
def test_a_name_kubernetes_refuses_is_built_with_a_warning(cli: Cli, name: str) -> None:
    argv = ["body", "--name", name, "--registry", "ghcr.io", "--username", "u", "--password-stdin"]
    code, out, err = cli(argv, b"tok\n")
    assert code == 0
    assert json.loads(out)["name"] == name
    assert "warning: name: AI Core's pattern lets" in err
    assert "but Kubernetes, which AI Core keeps the secret in" in err


def test_empty_and_non_utf8_stdin(cli: Cli) -> None:
    code, out, err = cli([*BODY_ARGS, "--password-stdin"], b"")
    assert (code, out) == (2, b"") and "Nothing came on standard input" in err
    code, out, err = cli([*BODY_ARGS, "--password-stdin"], b"\xff\xfe")
    assert (code, out) == (2, b"") and "not UTF-8" in err


def test_password_is_never_a_flag(cli: Cli) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*BODY_ARGS, "--password", "x"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        main(BODY_ARGS)  # --password-stdin is required


def test_yaml_command(cli: Cli) -> None:
    code, out, err = cli(["yaml", "my-reg"])
    assert (code, err) == (0, "")
    assert out.decode() == "spec:\n  imagePullSecrets:\n    - name: my-reg\n"
    code, out, _ = cli(["yaml", "my-reg", "--serving"])
    assert code == 0 and out.decode().startswith("spec:\n  template:\n    spec: |\n")
    code, out, err = cli(["yaml", "My-Reg"])
    assert (code, out) == (2, b"")
    assert "'My-Reg' is not a valid AI Core secret name: use lowercase letters" in err
    code, out, err = cli(["yaml", "my_reg"])
    assert code == 0 and b"my_reg" in out and "warning" in err


def test_yaml_repeats_a_long_bad_name_only_in_part(cli: Cli) -> None:
    code, out, err = cli(["yaml", "X" * 100_000])
    assert (code, out) == (2, b"")
    assert "is not a valid AI Core secret name" in err
    assert len(err) < 1_000, len(err)


def test_terminal_prompt_does_not_echo() -> None:
    code, out, terminal = tty_session([*BODY_ARGS, "--password-stdin"], b"typed-secret")
    assert code == 0, terminal
    assert b"Registry password or token (not shown):" in terminal
    assert b"typed-secret" not in terminal
    entry = json.loads(json.loads(out)["data"][".dockerconfigjson"])["auths"]["ghcr.io"]
    assert entry["password"] == "typed-secret"


def test_bad_input_on_a_terminal_does_not_ask_for_the_password() -> None:
    code, out, terminal = tty_session(
        ["body", "--name=-x", "--registry=r", "--username=u", "--password-stdin"], b""
    )
    assert code == 2 and out == b""
    assert b"not shown" not in terminal
    assert b"must not start with '-'" in terminal


def test_real_subprocess_round_trip() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", *BODY_ARGS, "--password-stdin"],
        input=b"p\xc3\xa4ss\n",
        capture_output=True,
        timeout=20,
        env={**os.environ, "LC_ALL": "C", "PYTHONIOENCODING": ""},
    )
    assert done.returncode == 0, done.stderr
    draft = SecretDraft("my-reg", "ghcr.io", "octocat", Secret("päss"), "")
    assert done.stdout == create_body(draft).reveal().encode() + b"\n"


# kubectl parity on random inputs --------------------------------------------------------------

_ALPHABET = (
    "abcXYZ019 -_.+@/$`'\"\\!%&<>*?[]{}~#;|^=,()\t\n\r\x01\x1b\x7f\x85"
    "éßüñ中文日本🐳\u2028\u2029\ufeff\u00a0"
)
_REGISTRIES = [
    "ghcr.io",
    "https://registry.gitlab.com/",
    "123456789012.dkr.ecr.eu-central-1.amazonaws.com",
    "europe-west3-docker.pkg.dev",
    "localhost:5000/team",
    "docker.io",
    "https://index.docker.io/v1/",
    "",
]


def _random_text(rng: random.Random, low: int, high: int, banned: str = "") -> str:
    chars = [c for c in _ALPHABET if c not in banned]
    return "".join(rng.choice(chars) for _ in range(rng.randint(low, high)))


# What splits a line (str.splitlines): a password holding one is refused, as in the app.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _random_case(rng: random.Random) -> tuple[str, str, str, str]:
    registry = rng.choice(_REGISTRIES) or "docker.io"
    username = _random_text(rng, 1, 20, banned=":\t\n\r\x01\x1b\x7f\x85")
    password = _random_text(rng, 1, 40, banned=_LINE_BREAKS)
    while not password.strip():  # only white space: nothing to send
        password = _random_text(rng, 1, 40, banned=_LINE_BREAKS)
    email = _random_text(rng, 0, 12, banned="\t\n\r\x01\x1b\x7f\x85") if rng.random() < 0.5 else ""
    return registry, username, password, email


def _kubectl(registry: str, username: str, password: str, email: str) -> bytes:
    assert KUBECTL is not None
    argv = [
        KUBECTL, "create", "secret", "docker-registry", "x",
        f"--docker-server={registry_key(registry)}",
        f"--docker-username={username}", f"--docker-password={password}",
        "--dry-run=client", "-o", "jsonpath={.data.\\.dockerconfigjson}",
    ]  # fmt: skip
    if email:
        argv.append(f"--docker-email={email}")
    done = subprocess.run(argv, capture_output=True, timeout=60, check=True)
    return base64.b64decode(done.stdout)


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on the PATH")
def test_body_matches_kubectl_on_random_inputs(cli: Cli) -> None:
    """The issue's "few hundred random inputs": REGSECRET_KUBECTL_SAMPLES=300 for the full run."""
    samples = int(os.environ.get("REGSECRET_KUBECTL_SAMPLES", "40"))
    rng = random.Random(int(os.environ.get("REGSECRET_KUBECTL_SEED", "20240601")))
    cases = [_random_case(rng) for _ in range(samples)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        expected = list(pool.map(lambda case: _kubectl(*case), cases))
    for (registry, username, password, email), kubectl_config in zip(cases, expected, strict=True):
        # The `--flag=value` form, as argparse needs for values that start with "-".
        argv = ["body", "--name=rnd", f"--registry={registry}", f"--username={username}"]
        argv += [f"--email={email}", "--password-stdin"]
        stdin = password.encode() + b"\n"
        code, out, err = cli(argv, stdin)
        assert code == 0, err
        inner = json.loads(out)["data"][".dockerconfigjson"].encode()
        assert inner == kubectl_config, (registry, username, email)
        assert json.loads(inner) == json.loads(kubectl_config)


def test_two_lines_on_stdin_are_refused_as_the_app_refuses_the_paste(cli: Cli) -> None:
    code, out, err = cli([*BODY_ARGS, "--password-stdin"], b"line1\nline2\n")
    assert (code, out) == (2, b"")
    assert "has 2 lines, but a password or token is one line" in err
    assert "line1" not in err


def test_every_password_source_builds_the_same_body(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = create_body(SecretDraft("my-reg", "ghcr.io", "octocat", Secret("s3cret"))).reveal()
    token = tmp_path / "token.txt"
    token.write_text("s3cret\n")
    monkeypatch.setenv("CI_REGISTRY_TOKEN", "s3cret")
    auth = base64.b64encode(b"octocat:s3cret").decode()
    (tmp_path / "config.json").write_text(json.dumps({"auths": {"ghcr.io": {"auth": auth}}}))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    for source in (
        ["--password-env", "CI_REGISTRY_TOKEN"],
        ["--password-file", str(token)],
        ["--password-command", f"cat {token}"],
        ["--from-docker-config"],
    ):
        code, out, err = cli([*BODY_ARGS, *source])
        assert (code, err) == (0, ""), source
        assert out.decode() == expected + "\n", source
    # The docker config gives the username too; a different one given is a sentence.
    argv = ["body", "--name", "my-reg", "--registry", "ghcr.io", "--from-docker-config"]
    code, out, err = cli(argv)
    assert (code, out.decode()) == (0, expected + "\n")
    code, out, err = cli([*argv, "--username", "bob"])
    assert (code, out) == (2, b"") and "is for user “octocat”, not “bob”" in err


@pytest.mark.parametrize(
    "argv",
    [[*BODY_ARGS, "--password-stdin"], ["yaml", "my-reg"]],
)
def test_one_shot_commands_load_nothing_heavy(argv: list[str]) -> None:
    """What the 0.75x-of-kubectl budget (scripts/bench_oneshot.py) cannot afford to import."""
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        f"assert main({argv!r}) == 0\n"
        "heavy = {'textual', 'httpx', 'dataclasses', 'typing', 'inspect', 'shutil', 'base64',\n"
        "         'unicodedata', 'subprocess'}\n"
        "if sys.argv[1] == 'yaml':\n"
        "    heavy |= {'tui.core.request', 'tui.core.dockerconfigjson'}\n"
        "loaded = sorted(heavy & set(sys.modules))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, argv[0]], input=b"tok\n", capture_output=True, timeout=30
    )
    assert done.returncode == 0, done.stderr.decode()


def test_an_email_as_the_docker_hub_username_is_warned_on_stderr(cli: Cli) -> None:
    argv = ["body", "--name", "my-reg", "--registry", "docker.io", "--username", "me@example.com"]
    code, out, err = cli([*argv, "--password-stdin"], b"tok\n")
    assert code == 0 and json.loads(out)["name"] == "my-reg"
    assert "warning: username: looks like an email address. Your Docker Hub account name" in err
