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
from tui.core.foreign_text import displayable, named, named_list
from tui.core.wording import counted

_COLUMNS = ("NAME", "SOURCE", "AUTH", "API URL", "TOKEN URL")


def run(args: argparse.Namespace) -> int:
    command = getattr(args, "profiles_command", None)
    if command == "import":
        return _import(args, Path(args.path), args.name)
    if command == "delete":
        return _delete(args, args.name)
    return _list(args)


def _say(message: str) -> None:
    """A sentence on stderr; it quotes names and paths given or read, so it passes the boundary."""
    print(f"regsecret: {_shown(message)}", file=sys.stderr)


def _shown(sentence: str) -> str:
    return displayable(sentence, limit=1000)


def _answer(
    args: argparse.Namespace,
    code: int,
    outcome: str,
    sentence: str,
    profiles: list[dict[str, Any]] | None = None,
) -> int:
    """With --json, the one object (``profiles``: the rows listed or imported); the code."""
    if args.json:
        from tui.commands.json_output import print_object

        print_object(args, code, outcome, sentence, profiles=profiles)
    return code


def _failed(args: argparse.Namespace, code: int, sentence: str) -> int:
    _say(sentence)
    return _answer(args, code, "bad-input" if code == EXIT_BAD_INPUT else "failed", sentence)


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


def _list(args: argparse.Namespace) -> int:
    from tui.core.profile_actions import load_all_profiles

    result = load_all_profiles()
    for problem in result.problems:
        _say(problem.message)
    if args.json:
        rows = [_as_dict(p, result.default_name) for p in result.profiles]
        count = len(rows)
        said = f"{counted(count, 'connection profile')}."
        return _answer(args, EXIT_OK, "listed", said, rows)
    if not result.profiles:
        _say(
            "no profiles yet. Import a service key with "
            "'regsecret profiles import SERVICE_KEY.json --name NAME', or run 'aicore configure'."
        )
        return EXIT_OK
    # Every cell but the source and auth kinds was read from a file or the environment.
    table = [_COLUMNS] + [
        (named(p.name), p.source.value, p.auth, displayable(p.api_url), displayable(p.token_url))
        for p in result.profiles
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(_COLUMNS))]
    for row in table:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return EXIT_OK


def _import(args: argparse.Namespace, path: Path, name: str) -> int:
    from tui.core.profile_actions import ProfileFileBroken, ProfileStore, import_service_key
    from tui.core.secret_store import SecretStore

    # A one-shot command has no session to keep a secret in: without a keyring, refuse.
    secrets = SecretStore(allow_session_fallback=False)
    try:
        profile = import_service_key(path, name=name, store=ProfileStore(), secrets=secrets)
    except ProfileFileBroken as exc:
        return _failed(args, EXIT_FAILED, str(exc))
    except ProfileError as exc:
        return _failed(args, EXIT_BAD_INPUT, str(exc))
    except KeyringError as exc:
        return _failed(
            args,
            EXIT_FAILED,
            f"profile “{named(name)}” was not imported: {exc} (The app can keep a secret for one "
            "session without a keyring; a one-shot command cannot.)",
        )
    kind = "private key" if profile.auth == "x509" else "client secret"
    said = (
        f"Imported profile “{named(profile.name)}” ({profile.api_url}); its {kind} is in the "
        f"keyring ({secrets.status().backend})."
    )
    if not args.json:
        print(_shown(said))
    return _answer(args, EXIT_OK, "imported", said, [_as_dict(profile)])


def _delete(args: argparse.Namespace, name: str) -> int:
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
            return _failed(
                args,
                EXIT_BAD_INPUT,
                f"profile “{named(name)}” comes from {found.source.value} ({found.origin}) and is "
                "read-only: regsecret does not change it. Remove it there.",
            )
        known = named_list([p.name for p in ours.profiles]) or "none"
        return _failed(
            args,
            EXIT_BAD_INPUT,
            f"there is no profile named “{named(name)}” in {store.path} (ours: {known}).",
        )
    secrets = SecretStore(allow_session_fallback=False)
    try:
        removal = delete_profile(name, store=store, secrets=secrets)
    except ProfileFileBroken as exc:
        return _failed(args, EXIT_FAILED, str(exc))
    except ProfileError as exc:
        return _failed(args, EXIT_BAD_INPUT, str(exc))
    except KeyringError as exc:
        return _failed(args, EXIT_FAILED, f"profile “{named(name)}” was not deleted. {exc}")
    said = deleted_sentence(name, removal, secrets)
    if not args.json:
        print(_shown(said))
    return _answer(args, EXIT_OK, "deleted", said)
