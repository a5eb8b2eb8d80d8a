"""Bad input to every command: one clear message, exit code 2, never a traceback.

In-process through ``tui.cli.main`` (fast, and an escaping exception fails the test by itself),
plus a few as real processes to see exactly what a shell sees.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.app import write_service_key
from tui.cli import main

BAD_JSON = "{ not json"

# id -> (argv, stdin, words the message must contain)
CASES: dict[str, tuple[list[str], str, str]] = {
    "top-unknown-option": (["--bogus"], "", "unrecognized arguments"),
    "top-unknown-command": (["nosuch"], "", "invalid choice"),
    "top-profile-without-name": (["--profile"], "", "expected one argument"),
    "body-missing-options": (["body"], "", "required"),
    "body-bad-fields": (
        [*["body", "--name", "Bad_!", "--registry", "https://"], "--username", "u:x", "-"],
        "pw\n",
        "name:",
    ),
    "body-empty-stdin": (
        ["body", "--name", "ok", "--registry", "ghcr.io", "--username", "u", "--password-stdin"],
        "",
        "Nothing came on standard input",
    ),
    "yaml-missing-name": (["yaml"], "", "required"),
    "yaml-bad-name": (["yaml", "Bad!"], "", "not a valid AI Core secret name"),
    "yaml-long-name": (["yaml", "a" * 70], "", "at most 63"),
    "check-missing-options": (["check", "--registry", "ghcr.io"], "", "required"),
    "check-bad-registry": (
        ["check", "--registry", "bad host", "--username", "u", "--password-stdin"],
        "pw\n",
        "host name",
    ),
    "profiles-unknown-subcommand": (["profiles", "bogus"], "", "invalid choice"),
    "profiles-import-missing-args": (["profiles", "import"], "", "required"),
    "profiles-import-no-file": (
        ["profiles", "import", "/nonexistent/key.json", "--name", "x"],
        "",
        "does not exist",
    ),
    "profiles-import-not-json": (["profiles", "import", "{bad}", "--name", "x"], "", "JSON"),
    "profiles-import-folder": (["profiles", "import", "{dir}", "--name", "x"], "", "folder"),
    "profiles-import-bad-name": (["profiles", "import", "{good}", "--name", " dev"], "", "space"),
    "profiles-delete-missing-name": (["profiles", "delete"], "", "required"),
    "profiles-delete-unknown": (["profiles", "delete", "ghost"], "", "no profile named"),
    "emulator-port-not-a-number": (["emulator", "--port", "abc"], "", "invalid int"),
    "emulator-port-out-of-range": (["emulator", "--port", "70000"], "", "between 0 and 65535"),
    "emulator-negative-ttl": (["emulator", "--token-ttl", "-5"], "", "positive number"),
    "emulator-foreign-host": (["emulator", "--host", "256.1.1.1"], "", "not an address"),
}


def expand(argv: list[str], tmp_path: Path) -> list[str]:
    bad, good = tmp_path / "bad.json", tmp_path / "good.json"
    bad.write_text(BAD_JSON)
    write_service_key(good)
    swap = {"{bad}": str(bad), "{good}": str(good), "{dir}": str(tmp_path), "-": "--password-stdin"}
    return [swap.get(a, a) for a in argv]


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_bad_input_exits_2_with_a_sentence(
    case: tuple[list[str], str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    argv, stdin, words = case
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    code: int | str | None
    try:
        code = main(expand(argv, tmp_path))
    except SystemExit as exit:
        code = exit.code  # argparse's own errors
    out, err = capfd.readouterr()
    # `check` answers on stdout by design (one line a script reads); the rest on stderr.
    said = out + err if argv[0] == "check" else err
    assert code == 2, (out, err)
    assert words in said, said
    assert "Traceback" not in err + out
    # The last line is a sentence for a person (or points at --help), not a bare usage line.
    last = said.strip().splitlines()[-1]
    assert last.endswith(".") or "--help" in last, last


@pytest.mark.parametrize(
    "argv",
    [["--bogus"], ["yaml", "Bad!"], ["emulator", "--token-ttl", "0"], ["profiles", "delete", "x"]],
    ids=["top", "yaml", "emulator", "profiles"],
)
def test_bad_input_as_a_process(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        capture_output=True,
        text=True,
        timeout=20,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() and "Traceback" not in result.stderr + result.stdout
