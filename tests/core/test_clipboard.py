"""tui.core.clipboard: never fatal, recognises its own text, says what happened."""

from __future__ import annotations

from tests.support.app import MemoryClipboard, NoClipboard
from tui.core import clipboard


def test_copy_reaches_a_working_backend() -> None:
    board = MemoryClipboard()
    outcome = clipboard.copy_to_system("hello", board)
    assert outcome.system and board.text == "hello"


def test_missing_backend_is_an_answer_not_an_exception() -> None:
    outcome = clipboard.copy_to_system("s3cret", NoClipboard())
    assert not outcome.system
    assert "s3cret" not in outcome.reason and "no system clipboard" in outcome.reason


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


def test_clear_never_raises_without_a_backend() -> None:
    assert not clipboard.clear_if_unchanged(clipboard.fingerprint("x"), NoClipboard())


def test_fingerprint_does_not_contain_the_text() -> None:
    assert "abc" not in clipboard.fingerprint("abc")
    assert clipboard.fingerprint("abc") == clipboard.fingerprint("abc")


def test_toast_text_says_what_was_copied_and_hints_when_only_osc52() -> None:
    plain = clipboard.toast_text("the workflow YAML", system=True, contains_secret=False)
    assert plain == "Copied the workflow YAML."
    secret = clipboard.toast_text("the request body", system=False, contains_secret=True)
    assert "holds a secret" in secret and "45 s" in secret
    assert "set-clipboard on" in secret and "macOS Terminal" in secret


def test_the_long_terminal_hint_can_be_shortened_after_the_first_time() -> None:
    short = clipboard.toast_text("the YAML", system=False, contains_secret=False, hint=False)
    assert short == "Copied the YAML. (Terminal clipboard only.)"
