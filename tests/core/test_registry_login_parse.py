"""Registry addresses, image references and auth challenges: the pure parts of the login check."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.errors import InputError
from tui.core.registry_login import (
    CheckResult,
    Outcome,
    check_login,
    parse_challenges,
    parse_image_reference,
    parse_registry,
)
from tui.core.secret import Secret

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("ref", "registry", "expected"),
    [
        ("nginx", "docker.io", ("library/nginx", "latest")),
        ("nginx:1.27", "https://index.docker.io", ("library/nginx", "1.27")),
        ("org/app:1.2", "docker.io", ("org/app", "1.2")),
        ("docker.io/org/app:1.2", "index.docker.io", ("org/app", "1.2")),
        ("index.docker.io/library/nginx", "docker.io", ("library/nginx", "latest")),
        (f"nginx@{DIGEST}", "docker.io", ("library/nginx", DIGEST)),
        (f"nginx:1.27@{DIGEST}", "docker.io", ("library/nginx", DIGEST)),
        ("ghcr.io/org/app:1.2", "ghcr.io", ("org/app", "1.2")),
        ("GHCR.io/org/app:1.2", "ghcr.io", ("org/app", "1.2")),
        ("ghcr.io/org/team/app", "https://ghcr.io", ("org/team/app", "latest")),
        ("localhost:5000/demo/app:1.0", "localhost:5000", ("demo/app", "1.0")),
        ("127.0.0.1:5000/demo/app:v_1.0-rc", "127.0.0.1:5000", ("demo/app", "v_1.0-rc")),
        ("[::1]:5000/demo/app", "[::1]:5000", ("demo/app", "latest")),
        ("reg.example.com/team/app:1", "reg.example.com/team", ("team/app", "1")),
        ("  ghcr.io/org/a__b.c-d:1  ", "ghcr.io", ("org/a__b.c-d", "1")),
    ],
)
def test_image_references(ref: str, registry: str, expected: tuple[str, str]) -> None:
    assert parse_image_reference(ref, registry) == expected


@pytest.mark.parametrize(
    ("ref", "registry", "words"),
    [
        ("org/app:1.2", "ghcr.io", "names a Docker Hub image, but the registry is ghcr.io"),
        ("quay.io/org/app", "ghcr.io", "not on the registry ghcr.io"),
        ("ghcr.io/org/app", "docker.io", "is on ghcr.io, not on Docker Hub"),
        ("localhost:5001/demo/app", "localhost:5000", "not on the registry localhost:5000"),
        ("reg.example.com/other/app", "reg.example.com/team", "not on the registry"),
        ("ghcr.io/Org/app", "ghcr.io", "lowercase"),
        ("ghcr.io/org//app", "ghcr.io", "lowercase"),
        ("ghcr.io/org/app:", "ghcr.io", "not a valid tag"),
        ("ghcr.io/org/app:-x", "ghcr.io", "not a valid tag"),
        ("ghcr.io/org/app@sha256:xyz", "ghcr.io", "sha256:<64 hex digits>"),
        ("https://ghcr.io/org/app", "ghcr.io", "no scheme"),
        ("", "ghcr.io", "empty"),
    ],
)
def test_bad_image_references(ref: str, registry: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_image_reference(ref, registry)
    assert words in caught.value.explanation
    # The app shows these too, where there is no command line: no option names.
    assert not re.search(r"(?<![\w-])--[a-z]", caught.value.explanation)


def test_an_image_on_another_registry_says_which_registry_to_check_it_with() -> None:
    with pytest.raises(InputError) as caught:
        parse_image_reference("ghcr.io/org/app", "docker.io")
    assert "to check it, make ghcr.io the registry" in caught.value.explanation


def test_mismatch_message_suggests_the_full_reference() -> None:
    with pytest.raises(InputError) as caught:
        parse_image_reference("org/app:1.2", "ghcr.io")
    assert "write it as ghcr.io/org/app:1.2" in caught.value.explanation


@pytest.mark.parametrize(
    ("typed", "base_url", "display", "key"),
    [
        ("docker.io", "https://registry-1.docker.io", "Docker Hub", "https://index.docker.io"),
        ("https://index.docker.io/v1/", "https://registry-1.docker.io", "Docker Hub", None),
        ("registry-1.docker.io", "https://registry-1.docker.io", "Docker Hub", None),
        ("ghcr.io", "https://ghcr.io", "ghcr.io", "ghcr.io"),
        ("https://GHCR.io/", "https://ghcr.io", "ghcr.io", None),
        ("registry.example.com:5000", "https://registry.example.com:5000", None, None),
        # Without a scheme, HTTPS first, as docker and skopeo do (loopback may fall back).
        ("localhost:5000", "https://localhost:5000", None, None),
        ("127.0.0.1:5000", "https://127.0.0.1:5000", None, None),
        ("https://127.0.0.1:5000", "https://127.0.0.1:5000", None, None),
        ("http://127.0.0.2:80", "http://127.0.0.2:80", None, None),
        ("[::1]:5000", "https://[::1]:5000", None, None),
        ("reg.example.com/team", "https://reg.example.com", None, "reg.example.com/team"),
    ],
)
def test_registry_addresses(
    typed: str, base_url: str, display: str | None, key: str | None
) -> None:
    address = parse_registry(typed)
    assert address.base_url == base_url
    if display is not None:
        assert address.display == display
    if key is not None:
        assert address.key == key


@pytest.mark.parametrize(
    ("typed", "fallback"),
    [
        ("127.0.0.1:5443", "http://127.0.0.1:5443"),
        ("localhost:5443", "http://localhost:5443"),
        ("[::1]:5443", "http://[::1]:5443"),
        ("https://127.0.0.1:5443", None),  # the user said HTTPS: no plain HTTP behind their back
        ("http://127.0.0.1:5000", None),
        ("registry.example.com:5000", None),  # another machine: never plain HTTP
        ("app.localhost:5000", None),  # *.localhost may resolve anywhere: not loopback
    ],
)
def test_only_loopback_typed_without_scheme_may_fall_back_to_http(
    typed: str, fallback: str | None
) -> None:
    assert parse_registry(typed).fallback_url == fallback


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Enter the registry host"),
        ("   ", "Enter the registry host"),
        ("http://ghcr.io", "only for a registry on this machine"),
        ("http://docker.io", "HTTPS only"),
        ("http://10.0.0.5:5000", "only for a registry on this machine"),
        ("ssh://ghcr.io", "https://"),
        ("ghcr io", "host name"),
        ("ghcr.io/Org", "lowercase repository path"),
    ],
)
def test_bad_registry_addresses(typed: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_registry(typed)
    assert words in caught.value.explanation


def test_registry_error_never_echoes_what_was_typed() -> None:
    with pytest.raises(InputError) as caught:
        parse_registry("https://octo:hunter2@ghcr.io")
    assert "hunter2" not in caught.value.explanation


def test_challenges_docker_hub() -> None:
    header = (
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",'
        'scope="repository:library/nginx:pull"'
    )
    assert parse_challenges([header]) == {
        "bearer": {
            "realm": "https://auth.docker.io/token",
            "service": "registry.docker.io",
            "scope": "repository:library/nginx:pull",
        }
    }


def test_challenges_several_in_one_header_and_quoted_commas() -> None:
    header = 'Bearer realm="https://a.example/t?x=1,2", service=svc, Basic realm="r \\"q\\""'
    assert parse_challenges([header]) == {
        "bearer": {"realm": "https://a.example/t?x=1,2", "service": "svc"},
        "basic": {"realm": 'r "q"'},
    }


def test_challenges_scheme_case_and_first_wins() -> None:
    assert parse_challenges(["basic", 'BASIC realm="second"']) == {"basic": {}}
    assert parse_challenges(['BeArEr Realm="x"']) == {"bearer": {"realm": "x"}}


@given(st.text(max_size=200))
def test_challenges_never_raise(header: str) -> None:
    parsed = parse_challenges([header])
    assert all(scheme == scheme.lower() for scheme in parsed)


@given(st.text(max_size=80), st.sampled_from(["docker.io", "ghcr.io", "localhost:5000"]))
def test_image_reference_is_parsed_or_refused_in_words(ref: str, registry: str) -> None:
    try:
        repository, reference = parse_image_reference(ref, registry)
    except InputError as exc:
        assert exc.explanation
    else:
        assert repository
        assert reference


@given(st.text(max_size=60))
def test_registry_is_parsed_or_refused_in_words(typed: str) -> None:
    try:
        address = parse_registry(typed)
    except InputError as exc:
        assert exc.explanation
    else:
        assert address.base_url.startswith(("https://", "http://"))
        assert address.base_url.startswith("https://") or address.loopback


@pytest.mark.parametrize(
    ("outcome", "code"),
    [
        (Outcome.ACCEPTED, 0),
        (Outcome.BAD_INPUT, 2),
        (Outcome.UNREACHABLE, 3),
        (Outcome.REJECTED, 4),
        (Outcome.IMAGE_DENIED, 5),
        (Outcome.NOT_A_REGISTRY, 6),
        (Outcome.TLS_UNTRUSTED, 7),
        (Outcome.BAD_SETTING, 2),
    ],
)
def test_exit_codes(outcome: Outcome, code: int) -> None:
    assert CheckResult(outcome, "x").exit_code == code
    assert CheckResult(outcome, "x").ok is (outcome is Outcome.ACCEPTED)
    # Only what the registry could not judge from here lets a registration go on unasked.
    assert CheckResult(outcome, "x").judged is (
        outcome not in (Outcome.UNREACHABLE, Outcome.TLS_UNTRUSTED, Outcome.BAD_SETTING)
    )


def test_every_outcome_has_its_own_exit_code() -> None:
    # But one: an unusable SSL_CERT_FILE is this machine's setting, exit 2 as in every command
    # (tui/core/exit_codes.py), told apart from a typo by its outcome ("bad-setting").
    codes = [CheckResult(outcome, "x").exit_code for outcome in Outcome]
    assert len(set(codes)) == len(codes) - 1
    assert CheckResult(Outcome.BAD_SETTING, "x").exit_code == (
        CheckResult(Outcome.BAD_INPUT, "x").exit_code
    )


@pytest.mark.parametrize(
    ("registry", "username", "password", "image", "field"),
    [
        ("", "octo", "token", None, "registry"),
        ("ghcr.io", "", "token", None, "username"),
        ("ghcr.io", "oc:to", "token", None, "username"),
        ("ghcr.io", "oc\x07to", "token", None, "username"),
        ("ghcr.io", "octo", "", None, "password"),
        ("ghcr.io", "octo", "token", "ghcr.io/Bad Ref:1", "image"),
    ],
)
async def test_input_the_check_cannot_use_names_the_field_to_fix(
    registry: str, username: str, password: str, image: str | None, field: str
) -> None:
    # Refused before any request: nothing leaves this machine.
    result = await check_login(registry, username, Secret(password), image=image)
    assert result.outcome is Outcome.BAD_INPUT, result.sentence
    assert result.fix_field == field


@pytest.mark.parametrize("outcome", list(Outcome))
def test_the_field_to_fix_is_the_first_the_sentence_names(outcome: Outcome) -> None:
    expected = {
        Outcome.REJECTED: "username",  # "check the username and the password or token"
        Outcome.NOT_A_REGISTRY: "registry",  # "check the registry host"
        Outcome.IMAGE_DENIED: "image",  # "check the repository name and the tag"
    }
    assert CheckResult(outcome, "x").fix_field == expected.get(outcome, "")
