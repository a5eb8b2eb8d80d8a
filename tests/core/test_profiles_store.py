"""profiles.toml: round trips, names, permissions, broken files, interrupted writes."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs
import pytest

from tui.core.errors import ProfileError
from tui.core.profile_actions import (
    Profile,
    ProfileFileBroken,
    ProfileStore,
    Source,
    default_config_dir,
    normalise_api_url,
    normalise_token_url,
)
from tui.core.profile_store import LOCK_NAME

CERT = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n"


def make(name: str = "dev", **changes: Any) -> Profile:
    # The base is type-checked; each test's changes are checked by the dataclass at run time.
    profile = Profile(
        name=name,
        api_url="https://api.ai.example.com",
        token_url="https://tenant.authentication.example.com/oauth/token",
        client_id="sb-client!b1",
    )
    return profile.replace(**changes)


@pytest.fixture
def store(tmp_path: Path) -> ProfileStore:
    return ProfileStore(tmp_path / "config")


def test_add_and_load_round_trip(store: ProfileStore) -> None:
    store.add(make("dev", resource_group="team-a", check_registry_login=False))
    store.add(make("cert", auth="x509", certificate=CERT))
    result = store.load()
    assert result.problems == []
    dev, cert = result.profiles
    assert dev == make(
        "dev", resource_group="team-a", check_registry_login=False, origin=str(store.path)
    )
    assert dev.source is Source.OURS and not dev.read_only
    assert cert.auth == "x509" and cert.certificate == CERT
    assert store.get("cert") == cert
    assert store.get("nobody") is None


def test_urls_are_normalised_on_read(store: ProfileStore) -> None:
    store.config_dir.mkdir()
    store.path.write_text(
        "[profiles.dev]\n"
        'api_url = "api.ai.example.com/v2/"\n'
        'token_url = "https://t.example.com/"\n'
        'client_id = "c"\n'
    )
    (profile,) = store.load().profiles
    assert profile.api_url == "https://api.ai.example.com"
    assert profile.token_url == "https://t.example.com/oauth/token"
    assert profile.auth == "secret" and profile.check_registry_login


@pytest.mark.parametrize(
    ("raw", "api"),
    [
        ("https://api.example.com", "https://api.example.com"),
        ("https://api.example.com/", "https://api.example.com"),
        ("https://api.example.com/v2", "https://api.example.com"),
        ("https://api.example.com/v2/", "https://api.example.com"),
        ("  api.example.com/V2  ", "https://api.example.com"),
        ("http://127.0.0.1:8765/v2", "http://127.0.0.1:8765"),
        ("https://example.com/base/v2", "https://example.com/base"),
    ],
)
def test_normalise_api_url(raw: str, api: str) -> None:
    assert normalise_api_url(raw) == api


@pytest.mark.parametrize(
    ("raw", "token"),
    [
        ("https://t.example.com", "https://t.example.com/oauth/token"),
        ("https://t.example.com/", "https://t.example.com/oauth/token"),
        ("https://t.example.com/oauth/token", "https://t.example.com/oauth/token"),
        ("https://t.example.com/oauth/token/", "https://t.example.com/oauth/token"),
        ("t.example.com", "https://t.example.com/oauth/token"),
    ],
)
def test_normalise_token_url(raw: str, token: str) -> None:
    assert normalise_token_url(raw) == token


@pytest.mark.parametrize("bad", ["", "   ", "https://", "ftp://x.example.com", "a b.example.com"])
def test_normalise_rejects_what_is_not_a_url(bad: str) -> None:
    with pytest.raises(ProfileError) as caught:
        normalise_api_url(bad)
    assert caught.value.explanation.endswith(".")


def test_names_are_unique_and_checked(store: ProfileStore) -> None:
    store.add(make("dev"))
    with pytest.raises(ProfileError, match="already exists"):
        store.add(make("dev"))
    for bad in ["", " dev", "tab\there", "x" * 65]:
        with pytest.raises(ProfileError):
            store.add(make(bad))
    assert [p.name for p in store.load().profiles] == ["dev"]


def test_rename_update_delete(store: ProfileStore) -> None:
    for name in ("a", "b", "c"):
        store.add(make(name))
    store.update("b", make("b2", client_id="other"))
    assert [p.name for p in store.load().profiles] == ["a", "b2", "c"]
    assert store.get("b2") == make("b2", client_id="other", origin=str(store.path))
    with pytest.raises(ProfileError, match="already exists"):
        store.update("a", make("c"))
    with pytest.raises(ProfileError, match="no profile named “zz”"):
        store.update("zz", make("zz"))
    store.delete("a")
    with pytest.raises(ProfileError, match="no profile named “a”"):
        store.delete("a")
    assert [p.name for p in store.load().profiles] == ["b2", "c"]


def test_names_with_spaces_and_dots_survive(store: ProfileStore) -> None:
    store.add(make("prod eu.1 (ü)"))
    assert store.load().names() == ["prod eu.1 (ü)"]


def test_permissions_file_0600_dir_0700(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = ProfileStore(tmp_path / "deep" / "config")
        store.add(make())
    finally:
        os.umask(old)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.config_dir.stat().st_mode) == 0o700
    store.path.chmod(0o644)
    store.add(make("second"))
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_default_config_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REGSECRET_CONFIG_DIR", str(tmp_path / "x"))
    assert default_config_dir() == tmp_path / "x"
    assert ProfileStore().path == tmp_path / "x" / "profiles.toml"
    monkeypatch.delenv("REGSECRET_CONFIG_DIR")
    assert default_config_dir() == Path(platformdirs.user_config_dir("regsecret", appauthor=False))


def test_interrupted_write_leaves_the_old_file(
    store: ProfileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add(make("dev"))
    before = store.path.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.add(make("second"))
    assert store.path.read_bytes() == before
    # The lock file stays (removing it would race the next process); no temporary file does.
    assert sorted(p.name for p in store.config_dir.iterdir()) == [LOCK_NAME, "profiles.toml"]


def write(store: ProfileStore, text: str) -> bytes:
    store.config_dir.mkdir(exist_ok=True)
    store.path.write_text(text)
    return store.path.read_bytes()


def test_toml_that_does_not_parse(store: ProfileStore) -> None:
    before = write(store, '[profiles.dev]\napi_url = "https://a"\nclient_id = oops\n')
    result = store.load()
    assert result.profiles == []
    (problem,) = result.problems
    assert problem.line == 3 and problem.source is Source.OURS
    assert problem.path == str(store.path)
    assert f"{store.path} line 3" in problem.message
    with pytest.raises(ProfileFileBroken) as caught:
        store.add(make("new"))
    assert "line 3" in caught.value.explanation and "will not change" in caught.value.explanation
    assert store.path.read_bytes() == before


def test_missing_field_names_file_line_and_field(store: ProfileStore) -> None:
    before = write(
        store,
        "version = 1\n\n"
        '[profiles.good]\napi_url = "https://a.example.com"\ntoken_url = "https://t.example.com"\n'
        'client_id = "c"\n\n'
        '[profiles."bad one"]\napi_url = "https://a.example.com"\n'
        'token_url = "https://t.example.com"\n',
    )
    result = store.load()
    assert result.names() == ["good"]
    (problem,) = result.problems
    assert problem.line == 8
    assert "field 'client_id' is missing" in problem.message
    assert "“bad one”" in problem.message
    changes: list[Callable[[], object]] = [
        lambda: store.delete("good"),
        lambda: store.update("good", make("good")),
    ]
    for change in changes:
        with pytest.raises(ProfileFileBroken):
            change()
    assert store.path.read_bytes() == before


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('auth = "password"', "field 'auth' must be"),
        ("check_registry_login = 1", "must be true or false"),
        ('clientid = "c2"', "Did you mean 'client_id'?"),
        ('api_url = "not a url"', "field 'api_url'"),
        ('auth = "x509"', "field 'certificate' is missing"),
    ],
)
def test_wrong_field_points_at_its_line(store: ProfileStore, line: str, expected: str) -> None:
    key = line.split(" ")[0]
    body = {
        "api_url": 'api_url = "https://a.example.com"',
        "token_url": 'token_url = "https://t.example.com"',
        "client_id": 'client_id = "c"',
    }
    body[key] = line
    write(store, "[profiles.dev]\n" + "\n".join(body.values()) + "\n")
    (problem,) = store.load().problems
    assert expected in problem.message
    expected_line = 1 if key == "auth" and "x509" in line else list(body).index(key) + 2
    assert problem.line == expected_line


def test_a_secret_in_the_file_is_reported_but_never_repeated(store: ProfileStore) -> None:
    write(
        store,
        '[profiles.dev]\napi_url = "https://a.example.com"\ntoken_url = "https://t.example.com"\n'
        'client_id = "c"\nclient_secret = "hunter2-very-secret"\n',
    )
    (problem,) = store.load().problems
    assert problem.line == 5
    assert "keyring" in problem.message
    assert "hunter2" not in problem.message


def test_unreadable_file_is_a_problem_not_a_crash(store: ProfileStore) -> None:
    store.path.mkdir(parents=True)
    result = store.load()
    assert result.profiles == []
    assert "is a folder, not a file" in result.problems[0].message
    with pytest.raises(ProfileFileBroken):
        store.add(make())


def test_unknown_section_is_reported(store: ProfileStore) -> None:
    write(store, '[profile.dev]\napi_url = "x"\n')
    (problem,) = store.load().problems
    assert "unknown section 'profile'" in problem.message


def test_thousands_of_broken_profiles_are_reported_in_linear_time(store: ProfileStore) -> None:
    # Each broken profile used to re-scan the whole file, parsing every header: 6000 took 238 s.
    entries = [
        f'[profiles.p{n}]\napi_url = "https://api.example.com"\ntoken_url = "https://t.example.com"\n'
        for n in range(6000)
    ]
    store.path.parent.mkdir(parents=True)
    store.path.write_text("".join(entries), encoding="utf-8")
    started = time.monotonic()
    result = store.load()
    elapsed = time.monotonic() - started
    assert len(result.problems) == 6000
    assert result.problems[5999].line == 6000 * 3 - 2
    assert "profile “p5999”: field 'client_id' is missing" in result.problems[5999].message
    assert elapsed < 5, f"{elapsed:.1f} s to report 6000 broken profiles"


@pytest.mark.parametrize(
    "value", ["[" * 60_000, "[" * 5000 + "]" * 5000, "9" * 5000, '"https://[x"']
)
def test_a_hostile_value_in_the_profiles_file_is_a_problem_not_a_crash(
    store: ProfileStore, value: str
) -> None:
    # Nested arrays (RecursionError), a 5000-digit number (ValueError) and a URL that does not
    # parse escaped as tracebacks, and the bad value hid every other profile.
    write(
        store,
        '[profiles.good]\napi_url = "https://api.example.com"\n'
        'token_url = "https://auth.example.com/oauth/token"\nclient_id = "c"\n\n'
        f"[profiles.bad]\napi_url = {value}\n"
        'token_url = "https://auth.example.com/oauth/token"\nclient_id = "c"\n',
    )
    result = store.load()
    assert result.problems, value[:20]
    assert all(value[:40] not in problem.message for problem in result.problems)
