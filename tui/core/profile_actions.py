"""Connection profiles: the one module screens and commands import.

The model lives in ``profile_model``, our ``profiles.toml`` in ``profile_store``, the read-only
sources (SDK files, environment, VCAP_SERVICES, service keys) in ``profile_sources``. This module
ties them to the keyring: every operation that changes a profile of ours keeps its secret in step,
and none of them ever puts a secret into a file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.errors import ForeignDataError, KeyringError, ProfileError
from tui.core.profile_model import (
    AuthKind,
    LoadResult,
    Profile,
    Source,
    SourceProblem,
    check_profile_name,
    fix_pem,
    normalise_api_url,
    normalise_token_url,
)
from tui.core.profile_sources import (
    discover_profiles,
    parse_service_key,
    profile_from_service_key,
)
from tui.core.profile_store import ProfileFileBroken, ProfileStore, default_config_dir
from tui.core.safe_load import read_small_file
from tui.core.secret import Secret

if TYPE_CHECKING:
    from tui.core.connection import Connection

    # The keyring's wrapper loads when a secret is stored or removed, not with the profiles list.
    from tui.core.secret_store import Removal, SecretStore

__all__ = [
    "AuthKind",
    "LoadResult",
    "Profile",
    "ProfileFileBroken",
    "ProfileStore",
    "Source",
    "SourceProblem",
    "check_profile_name",
    "connection_for",
    "default_config_dir",
    "delete_profile",
    "deleted_sentence",
    "discover_profiles",
    "fix_pem",
    "import_service_key",
    "load_all_profiles",
    "normalise_api_url",
    "normalise_token_url",
    "parse_service_key",
    "profile_from_service_key",
    "read_service_key",
    "save_new_profile",
    "update_profile",
]


def load_all_profiles(
    store: ProfileStore | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> LoadResult:
    """Ours first, then the discovered ones; a clashing discovered name gets its source added."""
    store = store if store is not None else ProfileStore()
    ours = store.load()
    found = discover_profiles(env=env, home=home)
    profiles = list(ours.profiles)
    taken = {p.name for p in profiles}
    default_name = found.default_name
    for profile in found.profiles:
        name = profile.name
        if name in taken:
            name = f"{profile.name} ({profile.source.value})"
            counter = 2
            while name in taken:
                name = f"{profile.name} ({profile.source.value} {counter})"
                counter += 1
            if default_name == profile.name and profile.source is Source.SDK:
                default_name = name
            profile = profile.replace(name=name)
        taken.add(name)
        profiles.append(profile)
    return LoadResult(profiles, [*ours.problems, *found.problems], default_name)


def save_new_profile(
    profile: Profile, secret: Secret, *, store: ProfileStore, secrets: SecretStore
) -> Profile:
    """Add ``profile`` to our store with ``secret`` in the keyring; all or nothing.

    A discovered profile saved this way becomes ours and its inline secret moves to the keyring.
    """
    check_profile_name(profile.name)
    ours = profile.replace(source=Source.OURS, origin=str(store.path), inline_secret=None)
    # One lock around the check, the keyring and the file: another process adding the same name
    # in between would otherwise have its keyring entry overwritten, then deleted by our rollback.
    with store.transaction():
        _check_writable(store, new_name=ours.name)
        secrets.set(ours.name, secret)
        try:
            store.add(ours)
        except BaseException:
            _forget(secrets, ours.name)
            raise
    return ours


def import_service_key(
    path: Path, *, name: str, store: ProfileStore, secrets: SecretStore
) -> Profile:
    """Read a service key file into a new profile of ours; its secret goes to the keyring."""
    check_profile_name(name)
    profile, secret = read_service_key(path, name=name)
    return save_new_profile(profile, secret, store=store, secrets=secrets)


def read_service_key(path: Path, *, name: str) -> tuple[Profile, Secret]:
    """The profile a service key file makes, and its secret; ProfileError says what is wrong
    with the file. Nothing is stored: a file that is not there is said before any keyring is
    asked (which may take seconds, or ask to be unlocked)."""
    try:
        text = read_small_file(path)
    except ForeignDataError as exc:
        raise ProfileError(exc.explanation) from None
    return parse_service_key(text, name=name, origin=str(path))


def update_profile(
    old_name: str,
    profile: Profile,
    *,
    store: ProfileStore,
    secrets: SecretStore,
    secret: Secret | None = None,
) -> Profile:
    """Change (and maybe rename) one of our profiles; a new ``secret`` replaces the stored one."""
    check_profile_name(profile.name)
    ours = profile.replace(source=Source.OURS, origin=str(store.path), inline_secret=None)
    renamed = ours.name != old_name
    with store.transaction():
        _check_writable(store, old_name=old_name, new_name=ours.name if renamed else None)
        previous = secrets.get(old_name) if (renamed or secret is not None) else None
        if renamed:
            secrets.rename(old_name, ours.name)
        if secret is not None:
            secrets.set(ours.name, secret)
        try:
            store.update(old_name, ours)
        except BaseException:
            # Put the keyring back the way it was, so the file and the keyring still agree.
            if renamed:
                _forget(secrets, ours.name)
            if previous is not None:
                secrets.set(old_name, previous)
            raise
    return ours


def delete_profile(name: str, *, store: ProfileStore, secrets: SecretStore) -> Removal:
    """Delete one of our profiles and its keyring entry, or neither.

    The keyring goes first: one that is locked (and may hold the secret) raises KeyringError and
    nothing is deleted, so no secret is ever left behind without its profile. If the profile file
    then cannot be changed, the secret is put back.
    """
    with store.transaction():
        _check_writable(store, old_name=name)
        removal, previous = secrets.take(name)
        try:
            store.delete(name)
        except BaseException:
            if previous is not None:
                with contextlib.suppress(KeyringError):
                    secrets.set(name, previous)
            raise
    return removal


def deleted_sentence(name: str, removal: Removal, secrets: SecretStore) -> str:
    """What deleting profile ``name`` did, for the app and the command line alike."""
    from tui.core.secret_store import Removal

    where = secrets.status().backend
    if removal is Removal.REMOVED:
        return f"Deleted profile “{name}” and its secret in the keyring ({where})."
    if removal is Removal.NOTHING_STORED:
        return f"Deleted profile “{name}”; the keyring ({where}) held no secret for it."
    return (
        f"Deleted profile “{name}”. No keyring was asked to remove a secret: without an OS "
        "keyring, regsecret keeps secrets in memory for one session only."
    )


def _check_writable(
    store: ProfileStore, *, old_name: str | None = None, new_name: str | None = None
) -> None:
    """The store's own checks, made before the keyring is touched: nothing is half-saved."""
    existing = store.load()
    if existing.problems:
        raise ProfileFileBroken(
            f"{existing.problems[0].message} regsecret will not change {store.path} until it "
            "is fixed."
        )
    if old_name is not None and existing.get(old_name) is None:
        raise ProfileError(f"There is no profile named “{old_name}” in {store.path}.")
    if new_name is not None and existing.get(new_name) is not None:
        raise ProfileError(f"A profile named “{new_name}” already exists. Choose another name.")


