"""The name rule, field validation, request bodies and their masked views."""

from __future__ import annotations

import base64
import itertools
import json
import re
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.registries import PRESETS, PRESETS_BY_ID, RegistryPreset
from tui.core.request import (
    NAME_MAX_LENGTH,
    NAME_PATTERN,
    NAME_PATTERN_PUBLISHED,
    Problem,
    SecretDraft,
    create_body,
    docker_config_text,
    dockerconfigjson,
    has_errors,
    is_valid_name,
    masked_body,
    patch_body,
    validate_draft,
    validate_field,
    validate_name,
    validate_password,
    validate_username,
)
from tui.core.secret import MASK, Secret

PUBLISHED = re.compile(NAME_PATTERN_PUBLISHED)
SAFETY_NET = "does not match AI Core's name rule"


def published_accepts(name: str) -> bool:
    # fullmatch: the service anchors at the true end; Python's `$` would also accept "ab\n".
    return len(name) <= NAME_MAX_LENGTH and PUBLISHED.fullmatch(name) is not None


def errors(problems: list[Problem]) -> list[str]:
    return [p.message for p in problems if not p.warning]


def test_safe_pattern_equals_published_exhaustively_on_short_strings() -> None:
    for length in range(7):
        for chars in itertools.product("a0.-_A", repeat=length):
            name = "".join(chars)
            assert (NAME_PATTERN.match(name) is not None) == (PUBLISHED.fullmatch(name) is not None)


name_like = st.text(alphabet="abcxyz0189.-_A Zé/\n", max_size=20)


@settings(max_examples=1000)
@given(name_like)
def test_check_name_errors_iff_published_rule_rejects(name: str) -> None:
    problems = validate_name(name)
    assert has_errors(problems) == (not published_accepts(name))
    # Every rejection comes with a specific reason, never only the generic safety net.
    assert SAFETY_NET not in errors(problems)
    assert all(p.field == "name" and p.message for p in problems)


@settings(max_examples=300)
@given(st.text(alphabet="abc09.-_", min_size=20, max_size=80))
def test_long_names_follow_length_and_pattern(name: str) -> None:
    problems = validate_name(name)
    expected = len(name) <= NAME_MAX_LENGTH and NAME_PATTERN.match(name) is not None
    assert has_errors(problems) == (not expected)
    assert SAFETY_NET not in errors(problems)


@settings(max_examples=300)
@given(st.text(max_size=70))
def test_check_name_on_any_unicode(name: str) -> None:
    problems = validate_name(name)
    assert has_errors(problems) == (not is_valid_name(name))
    assert SAFETY_NET not in errors(problems)


@pytest.mark.parametrize("name", ["ab", "my-registry", "a.b-c", "0x", "a" * 63, "a_bc", "a_.b"])
def test_accepted_names(name: str) -> None:
    assert not has_errors(validate_name(name))
    assert is_valid_name(name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "enter a name"),
        ("My-Registry", "use lowercase letters, digits, '.' and '-' (not 'M', 'R')"),
        ("-abc", "must not start with '-'"),
        (".abc", "must not start with '.'"),
        ("abc-", "must not end with '-'"),
        ("a" * 64, "64 characters, at most 63"),
        ("a", "at least 2 characters"),
        ("a__b", "'__'"),
        ("ab_c", "second-to-last"),
        ("my registry", "(not ' ')"),
        ("ab\n", "(not '\\n')"),
    ],
)
def test_rejections_say_what_is_wrong(name: str, message: str) -> None:
    found = errors(validate_name(name))
    assert any(message in m for m in found), found


def test_underscore_is_a_warning_with_the_reason() -> None:
    problems = validate_name("my_registry")
    assert not has_errors(problems)
    (warning,) = problems
    assert warning.warning
    assert (
        "_ is allowed by AI Core but SAP AI Launchpad and Kubernetes reject it" in warning.message
    )


