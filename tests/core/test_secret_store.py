"""SecretStore: the keyring when there is one, memory for the session when not, never a file."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backends import fail, null
from keyring.errors import KeyringLocked

from tests.support.keyring_memory import MemoryKeyring, install_keyring, restore_keyring, trusted
from tui.core.errors import KeyringError
from tui.core.secret import Secret
from tui.core.secret_store import SERVICE, Removal, SecretStore

SECRET = "s3cr3t-Value!"


@pytest.fixture
def fail_keyring() -> Iterator[None]:
    previous = install_keyring(fail.Keyring())
    yield
    restore_keyring(previous)


@pytest.fixture
def null_keyring() -> Iterator[None]:
    previous = install_keyring(null.Keyring())
    yield
    restore_keyring(previous)


def test_memory_keyring_round_trip(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    assert store.status().usable and store.status().message is None
    assert not store.session_only
    assert store.notice() is None
    store.set("dev", Secret(SECRET))
    assert memory_keyring.entries == {(SERVICE, "dev"): SECRET}
    got = store.get("dev")
    assert got is not None and got.reveal() == SECRET
    assert store.get("other") is None
    store.delete("dev")
    assert memory_keyring.entries == {}
    assert store.get("dev") is None


def test_delete_of_missing_entry_is_not_an_error(memory_keyring: MemoryKeyring) -> None:
    SecretStore().delete("nobody")
    assert memory_keyring.entries == {}


def test_rename_moves_the_entry(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.set("old", Secret(SECRET))
    store.rename("old", "new")
    assert memory_keyring.entries == {(SERVICE, "new"): SECRET}
    store.rename("absent", "elsewhere")
    assert memory_keyring.entries == {(SERVICE, "new"): SECRET}
    store.rename("new", "new")
    assert memory_keyring.entries == {(SERVICE, "new"): SECRET}


def test_set_takes_only_secret(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(TypeError):
        SecretStore().set("dev", SECRET)  # type: ignore[arg-type]
    assert memory_keyring.entries == {}


@pytest.mark.parametrize("fixture", ["fail_keyring", "null_keyring"])
def test_unusable_backend_falls_back_to_memory_and_says_so_once(
    fixture: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    request.getfixturevalue(fixture)
    store = SecretStore()
    status = store.status()
    assert not status.usable
    assert status.message is not None
    assert "keyrings.alt" not in status.message
    assert "Secret Service" in status.message and "gnome-keyring-daemon --unlock" in status.message
    assert "this session only" in status.message
    assert store.session_only
    assert store.notice() == status.message
    assert store.notice() is None
    store.set("dev", Secret(SECRET))
    got = store.get("dev")
    assert got is not None and got.reveal() == SECRET
    store.rename("dev", "prod")
    assert store.get("dev") is None
    got = store.get("prod")
    assert got is not None and got.reveal() == SECRET
    store.delete("prod")
    assert store.get("prod") is None
    # Memory only: not a byte of it on disk.
    assert list(tmp_path.iterdir()) == []


def test_fail_and_null_are_named_apart(fail_keyring: None) -> None:
    assert "No OS keyring" in (SecretStore().status().message or "")
    keyring.set_keyring(null.Keyring())
    assert "null backend" in (SecretStore().status().message or "")


def test_without_fallback_an_unusable_keyring_refuses(fail_keyring: None) -> None:
    store = SecretStore(allow_session_fallback=False)
    assert not store.session_only
    assert store.notice() is None
    with pytest.raises(KeyringError) as caught:
        store.set("dev", Secret(SECRET))
    assert "session only" not in caught.value.explanation
    assert "keyrings.alt" not in caught.value.explanation
    assert "dbus-run-session" in caught.value.explanation
    assert SECRET not in str(caught.value)
    with pytest.raises(KeyringError):
        store.get("dev")
    # Nothing can be stored there, so there is nothing to remove, and it says so.
    assert store.delete("dev") is Removal.NO_KEYRING


def test_wrong_python_keyring_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    previous = keyring.core._keyring_backend
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no.such.module.Keyring")
    try:
        store = SecretStore()
        status = store.status()
        assert not status.usable
        assert status.backend == "no.such.module.Keyring"
        assert "PYTHON_KEYRING_BACKEND" in (status.message or "")
        assert "no.such.module.Keyring" in (status.message or "")
        store.set("dev", Secret(SECRET))
        got = store.get("dev")
        assert got is not None and got.reveal() == SECRET
    finally:
        restore_keyring(previous)


def test_status_is_probed_once(memory_keyring: MemoryKeyring) -> None:
    calls: list[str] = []
    original = memory_keyring.get_password

    def counting(service: str, username: str) -> str | None:
        calls.append(username)
        return original(service, username)

    memory_keyring.get_password = counting  # type: ignore[method-assign]
    store = SecretStore()
    for _ in range(3):
        store.status()
    assert calls == ["regsecret-probe"]


class _WinVault(MemoryKeyring):
    """Looks like keyring's Windows backend, to exercise its 2560-byte limit."""


_WinVault.__module__ = "keyring.backends.Windows"
_WinVault.__qualname__ = "WinVaultKeyring"


def test_secret_too_large_for_windows_credential_manager() -> None:
    backend = _WinVault()
    previous = install_keyring(backend)
    try:
        store = SecretStore()
        store.set("fits", Secret("k" * 1280))  # UTF-16: 2560 bytes
        big = "-----BEGIN PRIVATE KEY-----" + "A" * 1300
        with pytest.raises(KeyringError) as caught:
            store.set("x509", Secret(big))
        assert "2560" in caught.value.explanation
        assert "A" * 20 not in str(caught.value)
        assert (SERVICE, "x509") not in backend.entries
        assert (SERVICE, "fits") in backend.entries
    finally:
        restore_keyring(previous)


@trusted
class _LocksOnWrite(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked(f"locked while storing {password}")


@trusted
class _Explodes(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise ValueError(f"backend bug with {password}")


def test_keyring_locked_on_use_falls_back_to_session() -> None:
    previous = install_keyring(_LocksOnWrite())
    try:
        store = SecretStore()
        assert store.status().usable
        store.set("dev", Secret(SECRET))
        assert store.session_only
        assert "is locked" in (store.notice() or "")
        got = store.get("dev")
        assert got is not None and got.reveal() == SECRET
        strict = SecretStore(allow_session_fallback=False)
        with pytest.raises(KeyringError) as caught:
            strict.set("dev", Secret(SECRET))
        assert SECRET not in str(caught.value)
    finally:
        restore_keyring(previous)


def test_backend_error_never_leaks_the_secret() -> None:
    previous = install_keyring(_Explodes())
    try:
        with pytest.raises(KeyringError) as caught:
            SecretStore().set("dev", Secret(SECRET))
        assert SECRET not in str(caught.value)
        assert caught.value.__cause__ is None and caught.value.__suppress_context__
    finally:
        restore_keyring(previous)


def test_concurrent_use_from_threads(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()

    def work(index: int) -> None:
        for round_ in range(20):
            store.set(f"p{index}", Secret(f"v{index}-{round_}"))
            assert store.get(f"p{index}") is not None

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {user for _, user in memory_keyring.entries} == {f"p{i}" for i in range(6)}
    assert all(value.endswith("-19") for value in memory_keyring.entries.values())


def test_nothing_touches_keyring_at_import_time() -> None:
    code = (
        "import sys, tui.core.secret_store, tui.core.profile_actions, tui.commands.profiles;"
        "print(sorted(m for m in ('keyring', 'textual', 'httpx') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert out.stdout.strip() == "[]"
