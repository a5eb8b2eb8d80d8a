"""``regsecret profiles``: list every profile, import a service key, delete one of ours.

Never prints a secret: the table and the JSON carry names, sources, URLs and client ids only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.core.errors import KeyringError, ProfileError
from tui.core.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK
from tui.core.foreign_text import terminal_json

_COLUMNS = ("NAME", "SOURCE", "AUTH", "API URL", "TOKEN URL")


def run(args: argparse.Namespace) -> int:
    command = getattr(args, "profiles_command", None)
    if command == "import":
        return _import(Path(args.path), args.name, as_json=args.json)
    if command == "delete":
        return _delete(args.name)
    return _list(as_json=args.json)


def _say(message: str) -> None:
    print(f"regsecret: {message}", file=sys.stderr)


def _as_dict(profile: Any, default_name: str | None = None) -> dict[str, Any]:
    return {
        "name": profile.name,
        "source": profile.source.value,
        "origin": profile.origin,
        "read_only": profile.read_only,
        "default": profile.name == default_name,
        "auth": profile.auth,
        "api_url": profile.api_url,
        "token_url": profile.token_url,
        "client_id": profile.client_id,
        "resource_group": profile.resource_group,
        "check_registry_login": profile.check_registry_login,
    }


def _list(*, as_json: bool) -> int:
    from tui.core.profile_actions import load_all_profiles

    result = load_all_profiles()
    for problem in result.problems:
        _say(problem.message)
    if as_json:
        rows = [_as_dict(p, result.default_name) for p in result.profiles]
        print(terminal_json(rows))
        return EXIT_OK
    if not result.profiles:
        _say(
            "no profiles yet. Import a service key with "
            "'regsecret profiles import SERVICE_KEY.json --name NAME', or run 'aicore configure'."
        )
        return EXIT_OK
    table = [_COLUMNS] + [
        (p.name, p.source.value, p.auth, p.api_url, p.token_url) for p in result.profiles
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(_COLUMNS))]
    for row in table:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return EXIT_OK


def _import(path: Path, name: str, *, as_json: bool) -> int:
    from tui.core.profile_actions import ProfileFileBroken, ProfileStore, import_service_key
    from tui.core.secret_store import SecretStore

    # A one-shot command has no session to keep a secret in: without a keyring, refuse.
    secrets = SecretStore(allow_session_fallback=False)
    try:
        profile = import_service_key(path, name=name, store=ProfileStore(), secrets=secrets)
    except ProfileFileBroken as exc:
        _say(str(exc))
        return EXIT_FAILED
    except ProfileError as exc:
        _say(str(exc))
        return EXIT_BAD_INPUT
    except KeyringError as exc:
        _say(
            f"profile '{name}' was not imported: {exc} (The app can keep a secret for one "
            "session without a keyring; a one-shot command cannot.)"
        )
        return EXIT_FAILED
    if as_json:
        print(terminal_json(_as_dict(profile)))
    else:
        kind = "private key" if profile.auth == "x509" else "client secret"
        print(
            f"Imported profile '{profile.name}' ({profile.api_url}); its {kind} is in the "
            f"keyring ({secrets.status().backend})."
        )
    return EXIT_OK


def _delete(name: str) -> int:
    from tui.core.profile_actions import (
        ProfileFileBroken,
        ProfileStore,
        delete_profile,
        deleted_sentence,
        discover_profiles,
    )
    from tui.core.secret_store import SecretStore

    store = ProfileStore()
    ours = store.load()
    if ours.get(name) is None and not ours.problems:
        found = discover_profiles().get(name)
        if found is not None:
            _say(
                f"profile '{name}' comes from {found.source.value} ({found.origin}) and is "
                "read-only: regsecret does not change it. Remove it there."
            )
        else:
            known = ", ".join(p.name for p in ours.profiles) or "none"
            _say(f"there is no profile named '{name}' in {store.path} (ours: {known}).")
        return EXIT_BAD_INPUT
    secrets = SecretStore(allow_session_fallback=False)
    try:
        removal = delete_profile(name, store=store, secrets=secrets)
    except ProfileFileBroken as exc:
        _say(str(exc))
        return EXIT_FAILED
    except ProfileError as exc:
        _say(str(exc))
        return EXIT_BAD_INPUT
    except KeyringError as exc:
        _say(f"profile '{name}' was not deleted. {exc}")
        return EXIT_FAILED
    print(deleted_sentence(name, removal, secrets))
    return EXIT_OK
