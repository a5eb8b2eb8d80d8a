"""Where a command's password comes from: each source, its failures, and the one rule."""

from __future__ import annotations

import io
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.support.processes import process_gone
from tui.core.credential_sources import (
    Credential,
    from_command,
    from_docker_config,
    from_env,
    from_file,
    read_credential,
    username_for,
)
from tui.core.errors import InputError
from tui.core.secret import Secret


def explain(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(InputError) as refused:
        call(*args, **kwargs)  # type: ignore[operator]
    return refused.value.explanation


def test_stdin_one_line_and_refused_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"tok\r\n")))
    assert read_credential(stdin=True).password.reveal() == "tok"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"line1\nline2\n")))
    assert "has 2 lines" in explain(read_credential, stdin=True)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\n")))
    assert "Nothing came on standard input" in explain(read_credential, stdin=True)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xff")))
    assert "not UTF-8" in explain(read_credential, stdin=True)


def test_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert from_env("CI_TOKEN", {"CI_TOKEN": "abc\n"}).password.reveal() == "abc"
    assert from_env("$CI_TOKEN", {"CI_TOKEN": "abc"}).origin == "$CI_TOKEN"
    assert "$CI_TOKEN is not set" in explain(from_env, "CI_TOKEN", {})
    assert "$CI_TOKEN is empty" in explain(from_env, "CI_TOKEN", {"CI_TOKEN": ""})
    assert "name of an environment variable, such as CI_TOKEN" in explain(from_env, "A=b", {})
    assert "2 lines" in explain(from_env, "T", {"T": "a\nb"})


def test_file(tmp_path: Path) -> None:
    token = tmp_path / "token.txt"
    token.write_bytes(b"\xef\xbb\xbfs3cret\n")  # a BOM, as Windows editors write
    assert from_file(token).password.reveal() == "s3cret"
    assert "does not exist" in explain(from_file, tmp_path / "nope")
    assert "is a folder" in explain(from_file, tmp_path)
    assert "not a regular file" in explain(from_file, "/dev/zero")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 100_000)
    assert "too large to be a password or token" in explain(from_file, big)
    empty = tmp_path / "empty"
    empty.write_bytes(b"\n")
    assert "is empty" in explain(from_file, empty)
    two = tmp_path / "two"
    two.write_text("a\nb\n")
    assert f"{two} has 2 lines" in explain(from_file, two)


def test_the_sources_the_app_reads_too_name_no_command_line_option(tmp_path: Path) -> None:
    # The rotate screen reads a variable, a file or a command with these same readers.
    said = [
        explain(from_env, "A=b", {}),
        explain(from_env, "T", {}),
        explain(from_file, tmp_path),
        explain(from_file, "/dev/zero"),
        explain(from_command, "'unclosed"),
        explain(from_command, "   "),
    ]
    # A quoted example command may carry its own options ('aws ecr ... --region x').
    unquoted = [re.sub(r"'[^']*'", "", sentence) for sentence in said]
    assert [s for s in unquoted if re.search(r"(?<![\w-])--[a-z]", s)] == []
    # The command line, which has standard input to offer, still says so.
    assert explain(read_credential, file=str(tmp_path)).endswith(
        "(For a pipe, use --password-stdin or --password-command.)"
    )


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    assert "not a regular file" in explain(from_file, fifo)
    assert time.monotonic() - started < 2


def test_command_output_status_and_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    got = from_command(
        f'{sys.executable} -c \'import sys; print("tok"); print("hi", file=sys.stderr)\''
    )
    assert got.password.reveal() == "tok"
    assert "hi" in capfd.readouterr().err  # passed through, not swallowed
    sentence = explain(from_command, f"{sys.executable} -c 'raise SystemExit(7)'")
    assert "exit status 7" in sentence
    assert "was not found" in explain(from_command, "no-such-program-xyz --flag")
    assert "cannot be split" in explain(from_command, "echo 'unclosed")
    assert "is empty" in explain(from_command, "   ")
    assert "printed nothing" in explain(from_command, "true")
    assert "2 lines" in explain(from_command, "printf 'a\\nb\\n'")


def test_command_runs_without_a_shell_unless_asked() -> None:
    # Without a shell, $HOME and ; are plain words handed to printf.
    assert from_command("printf %s $HOME;x").password.reveal() == "$HOME;x"
    assert from_command("sh -c 'printf %s \"$0\"' tok").password.reveal() == "tok"


