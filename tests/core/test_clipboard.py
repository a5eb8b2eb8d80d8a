"""tui.core.clipboard: never fatal, checks what it claims, never puts the text in argv, and no
tool it runs can write on the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.app import MemoryClipboard, NoClipboard
from tui.core import clipboard

SECRET = "pa$$ w0rd-ünïcode-\u2603"

# One script plays every tool: it logs its argv, keeps what it gets on stdin, and prints it back
# when asked to paste. FAKE_CLIP_NOISE makes it fail loudly on stdout and stderr, as xclip does
# without an X server; FAKE_CLIP_FORK leaves a child holding its stdout and stderr, as xclip does
# to serve the selection.
_FAKE = """#!{python}
import json, os, sys, time
name = os.path.basename(sys.argv[0])
with open(os.environ["FAKE_CLIP_LOG"], "a") as log:
    log.write(json.dumps(sys.argv) + "\\n")
if os.environ.get("FAKE_CLIP_NOISE"):
    print(os.environ["FAKE_CLIP_NOISE"] + "\\x1b[2J", file=sys.stderr)
    print("noise on stdout")
    sys.exit(1)
store = os.environ["FAKE_CLIP_STORE"]
if name in ("pbpaste", "wl-paste") or "-out" in sys.argv or "--output" in sys.argv:
    sys.stdout.write(open(store, encoding="utf-8").read() if os.path.exists(store) else "")
    sys.exit(0)
data = sys.stdin.buffer.read()
with open(store, "wb") as out:
    out.write(data)
if os.environ.get("FAKE_CLIP_FORK") and os.fork() == 0:
    time.sleep(5)
"""
_TOOLS = ("xclip", "xsel", "wl-copy", "wl-paste", "pbcopy", "pbpaste")


@pytest.fixture
def fake_tools(tmp_path: Path) -> dict[str, str]:
    """A PATH holding nothing but fake clipboard tools; the environment they see."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in _TOOLS:
        path = bin_dir / tool
        path.write_text(_FAKE.format(python=sys.executable))
        path.chmod(0o755)
    return {
        "PATH": str(bin_dir),
        "FAKE_CLIP_LOG": str(tmp_path / "argv.log"),
        "FAKE_CLIP_STORE": str(tmp_path / "store"),
    }


def _argvs(env: dict[str, str]) -> list[list[str]]:
    log = Path(env["FAKE_CLIP_LOG"])
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


@pytest.mark.parametrize(
    ("platform", "display", "tool"),
    [
        ("linux", {"DISPLAY": ":0"}, "xclip"),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, "wl-copy"),
        ("darwin", {}, "pbcopy"),
    ],
)
def test_a_system_copy_is_read_back_and_the_text_is_never_an_argument(
    platform: str, display: dict[str, str], tool: str, fake_tools: dict[str, str]
) -> None:
    env = {**fake_tools, **display}
    board = clipboard.SystemClipboard(env, platform=platform)
    assert board.tool().name == tool
    assert clipboard.copy_to_system(SECRET, board) == clipboard.CopyOutcome(True)
    assert Path(env["FAKE_CLIP_STORE"]).read_text(encoding="utf-8") == SECRET
    assert clipboard.clear_if_unchanged(clipboard.fingerprint(SECRET), board)
    assert Path(env["FAKE_CLIP_STORE"]).read_text() == ""
    argvs = _argvs(env)
    assert len(argvs) >= 4  # copy, read back, read, clear, read back
    for argv in argvs:
        assert all(SECRET not in arg and "w0rd" not in arg for arg in argv), argv


def test_xsel_when_xclip_is_missing(fake_tools: dict[str, str]) -> None:
    Path(fake_tools["PATH"], "xclip").unlink()
    board = clipboard.SystemClipboard({**fake_tools, "DISPLAY": ":0"}, platform="linux")
    assert board.tool().name == "xsel"
    assert clipboard.copy_to_system(SECRET, board).system


