"""Our own profiles: ``profiles.toml`` in the config directory. Never holds a secret.

A file that does not parse, or a profile with a wrong field, is reported with file, line and field,
and from then on the file is read but never written: rewriting it would silently drop what the user
has not fixed yet.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tui.core.errors import ForeignDataError, ProfileError
from tui.core.private_file import LOCK_TIMEOUT, LockBusy, file_lock, write_private
from tui.core.profile_model import (
    LoadResult,
    Profile,
    Source,
    SourceProblem,
    check_profile_name,
    normalise_api_url,
    normalise_token_url,
)
from tui.core.safe_load import load_toml, read_small_file

FILE_NAME = "profiles.toml"
LOCK_NAME = ".profiles.toml.lock"
TEMP_PREFIX = ".profiles-"
CONFIG_DIR_ENV = "REGSECRET_CONFIG_DIR"
_HEADER = "# regsecret connection profiles. Secrets live in the OS keyring, never in this file.\n"
_FIELDS = (
    "api_url",
    "token_url",
    "client_id",
    "auth",
    "resource_group",
    "certificate",
    "check_registry_login",
)
_REQUIRED = ("api_url", "token_url", "client_id")
# Patterns are compiled when first used (re caches them), not before the app's first frame.
_SECRET_LIKE = r"(?i)secret|password|private|key$|token$"


class ProfileFileBroken(ProfileError):
    """profiles.toml has a problem the user must fix before we may write it again."""


def default_config_dir() -> Path:
    """``$REGSECRET_CONFIG_DIR``, else the platform's config directory for regsecret."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(os.path.expanduser(override))
    import platformdirs

    return Path(platformdirs.user_config_dir("regsecret", appauthor=False))


def _table_path(header: str) -> tuple[str, ...] | None:
    """The key path of a ``[table]`` header line, parsed by tomllib itself (quotes and all)."""
    try:
        node: Any = tomllib.loads(header)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    path: list[str] = []
    while isinstance(node, dict) and len(node) == 1:
        key, node = next(iter(node.items()))
        path.append(key)
    return tuple(path)


_KEY = r"""^\s*["']?([^"'=\s]+)["']?\s*="""


class TableLines:
    """Where each ``[<section>.<name>]`` header and each of its fields is, read in one pass.

    Built once per read, so reporting a thousand broken profiles stays linear in the file size.
    """

    def __init__(self, text: str, section: str = "profiles") -> None:
        self.headers: dict[str, int] = {}
        self.fields: dict[tuple[str, str], int] = {}
        current: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith("["):
                path = _table_path(stripped.split("#", 1)[0])
                current = path[1] if path and len(path) == 2 and path[0] == section else None
                if current is not None:
                    self.headers.setdefault(current, number)
            elif current is not None:
                match = re.match(_KEY, line)
                if match:
                    self.fields.setdefault((current, match.group(1)), number)

    def locate(self, name: str, field: str | None = None) -> int | None:
        """Line of ``field`` inside ``[<section>.<name>]`` (or of the header), for messages."""
        if field is not None and (name, field) in self.fields:
            return self.fields[(name, field)]
        return self.headers.get(name)


