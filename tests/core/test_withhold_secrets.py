"""Foreign text that holds a secret is dropped whole, never masked in place."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.secret import MASK, WITHHELD, Secret, withhold_secrets


def test_masking_in_place_would_have_told_the_password() -> None:
    # The finding: with the password "required", masking showed "authentication ********".
    assert withhold_secrets("authentication required", Secret("required")) == WITHHELD
    assert MASK not in WITHHELD and "required" not in WITHHELD


def test_text_without_a_secret_is_kept_and_empty_secrets_match_nothing() -> None:
    assert withhold_secrets("authentication required", Secret("hunter2")) == (
        "authentication required"
    )
    assert withhold_secrets("anything", Secret(""), None, "") == "anything"
    assert withhold_secrets(None, "x") is None and withhold_secrets("", "x") == ""


@pytest.mark.parametrize("password", ['pa"ss\\wörd<&>', "two  spaces\there"])
def test_escaped_and_tidied_spellings_are_found(password: str) -> None:
    once = json.dumps(password, ensure_ascii=False)[1:-1]
    for echo in (
        password,
        once,
        json.dumps(password)[1:-1],
        json.dumps(once, ensure_ascii=False)[1:-1],
        " ".join(password.split()),
    ):
        assert withhold_secrets(f"bad value {echo}!", Secret(password)) == WITHHELD, echo


def test_any_of_several_secrets() -> None:
    auth = base64.b64encode(b"octo:pw").decode()
    assert withhold_secrets(f"header Basic {auth}", "pw-not-here", auth) == WITHHELD


@given(st.text(min_size=1, max_size=20), st.text(max_size=20), st.text(max_size=20))
def test_whenever_the_secret_is_inside_the_text_is_withheld(
    secret: str, before: str, after: str
) -> None:
    assert withhold_secrets(before + secret + after, Secret(secret)) == WITHHELD