@pytest.mark.parametrize(
    ("noise", "reason"),
    [
        (
            "Error: Can't open display: :87",
            "xclip cannot open the X display ':87': no X server answers there",
        ),
        ("Error: something odd", "xclip failed (Error: something odd)"),
    ],
)
def test_a_failing_tool_says_why_and_writes_nothing_on_the_terminal(
    noise: str, reason: str, fake_tools: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    env = {**fake_tools, "DISPLAY": ":87", "FAKE_CLIP_NOISE": noise}
    outcome = clipboard.copy_to_system(SECRET, clipboard.SystemClipboard(env, platform="linux"))
    assert outcome == clipboard.CopyOutcome(False, reason)  # its escape sequence dropped too
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_tool_that_forks_to_serve_the_selection_does_not_hang_the_copy(
    fake_tools: dict[str, str],
) -> None:
    env = {**fake_tools, "DISPLAY": ":0", "FAKE_CLIP_FORK": "1"}
    started = time.monotonic()
    assert clipboard.copy_to_system(SECRET, clipboard.SystemClipboard(env, platform="linux")).system
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({}, "there is no display here (DISPLAY and WAYLAND_DISPLAY are not set, as over SSH)"),
        ({"DISPLAY": ":0"}, "DISPLAY is ':0', but xclip (or xsel) is not installed"),
        (
            {"WAYLAND_DISPLAY": "wayland-0"},
            "WAYLAND_DISPLAY is 'wayland-0', but wl-clipboard is not installed",
        ),
    ],
)
def test_what_is_missing_is_said_as_it_is(env: dict[str, str], reason: str, tmp_path: Path) -> None:
    board = clipboard.SystemClipboard({**env, "PATH": str(tmp_path)}, platform="linux")
    outcome = clipboard.copy_to_system(SECRET, board)
    assert outcome == clipboard.CopyOutcome(False, reason)


def test_no_display_is_said_even_with_xclip_installed(fake_tools: dict[str, str]) -> None:
    outcome = clipboard.copy_to_system(SECRET, clipboard.SystemClipboard(fake_tools, "linux"))
    assert not outcome.system and "no display" in outcome.reason and "install" not in outcome.reason
    assert _argvs(fake_tools) == []


def test_copy_reaches_a_working_backend() -> None:
    board = MemoryClipboard()
    outcome = clipboard.copy_to_system("hello", board)
    assert outcome.system and board.text == "hello"


def test_missing_backend_is_an_answer_not_an_exception() -> None:
    outcome = clipboard.copy_to_system("s3cret", NoClipboard())
    assert outcome == clipboard.CopyOutcome(False, NoClipboard.REASON)

    class _Broken(MemoryClipboard):
        def copy(self, text: str) -> None:
            raise OSError(f"cannot copy {text}")

    outcome = clipboard.copy_to_system("s3cret", _Broken())
    assert outcome == clipboard.CopyOutcome(False, "no system clipboard (OSError)")


class _Forgetful(MemoryClipboard):
    """Takes the text and gives back something else: a clipboard manager that rewrote it."""

    def paste(self) -> str:
        return self.text.strip()


def test_a_copy_not_read_back_is_not_a_copy() -> None:
    outcome = clipboard.copy_to_system(" x ", _Forgetful())
    assert outcome == clipboard.CopyOutcome(False, "the system clipboard did not keep it")


def test_clear_only_when_the_clipboard_still_holds_our_text() -> None:
    board = MemoryClipboard()
    board.copy("token-123")
    digest = clipboard.fingerprint("token-123")
    board.copy("something the user copied since")
    assert not clipboard.clear_if_unchanged(digest, board)
    assert board.text == "something the user copied since"
    board.copy("token-123")
    assert clipboard.clear_if_unchanged(digest, board)
    assert board.text == ""


class _Sticky(MemoryClipboard):
    """Ignores being emptied."""

    def copy(self, text: str) -> None:
        if text:
            super().copy(text)