@pytest.mark.parametrize(
    ("name", "shown"),
    [("a..b", "'..'"), ("a.-b", "'.-'"), ("a-.b", "'-.'"), ("x.-y-.z", "'.-' and '-.'")],
)
def test_names_kubernetes_refuses_are_accepted_with_a_warning(name: str, shown: str) -> None:
    problems = validate_name(name)
    assert not has_errors(problems) and is_valid_name(name)
    (warning,) = problems
    assert warning.warning and warning.field == "name"
    assert f"AI Core's pattern lets {shown} through, but Kubernetes" in warning.message
    assert "a letter or digit on both sides of each '.'" in warning.message
    # What will happen, not only what the rule is.
    assert "executions that use it may fail to pull their images" in warning.message


@settings(max_examples=1000)
@given(st.text(alphabet="ab09.-_", min_size=2, max_size=12))
def test_a_name_ai_core_accepts_warns_iff_kubernetes_would_refuse_it(name: str) -> None:
    problems = validate_name(name)
    if has_errors(problems):
        return
    # Kubernetes' own rule for a secret's name, a DNS-1123 subdomain, as Kubernetes writes it.
    kubernetes = re.fullmatch(
        r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", name
    )
    assert bool(problems) == (kubernetes is None)
    assert all(p.warning for p in problems)


def test_all_problems_of_a_name_at_once() -> None:
    found = errors(validate_name("-Bad_"))
    assert len(found) == 3


def test_near_miss_names_are_checked_fast() -> None:
    # The published pattern backtracks exponentially on these; ours must not.
    start = time.perf_counter()
    for n in range(20, 80):
        validate_name("a" * n + "-")
        validate_name("a" * n + "_")
        NAME_PATTERN.match("a" * n + "-")
    assert time.perf_counter() - start < 0.5


def draft(**changes: Any) -> SecretDraft:
    # The base is type-checked; each test's changes are checked by the dataclass at run time.
    base = SecretDraft(
        name="my-registry",
        registry="ghcr.io",
        username="octocat",
        password=Secret("ghp_secret"),
        email="",
    )
    return base.replace(**changes)


def test_valid_draft_has_no_problems() -> None:
    assert validate_draft(draft()) == []


@pytest.mark.parametrize(
    ("field", "kw", "message", "warning"),
    [
        ("registry", {"registry": ""}, "enter the registry host", False),
        ("registry", {"registry": "ghcr .io"}, "must not contain spaces", False),
        ("registry", {"registry": "ghcr.io\t"}, "control characters", False),
        ("registry", {"registry": "https://"}, "host name", False),
        ("username", {"username": ""}, "enter the user name. Your GitHub user name.", False),
        ("username", {"username": "a:b"}, "must not contain ':'", False),
        ("username", {"username": "a\nb"}, "control characters", False),
        ("username", {"username": "bob "}, "white space", True),
        ("password", {"password": Secret("")}, "enter the password", False),
        ("password", {"password": Secret("a\0b")}, "NUL", False),
        ("password", {"password": Secret(" tok")}, "paste accident", True),
        ("password", {"password": Secret("tok\n")}, "paste accident", True),
        ("password", {"password": Secret("a\udc80")}, "not valid Unicode", False),
        ("email", {"email": "a\x00@b"}, "control characters", False),
        ("email", {"email": "nobody"}, "does not look like an email", True),
    ],
)
def test_field_checks(field: str, kw: dict[str, object], message: str, warning: bool) -> None:
    d = draft(**kw)
    problems = validate_field(d, field)
    assert any(message in p.message and p.warning == warning for p in problems), problems
    assert problems == [p for p in validate_draft(d) if p.field == field]
    assert has_errors(problems) != warning


def test_username_hint_follows_registry() -> None:
    ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    (problem,) = validate_field(draft(username="", registry=ecr), "username")
    assert problem.field == "username"
    assert (
        problem.message == "enter the user name. Amazon ECR's username is always AWS, in capitals."
    )
    (problem,) = validate_field(draft(password=Secret(""), registry=ecr), "password")
    assert "aws ecr get-login-password" in problem.message


