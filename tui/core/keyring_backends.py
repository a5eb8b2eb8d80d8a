"""Which keyring backends regsecret trusts with a secret, and the sentences about them.

An allow-list, not a deny-list: a backend is used only where the OS or a desktop vault keeps the
secret encrypted, and none of those ever asks on the terminal. Everything else counts as no keyring:
keyrings.alt's PlaintextKeyring (base64 in a file), its EncryptedKeyring (a file, with a password
asked on /dev/tty from whichever thread calls it: over a running app), null, fail, and any backend
we do not know. ``keyring`` itself is imported by the caller; this module only inspects objects.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from typing import Any

SECRET_SERVICE = "keyring.backends.SecretService.Keyring"
_MAC = "keyring.backends.macOS.Keyring"
_WINDOWS = "keyring.backends.Windows.WinVaultKeyring"
_KWALLET = ("keyring.backends.kwallet.DBusKeyring", "keyring.backends.kwallet.DBusKeyringKWallet4")

# Qualified class name -> what to call it. Only tests add to it (their in-memory keyring).
TRUSTED: dict[str, str] = {
    SECRET_SERVICE: "Secret Service",
    "keyring.backends.libsecret.Keyring": "Secret Service",
    _MAC: "macOS Keychain",
    _WINDOWS: "Windows Credential Manager",
    _KWALLET[0]: "KWallet",
    _KWALLET[1]: "KWallet",
}
_TRUSTED_KINDS = "Secret Service, macOS Keychain, Windows Credential Manager or KWallet"

HEADLESS_SECRET_SERVICE = (
    'dbus-run-session -- bash -c \'read -rsp "Keyring password: " pw; echo; '
    'printf %s "$pw" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; '
    "exec regsecret'"
)


def qualified(obj: object) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


@dataclass(frozen=True)
class Choice:
    """The trusted backend to talk to (never a chainer), or why there is none."""

    backend: Any
    label: str
    refusal: str | None = None


def choose(configured: Any) -> Choice:
    """The first trusted backend among what keyring chose (a chainer's members, highest first).

    A chainer is unwrapped rather than used: it writes to the first member that accepts, so a
    refused member behind a trusted one could receive a secret whenever the trusted one fails.
    """
    from keyring.backends.chainer import ChainerBackend

    members = list(configured.backends) if isinstance(configured, ChainerBackend) else [configured]
    for member in members:
        label = TRUSTED.get(qualified(member))
        if label is not None:
            return Choice(member, label)
    return Choice(None, ", ".join(qualified(m) for m in members) or "none", _refusal(members))


def _refusal(members: list[Any]) -> str:
    from keyring.backends import fail, null

    refused = [m for m in members if not isinstance(m, fail.Keyring | null.Keyring)]
    if refused:
        names = " and ".join(qualified(m) for m in refused)
        files = [path for m in refused if (path := _file_path(m))]
        what = "keyring backends" if len(refused) > 1 else "keyring backend"
        why = (
            _in_files(files, len(refused) > 1)
            if files
            else "it is not one the OS or a desktop vault encrypts"
        )
        return (
            f"regsecret does not use the {what} {names}: {why}. It keeps secrets only in "
            f"a {_TRUSTED_KINDS}."
        )
    if any(isinstance(m, null.Keyring) for m in members):
        return "The keyring is set to the null backend, which stores nothing."
    return f"No OS keyring is available ({_what_is_missing()})."


def _in_files(files: list[str], several: bool) -> str:
    """What a file keyring does, naming only the files that are there: it creates its file on
    first use, and regsecret never lets it, so usually there is none to name."""
    subject, noun = ("they", "files") if several else ("it", "a file")
    there = [path for path in files if os.path.exists(path)]
    if there:
        keeps = "keep" if several else "keeps"
        return f"{subject} {keeps} secrets in {noun} on disk ({', '.join(there)})"
    return f"{subject} would keep secrets in {noun} on disk (regsecret wrote none)"


def _file_path(backend: Any) -> str | None:
    try:
        path = getattr(backend, "file_path", None)
    except Exception:  # a property of someone else's backend
        return None
    return str(path) if path else None


def _what_is_missing(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    if sys.platform != "linux":
        return f"no {_TRUSTED_KINDS} answered"
    if not env.get("DBUS_SESSION_BUS_ADDRESS"):
        return "there is no D-Bus session here, so no Secret Service can answer"
    return "no Secret Service answers on the D-Bus session"


def how_to_get_one() -> str:
    if sys.platform != "linux":
        return f"To keep secrets between sessions, make sure the {_TRUSTED_KINDS} can be used."
    return (
        "To keep secrets between sessions, use a Secret Service: on a desktop gnome-keyring, "
        "KWallet or KeePassXC (with its Secret Service integration on); headless, start "
        f"gnome-keyring in a D-Bus session: {HEADLESS_SECRET_SERVICE}"
    )


def how_to_unlock(backend: Any) -> str:
    if qualified(backend) == SECRET_SERVICE or "libsecret" in qualified(backend):
        return (
            "Unlock it: on a desktop in the dialog it shows, or in Seahorse or KeePassXC; "
            "headless gnome-keyring: end this D-Bus session and start a new one that unlocks "
            f"it: {HEADLESS_SECRET_SERVICE}"
        )
    return "Unlock it and try again."


def how_to_remove(backend: Any, profile: str) -> str:
    """The command (or place) that removes this profile's entry by hand."""
    name = qualified(backend)
    if name == SECRET_SERVICE or "libsecret" in name:
        return f"secret-tool clear service regsecret username {shlex.quote(profile)}"
    if name == _MAC:
        return f"security delete-generic-password -s regsecret -a {shlex.quote(profile)}"
    if name == _WINDOWS:
        return f"remove 'regsecret' (or '{profile}@regsecret') in Windows Credential Manager"
    if name in _KWALLET:
        return f"remove folder 'regsecret', entry '{profile}' in KWallet Manager"
    return f"remove service 'regsecret', user '{profile}' in {TRUSTED.get(name, name)}"


def held_shut(backend: Any, env: Mapping[str, str] | None = None) -> str | None:
    """Why a Secret Service cannot be used without an unlock prompt that nobody can see.

    Without a display, gnome-keyring's prompter cannot open: asking only makes it print a warning
    on the terminal the D-Bus session was started from (often the one the app draws on). So there,
    look at the collection without asking. On a desktop the backend may prompt in a window.
    """
    env = os.environ if env is None else env
    if qualified(backend) != SECRET_SERVICE or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    try:
        import secretstorage
        from secretstorage.collection import DEFAULT_COLLECTION
        from secretstorage.exceptions import ItemNotFoundException

        path = getattr(backend, "preferred_collection", None) or DEFAULT_COLLECTION
        with closing(secretstorage.dbus_init()) as bus:
            try:
                collection = secretstorage.Collection(bus, path)
            except ItemNotFoundException:
                return "has no default keyring to keep secrets in"
            return "is locked" if collection.is_locked() else None
    except Exception as exc:
        return f"does not answer ({type(exc).__name__})"
