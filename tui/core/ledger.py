"""The ledger: what regsecret registered where, in ``ledger.toml`` beside ``profiles.toml``.

AI Core never returns stored credentials, so nobody can tell which tenant holds which login, or
when it was last rotated. The ledger remembers it, per tenant and secret name: the registry key,
username, email, when it was registered and last updated, when its login was last verified (and
against which image), when it expires (given by the user, or known: ECR tokens last 12 hours) and
the credential *source* that was applied (``env:ECR_TOKEN``, never the value). It never holds a
password, a token or a hash of one.

A tenant is identified by ``PROFILE@HOST``: the profile name and the host (and port) of its AI API
URL. The profile name alone is not enough (``dev`` may be renamed or point elsewhere), the host
alone not either (two profiles may be two tenants on one host, a subaccount each); secrets are
tenant-wide, so the resource group is not part of it.

Same rules as ``profiles.toml``: 0600, written whole in one rename, read-modify-write under an
inter-process lock, read with the safe TOML loader. A ledger that does not parse is reported and
from then on read but never written (rewriting it would drop what the user has not fixed), and a
ledger that cannot be written never blocks a registration: the workflows say so and go on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli_w

from tui.core.dockerconfigjson import registry_host, registry_key
from tui.core.errors import ForeignDataError, RegsecretError
from tui.core.private_file import LockBusy, file_lock, write_private
from tui.core.profile_store import default_config_dir
from tui.core.safe_load import load_toml, read_small_file

FILE_NAME = "ledger.toml"
LOCK_NAME = ".ledger.toml.lock"
# The ledger is written after AI Core has already made the change, while the person waits to
# hear that it did. Another regsecret holds this lock for milliseconds; one that holds it for
# seconds is stuck, and waiting longer only keeps the person from the outcome.
LOCK_WAIT = 3.0
TEMP_PREFIX = ".ledger-"
_HEADER = (
    "# regsecret's ledger: which secrets it registered in which tenant, and from which source.\n"
    "# Never a password, a token or a hash of one. Written by regsecret; safe to delete.\n"
)
# "Expires soon": within this long, unless the caller asks otherwise.
SOON = timedelta(days=7)
# Registries whose tokens have a lifetime known in advance (the user may still give another).
_ECR = re.compile(r"^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$")
ECR_TOKEN_LIFETIME = timedelta(hours=12)
_TEXT_FIELDS = ("registry", "username", "email", "verified_image", "source")
_TIME_FIELDS = ("registered_at", "updated_at", "verified_at", "expires_at", "unconfirmed_at")


class LedgerError(RegsecretError):
    """The ledger could not be read or written; the sentence says why and what to do."""


def tenant_key(profile_name: str, api_url: str) -> str:
    """How the ledger names a tenant: ``PROFILE@HOST[:PORT]``."""
    host = urlsplit(api_url).netloc.lower() or api_url
    return f"{profile_name}@{host}"


def known_lifetime(registry: str) -> timedelta | None:
    """How long a token of this registry lives, when the registry itself decides (ECR: 12 h)."""
    host = registry_host(registry).lower().split(":")[0]
    return ECR_TOKEN_LIFETIME if _ECR.match(host) else None


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


_DURATION = re.compile(r"^(\d{1,6})\s*([hdw])$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
EXPIRY_FORMS = "a duration (12h, 30d, 2w), a date (2027-01-31) or a UTC time (2027-01-31T12:00Z)"


def parse_expiry(value: object, now: datetime | None = None) -> datetime:
    """When a credential expires, from what a user wrote (text, or a TOML date or time).

    A date means its start, UTC; a time without a zone is UTC. InputError says the forms.
    """
    from datetime import date

    from tui.core.errors import InputError

    when = now or now_utc()
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    text = value.strip().lower() if isinstance(value, str) else ""
    duration = _DURATION.match(text)
    if duration:
        return when + int(duration.group(1)) * _UNITS[duration.group(2)]
    try:
        parsed = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"An expiry is {EXPIRY_FORMS}.") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class LedgerEntry:
    """What the ledger knows about one secret in one tenant (never its password)."""

    tenant: str
    name: str
    registry: str
    username: str
    email: str = ""
    registered_at: datetime | None = None  # None: it was created outside regsecret
    updated_at: datetime | None = None
    verified_at: datetime | None = None
    verified_image: str = ""
    expires_at: datetime | None = None
    source: str = ""  # a SourceSpec descriptor, e.g. "env:ECR_TOKEN"
    # Set when regsecret sent these credentials but was stopped before AI Core answered: the
    # secret may hold them (it is regsecret's, not "registered outside") or may not.
    unconfirmed_at: datetime | None = None

    @property
    def last_rotated(self) -> datetime | None:
        return self.updated_at or self.registered_at

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or now_utc())

    def expires_soon(self, now: datetime | None = None, within: timedelta = SOON) -> bool:
        """Expired already, or expiring within ``within``."""
        return self.expires_at is not None and self.expires_at <= (now or now_utc()) + within


@dataclass(frozen=True)
class LedgerRead:
    """Every entry, and the sentence saying why the file could not be used (then it is empty)."""

    entries: dict[tuple[str, str], LedgerEntry] = field(default_factory=dict)
    problem: str = ""

    def get(self, tenant: str, name: str) -> LedgerEntry | None:
        return self.entries.get((tenant, name))

    def for_tenant(self, tenant: str) -> dict[str, LedgerEntry]:
        return {name: entry for (key, name), entry in self.entries.items() if key == tenant}


class Ledger:
    """Read and change ``ledger.toml``; every change is one locked read-modify-write."""

    def __init__(self, config_dir: Path | None = None) -> None:
        self.config_dir = config_dir if config_dir is not None else default_config_dir()
        self.path = self.config_dir / FILE_NAME

    # Reading

    def load(self) -> LedgerRead:
        """The entries; a broken file gives no entries and a sentence, never an exception."""
        try:
            return LedgerRead(self._read())
        except LedgerError as exc:
            return LedgerRead(problem=exc.explanation)

    def _read(self) -> dict[tuple[str, str], LedgerEntry]:
        if not self.path.exists() and not self.path.is_symlink():
            return {}
        try:
            data = load_toml(read_small_file(self.path, what="a ledger"), str(self.path))
        except ForeignDataError as exc:
            raise LedgerError(f"{exc.explanation} {self._fix_it}") from None
        tenants = data.get("tenants", {})
        if not isinstance(tenants, dict):
            raise LedgerError(f"{self.path}: 'tenants' must be a table. {self._fix_it}")
        entries: dict[tuple[str, str], LedgerEntry] = {}
        for tenant, secrets in tenants.items():
            if not isinstance(secrets, dict):
                raise LedgerError(f"{self.path}: tenant “{tenant}” is not a table. {self._fix_it}")
            for name, table in secrets.items():
                entries[(tenant, name)] = self._entry(tenant, name, table)
        return entries

    @property
    def _fix_it(self) -> str:
        return (
            f"regsecret will not change {self.path} until it is fixed or removed (it holds no "
            "secret; removing it forgets only when each secret was rotated)."
        )

    def _entry(self, tenant: str, name: str, table: Any) -> LedgerEntry:
        where = f"{self.path}: secret “{name}” of tenant “{tenant}”"
        if not isinstance(table, dict):
            raise LedgerError(f"{where} is not a table. {self._fix_it}")
        values: dict[str, Any] = {}
        for key, value in table.items():
            text = key in _TEXT_FIELDS and isinstance(value, str)
            time = key in _TIME_FIELDS and isinstance(value, datetime) and value.tzinfo is not None
            if not (text or time):
                raise LedgerError(f"{where}: field '{key}' is not known or has a wrong type.")
            values[key] = value
        for key in ("registry", "username"):
            if key not in values:
                raise LedgerError(f"{where}: field '{key}' is missing. {self._fix_it}")
        return LedgerEntry(tenant, name, **values)

    # Writing

    def _change(self, change: Any) -> LedgerEntry | None:
        try:
            with file_lock(self.config_dir / LOCK_NAME, timeout=LOCK_WAIT):
                entries = self._read()
                result: LedgerEntry | None = change(entries)
                self._write(entries)
                return result
        except LockBusy:
            raise LedgerError(
                f"Another program (another regsecret?) held {self.config_dir / LOCK_NAME} for "
                f"more than {LOCK_WAIT:g} seconds, so {self.path} does not note this change. "
                "Close the other regsecret; the next change of the secret is noted as usual."
            ) from None
        except OSError as exc:
            raise LedgerError(
                f"{self.path} could not be written ({exc.strerror or exc}); this change was not "
                "recorded."
            ) from None

    def _write(self, entries: dict[tuple[str, str], LedgerEntry]) -> None:
        tenants: dict[str, dict[str, dict[str, object]]] = {}
        for (tenant, name), entry in sorted(entries.items()):
            tenants.setdefault(tenant, {})[name] = _table(entry)
        text = _HEADER + tomli_w.dumps({"version": 1, "tenants": tenants})
        write_private(self.path, text, temp_prefix=TEMP_PREFIX)

    def record(
        self,
        tenant: str,
        name: str,
        *,
        registry: str,
        username: str,
        email: str = "",
        created: bool,
        source: str = "",
        verified_image: str | None = None,
        expires_at: datetime | None = None,
        now: datetime | None = None,
        confirmed: bool = True,
    ) -> LedgerEntry:
        """Note that ``name`` was created (or updated) in ``tenant`` with these credentials.

        ``confirmed`` False: they were sent, but stopped before AI Core answered (a create or an
        update, not known which took): the entry notes that the secret may not hold them.

        ``verified_image`` is None when the login was not checked for this credential (the old
        verification is about an old credential, so it is dropped), "" when checked without an
        image. Without ``expires_at``, a registry with a known lifetime sets it.
        """
        when = now or now_utc()
        if expires_at is None:
            lifetime = known_lifetime(registry)
            expires_at = when + lifetime if lifetime is not None else None

        def change(entries: dict[tuple[str, str], LedgerEntry]) -> LedgerEntry:
            old = entries.get((tenant, name))
            registered = when if created else (old.registered_at if old else None)
            if not confirmed and registered is None:
                # Stopped after sending: whether a create or an update, regsecret may have
                # registered what the secret now holds.
                registered = when
            entry = LedgerEntry(
                tenant,
                name,
                registry=registry_key(registry),
                username=username,
                email=email,
                registered_at=registered,
                updated_at=when,
                verified_at=when if verified_image is not None else None,
                verified_image=verified_image or "",
                expires_at=expires_at,
                source=source,
                unconfirmed_at=None if confirmed else when,
            )
            entries[(tenant, name)] = entry
            return entry

        entry = self._change(change)
        assert entry is not None
        return entry

    def forget(self, tenant: str, name: str) -> None:
        """``name`` was deleted from ``tenant``: its entry goes."""

        def change(entries: dict[tuple[str, str], LedgerEntry]) -> None:
            entries.pop((tenant, name), None)

        self._change(change)


def _table(entry: LedgerEntry) -> dict[str, object]:
    table: dict[str, object] = {"registry": entry.registry, "username": entry.username}
    for key in ("email", "verified_image", "source"):
        if getattr(entry, key):
            table[key] = getattr(entry, key)
    for key in _TIME_FIELDS:
        if getattr(entry, key) is not None:
            table[key] = getattr(entry, key)
    return table