@pytest.mark.parametrize(
    ("preset", "words"),
    [
        ("ecr", "<account>.dkr.ecr.<region>.amazonaws.com"),
        ("gar", "<region>-docker.pkg.dev"),
        ("acr", "<name>.azurecr.io"),
        ("harbor", "harbor.example.com"),
    ],
)
def test_a_missing_host_is_asked_for_in_the_chosen_registry_s_words(
    preset: str, words: str
) -> None:
    chosen = PRESETS_BY_ID[preset]
    (problem,) = validate_field(draft(registry=""), "registry", chosen)
    assert problem.message == f"enter the host. {chosen.host_hint}"
    assert words in problem.message
    # Without a choice, the generic sentence.
    (problem,) = validate_field(draft(registry=""), "registry")
    assert problem.message == "enter the registry host, e.g. ghcr.io, or docker.io"


def test_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        validate_field(draft(), "colour")


def test_problems_never_contain_the_password() -> None:
    d = draft(password=Secret(" sup3r\0secret "))
    for problem in validate_draft(d):
        assert "sup3r" not in problem.message


def test_create_body_is_the_documented_shape() -> None:
    d = draft(email="me@example.com")
    text = create_body(d).reveal()
    assert "\n" not in text and ": " not in text
    body = json.loads(text)
    assert list(body) == ["name", "data"]
    assert body["name"] == "my-registry"
    assert list(body["data"]) == [".dockerconfigjson"]
    inner = body["data"][".dockerconfigjson"]
    assert isinstance(inner, str)
    assert inner == dockerconfigjson(d).reveal()
    entry = json.loads(inner)["auths"]["ghcr.io"]
    assert entry == {
        "username": "octocat",
        "password": "ghp_secret",
        "email": "me@example.com",
        "auth": base64.b64encode(b"octocat:ghp_secret").decode(),
    }


def test_patch_body_has_only_data() -> None:
    body = json.loads(patch_body(draft()).reveal())
    assert list(body) == ["data"]
    assert body["data"][".dockerconfigjson"] == dockerconfigjson(draft()).reveal()


def test_bodies_are_secrets() -> None:
    for value in (create_body(draft()), patch_body(draft()), dockerconfigjson(draft())):
        assert isinstance(value, Secret)
        assert "ghp_secret" not in repr(value) and "ghp_secret" not in f"{value}"


@pytest.mark.parametrize("patch", [False, True])
@pytest.mark.parametrize("pretty", [False, True])
def test_masked_body_hides_password_and_auth_only(patch: bool, pretty: bool) -> None:
    d = draft(email="me@example.com")
    text = masked_body(d, patch=patch, pretty=pretty)
    assert "ghp_secret" not in text
    assert base64.b64encode(b"octocat:ghp_secret").decode() not in text
    assert ("\n" in text) == pretty
    body = json.loads(text)
    real = json.loads((patch_body(d) if patch else create_body(d)).reveal())
    assert body.keys() == real.keys()
    if not patch:
        assert body["name"] == real["name"]
    entry = json.loads(body["data"][".dockerconfigjson"])["auths"]["ghcr.io"]
    real_entry = json.loads(real["data"][".dockerconfigjson"])["auths"]["ghcr.io"]
    assert entry == {**real_entry, "password": MASK, "auth": MASK}


def test_masked_body_is_the_sent_text_with_masks() -> None:
    # Not merely equivalent JSON: the same characters except where secrets were.
    d = draft(password=Secret("pw"), username="u")
    auth = base64.b64encode(b"u:pw").decode()
    sent = create_body(d).reveal()
    assert masked_body(d) == sent.replace('\\"pw\\"', f'\\"{MASK}\\"').replace(auth, MASK)


def test_docker_config_text() -> None:
    d = draft(username="ü")
    masked = docker_config_text(d)
    assert "ghp_secret" not in masked and MASK in masked and "ü" in masked
    assert json.loads(masked)["auths"]["ghcr.io"]["auth"] == MASK
    plain = docker_config_text(d, masked=False)
    assert json.loads(plain) == json.loads(dockerconfigjson(d).reveal())
    assert plain.count("\n") >= 6