def test_clear_is_claimed_only_when_read_back() -> None:
    board = _Sticky()
    board.copy("token-123")
    assert not clipboard.clear_if_unchanged(clipboard.fingerprint("token-123"), board)


def test_clear_never_raises_without_a_backend() -> None:
    assert not clipboard.clear_if_unchanged(clipboard.fingerprint("x"), NoClipboard())


def test_fingerprint_does_not_contain_the_text() -> None:
    assert "abc" not in clipboard.fingerprint("abc")
    assert clipboard.fingerprint("abc") == clipboard.fingerprint("abc")


def test_sentences_say_where_it_is_and_where_it_was_only_sent() -> None:
    assert (
        clipboard.copied_text("the YAML", system=True, tmux=False, terminal=True, reason="")
        == "Copied the YAML to the system clipboard."
    )
    sent = clipboard.copied_text("the YAML", system=False, tmux=False, terminal=True, reason="r")
    assert sent.startswith("Sent the YAML through the terminal") and "cannot check" in sent
    assert "Copied" not in sent
    tmux = clipboard.copied_text("the YAML", system=False, tmux=True, terminal=True, reason="r")
    assert "tmux's paste buffer" in tmux
    note = clipboard.secret_note(system=False, tmux=True, terminal=True)
    assert "cleared from tmux's buffers in 45 s" in note and "cannot be cleared" in note
    warning = clipboard.terminal_only_warning("the request body", "no display", tmux=False)
    assert (
        warning.startswith("The request body holds a secret")
        and "neither check nor clear" in warning
    )


@pytest.mark.parametrize("what", ["The rotation summary", "the rotation summary"])
def test_what_was_copied_reads_mid_sentence_however_the_caller_wrote_it(what: str) -> None:
    for system, tmux, terminal in ((True, False, False), (False, True, True), (False, False, True)):
        said = clipboard.copied_text(what, system=system, tmux=tmux, terminal=terminal, reason="r")
        assert " the rotation summary " in said and "The rotation" not in said, said
    warning = clipboard.terminal_only_warning(what, "no display", tmux=False)
    assert warning.startswith("The rotation summary holds a secret")
    # Only an article loses its capital: a name keeps it.
    assert clipboard.phrase("GitHub's token") == "GitHub's token"
    assert clipboard.phrase("A") == "A"


def test_nothing_here_uses_pyperclip_off_windows(fake_tools: dict[str, str]) -> None:
    # pyperclip's klipper backend put the text in qdbus's argv; ours never loads it off Windows.
    code = (
        "import sys; from tui.core import clipboard; "
        "b = clipboard.SystemClipboard(platform='linux'); "
        "print(clipboard.copy_to_system('x', b).system, 'pyperclip' in sys.modules)"
    )
    env = {**os.environ, **fake_tools, "DISPLAY": ":0"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.split() == ["True", "False"], done.stderr


def test_the_clearing_sentence_claims_only_what_was_read_back() -> None:
    said = clipboard.cleared_text(["the system clipboard", "tmux's buffers"], terminal=False)
    assert said == "Cleared the copied secret from the system clipboard and tmux's buffers."
    # A tmux buffer that would not go, and a copy through the terminal: nothing "cleared".
    said = clipboard.cleared_text([""], terminal=True)
    assert "Cleared" not in said
    assert said == (
        "A tmux buffer still holds the copied secret: tmux delete-buffer removes it. Your "
        "terminal's clipboard may still hold it: copy something else."
    )
    assert clipboard.cleared_text([], terminal=False) == ""


def test_a_clearing_sentence_said_alone_names_what_it_is_about() -> None:
    # Reported by itself on a status line, maybe on another screen 45 s later: "it" alone
    # would not say what may still be on the terminal's clipboard.
    assert clipboard.cleared_text([], terminal=True) == (
        "Your terminal's clipboard may still hold the copied secret: copy something else."
    )
    assert clipboard.cleared_text([""], terminal=False) == (
        "A tmux buffer still holds the copied secret: tmux delete-buffer removes it."
    )
