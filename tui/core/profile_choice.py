"""Which profile a command works on, and the secret that goes with it.

``--profile NAME`` names any profile the app shows (ours, SAP SDK files, ``AICORE_*``,
``AICORE_SERVICE_KEY``, ``VCAP_SERVICES``); without it, ``AICORE_PROFILE``; without that, the only
profile there is. Anything else is a sentence that lists the names, so the next run can pick one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from tui.core.errors import ProfileError
from tui.core.foreign_text import named, named_list
from tui.core.profile_actions import LoadResult, Profile, ProfileStore, load_all_profiles
from tui.core.profile_model import Source
from tui.core.secret import Secret


def _names(result: LoadResult) -> str:
    return named_list(result.names()) or "none"


def _no_profiles() -> ProfileError:
    return ProfileError(
        "There are no connection profiles yet. Import a service key with 'regsecret profiles "
        "import SERVICE_KEY.json --name NAME', set AICORE_SERVICE_KEY, or run 'aicore configure'."
    )


def choose_profile(
    name: str | None,
    *,
    result: LoadResult | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    store: ProfileStore | None = None,
) -> Profile:
    """The profile named, else AICORE_PROFILE's, else the only one; ProfileError otherwise."""
    environ = os.environ if env is None else env
    if result is None:
        result = load_all_profiles(store=store, env=environ, home=home)
    wanted = name or None
    if wanted is None and environ.get("AICORE_PROFILE"):
        # The SDK profile it names, as listed: renamed "dev (AI Core SDK)" when one of ours is
        # "dev" (the default `regsecret profiles` marks); else a profile of any source.
        wanted = result.default_name or environ["AICORE_PROFILE"]
    if wanted is not None:
        found = result.get(wanted)
        if found is not None:
            return found
        how = "--profile" if name else "AICORE_PROFILE"
        if not result.profiles:
            raise _no_profiles()
        raise ProfileError(
            f"There is no profile named “{named(wanted)}” ({how}). Profiles: {_names(result)}."
        )
    if len(result.profiles) == 1:
        return result.profiles[0]
    if not result.profiles:
        raise _no_profiles()
    raise ProfileError(
        f"There are {len(result.profiles)} profiles: {_names(result)}. Say which with --profile "
        "NAME (or set AICORE_PROFILE)."
    )


def profile_secret(profile: Profile) -> Secret | None:
    """The client secret or private key: from the keyring for ours, inline for the others.

    A one-shot command has no session to keep a secret in, so a keyring that cannot be used is a
    KeyringError with its sentence, not a silent fallback.
    """
    if profile.source is not Source.OURS:
        return profile.inline_secret
    from tui.core.secret_store import SecretStore

    return SecretStore(allow_session_fallback=False).get(profile.name)
