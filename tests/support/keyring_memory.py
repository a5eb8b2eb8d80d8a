"""An in-memory keyring for tests, and the ``memory_keyring`` fixture that installs it.

``keyring`` registers every backend class it sees; ``priority`` raises here so that auto-detection
never picks this one up: it is used only where a test installs it with ``keyring.set_keyring``.
"""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Stores passwords in a dict; ``entries`` maps (service, username) to the password."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("MemoryKeyring is installed explicitly by tests, never detected")

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise PasswordDeleteError("no such password") from None


def install_keyring(backend: KeyringBackend) -> KeyringBackend | None:
    """Install ``backend``; returns the previous one (possibly None: not yet detected)."""
    previous = keyring.core._keyring_backend
    keyring.set_keyring(backend)
    return previous


def restore_keyring(previous: KeyringBackend | None) -> None:
    # set_keyring refuses None, and None is what "not detected yet" looks like.
    keyring.core._keyring_backend = previous


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = install_keyring(backend)
    try:
        yield backend
    finally:
        restore_keyring(previous)
