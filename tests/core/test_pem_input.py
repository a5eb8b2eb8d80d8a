"""PEM fields of the X.509 profile form: decided by content, and no sentence repeats the value."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tui.core.errors import ProfileError
from tui.core.pem_input import MAX_PEM_FILE, pem_from_field

KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7KEYMARK+/Zq3"
PEM = f"-----BEGIN PRIVATE KEY-----\n{KEY_BODY}\n-----END PRIVATE KEY-----\n"


def refused(text: str, what: str = "private key") -> str:
    with pytest.raises(ProfileError) as caught:
        pem_from_field(text, what)
    message = caught.value.explanation
    assert "KEYMARK" not in message and text.strip() not in message
    return message


def test_pem_text_is_taken_as_it_is_with_literal_newlines() -> None:
    assert pem_from_field(PEM, "private key") == PEM
    assert pem_from_field(PEM.replace("\n", "\\n"), "private key") == PEM
    assert pem_from_field("  ", "private key") == ""


@pytest.mark.parametrize(
    "text", [KEY_BODY, KEY_BODY + "\\n" + KEY_BODY, f"{KEY_BODY}\n{KEY_BODY}=="]
)
def test_a_key_without_its_begin_line_is_named_as_such_not_echoed(text: str) -> None:
    message = refused(text)
    assert "without its -----BEGIN line" in message
    assert "from its -----BEGIN line to its -----END line" in message


def test_a_begin_line_without_an_end_line_says_so() -> None:
    assert "no -----END line" in refused(f"-----BEGIN PRIVATE KEY-----\\n{KEY_BODY}")


@pytest.mark.parametrize("text", ["MIIEvKEYMARK", "/no/such/dir/KEYMARK.pem", "~/KEYMARK.pem"])
def test_a_path_that_cannot_be_read_is_not_echoed(text: str) -> None:
    message = refused(text)
    assert "does not exist" in message and "taken as a path" in message


def test_a_file_is_read_and_must_hold_pem(tmp_path: Path) -> None:
    good = tmp_path / "key.pem"
    good.write_text(PEM)
    assert pem_from_field(str(good), "private key") == PEM
    bad = tmp_path / "notes.txt"
    bad.write_text(f"KEYMARK {KEY_BODY}")
    assert "holds no PEM block" in refused(str(bad))
    big = tmp_path / "big.pem"
    big.write_bytes(b"-----BEGIN" + b"x" * MAX_PEM_FILE)
    assert "larger than" in refused(str(big))


def test_a_fifo_or_device_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "key.fifo"
    os.mkfifo(fifo)
    outcome: list[str] = []
    thread = threading.Thread(target=lambda: outcome.append(refused(str(fifo))), daemon=True)
    thread.start()
    thread.join(5)
    assert outcome and "regular file" in outcome[0]
    assert "regular file" in refused("/dev/zero")
