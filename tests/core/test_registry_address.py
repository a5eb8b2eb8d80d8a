"""One rule for what may name a registry: no userinfo, nothing confusable or invisible.

The form's live check, ``regsecret body``, ``regsecret check`` and the login check all apply it,
and no sentence repeats a token that was pasted into the address.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.dockerconfigjson import registry_problem
from tui.core.errors import InputError
from tui.core.registry_login import parse_registry
from tui.core.request import SecretDraft, has_errors, validate_field, validate_registry

TOKEN = "ghp_SeCrEtToKeN42"

USERINFO = [
    f"https://octo:{TOKEN}@ghcr.io",
    f"octo:{TOKEN}@ghcr.io",
    f"https://{TOKEN}@ghcr.io",
    f"http://octo:{TOKEN}@127.0.0.1:5000",
    f"https://octo:{TOKEN}@ghcr.io/team",
    # A '/' in the token moves the '@' into what looks like the path.
    f"https://octo:{TOKEN}/x@ghcr.io",
]

CONFUSABLE = [
    ("ghcr.\u0456o", "U+0456"),  # Cyrillic i
    ("gh\u0441r.io", "U+0441"),  # Cyrillic es, looks like c
    ("ghcr\u200b.io", "U+200B"),  # zero-width space
    ("ghcr.io\u200d", "U+200D"),  # zero-width joiner
    ("\u202eoi.rchg", "U+202E"),  # right-to-left override
    ("ghcr\uff0eio", "U+FF0E"),  # full-width full stop
    ("ghcr.io\u00ad", "U+00AD"),  # soft hyphen
    ("\ufeffghcr.io", "U+FEFF"),  # byte-order mark
]


@pytest.mark.parametrize("typed", USERINFO)
def test_userinfo_is_refused_without_repeating_it(typed: str) -> None:
    problems = validate_registry(typed)
    assert has_errors(problems)
    text = " ".join(p.message for p in problems)
    assert "user name or token" in text
    assert TOKEN not in text and "octo" not in text
    with pytest.raises(InputError) as caught:
        parse_registry(typed)
    assert TOKEN not in caught.value.explanation
    assert "user name or token" in caught.value.explanation


@pytest.mark.parametrize(("typed", "code"), CONFUSABLE)
def test_confusable_or_invisible_characters_are_named_not_shown(typed: str, code: str) -> None:
    (problem,) = validate_registry(typed)
    assert not problem.warning
    assert code in problem.message
    assert "ASCII" in problem.message
    # The message names the character; it never carries it (or any other non-ASCII) itself.
    assert problem.message.isascii()
    with pytest.raises(InputError) as caught:
        parse_registry(typed)
    assert code in caught.value.explanation


@pytest.mark.parametrize(
    "typed",
    ["ghcr.io", "https://ghcr.io/", "registry.example.com:5000/team", "[::1]:5000", "docker.io"],
)
def test_ordinary_registries_pass(typed: str) -> None:
    assert registry_problem(typed) is None
    assert validate_registry(typed) == []


def test_other_schemes_are_refused() -> None:
    assert "https://" in (registry_problem("ftp://ghcr.io") or "")


@given(st.text(max_size=40))
def test_any_text_is_accepted_only_as_ascii_without_userinfo(typed: str) -> None:
    problems = validate_field(SecretDraft(registry=typed), "registry")
    if not has_errors(problems):
        assert typed.isascii() and typed.isprintable() and "@" not in typed