usernames = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=":"), min_size=1)
any_text = st.text(st.characters(exclude_categories=["Cs"]))


@settings(max_examples=300)
@given(username=usernames, password=any_text.filter(bool), email=any_text)
def test_body_round_trip(username: str, password: str, email: str) -> None:
    d = SecretDraft("my-reg", "quay.io", username, Secret(password), email)
    body = json.loads(create_body(d).reveal())
    entry = json.loads(body["data"][".dockerconfigjson"])["auths"]["quay.io"]
    assert entry["username"] == username
    assert entry["password"] == password
    assert entry.get("email", "") == email
    assert base64.b64decode(entry["auth"]).decode() == f"{username}:{password}"
    masked = json.loads(json.loads(masked_body(d))["data"][".dockerconfigjson"])
    assert masked["auths"]["quay.io"] == {**entry, "password": MASK, "auth": MASK}


def test_the_name_a_warning_suggests_is_one_kubernetes_takes() -> None:
    from tui.core.secret_name import is_valid_name, kubernetes_name_warnings, kubernetes_safe_name

    for name in ("a..b", "a.-b", "a-.b", "x.-.-y", "a_b"):
        safe = kubernetes_safe_name(name)
        assert is_valid_name(safe) and kubernetes_name_warnings(safe) == [], (name, safe)
    assert kubernetes_safe_name("a..b") == "a.b"


@pytest.mark.parametrize(("registry", "warned"), [("docker.io", True), ("quay.io", False)])
def test_an_email_as_an_account_name_is_a_warning_where_the_registry_wants_an_account_name(
    registry: str, warned: bool
) -> None:
    problems = validate_field(draft(username="me@example.com", registry=registry), "username")
    if not warned:  # a registry whose users may be email addresses says nothing
        assert problems == []
        return
    (problem,) = problems
    assert problem.warning and problem.message == (
        "looks like an email address. Your Docker Hub account name, not your email address."
    )


@pytest.mark.parametrize("preset", [p for p in PRESETS if not p.host])
def test_a_missing_host_is_asked_for_once(preset: RegistryPreset) -> None:
    # "Enter the host. Type the registry's host, with :port ...": the hint after the request
    # says what to add, it does not ask again.
    (problem,) = validate_field(draft(registry=""), "registry", preset)
    request, hint = problem.sentence.split(". ", 1)
    assert request == "Enter the host"
    assert not hint.startswith(("Type", "Enter")), hint


_PLAIN_WORDS = {"the", "a", "an", "or", "and", "registry", "enter"}


def _words(sentence: str) -> set[str]:
    return {w.strip(".,:;").lower() for w in sentence.split()} - _PLAIN_WORDS


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.id)
def test_a_missing_value_is_asked_for_without_saying_it_twice(preset: RegistryPreset) -> None:
    # "Enter the password or access token. The registry password or an access token." said
    # the same thing twice: a hint ending the request must add something to it.
    [username] = validate_username("", preset)
    [password] = validate_password(Secret(""), preset)
    for problem, hint in ((username, preset.username_hint), (password, preset.password_hint)):
        request = problem.message.removesuffix(hint)
        assert not _words(hint) <= _words(request), problem.message


def test_an_ecr_username_other_than_aws_is_warned_of() -> None:
    # Switching to Amazon ECR kept "octocat" from GitHub, under "ECR's username is always AWS".
    ecr = PRESETS_BY_ID["ecr"]
    [problem] = validate_username("octocat", ecr)
    assert problem.warning and problem.message == f"is not AWS. {ecr.username_hint}"
    assert validate_username("AWS", ecr) == []
    assert [p.warning for p in validate_username("aws", ecr)] == [True]
    assert validate_username("octocat", PRESETS_BY_ID["ghcr"]) == []
