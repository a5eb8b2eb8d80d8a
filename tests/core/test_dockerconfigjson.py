"""The .dockerconfigjson text equals kubectl's, registry keys normalise, presets fit their hosts."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.dockerconfigjson import (
    DOCKER_HUB_KEY,
    build_dockerconfigjson,
    chosen_preset,
    go_json_string,
    is_docker_hub,
    preset_for_host,
    registry_hint,
    registry_key,
)
from tui.core.registries import PRESETS
from tui.core.secret import Secret

KUBECTL = shutil.which("kubectl")


def kubectl_config(server: str, username: str, password: str, email: str = "") -> str:
    if KUBECTL is None:
        pytest.skip("kubectl is not on the PATH")
    argv = [
        KUBECTL,
        "create",
        "secret",
        "docker-registry",
        "x",
        f"--docker-server={server}",
        f"--docker-username={username}",
        f"--docker-password={password}",
        "--dry-run=client",
        "-o",
        "jsonpath={.data.\\.dockerconfigjson}",
    ]
    if email:
        argv.insert(-3, f"--docker-email={email}")
    done = subprocess.run(argv, capture_output=True, timeout=30, check=True)
    return base64.b64decode(done.stdout).decode()


KUBECTL_CASES = [
    ("ghcr.io", "octocat", "ghp_abc123", ""),
    ("registry.gitlab.com", "gitlab+deploy-token-7", "gldt-xyz", "me@example.com"),
    ("123456789012.dkr.ecr.eu-central-1.amazonaws.com", "AWS", "eyJwYXlsb2FkIjoi" * 40, ""),
    ("europe-west3-docker.pkg.dev", "_json_key", '{"type": "service_account",\n "k": "v"}', ""),
    ("myregistry.azurecr.io", "00000000-0000-0000-0000-000000000000", "s3cr3t~", ""),
    ("quay.io", "org+robot", "TOKEN", "x@y.z"),
    ("harbor.example.com:8443", "robot$project+name", "tok", ""),
    ("localhost:5000/team/path", "ünïcödé", "pässwörd 🐳 中文", "é@例え.jp"),
    ("r.example.com", "html<>&", "p<>&\u2028\u2029\"\\'`$!", "a&b@c"),
    ("r.example.com", "ctl", "\x01\x07\x08\t\n\x0b\x0c\r\x1b\x1f\x7f\x80\x9f", ""),
    ("r.example.com", " space ", " lead and trail ", ""),
]


@pytest.mark.parametrize(("registry", "username", "password", "email"), KUBECTL_CASES)
def test_same_bytes_as_kubectl(registry: str, username: str, password: str, email: str) -> None:
    ours = build_dockerconfigjson(registry, username, Secret(password), email).reveal()
    assert ours == kubectl_config(registry, username, password, email)


@pytest.mark.parametrize(
    "spelling",
    ["docker.io", "index.docker.io", "https://index.docker.io/v1/", "registry-1.docker.io", ""],
)
def test_docker_hub_same_as_kubectl_after_mapping(spelling: str) -> None:
    ours = build_dockerconfigjson(spelling, "bob", "pw", "b@x.io").reveal()
    assert ours == kubectl_config(DOCKER_HUB_KEY, "bob", "pw", "b@x.io")


def test_layout_field_order_and_email_left_out() -> None:
    text = build_dockerconfigjson("ghcr.io", "u", "p").reveal()
    assert text == '{"auths":{"ghcr.io":{"username":"u","password":"p","auth":"dTpw"}}}'
    with_email = build_dockerconfigjson("ghcr.io", "u", "p", "e@x").reveal()
    assert list(json.loads(with_email)["auths"]["ghcr.io"]) == [
        "username",
        "password",
        "email",
        "auth",
    ]


def test_result_is_a_secret() -> None:
    config = build_dockerconfigjson("ghcr.io", "u", Secret("hunter2"))
    assert isinstance(config, Secret)
    assert "hunter2" not in repr(config) and "hunter2" not in str(config)


def test_non_ascii_is_kept_as_utf8() -> None:
    text = build_dockerconfigjson("ghcr.io", "ü", "中").reveal()
    assert '"username":"ü"' in text and '"password":"中"' in text


@pytest.mark.parametrize(
    "spelling",
    [
        "docker.io",
        "index.docker.io",
        "https://index.docker.io/v1/",
        "https://index.docker.io",
        "http://index.docker.io/v1",
        "registry-1.docker.io",
        "https://registry-1.docker.io/v2/",
        "hub.docker.com",
        "Docker.IO",
        "",
        "  docker.io  ",
    ],
)
def test_docker_hub_spellings(spelling: str) -> None:
    assert is_docker_hub(spelling)
    assert registry_key(spelling) == DOCKER_HUB_KEY


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("ghcr.io", "ghcr.io"),
        ("https://ghcr.io/", "ghcr.io"),
        ("http://localhost:5000", "localhost:5000"),
        ("localhost:5000/", "localhost:5000"),
        ("https://registry.example.com:8443/team/sub//", "registry.example.com:8443/team/sub"),
        ("myregistry.azurecr.io", "myregistry.azurecr.io"),
        ("docker.io/myorg", "docker.io/myorg"),
        ("docker.io.example.com", "docker.io.example.com"),
    ],
)
def test_other_registries_lose_scheme_and_trailing_slash(typed: str, key: str) -> None:
    assert registry_key(typed) == key
    assert not is_docker_hub(typed)


@pytest.mark.parametrize(
    ("host", "preset"),
    [
        ("docker.io", "dockerhub"),
        ("ghcr.io", "ghcr"),
        ("registry.gitlab.com", "gitlab"),
        ("123456789012.dkr.ecr.eu-central-1.amazonaws.com", "ecr"),
        ("europe-west3-docker.pkg.dev", "gar"),
        ("myregistry.azurecr.io", "acr"),
        ("https://quay.io/", "quay"),
        ("harbor.corp.example", "harbor"),
        ("registry.example.com", "custom"),
    ],
)
def test_preset_for_host(host: str, preset: str) -> None:
    assert preset_for_host(host).id == preset


def test_presets_are_complete_and_match_the_api_table() -> None:
    # docs/aicore-api.md's table of username conventions, registry by registry.
    ids = [p.id for p in PRESETS]
    assert ids == ["dockerhub", "ghcr", "gitlab", "ecr", "gar", "acr", "quay", "harbor", "custom"]
    by_id = {p.id: p for p in PRESETS}
    assert by_id["ecr"].username_example == "AWS"
    assert by_id["ecr"].username_hint == "Amazon ECR's username is always AWS, in capitals."
    assert "aws ecr get-login-password" in by_id["ecr"].password_hint
    assert "expires after 12 hours" in by_id["ecr"].password_hint
    assert "<account>.dkr.ecr.<region>.amazonaws.com" in by_id["ecr"].host_hint
    for word in ("_json_key", "_json_key_base64", "oauth2accesstoken"):
        assert word in by_id["gar"].username_hint
    assert "<region>-docker.pkg.dev" in by_id["gar"].host_hint
    assert "service-account key JSON" in by_id["gar"].password_hint
    assert "<name>.azurecr.io" in by_id["acr"].host_hint
    assert "application id" in by_id["acr"].username_hint
    assert "read:packages" in by_id["ghcr"].password_hint
    assert "gitlab+deploy-token-N" in by_id["gitlab"].username_hint
    assert "read_registry" in by_id["gitlab"].password_hint
    assert "namespace+robotname" in by_id["quay"].username_hint
    assert "robot$project+name" in by_id["harbor"].username_hint
    for preset in PRESETS:
        assert preset.label and preset.host_example
        assert preset.username_example and preset.password_example
        # Hints are sentences: a capital (or a registry's own lowercase word) and a full stop,
        # never parentheses inside parentheses.
        for hint in (preset.host_hint, preset.username_hint, preset.password_hint):
            assert hint.endswith(".") and "(" not in hint, hint
        # A prefilled host must map back to its own preset, and so must its example.
        if preset.host:
            assert preset_for_host(preset.host) is preset
        assert preset_for_host(preset.host_example) is preset


usernames = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=":"))
any_text = st.text(st.characters(exclude_categories=["Cs"]))


@settings(max_examples=300)
@given(username=usernames, password=any_text, email=any_text)
def test_round_trip_and_auth(username: str, password: str, email: str) -> None:
    text = build_dockerconfigjson("ghcr.io", username, Secret(password), email).reveal()
    entry = json.loads(text)["auths"]["ghcr.io"]
    assert entry.get("username", "") == username
    assert entry.get("password", "") == password
    assert entry.get("email", "") == email
    user, _, pw = base64.b64decode(entry["auth"]).decode().partition(":")
    assert (user, pw) == (username, password)


@settings(max_examples=200)
@given(any_text)
def test_go_json_string_is_json_and_ascii_safe_for_html(value: str) -> None:
    literal = go_json_string(value)
    assert json.loads(literal) == value
    assert not set(literal) & {"<", ">", "&", "\u2028", "\u2029"}


def _chosen(host: str, chosen: str | None) -> str | None:
    preset = chosen_preset(host, chosen, PRESETS)
    return None if preset is None else preset.id


def test_the_registry_chosen_applies_until_a_host_is_typed_and_other_registry_always() -> None:
    assert _chosen("", "ecr") == "ecr"
    assert _chosen("ghcr.io", "ecr") == "ghcr"  # the host typed says whose conventions apply
    assert _chosen("", None) is None
    # "Other registry" chosen over a host that looks like Harbor's: the person's word.
    assert _chosen("harbor.corp.example", "custom") == "custom"


@pytest.mark.parametrize(
    ("registry", "hint"),
    [
        ("docker.io", "Registered as https://index.docker.io"),
        ("https://index.docker.io/v1/", "Registered as https://index.docker.io"),
        ("ghcr.io", ""),
        ("registry.example.com:5000", ""),
        (
            "https://registry.example.com/team/",
            "Used only for images under registry.example.com/team/…: Kubernetes matches the "
            "path too. Type registry.example.com alone for every image of this registry.",
        ),
        ("ghcr.io/Octo", ""),  # not a valid path: the field's problem says so instead
        ("octo:tok@ghcr.io/org", ""),
    ],
)
def test_registry_hint_says_where_the_login_is_used(registry: str, hint: str) -> None:
    assert registry_hint(registry) == hint
