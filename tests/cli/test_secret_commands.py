"""``register``, ``update``, ``delete`` and ``list`` in process, against the emulator.

The done-when scenario (tests/cli/scenario.sh, run by tests/real/test_cli_scenario.py) covers every
password and profile source from a shell; these cover the decisions one by one, quickly.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.emulator import control_client
from tests.support.fleet import sdk_profile
from tests.support.tty import tty_session
from tui.cli import main
from tui.commands.secret_commands import CommandPerson
from tui.core import exit_codes
from tui.core.workflows import Notice
from tui.emulator.server import Emulator

ROOT = Path(__file__).resolve().parents[2]
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def tenant(private_home: Path) -> Iterator[Emulator]:
    with Emulator(with_registry=True) as emu:
        sdk_profile(private_home, "dev", emu)
        yield emu


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> Run:
    def call(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        try:
            code = main(list(argv))
        except SystemExit as exited:
            code = int(exited.code or 0)
        out, err = capfd.readouterr()
        return code, out, err

    return call


def register_args(emu: Emulator, name: str, *extra: str) -> list[str]:
    assert emu.registry_host is not None
    return [
        "register", name, "--profile", "dev", "--registry", emu.registry_host,
        "--username", "demo", "--password-stdin", *extra,
    ]  # fmt: skip


TOKEN = "demo-registry-token\n"


def test_register_list_update_delete(tenant: Emulator, run: Run) -> None:
    code, out, err = run(*register_args(tenant, "my-reg"), stdin=TOKEN)
    assert code == 0, err
    assert out.startswith("Registered “my-reg” in profile “dev” at ")
    code, out, err = run("list", "--profile", "dev")
    assert (code, out) == (0, "my-reg\n")
    assert "1 secret in profile" in err and "1 of 50 secrets used" in err
    code, out, _ = run(*register_args(tenant, "my-reg", "--json"), stdin=TOKEN)
    assert code == exit_codes.EXIT_EXISTS == 8
    assert json.loads(out)["outcome"] == "exists"
    code, out, _ = run(*register_args(tenant, "my-reg", "--update", "--json"), stdin=TOKEN)
    assert (code, json.loads(out)["outcome"]) == (0, "updated")
    update = ["update", *register_args(tenant, "my-reg", "--json")[1:]]
    code, out, _ = run(*update, stdin=TOKEN)
    assert (code, json.loads(out)["outcome"]) == (0, "updated")
    code, out, err = run("delete", "my-reg", "--profile", "dev")
    assert (code, out) == (2, "") and "needs --yes" in err
    code, out, _ = run("delete", "my-reg", "--profile", "dev", "--yes", "--json")
    payload = json.loads(out)
    assert (code, payload["outcome"], payload["ok"]) == (0, "deleted", True)
    code, out, _ = run("delete", "my-reg", "--profile", "dev", "--yes", "--json")
    assert code == exit_codes.EXIT_NOT_FOUND
    code, out, _ = run("list", "--profile", "dev", "--json")
    assert json.loads(out)["secrets"] == []


def test_json_shapes_are_stable(tenant: Emulator, run: Run) -> None:
    code, first, _ = run(*register_args(tenant, "shape", "--json"), stdin=TOKEN)
    assert code == 0
    assert set(json.loads(first)) == {
        "ok", "command", "exit_code", "outcome", "profile", "name", "sentence", "message",
        "sent", "login", "error",
    }  # fmt: skip
    code, out, _ = run(*register_args(tenant, "Bad!", "--json"), stdin=TOKEN)
    refused = json.loads(out)
    assert code == 2 and set(refused) == set(json.loads(first))  # the same keys on failure
    assert (refused["ok"], refused["outcome"], refused["sent"]) == (False, "bad-input", False)
    code, out, _ = run("list", "--profile", "dev", "--json")
    assert set(json.loads(out)) == {
        "ok", "command", "exit_code", "outcome", "profile", "sentence", "secrets", "quota",
        "error",
    }  # fmt: skip
    assert json.loads(out)["quota"] == {"used": 1, "limit": 50}


def test_a_name_kubernetes_refuses_is_registered_with_a_warning(tenant: Emulator, run: Run) -> None:
    # The emulator takes what AI Core's published pattern takes (docs/aicore-api.md, "Names").
    code, out, err = run(*register_args(tenant, "a.-b"), stdin=TOKEN)
    assert code == 0, err
    assert out.startswith("Registered “a.-b”")
    assert "regsecret: warning: name: AI Core's pattern lets '.-' through, but Kubernetes" in err
    said = " ".join(err.split())
    assert "executions that use it may fail to pull their images: 'a.b' would be safe" in said


def test_a_refused_login_stops_and_no_check_skips_it(tenant: Emulator, run: Run) -> None:
    code, out, err = run(*register_args(tenant, "refused"), stdin="wrong-token\n")
    assert code == exit_codes.EXIT_REFUSED
    assert "Nothing was sent to AI Core" in err and "--no-check" in err
    code, out, _ = run("list", "--profile", "dev", "--json")
    assert json.loads(out)["secrets"] == []
    code, out, err = run(*register_args(tenant, "refused", "--no-check"), stdin="wrong-token\n")
    assert code == 0, err


def test_bad_input_is_refused_before_anything_is_sent(tenant: Emulator, run: Run) -> None:
    code, out, err = run(*register_args(tenant, "Bad_Name!"), stdin=TOKEN)
    assert code == 2 and "Cannot register “Bad_Name!”: name:" in err
    code, _, err = run(*register_args(tenant, "two-lines"), stdin="a\nb\n")
    assert code == 2 and "has 2 lines" in err
    code, out, _ = run("list", "--profile", "dev", "--json")
    assert json.loads(out)["secrets"] == []


def test_server_errors_and_refused_client_secrets(
    tenant: Emulator, run: Run, private_home: Path
) -> None:
    with control_client(tenant) as control:
        control.post("/faults", json={"status": 500, "count": 20}).raise_for_status()
    code, out, _ = run("list", "--profile", "dev", "--json")
    assert code == exit_codes.EXIT_FAILED
    assert json.loads(out)["error"]["status"] == 500
    with control_client(tenant) as control:
        control.delete("/faults").raise_for_status()
    sdk_profile(private_home, "wrong", tenant, secret="not-the-secret")
    code, out, _ = run("list", "--profile", "wrong", "--json")
    assert code == exit_codes.EXIT_REFUSED


def test_unreachable_tenant(run: Run, private_home: Path) -> None:
    folder = private_home / ".aicore"
    folder.mkdir()
    config = {
        "AICORE_AUTH_URL": "http://127.0.0.1:9/oauth/token",
        "AICORE_CLIENT_ID": "x",
        "AICORE_CLIENT_SECRET": "y",
        "AICORE_BASE_URL": "http://127.0.0.1:9",
    }
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    code, out, err = run("list", "--json")  # the only profile: "default"
    payload = json.loads(out)
    assert code == exit_codes.EXIT_UNREACHABLE, err
    assert payload["profile"] == "default" and payload["error"]["type"] == "NetworkError"


def test_no_command_prints_a_bearer_token(run: Run) -> None:
    code, _, err = run("token", "--profile", "dev")
    assert code == 2 and "invalid choice" in err


@pytest.mark.parametrize(
    "command",
    [[], ["body"], ["yaml"], ["check"], ["register"], ["update"], ["delete"], ["list"],
     ["profiles"], ["emulator"]],
)  # fmt: skip
def test_help_loads_no_textual_and_no_httpx(command: list[str]) -> None:
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        "try:\n"
        f"    main({[*command, '--help']!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in ('textual', 'httpx', 'keyring') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert "usage: regsecret" in done.stdout


def test_the_exit_code_table_is_in_help_and_readme() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code, meaning in exit_codes.TABLE:
        assert f"  {code}  {meaning}" in done.stdout
        assert f"| {code} | {meaning} |" in readme


def test_list_says_when_a_name_is_printed_cleaned(private_home: Path, run: Run) -> None:
    # Piping a cleaned name into delete would target another secret: the list must say so.
    from tests.support.hostile_server import HostileServer

    server = HostileServer().start()
    try:
        sdk_profile(private_home, "dev", server)  # type: ignore[arg-type]
        server.secrets("plain-one", "evil\x1b]0;x\x07-name")
        code, out, err = run("list", "--profile", "dev")
        assert code == 0, err
        assert "\x1b" not in out + err and "plain-one\n" in out
        assert "1 of these names" in err and "--json" in err
        code, out, err = run("list", "--profile", "dev", "--json")
        assert "evil\x1b]0;x\x07-name" in json.loads(out)["secrets"]
        server.secrets("plain-one")
        code, out, err = run("list", "--profile", "dev")
        assert code == 0 and "of these names" not in err
    finally:
        server.stop()


@pytest.mark.parametrize(("typed", "deleted"), [(b"my-reg", True), (b"my-re", False)])
def test_delete_on_a_terminal_asks_to_type_the_name(
    tenant: Emulator, run: Run, typed: bytes, deleted: bool
) -> None:
    code, _, _ = run(*register_args(tenant, "my-reg", "--no-check"), stdin=TOKEN)
    assert code == 0
    code, _, seen = tty_session(["delete", "my-reg", "--profile", "dev"], typed, wait_for=None)
    assert b"Type my-reg to delete it" in seen
    assert code == (0 if deleted else 2), seen
    code, out_list, _ = run("list", "--profile", "dev", "--json")
    assert ("my-reg" in json.loads(out_list)["secrets"]) is not deleted


def test_a_server_message_cannot_drive_the_terminal(tenant: Emulator, run: Run) -> None:
    evil = json.dumps({"error": {"code": "x", "message": "\x1b]52;c;aGk=\x07boom \x1b[2J"}})
    with control_client(tenant) as control:
        control.post("/faults", json={"status": 418, "count": 20, "body": evil})
    code, out, err = run("list", "--profile", "dev")
    assert code == exit_codes.EXIT_BAD_INPUT  # AI Core rejected the request
    assert "boom" in err and "\x1b" not in err + out and "\x07" not in err
    code, out, _ = run("list", "--profile", "dev", "--json")
    assert "\x1b" not in out  # JSON escapes it: \u001b


def test_a_notice_reads_as_a_warning_unless_it_is_information(
    capsys: pytest.CaptureFixture[str],
) -> None:
    person = CommandPerson()
    person.tell(Notice("Login accepted.", title="Registry login"))
    person.tell(Notice("Login refused.", title="Registry login", severity="warning"))
    assert capsys.readouterr().err.splitlines() == [
        "regsecret: Registry login. Login accepted.",
        "regsecret: warning: Registry login. Login refused.",
    ]


def test_an_unreachable_registry_is_said_and_does_not_block(tenant: Emulator, run: Run) -> None:
    argv = ["register", "offline", "--profile", "dev", "--registry", "127.0.0.1:9"]
    code, out, err = run(*argv, "--username", "demo", "--password-stdin", stdin=TOKEN)
    assert code == 0, err
    # A title, then the sentence as a sentence: not "Login not checked: Nothing is …".
    assert "regsecret: warning: Login not checked. Nothing is listening at 127.0.0.1:9" in err
    assert out.startswith("Registered “offline”")


def test_list_json_never_prints_a_c1_control_or_a_bidi_override(tenant: Emulator, run: Run) -> None:
    # A hostile tenant's names: json.dumps escapes C0 controls but printed U+009B (a CSI on some
    # terminals) and U+202E (reverses what follows) as they are.
    names = ["csi\x9b31m", "\u202eevil", "zürich"]
    config = '{"auths": {"ghcr.io": {"username": "u", "password": "p", "auth": "dTpw"}}}'
    with tenant.state.lock:
        for name in names:
            tenant.state.secrets[name] = config
    code, out, err = run("list", "--profile", "dev", "--json")
    assert code == 0, err
    assert "\x9b" not in out and "\u202e" not in out
    assert "zürich" in out  # letters stay readable
    assert sorted(json.loads(out)["secrets"]) == sorted(names)


@pytest.mark.parametrize("command", ["body", "register", "update", "rotate", "check"])
def test_help_lists_each_registry_s_username_and_password_from_the_one_table(
    command: str, run: Run
) -> None:
    from tui.core.registries import PRESETS, help_table

    code, out, _ = run(command, "--help")
    assert code == 0
    assert out.endswith(f"what each registry takes as username and password:\n{help_table()}\n")
    ecr = next(line for line in out.splitlines() if line.startswith("  Amazon ECR "))
    assert ecr.split() == ["Amazon", "ECR", "AWS", "aws", "ecr", "get-login-password"]
    assert all(f"  {preset.label}  " in out for preset in PRESETS)
    assert max(len(line) for line in help_table().splitlines()) <= 80


def test_readme_s_registry_table_is_the_one_table() -> None:
    from tui.core.registries import markdown_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- registries:start -->\n")[1].split("\n<!-- registries:end -->")[0]
    assert block == markdown_table()


def test_a_server_error_gives_the_request_id_it_asks_for(tenant: Emulator, run: Run) -> None:
    with control_client(tenant) as control:
        control.post("/faults", json={"status": 500, "count": 20}).raise_for_status()
    code, _, err = run(*register_args(tenant, "my-reg", "--no-check"), stdin=TOKEN)
    assert code == exit_codes.EXIT_FAILED, err
    assert re.search(r"give SAP support the request id [0-9a-f]{32}\.", err), err
    code, _, err = run("list", "--profile", "dev")
    assert re.search(r"give SAP support the request id [0-9a-f]{32}\.", err), err


def test_without_a_request_id_the_sentence_does_not_ask_for_one(tenant: Emulator, run: Run) -> None:
    with control_client(tenant) as control:
        fault = {"status": 500, "count": 20, "body": '{"error": {"message": "down"}}'}
        control.post("/faults", json=fault).raise_for_status()
    code, _, err = run(*register_args(tenant, "my-reg", "--no-check"), stdin=TOKEN)
    assert code == exit_codes.EXIT_FAILED, err
    assert "request id." not in err and "give SAP support the time it happened" in err