class ProfileStore:
    """Create, read, rename, update and delete our profiles in ``profiles.toml``."""

    def __init__(self, config_dir: Path | None = None) -> None:
        self.config_dir = config_dir if config_dir is not None else default_config_dir()
        self.path = self.config_dir / FILE_NAME
        self._lock = threading.RLock()
        self._depth = 0

    # Reading

    def _problem(self, line: int | None, message: str) -> SourceProblem:
        where = f"{self.path} line {line}" if line else str(self.path)
        return SourceProblem(Source.OURS, str(self.path), line, f"{where}: {message}")

    def _read(self) -> tuple[dict[str, Profile], list[SourceProblem]]:
        if not self.path.exists() and not self.path.is_symlink():
            return {}, []
        try:
            text = read_small_file(self.path)
        except ForeignDataError as exc:
            return {}, [SourceProblem(Source.OURS, str(self.path), None, exc.explanation)]
        try:
            data = load_toml(text, str(self.path))
        except ForeignDataError as exc:
            sentence = f"{exc.explanation} Fix or remove that line."
            return {}, [SourceProblem(Source.OURS, str(self.path), exc.line, sentence)]
        problems: list[SourceProblem] = []
        for key in data:
            if key not in ("profiles", "version"):
                problems.append(self._problem(None, f"unknown section '{key}'. Remove it."))
        tables = data.get("profiles", {})
        if not isinstance(tables, dict):
            return {}, [*problems, self._problem(None, "'profiles' must be a table.")]
        profiles: dict[str, Profile] = {}
        lines: TableLines | None = None
        for name, table in tables.items():
            try:
                profiles[name] = self._profile(name, table)
            except _FieldProblem as bad:
                lines = lines or TableLines(text)
                line = lines.locate(name, bad.field)
                problems.append(self._problem(line, f"profile “{name}”: {bad.message}"))
        return profiles, problems

    def _profile(self, name: str, table: object) -> Profile:
        if not isinstance(table, dict):
            raise _FieldProblem(None, "should be a table of fields. Fix or remove it.")
        try:
            check_profile_name(name)
        except ProfileError as exc:
            raise _FieldProblem(None, exc.explanation) from None
        for field in table:
            if field not in _FIELDS:
                raise _FieldProblem(field, _unknown_field_message(field))
        for field in _REQUIRED:
            if not isinstance(table.get(field), str) or not table[field].strip():
                state = "is missing" if field not in table else "should be non-empty text"
                raise _FieldProblem(
                    field, f"field '{field}' {state}. Add it, or delete the profile."
                )
        auth = table.get("auth", "secret")
        if auth not in ("secret", "x509"):
            raise _FieldProblem("auth", 'field \'auth\' must be "secret" or "x509".')
        certificate = table.get("certificate")
        if auth == "x509" and not (isinstance(certificate, str) and certificate.strip()):
            raise _FieldProblem(
                "certificate", "field 'certificate' is missing for an X.509 profile."
            )
        group = table.get("resource_group")
        if group is not None and not isinstance(group, str):
            raise _FieldProblem("resource_group", "field 'resource_group' should be text.")
        check = table.get("check_registry_login", True)
        if not isinstance(check, bool):
            raise _FieldProblem(
                "check_registry_login", "field 'check_registry_login' must be true or false."
            )
        urls: dict[str, str] = {}
        for field, normalise in (
            ("api_url", normalise_api_url),
            ("token_url", normalise_token_url),
        ):
            try:
                urls[field] = normalise(table[field])
            except ProfileError as exc:
                raise _FieldProblem(field, f"field '{field}': {exc.explanation}") from None
        return Profile(
            name=name,
            api_url=urls["api_url"],
            token_url=urls["token_url"],
            client_id=table["client_id"].strip(),
            auth=auth,
            resource_group=group or None,
            source=Source.OURS,
            origin=str(self.path),
            certificate=certificate if auth == "x509" else None,
            check_registry_login=check,
        )

    def load(self) -> LoadResult:
        with self._lock:
            profiles, problems = self._read()
        return LoadResult(list(profiles.values()), problems)

    def get(self, name: str) -> Profile | None:
        return self.load().get(name)

    # Writing

    def add(self, profile: Profile) -> None:
        def change(profiles: dict[str, Profile]) -> None:
            if profile.name in profiles:
                raise ProfileError(
                    f"A profile named “{profile.name}” already exists. Choose another name."
                )
            profiles[profile.name] = profile

        self._mutate(change)

    def update(self, old_name: str, profile: Profile) -> None:
        def change(profiles: dict[str, Profile]) -> None:
            if old_name not in profiles:
                raise ProfileError(f"There is no profile named “{old_name}” in {self.path}.")
            if profile.name != old_name and profile.name in profiles:
                raise ProfileError(
                    f"A profile named “{profile.name}” already exists. Choose another name."
                )
            # Keep the order the user sees: the renamed profile stays where it was.
            items = [
                (profile.name, profile) if k == old_name else (k, v) for k, v in profiles.items()
            ]
            profiles.clear()
            profiles.update(items)

        self._mutate(change)

    def delete(self, name: str) -> None:
        def change(profiles: dict[str, Profile]) -> None:
            if name not in profiles:
                raise ProfileError(f"There is no profile named “{name}” in {self.path}.")
            del profiles[name]

        self._mutate(change)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold ``profiles.toml`` for a read-modify-write, against other threads and processes.

        Two ``regsecret profiles import`` at the same moment each read the file, and the second
        write dropped the first one's profile, leaving its secret orphaned in the keyring. Callers
        that change the keyring too hold this around both. Re-entrant within one store.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            try:
                with file_lock(self.config_dir / LOCK_NAME):
                    self._depth = 1
                    try:
                        yield
                    finally:
                        self._depth = 0
            except LockBusy:
                raise ProfileError(
                    f"Another regsecret has been changing {self.path} for {LOCK_TIMEOUT:g} "
                    "seconds; let it finish (or end it), then try again. Nothing was changed."
                ) from None

    def _mutate(self, change: Callable[[dict[str, Profile]], None]) -> None:
        with self.transaction():
            profiles, problems = self._read()
            if problems:
                raise ProfileFileBroken(
                    f"{problems[0].message} regsecret will not change {self.path} until it is "
                    "fixed, so nothing in it is lost."
                )
            change(profiles)
            self._write(profiles)

    def _write(self, profiles: dict[str, Profile]) -> None:
        for profile in profiles.values():
            check_profile_name(profile.name)
        data = {"version": 1, "profiles": {p.name: _table(p) for p in profiles.values()}}
        import tomli_w  # writing is rare; reading the profiles is on the first screen's path

        text = _HEADER + tomli_w.dumps(data, multiline_strings=True)
        write_private(self.path, text, temp_prefix=TEMP_PREFIX)


class _FieldProblem(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _unknown_field_message(field: str) -> str:
    if re.search(_SECRET_LIKE, field):
        return (
            f"field '{field}' does not belong here: secrets are kept in the OS keyring, never in "
            "this file. Delete that line."
        )
    import difflib  # only for a misspelt field

    close = difflib.get_close_matches(field, _FIELDS, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else f" Known fields: {', '.join(_FIELDS)}."
    return f"field '{field}' is not known.{hint}"


def _table(profile: Profile) -> dict[str, object]:
    table: dict[str, object] = {
        "api_url": normalise_api_url(profile.api_url),
        "token_url": normalise_token_url(profile.token_url),
        "client_id": profile.client_id,
        "auth": profile.auth,
    }
    if profile.resource_group:
        table["resource_group"] = profile.resource_group
    if profile.auth == "x509" and profile.certificate:
        table["certificate"] = profile.certificate
    table["check_registry_login"] = profile.check_registry_login
    return table
