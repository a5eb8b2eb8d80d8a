"""Discovered profiles: service keys, SAP SDK files, environment, VCAP_SERVICES, all together."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui.core.errors import ProfileError
from tui.core.profile_actions import (
    Profile,
    ProfileStore,
    Source,
    discover_profiles,
    load_all_profiles,
    parse_service_key,
)

SECRET = "the-client-secret-$1"
CERT_BODY = "MIIBkTCB+wIJAKHBfpeg"
KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0B"
CERT = f"-----BEGIN CERTIFICATE-----\n{CERT_BODY}\n-----END CERTIFICATE-----\n"
KEY = f"-----BEGIN PRIVATE KEY-----\n{KEY_BODY}\n-----END PRIVATE KEY-----\n"
API = "https://api.ai.prod.eu-central-1.aws.ml.hana.ondemand.com"
AUTH = "https://tenant.authentication.eu10.hana.ondemand.com"


def secret_key(**changes: Any) -> dict[str, Any]:
    key: dict[str, Any] = {
        "clientid": "sb-abc!b123|aicore!b540",
        "clientsecret": SECRET,
        "url": AUTH,
        "identityzone": "tenant",
        "serviceurls": {"AI_API_URL": API},
    }
    key.update(changes)
    return key


def x509_key() -> dict[str, Any]:
    # As downloaded: PEM strings with literal backslash-n sequences.
    return {
        "clientid": "sb-x509",
        "credential-type": "x509",
        "certificate": CERT.replace("\n", "\\n"),
        "key": KEY.replace("\n", "\\n"),
        "certurl": "https://tenant.authentication.cert.eu10.hana.ondemand.com",
        "url": AUTH,
        "serviceurls": {"AI_API_URL": API + "/"},
    }


def test_client_secret_key() -> None:
    profile, secret = parse_service_key(json.dumps(secret_key()), name="dev", origin="key.json")
    assert secret.reveal() == SECRET
    assert profile.api_url == API
    assert profile.token_url == AUTH + "/oauth/token"
    assert profile.client_id == "sb-abc!b123|aicore!b540"
    assert profile.auth == "secret" and profile.inline_secret is None
    assert profile.origin == "key.json"


def test_key_wrapped_in_credentials() -> None:
    wrapped = {"name": "aicore", "credentials": secret_key()}
    profile, secret = parse_service_key(json.dumps(wrapped), name="dev")
    assert secret.reveal() == SECRET and profile.api_url == API


def test_x509_key_with_literal_backslash_n() -> None:
    profile, key = parse_service_key(json.dumps(x509_key()), name="cert")
    assert profile.auth == "x509"
    assert profile.certificate == CERT
    assert key.reveal() == KEY
    assert "\\n" not in key.reveal()
    assert (
        profile.token_url == "https://tenant.authentication.cert.eu10.hana.ondemand.com/oauth/token"
    )


@pytest.mark.parametrize(
    ("key", "field"),
    [
        (secret_key(clientid=None), "clientid"),
        (secret_key(url=""), "url"),
        (secret_key(serviceurls={}), "serviceurls.AI_API_URL"),
        (secret_key(clientsecret=None), "clientsecret"),
        ({**x509_key(), "key": None}, "key"),
        ({**x509_key(), "certurl": None}, "certurl"),
        ({**x509_key(), "certificate": "not pem"}, "certificate"),
        ({**secret_key(), "clientid": 42}, "clientid"),
    ],
)
def test_missing_field_is_named_and_secret_never_shown(key: dict[str, Any], field: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_service_key(json.dumps(key), name="dev", origin="key.json")
    text = caught.value.explanation
    assert f"'{field}'" in text
    assert text.startswith("key.json")
    for secret in (SECRET, KEY_BODY):
        assert secret not in text and secret not in repr(caught.value)


@pytest.mark.parametrize("text", ['{"clientsecret": "the-client-secret-$1"', "[]", "null"])
def test_not_a_service_key(text: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_service_key(text, name="dev")
    assert SECRET not in str(caught.value)


def test_service_key_needs_a_valid_name() -> None:
    with pytest.raises(ProfileError, match="needs a name"):
        parse_service_key(json.dumps(secret_key()), name="")


# SAP SDK files


def sdk_config(**changes: Any) -> dict[str, Any]:
    config = {
        "AICORE_AUTH_URL": AUTH + "/oauth/token",
        "AICORE_CLIENT_ID": "sdk-client",
        "AICORE_CLIENT_SECRET": SECRET,
        "AICORE_BASE_URL": API + "/v2",
        "AICORE_RESOURCE_GROUP": "default",
    }
    config.update(changes)
    return {k: v for k, v in config.items() if v is not None}


def write_json(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))
    return path


def test_sdk_default_and_named_profiles(tmp_path: Path) -> None:
    write_json(tmp_path / ".aicore" / "config.json", sdk_config())
    write_json(tmp_path / ".aicore" / "config_prod.json", sdk_config(AICORE_CLIENT_ID="prod"))
    (tmp_path / ".aicore" / "unrelated.json").write_text("{}")
    result = discover_profiles(env={}, home=tmp_path)
    assert result.problems == []
    assert result.names() == ["default", "prod"]
    assert result.default_name == "default"
    default = result.profiles[0]
    assert default.source is Source.SDK and default.read_only
    assert default.api_url == API and default.token_url == AUTH + "/oauth/token"
    assert default.resource_group == "default"
    assert default.origin == str(tmp_path / ".aicore" / "config.json")
    assert default.inline_secret is not None and default.inline_secret.reveal() == SECRET
    assert SECRET not in repr(default)


def test_aicore_home_and_profile(tmp_path: Path) -> None:
    write_json(tmp_path / "elsewhere" / "config_team.json", sdk_config())
    env = {"AICORE_HOME": str(tmp_path / "elsewhere"), "AICORE_PROFILE": "team"}
    result = discover_profiles(env=env, home=tmp_path / "nohome")
    assert result.names() == ["team"] and result.default_name == "team"
    missing = discover_profiles(env={**env, "AICORE_PROFILE": "gone"}, home=tmp_path)
    (problem,) = missing.problems
    assert "AICORE_PROFILE is 'gone'" in problem.message
    assert missing.default_name is None


def test_aicore_config_points_at_a_file(tmp_path: Path) -> None:
    write_json(tmp_path / ".aicore" / "config.json", sdk_config(AICORE_CLIENT_ID="home"))
    chosen = write_json(tmp_path / "proj" / "aicore.json", sdk_config(AICORE_CLIENT_ID="chosen"))
    result = discover_profiles(env={"AICORE_CONFIG": str(chosen)}, home=tmp_path)
    (profile,) = result.profiles
    assert profile.name == "default" and profile.client_id == "chosen"
    gone = discover_profiles(env={"AICORE_CONFIG": str(tmp_path / "nope.json")}, home=tmp_path)
    assert gone.profiles == [] and "does not exist" in gone.problems[0].message


def test_sdk_x509_with_cert_and_key_files(tmp_path: Path) -> None:
    home = tmp_path / ".aicore"
    home.mkdir()
    (home / "cert.pem").write_text(CERT)
    (home / "key.pem").write_text(KEY.replace("\n", "\\n"))
    config = sdk_config(
        AICORE_CLIENT_SECRET=None, AICORE_CERT_FILE_PATH="cert.pem", AICORE_KEY_FILE_PATH="key.pem"
    )
    write_json(home / "config.json", config)
    (profile,) = discover_profiles(env={}, home=tmp_path).profiles
    assert profile.auth == "x509" and profile.certificate == CERT
    assert profile.inline_secret is not None and profile.inline_secret.reveal() == KEY
    (home / "key.pem").unlink()
    result = discover_profiles(env={}, home=tmp_path)
    (problem,) = result.problems
    assert result.profiles == []
    assert "AICORE_KEY_FILE_PATH" in problem.message and "does not exist" in problem.message


def test_broken_sdk_files_are_problems_with_lines(tmp_path: Path) -> None:
    home = tmp_path / ".aicore"
    home.mkdir()
    (home / "config.json").write_text('{\n  "AICORE_CLIENT_ID": "x",\n  oops\n}')
    write_json(home / "config_nosecret.json", sdk_config(AICORE_CLIENT_SECRET=None))
    write_json(home / "config_noid.json", sdk_config(AICORE_CLIENT_ID=None))
    write_json(home / "config_good.json", sdk_config())
    result = discover_profiles(env={}, home=tmp_path)
    assert result.names() == ["good"]
    by_path = {Path(p.path).name: p for p in result.problems}
    assert by_path["config.json"].line == 3
    assert "config.json line 3" in by_path["config.json"].message
    assert "AICORE_CLIENT_SECRET is missing" in by_path["config_nosecret.json"].message
    assert "AICORE_CLIENT_ID is missing" in by_path["config_noid.json"].message
    assert all(SECRET not in p.message for p in result.problems)


# Environment and VCAP_SERVICES


def test_environment_variables() -> None:
    result = discover_profiles(env=sdk_config(), home=Path("/nonexistent"))
    (profile,) = result.profiles
    assert profile.name == "env" and profile.source is Source.ENV
    assert profile.api_url == API and profile.client_id == "sdk-client"
    assert profile.inline_secret is not None and profile.inline_secret.reveal() == SECRET


def test_resource_group_alone_is_not_a_profile() -> None:
    result = discover_profiles(env={"AICORE_RESOURCE_GROUP": "rg"}, home=Path("/nonexistent"))
    assert result.profiles == [] and result.problems == []


def test_partial_environment_names_what_is_missing() -> None:
    env = {"AICORE_CLIENT_ID": "x", "AICORE_CLIENT_SECRET": SECRET}
    result = discover_profiles(env=env, home=Path("/nonexistent"))
    (problem,) = result.problems
    assert problem.source is Source.ENV
    assert "AICORE_AUTH_URL and AICORE_BASE_URL are missing" in problem.message
    assert SECRET not in problem.message


def test_aicore_service_key_variable() -> None:
    env = {"AICORE_SERVICE_KEY": json.dumps(x509_key())}
    (profile,) = discover_profiles(env=env, home=Path("/nonexistent")).profiles
    assert profile.name == "env-service-key" and profile.source is Source.ENV
    assert profile.auth == "x509" and profile.certificate == CERT
    assert profile.inline_secret is not None and profile.inline_secret.reveal() == KEY
    bad = discover_profiles(env={"AICORE_SERVICE_KEY": "{"}, home=Path("/nonexistent"))
    assert bad.profiles == []
    assert "AICORE_SERVICE_KEY line 1: not valid JSON" in str(bad.problems[0])


def test_vcap_services_binding() -> None:
    vcap = {
        "aicore": [{"name": "my-ai", "label": "aicore", "credentials": secret_key()}],
        "xsuaa": [{"name": "auth", "label": "xsuaa", "credentials": {"clientid": "no"}}],
        "user-provided": [{"name": "broken", "label": "aicore", "credentials": {}}],
    }
    result = discover_profiles(env={"VCAP_SERVICES": json.dumps(vcap)}, home=Path("/none"))
    (profile,) = result.profiles
    assert profile.name == "my-ai" and profile.source is Source.VCAP
    assert profile.inline_secret is not None and profile.inline_secret.reveal() == SECRET
    (problem,) = result.problems
    assert problem.source is Source.VCAP and "'clientid'" in problem.message
    junk = discover_profiles(env={"VCAP_SERVICES": "not json"}, home=Path("/none"))
    assert "VCAP_SERVICES line 1: not valid JSON" in junk.problems[0].message


# Together


def test_every_source_together_with_precedence_and_labels(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "config")
    store.add(Profile("default", API, AUTH + "/oauth/token", "ours"))
    store.add(Profile("env", API, AUTH + "/oauth/token", "ours-env"))
    write_json(tmp_path / "home" / ".aicore" / "config.json", sdk_config())
    vcap = {"aicore": [{"name": "bound", "label": "aicore", "credentials": secret_key()}]}
    env = {
        **sdk_config(),
        "AICORE_SERVICE_KEY": json.dumps(secret_key()),
        "VCAP_SERVICES": json.dumps(vcap),
    }
    result = load_all_profiles(store, env=env, home=tmp_path / "home")
    assert result.problems == []
    listing = [(p.name, p.source) for p in result.profiles]
    assert listing == [
        ("default", Source.OURS),
        ("env", Source.OURS),
        ("default (AI Core SDK)", Source.SDK),
        ("env (environment)", Source.ENV),
        ("env-service-key", Source.ENV),
        ("bound", Source.VCAP),
    ]
    assert len(set(result.names())) == len(result.profiles)
    assert result.default_name == "default (AI Core SDK)"
    assert [p.read_only for p in result.profiles] == [False, False, True, True, True, True]


def test_broken_store_does_not_stop_other_sources(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "config")
    store.config_dir.mkdir()
    store.path.write_text("[profiles\n")
    write_json(tmp_path / ".aicore" / "config.json", sdk_config())
    result = load_all_profiles(store, env={}, home=tmp_path)
    assert result.names() == ["default"]
    (problem,) = result.problems
    assert problem.source is Source.OURS and problem.line == 1


def test_sdk_file_holding_a_whole_service_key(tmp_path: Path) -> None:
    write_json(tmp_path / ".aicore" / "config.json", {"AICORE_SERVICE_KEY": secret_key()})
    (profile,) = discover_profiles(env={}, home=tmp_path).profiles
    assert profile.name == "default" and profile.source is Source.SDK
    assert profile.inline_secret is not None and profile.inline_secret.reveal() == SECRET


def test_names_from_vcap_and_sdk_file_names_follow_the_profile_name_rule(tmp_path: Path) -> None:
    # profiles.toml refuses a name with control characters; a binding's name or an SDK file's
    # name must not slip one past it (``regsecret profiles`` printed it to the terminal).
    title = "\x1b]0;PWNED\x07"
    write_json(tmp_path / ".aicore" / f"config_e{title}.json", sdk_config())
    vcap = {"aicore": [{"name": f"v{title}", "label": "aicore", "credentials": secret_key()}]}
    result = discover_profiles(env={"VCAP_SERVICES": json.dumps(vcap)}, home=tmp_path)
    assert result.profiles == []
    assert sorted(p.source for p in result.problems) == sorted([Source.SDK, Source.VCAP])
    assert all("control characters" in p.message for p in result.problems)