def _forget(secrets: SecretStore, name: str) -> None:
    # The original error is the one worth showing.
    with contextlib.suppress(KeyringError):
        secrets.delete(name)


def connection_for(profile: Profile, secret: Secret | None) -> Connection:
    """What the client needs for ``profile``; ``secret`` defaults to the profile's inline one."""
    # Imported here: a Connection is made for the first request, after the first frame (its
    # dataclass costs ~5 M instructions to make).
    from tui.core.connection import Connection

    secret = secret if secret is not None else profile.inline_secret
    if not secret:
        what = "private key" if profile.auth == "x509" else "client secret"
        raise ProfileError(
            f"No {what} is stored for profile “{profile.name}”. Edit the profile and enter it, "
            "or import its service key again."
        )
    if profile.auth == "x509":
        if not profile.certificate:
            raise ProfileError(
                f"Profile “{profile.name}” uses X.509 but has no certificate. Import its service "
                "key again."
            )
        return Connection(
            api_url=profile.api_url,
            token_url=profile.token_url,
            client_id=profile.client_id,
            certificate=profile.certificate,
            private_key=secret,
            resource_group=profile.resource_group,
        )
    return Connection(
        api_url=profile.api_url,
        token_url=profile.token_url,
        client_id=profile.client_id,
        client_secret=secret,
        resource_group=profile.resource_group,
    )