def test_command_timeout_kills_it() -> None:
    started = time.monotonic()
    sentence = explain(from_command, "sleep 30", timeout=0.5)
    assert time.monotonic() - started < 5
    assert "did not finish within 0.5 seconds" in sentence


def test_command_that_prints_too_much_is_stopped() -> None:
    assert "printed more than" in explain(from_command, "yes")


def test_exactly_one_source() -> None:
    assert "one of --password-stdin" in explain(read_credential)
    assert "not --password-stdin and --password-env" in explain(
        read_credential, stdin=True, env="X"
    )


def test_docker_config_inline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    auth = base64.b64encode(b"octo:ghp_x").decode()
    (tmp_path / "config.json").write_text(
        json.dumps({"auths": {"https://ghcr.io": {"auth": auth}}})
    )
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    got = from_docker_config("ghcr.io")
    assert (got.username, got.password.reveal()) == ("octo", "ghp_x")
    assert "needs --registry" in explain(from_docker_config, "")


def test_username_must_agree_with_the_docker_config() -> None:
    stored = Credential(Secret("p"), origin="the login for ghcr.io", username="octo")
    assert username_for(None, stored) == "octo"
    assert username_for("octo", stored) == "octo"
    assert "is for user “octo”, not “bob”" in explain(username_for, "bob", stored)
    plain = Credential(Secret("p"), origin="$X")
    assert "Give --username" in explain(username_for, None, plain)
    assert username_for("bob", plain) == "bob"


# --- run from the app, which owns the terminal --------------------------------------------------


def test_from_the_app_a_command_that_reads_stdin_gets_end_of_file_at_once() -> None:
    # Under the app, stdin is the person's keyboard: a command reading it stole typed characters.
    started = time.monotonic()
    got = from_command(
        "sh -c 'if IFS= read -r line; then echo stole-$line; else echo eof; fi'",
        stop=threading.Event(),
    )
    assert got.password.reveal() == "eof"
    assert time.monotonic() - started < 5


def test_from_the_app_stderr_reaches_the_sentence_only_made_safe(
    capfd: pytest.CaptureFixture[str],
) -> None:
    sentence = explain(
        from_command,
        "sh -c 'printf \"\\033]0;PWNED\\007\\033[2Jbad token\\n\" >&2; exit 3'",
        stop=threading.Event(),
    )
    assert "exit status 3" in sentence
    assert "it said: bad token" in sentence
    assert "\x1b" not in sentence and "\x07" not in sentence and "PWNED" not in sentence
    assert capfd.readouterr().err == ""  # nothing reached the terminal
    long = explain(
        from_command,
        "sh -c 'head -c 5000 /dev/zero | tr \"\\0\" x >&2; exit 1'",
        stop=threading.Event(),
    )
    assert len(long) < 400


def test_from_the_app_stopping_kills_the_command_and_what_it_started(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    stop = threading.Event()
    failed: list[str] = []

    def read() -> None:
        failed.append(
            explain(
                from_command,
                f"sh -c 'sleep 60 & echo $$ $! > {pids}; wait'",
                stop=stop,
            )
        )

    reader = threading.Thread(target=read)
    started = time.monotonic()
    reader.start()
    while not (pids.exists() and len(pids.read_text().split()) == 2):
        assert time.monotonic() - started < 10
        time.sleep(0.02)
    shell, sleeper = (int(word) for word in pids.read_text().split())
    stop.set()
    reader.join(10)
    assert not reader.is_alive()
    assert time.monotonic() - started < 10
    assert failed == ["The password command “sh” was stopped; nothing was used."]
    deadline = time.monotonic() + 5
    while not (process_gone(shell) and process_gone(sleeper)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process_gone(shell) and process_gone(sleeper)


def test_from_the_command_line_ctrl_c_leaves_no_command_running(tmp_path: Path) -> None:
    # The command line's command shares the terminal; interrupted, it must not be left behind.
    pids = tmp_path / "pids"
    script = (
        "import signal, threading, time, sys\n"
        "from tui.core.credential_sources import from_command\n"
        "threading.Timer(1.0, lambda: signal.raise_signal(signal.SIGINT)).start()\n"
        f"from_command(\"sh -c 'echo $$ > {pids}; exec sleep 60'\")\n"
    )
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=30, check=False
    )
    assert b"KeyboardInterrupt" in done.stderr
    assert process_gone(int(pids.read_text()))
