"""The profile form's checks: every problem at once, the same rules the save applies."""

from __future__ import annotations

import pytest

from tui.core.profile_checks import check_profile_field, check_profile_form, fields_in_use

GOOD = {
    "pname": "dev",
    "api_url": "https://api.ai.example.com/v2",
    "token_url": "auth.example.com",
    "client_id": "sb-client",
    "client_secret": "s3cret",
    "certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
    "private_key": "/keys/client.key",
    "resource_group": "",
}


@pytest.mark.parametrize("x509", [False, True])
def test_a_whole_service_key_has_no_problem(x509: bool) -> None:
    assert check_profile_form(GOOD, x509=x509, editing=False) == {}


def test_an_empty_form_has_every_problem_at_once_in_form_order() -> None:
    problems = check_profile_form({}, x509=False, editing=False)
    assert list(problems) == ["pname", "api_url", "token_url", "client_id", "client_secret"]
    assert problems["api_url"] == "The AI API URL is empty. Copy it from the service key."
    assert problems["client_secret"].startswith("The client secret is empty")
    x509 = check_profile_form({}, x509=True, editing=False)
    assert list(x509) == [
        "pname",
        "api_url",
        "token_url",
        "client_id",
        "certificate",
        "private_key",
    ]


def test_editing_keeps_the_stored_secret_when_left_empty() -> None:
    values = {**GOOD, "client_secret": "", "private_key": ""}
    assert check_profile_form(values, x509=False, editing=True) == {}
    assert check_profile_form(values, x509=True, editing=True) == {}
    assert "client_secret" in check_profile_form(values, x509=False, editing=False)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("pname", "x" * 65, "at most 64 characters"),
        ("pname", "a\tb", "control characters"),
        ("api_url", "https://[x", "is not a web address"),
        ("api_url", "https://user:tok@api.example.com", "user name or password before the host"),
        ("token_url", "ftp://auth.example.com", "is not a web address"),
        ("client_id", "sb\u202eclient", "control characters or invisible ones"),
        ("resource_group", "de\x1bfault", "control characters or invisible ones"),
    ],
)
def test_each_field_says_what_is_wrong(field: str, value: str, words: str) -> None:
    problem = check_profile_field(field, {**GOOD, field: value}, x509=False, editing=False)
    assert problem is not None and words in problem
    assert "tok@" not in problem


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("certificate", "-----BEGIN CERTIFICATE-----\nMIIB", "no -----END line"),
        ("private_key", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwKEYMARKxx", "without its -----BEGIN"),
        ("certificate", "", "needs the certificate"),
    ],
)
def test_pem_fields_are_judged_by_their_shape_and_never_echoed(
    field: str, value: str, words: str
) -> None:
    problem = check_profile_field(field, {**GOOD, field: value}, x509=True, editing=False)
    assert problem is not None and words in problem
    assert "KEYMARK" not in problem and "MIIB" not in problem


def test_the_secret_fields_of_the_other_kind_are_not_checked() -> None:
    assert "certificate" not in fields_in_use(x509=False)
    assert "client_secret" not in fields_in_use(x509=True)
    values = {**GOOD, "certificate": "-----BEGIN", "client_secret": ""}
    assert check_profile_form(values, x509=False, editing=False) == {
        "client_secret": ("The client secret is empty. Copy clientsecret from the service key.")
    }


def test_every_copy_it_from_the_service_key_reads_the_same_way() -> None:
    # The form showed "... is empty. Copy it from the service key." (the URLs) beside
    # "... is empty: copy clientid from the service key.": one way, a sentence each.
    said = [
        *check_profile_form({}, x509=False, editing=False).values(),
        *check_profile_form({}, x509=True, editing=False).values(),
        *check_profile_form(
            {**GOOD, "client_id": "sb\u202e", "resource_group": "a\x1bb", "api_url": "a b"},
            x509=False,
            editing=False,
        ).values(),
    ]
    copying = [sentence for sentence in said if "copy" in sentence.lower()]
    assert len(copying) >= 7
    for sentence in copying:
        assert ". Copy " in sentence and ": copy" not in sentence, sentence
