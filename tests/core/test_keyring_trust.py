"""Only OS-grade keyrings keep a secret: keyrings.alt's file keyrings and chainers of them are no
keyring, nothing ever prompts on the terminal, and deleting says only what was checked."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringLocked, PasswordDeleteError
from keyrings.alt.file import EncryptedKeyring, PlaintextKeyring

from tests.support.keyring_memory import (
    LockableKeyring,
    MemoryKeyring,
    install_keyring,
    installed,
    trusted,
)
from tui.core.errors import KeyringError
from tui.core.secret import Secret
from tui.core.secret_store import SERVICE, Removal, SecretStore

SECRET = "trust-me-not-0451"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where keyrings.alt would write its files; no test may find anything there."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def no_prompt(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """getpass replaced: a backend that asks on the terminal fails the test instead."""
    asked: list[str] = []

    def refuse(prompt: str = "", stream: object = None) -> str:
        asked.append(prompt)
        raise AssertionError(f"a keyring prompted on the terminal: {prompt!r}")

    monkeypatch.setattr(getpass, "getpass", refuse)
    return asked


@pytest.fixture
def chained(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[KeyringBackend]]:
    """keyring's ChainerBackend, chaining the backends a test puts in the list."""
    members: list[KeyringBackend] = []
    monkeypatch.setattr(ChainerBackend, "backends", members)
    with installed(ChainerBackend()):
        yield members


def _file_keyrings() -> list[KeyringBackend]:
    return [EncryptedKeyring(), PlaintextKeyring()]


@pytest.mark.parametrize("kind", ["plaintext", "encrypted", "chainer of both"])
def test_file_keyrings_are_no_keyring_and_are_never_called(
    kind: str,
    data_home: Path,
    no_prompt: list[str],
    chained: list[KeyringBackend],
) -> None:
    if kind == "chainer of both":
        chained.extend(_file_keyrings())
        names = ["keyrings.alt.file.EncryptedKeyring", "keyrings.alt.file.PlaintextKeyring"]
    else:
        backend = PlaintextKeyring() if kind == "plaintext" else EncryptedKeyring()
        install_keyring(backend)  # over the chainer, which the fixture puts back afterwards
        names = [f"keyrings.alt.file.{type(backend).__name__}"]
    store = SecretStore()
    status = store.status()
    assert not status.usable and not status.locked
    message = status.message or ""
    for name in names:
        assert name in message
    assert "would keep secrets in a file on disk" in message or "in files on disk" in message
    # The keyring's file does not exist (it is made on first use, which never comes): unnamed.
    assert "python_keyring" not in message and "regsecret wrote none" in message
    assert "this session only" in message and "gnome-keyring-daemon --unlock" in message
    assert "install" not in message.lower()
    # The app keeps it for the session; the file keyring never hears of it.
    store.set("dev", Secret(SECRET))
    got = store.get("dev")
    assert got is not None and got.reveal() == SECRET
    assert store.take("dev") == (Removal.NO_KEYRING, Secret(SECRET))
    strict = SecretStore(allow_session_fallback=False)
    with pytest.raises(KeyringError) as caught:
        strict.set("dev", Secret(SECRET))
    assert names[0] in caught.value.explanation and SECRET not in caught.value.explanation
    assert no_prompt == []
    assert not data_home.exists()


@trusted
class _RefusesWrites(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


def test_a_chainer_is_used_only_through_its_trusted_member(
    data_home: Path, no_prompt: list[str], chained: list[KeyringBackend]
) -> None:
    # keyring's chainer writes to the first member that takes it: if the trusted one fails, a
    # file keyring behind it would get the secret. The store talks to the trusted one alone.
    trusted_one = _RefusesWrites()
    chained.extend([trusted_one, *_file_keyrings()])
    store = SecretStore()
    status = store.status()
    assert status.usable and status.backend == "memory keyring of the tests"
    store.set("dev", Secret(SECRET))  # the trusted one refuses: kept for the session
    assert store.session_only and "is locked" in (store.notice() or "")
    with pytest.raises(KeyringError):
        SecretStore(allow_session_fallback=False).set("dev", Secret(SECRET))
    assert trusted_one.entries == {}
    assert no_prompt == [] and not data_home.exists()


def test_a_chainer_says_where_the_secret_went(chained: list[KeyringBackend]) -> None:
    memory = MemoryKeyring()
    chained.extend([PlaintextKeyring(), memory])
    store = SecretStore()
    assert store.status().backend == "memory keyring of the tests"
    store.set("dev", Secret(SECRET))
    assert memory.entries == {(SERVICE, "dev"): SECRET}


def test_an_unknown_backend_is_refused_by_name() -> None:
    class _Homemade(MemoryKeyring):
        """Not on the allow-list: only its decorator could put it there."""

    with installed(_Homemade()):
        status = SecretStore().status()
        assert not status.usable
        assert "_Homemade" in (status.message or "")
        assert "not one the OS or a desktop vault encrypts" in (status.message or "")


def test_removal_says_what_was_checked(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore(allow_session_fallback=False)
    assert store.take("nobody") == (Removal.NOTHING_STORED, None)
    store.set("dev", Secret(SECRET))
    assert store.take("dev") == (Removal.REMOVED, Secret(SECRET))
    assert memory_keyring.entries == {}


def test_a_locked_keyring_is_not_said_to_hold_nothing() -> None:
    lockable = LockableKeyring()
    with installed(lockable):
        SecretStore().set("dev", Secret(SECRET))
        lockable.locked = True
        store = SecretStore(allow_session_fallback=False)
        assert store.status().locked and not store.status().usable
        assert "is locked" in (store.status().message or "")
        assert "run a Secret Service" not in (store.status().message or "")
        with pytest.raises(KeyringError) as caught:
            store.take("dev")
        said = caught.value.explanation
        assert "may still be in it" in said and "Unlock it" in said
        assert "remove the entry by hand" in said
        assert lockable.entries == {(SERVICE, "dev"): SECRET}
        # The app's store (session fallback) is just as honest: it does not pretend either.
        with pytest.raises(KeyringError):
            SecretStore().delete("dev")
        lockable.locked = False
        assert SecretStore().delete("dev") is Removal.REMOVED


@trusted
class _CancelsDelete(MemoryKeyring):
    """KWallet and macOS raise PasswordDeleteError for 'cancelled' as for 'not there'."""

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordDeleteError("Cancelled by user")


def test_a_delete_that_did_not_happen_is_not_reported_as_done() -> None:
    backend = _CancelsDelete()
    with installed(backend):
        store = SecretStore()
        store.set("dev", Secret(SECRET))
        with pytest.raises(KeyringError) as caught:
            store.delete("dev")
        assert "did not remove it" in caught.value.explanation
        assert backend.entries == {(SERVICE, "dev"): SECRET}


def test_a_file_keyring_names_its_file_only_when_it_is_there(
    data_home: Path, no_prompt: list[str]
) -> None:
    backend = PlaintextKeyring()
    path = Path(backend.file_path)
    path.parent.mkdir(parents=True)
    path.write_text("", encoding="utf-8")  # left by another program that used it
    with installed(backend):
        message = SecretStore().status().message or ""
    assert f"it keeps secrets in a file on disk ({path})" in message
    assert no_prompt == []
