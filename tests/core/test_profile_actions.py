"""Profiles and the keyring together: import, save a discovered one, rename, delete, connect."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from keyring.backends import fail

from tests.support.keyring_memory import MemoryKeyring, install_keyring, restore_keyring
from tui.core.errors import KeyringError, ProfileError
from tui.core.profile_actions import (
    Profile,
    ProfileFileBroken,
    ProfileStore,
    Source,
    connection_for,
    delete_profile,
    discover_profiles,
    import_service_key,
    save_new_profile,
    update_profile,
)
from tui.core.secret import Secret
from tui.core.secret_store import SERVICE, SecretStore

SECRET = "client-secret-0123456789"
KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
CERT = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n"
KEY = f"-----BEGIN PRIVATE KEY-----\n{KEY_BODY}\n-----END PRIVATE KEY-----\n"
API = "https://api.ai.example.com"
TOKEN = "https://tenant.authentication.example.com/oauth/token"


def key_file(tmp_path: Path, kind: str = "secret") -> Path:
    data: dict[str, object] = {"clientid": "cid", "serviceurls": {"AI_API_URL": API}}
    if kind == "secret":
        data.update(clientsecret=SECRET, url="https://tenant.authentication.example.com")
    else:
        data.update(
            certificate=CERT.replace("\n", "\\n"),
            key=KEY.replace("\n", "\\n"),
            certurl="https://tenant.authentication.cert.example.com",
        )
    path = tmp_path / f"{kind}-key.json"
    path.write_text(json.dumps({"credentials": data}))
    return path


@pytest.fixture
def store(tmp_path: Path) -> ProfileStore:
    return ProfileStore(tmp_path / "config")


def all_files_text(root: Path) -> str:
    return "".join(
        p.read_text(errors="replace")
        for p in root.rglob("*")
        if p.is_file() and "key" not in p.name
    )


@pytest.mark.parametrize("kind", ["secret", "x509"])
def test_import_both_kinds(
    kind: str, tmp_path: Path, store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    profile = import_service_key(
        key_file(tmp_path, kind), name="dev", store=store, secrets=SecretStore()
    )
    assert profile.auth == kind and profile.source is Source.OURS
    assert store.load().profiles == [profile]
    expected = SECRET if kind == "secret" else KEY
    assert memory_keyring.entries == {(SERVICE, "dev"): expected}
    text = store.path.read_text()
    assert SECRET not in text and KEY_BODY not in text
    if kind == "x509":
        assert store.get("dev") == profile and profile.certificate == CERT


def test_import_refuses_duplicates_and_keeps_the_first_secret(
    tmp_path: Path, store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    secrets = SecretStore()
    import_service_key(key_file(tmp_path, "x509"), name="dev", store=store, secrets=secrets)
    with pytest.raises(ProfileError, match="already exists") as caught:
        import_service_key(key_file(tmp_path), name="dev", store=store, secrets=secrets)
    assert SECRET not in str(caught.value)
    assert memory_keyring.entries == {(SERVICE, "dev"): KEY}


def test_import_into_a_broken_file_saves_nothing(
    tmp_path: Path, store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.config_dir.mkdir()
    store.path.write_text("not = [toml\n")
    before = store.path.read_bytes()
    with pytest.raises(ProfileFileBroken):
        import_service_key(key_file(tmp_path), name="dev", store=store, secrets=SecretStore())
    assert memory_keyring.entries == {}
    assert store.path.read_bytes() == before


def test_import_of_a_key_with_a_missing_field_saves_nothing(
    tmp_path: Path, store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    path = tmp_path / "k.json"
    path.write_text(json.dumps({"clientid": "c", "clientsecret": SECRET, "url": "https://t"}))
    with pytest.raises(ProfileError, match=r"serviceurls\.AI_API_URL") as caught:
        import_service_key(path, name="dev", store=store, secrets=SecretStore())
    assert SECRET not in str(caught.value)
    assert memory_keyring.entries == {} and not store.path.exists()


def test_failed_write_rolls_back_the_keyring(
    tmp_path: Path,
    store: ProfileStore,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_replace(src: object, dst: object) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        import_service_key(key_file(tmp_path), name="dev", store=store, secrets=SecretStore())
    assert memory_keyring.entries == {}
    assert not store.path.exists()


def test_import_without_keyring_and_without_fallback_refuses(
    tmp_path: Path, store: ProfileStore
) -> None:
    previous = install_keyring(fail.Keyring())
    try:
        secrets = SecretStore(allow_session_fallback=False)
        with pytest.raises(KeyringError) as caught:
            import_service_key(key_file(tmp_path), name="dev", store=store, secrets=secrets)
    finally:
        restore_keyring(previous)
    assert SECRET not in str(caught.value)
    assert not store.path.exists()


def test_session_fallback_keeps_the_profile_and_the_secret_in_memory(
    tmp_path: Path, store: ProfileStore
) -> None:
    previous = install_keyring(fail.Keyring())
    try:
        secrets = SecretStore()
        import_service_key(key_file(tmp_path), name="dev", store=store, secrets=secrets)
        got = secrets.get("dev")
        assert got is not None and got.reveal() == SECRET
        assert secrets.notice() is not None
    finally:
        restore_keyring(previous)
    assert SECRET not in all_files_text(tmp_path)


def test_save_a_discovered_profile_moves_its_secret_to_the_keyring(
    tmp_path: Path, store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    env = {
        "AICORE_CLIENT_ID": "cid",
        "AICORE_CLIENT_SECRET": SECRET,
        "AICORE_AUTH_URL": TOKEN,
        "AICORE_BASE_URL": API + "/v2",
    }
    (found,) = discover_profiles(env=env, home=tmp_path / "none").profiles
    assert found.inline_secret is not None
    saved = save_new_profile(
        found.replace(name="mine"), found.inline_secret, store=store, secrets=SecretStore()
    )
    assert saved.source is Source.OURS and saved.inline_secret is None and not saved.read_only
    assert store.get("mine") == saved
    assert memory_keyring.entries == {(SERVICE, "mine"): SECRET}
    assert SECRET not in store.path.read_text()


def test_rename_moves_the_secret_and_update_replaces_it(
    tmp_path: Path, store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    secrets = SecretStore()
    profile = import_service_key(key_file(tmp_path), name="dev", store=store, secrets=secrets)
    renamed = update_profile(
        "dev", profile.replace(name="prod", resource_group="rg"), store=store, secrets=secrets
    )
    assert store.load().profiles == [renamed]
    assert memory_keyring.entries == {(SERVICE, "prod"): SECRET}
    update_profile("prod", renamed, store=store, secrets=secrets, secret=Secret("new-one"))
    assert memory_keyring.entries == {(SERVICE, "prod"): "new-one"}


def test_failed_rename_puts_the_keyring_back(
    tmp_path: Path, store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    secrets = SecretStore()
    profile = import_service_key(key_file(tmp_path), name="dev", store=store, secrets=secrets)
    save_new_profile(profile.replace(name="taken"), Secret("other"), store=store, secrets=secrets)
    with pytest.raises(ProfileError, match="already exists"):
        update_profile(
            "dev", profile.replace(name="taken"), store=store, secrets=secrets, secret=Secret("x")
        )
    assert memory_keyring.entries == {(SERVICE, "dev"): SECRET, (SERVICE, "taken"): "other"}
    assert store.load().names() == ["dev", "taken"]


def test_update_rolls_back_when_the_file_write_fails(
    tmp_path: Path,
    store: ProfileStore,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secrets = SecretStore()
    profile = import_service_key(key_file(tmp_path), name="dev", store=store, secrets=secrets)

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        update_profile(
            "dev", profile.replace(name="prod"), store=store, secrets=secrets, secret=Secret("x")
        )
    assert memory_keyring.entries == {(SERVICE, "dev"): SECRET}
    assert store.load().names() == ["dev"]


def test_delete_removes_the_keyring_entry(
    tmp_path: Path, store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    secrets = SecretStore()
    import_service_key(key_file(tmp_path), name="dev", store=store, secrets=secrets)
    delete_profile("dev", store=store, secrets=secrets)
    assert store.load().profiles == [] and memory_keyring.entries == {}
    with pytest.raises(ProfileError, match="no profile named “dev”"):
        delete_profile("dev", store=store, secrets=secrets)


def test_connection_for_both_kinds() -> None:
    plain = Profile("dev", API, TOKEN, "cid", resource_group="rg")
    connection = connection_for(plain, Secret(SECRET))
    assert connection.api_url == API and connection.token_url == TOKEN
    assert connection.client_secret == Secret(SECRET) and not connection.uses_x509
    assert connection.resource_group == "rg"
    cert = Profile("c", API, TOKEN, "cid", auth="x509", certificate=CERT)
    connection = connection_for(cert, Secret(KEY))
    assert connection.uses_x509 and connection.private_key == Secret(KEY)
    assert connection.client_secret is None
    inline = plain.replace(source=Source.SDK, inline_secret=Secret("inline"))
    assert connection_for(inline, None).client_secret == Secret("inline")
    with pytest.raises(ProfileError, match="No client secret is stored for profile “dev”"):
        connection_for(plain, None)
    with pytest.raises(ProfileError, match="no certificate"):
        connection_for(cert.replace(certificate=None), Secret(KEY))


def test_profile_repr_never_shows_an_inline_secret() -> None:
    profile = Profile("p", API, TOKEN, "cid", source=Source.ENV, inline_secret=Secret(SECRET))
    assert SECRET not in repr(profile) and SECRET not in str(profile)
