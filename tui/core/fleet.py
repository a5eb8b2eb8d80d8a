"""Several tenants at once: open them, list each one's secrets and quota concurrently, and merge
what they hold with the ledger into a matrix (secret names down, tenants across).

Each tenant is read with its own overall deadline, at most ``concurrency`` at a time; its state
arrives as soon as it is known (loading, loaded with names and quota, or unreachable with the
sentence), so a screen can draw the columns that answered while the others still load. No Textual.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from tui.core.errors import InputError, RegsecretError, explain
from tui.core.foreign_text import displayable
from tui.core.ledger import SOON, Ledger, LedgerEntry, LedgerRead, now_utc
from tui.core.session import Tenant, tenant_of
from tui.core.wording import counted
from tui.core.workflows import InFlight, Notice, Question, SecretsApi, list_secrets, titled

if TYPE_CHECKING:
    from tui.core.client import Quota
    from tui.core.profile_model import Profile
    from tui.core.secret import Secret

T = TypeVar("T")

#: How many tenants are read (or written) at once: 20 tenants in one wave, and no more.
DEFAULT_CONCURRENCY = 20
#: Seconds one tenant may take, all of it (token, every page, quota), before it is "unreachable".
DEFAULT_DEADLINE = 20.0


# --- the tenants -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One tenant of the fleet: its profile name (the column), its :class:`Tenant`, its client.

    ``client`` is None when none could be made (no secret in the keyring, a URL refused); then
    ``problem`` says why, and the tenant is unreachable from the start.
    """

    name: str
    tenant: Tenant
    client: SecretsApi | None
    problem: str = ""


@dataclass
class Fleet:
    """The members and the clients they own; ``async with`` closes every client."""

    members: list[Member] = field(default_factory=list)

    def names(self) -> list[str]:
        return [member.name for member in self.members]

    def get(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)

    async def aclose(self) -> None:
        for member in self.members:
            close = getattr(member.client, "aclose", None)
            if close is not None:
                await close()

    async def __aenter__(self) -> Fleet:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _profile_secret(profile: Profile) -> Secret | None:
    from tui.core.profile_choice import profile_secret

    return profile_secret(profile)


def open_fleet(
    profiles: Sequence[Profile],
    *,
    secret_for: Callable[[Profile], Secret | None] = _profile_secret,
    connection_overrides: dict[str, float] | None = None,
) -> Fleet:
    """A member per profile, with a client each; one that cannot have a client says why."""
    from dataclasses import replace

    from tui.core.client import AICoreClient
    from tui.core.profile_actions import connection_for

    members: list[Member] = []
    for profile in profiles:
        tenant = tenant_of(profile)
        try:
            connection = connection_for(profile, secret_for(profile))
            if connection_overrides:
                connection = replace(connection, **connection_overrides)  # type: ignore[arg-type]
            client: SecretsApi = AICoreClient(connection)
        except RegsecretError as exc:
            members.append(Member(profile.name, tenant, None, exc.explanation))
            continue
        members.append(Member(profile.name, tenant, client))
    return Fleet(members)


def read_ledgers(members: Sequence[Member]) -> LedgerRead:
    """Every member's ledger entries, each ledger read once: the user's, and in a demo run the
    demo's own (a fleet of a demo run may hold both)."""
    entries: dict[tuple[str, str], LedgerEntry] = {}
    problems: list[str] = []
    for ledger_dir in dict.fromkeys(member.tenant.ledger_dir for member in members):
        read = Ledger(ledger_dir).load()
        entries.update(read.entries)
        if read.problem:
            problems.append(read.problem)
    return LedgerRead(entries, " ".join(problems))


# --- selection ---------------------------------------------------------------------------------


def select(members: Sequence[Member], names: Iterable[str]) -> list[Member]:
    """The members named, in the order given; InputError naming the unknown ones."""
    wanted = list(dict.fromkeys(names))
    by_name = {m.name: m for m in members}
    unknown = [n for n in wanted if n not in by_name]
    if unknown:
        known = ", ".join(by_name) or "none"
        raise InputError(f"No tenant named {', '.join(unknown)}. Tenants: {known}.")
    return [by_name[n] for n in wanted]


def having(members: Sequence[Member], states: Iterable[TenantState], name: str) -> list[Member]:
    """The members whose live list holds ``name`` ("all that have it")."""
    holders = {s.member for s in states if s.status is Load.LOADED and name in s.names}
    return [m for m in members if m.name in holders]


# --- loading -----------------------------------------------------------------------------------


class Load(StrEnum):
    LOADING = "loading"
    LOADED = "loaded"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class TenantState:
    """What is known of one tenant's secrets: still loading, loaded, or why it could not be."""

    member: str
    tenant: Tenant
    status: Load
    names: tuple[str, ...] = ()
    quota: Quota | None = None
    sentence: str = ""  # loaded: "3 of 50 secrets used."; unreachable: why, what next
    error: BaseException | None = None

    @property
    def used(self) -> int:
        """How many secrets the tenant uses: its quota's count, or its list's when none."""
        if self.quota is not None and self.quota.used is not None:
            return self.quota.used
        return len(self.names)

    @property
    def at_quota(self) -> bool:
        limit = None if self.quota is None else self.quota.limit
        return self.status is Load.LOADED and limit is not None and self.used >= limit


class QuietPerson:
    """A :class:`~tui.core.workflows.Person` for work that asks nothing: it keeps the notices."""

    def __init__(self) -> None:
        self.notices: list[Notice] = []

    async def confirm(self, question: Question) -> bool:
        return True  # choosing the tenants and confirming once was the answer

    async def working(self, message: str, job: Awaitable[T], request: InFlight | None = None) -> T:
        return await job

    def tell(self, notice: Notice) -> None:
        self.notices.append(notice)

    def error(self, title: str, error: BaseException) -> None:
        self.notices.append(Notice(titled(title, explain(error)), title, "warning"))


def late_sentence(tenant: Tenant, deadline: float) -> str:
    return (
        f"{tenant.label} did not answer within {deadline:g} seconds. Check the network (or a "
        "proxy), then try again."
    )


async def load_tenant(member: Member, *, deadline: float = DEFAULT_DEADLINE) -> TenantState:
    """One tenant's names and quota, or why not; never raises, never waits past ``deadline``."""
    if member.client is None:
        return TenantState(member.name, member.tenant, Load.UNREACHABLE, sentence=member.problem)
    try:
        async with asyncio.timeout(deadline):
            listing = await list_secrets(member.client, QuietPerson(), member.tenant)
    except TimeoutError as exc:
        late = late_sentence(member.tenant, deadline)
        return TenantState(member.name, member.tenant, Load.UNREACHABLE, sentence=late, error=exc)
    if listing.error is not None:
        sentence = titled(listing.title, explain(listing.error))
        return TenantState(
            member.name, member.tenant, Load.UNREACHABLE, sentence=sentence, error=listing.error
        )
    quota = listing.quota
    return TenantState(
        member.name,
        member.tenant,
        Load.LOADED,
        tuple(listing.names),
        quota,
        loaded_sentence(len(listing.names), quota),
    )


def secrets_word(count: int) -> str:
    """“1 secret”, “2 secrets”."""
    return counted(count, "secret")


def matching_sentence(matched: int, total: int, text: str) -> str:
    """How many names a filter leaves: “2 of 5 secrets match “gh””, not the total alone."""
    typed = f"“{displayable(text, limit=40)}”"
    if matched == 0:
        return f"no secret name holds {typed} (escape clears the filter)"
    verb = "matches" if matched == 1 else "match"
    return f"{matched} of {secrets_word(total)} {verb} {typed}"


def loaded_sentence(count: int, quota: Quota | None) -> str:
    """What a tenant that answered holds, its count said once: “2 of 50 secrets used.”

    The list and the quota are two answers; they are both said only when they differ.
    """
    used = None if quota is None else quota.used
    limit = None if quota is None else quota.limit
    if used is None or used == count:
        if limit is None:
            return f"{secrets_word(count)}; its quota is not known."
        words = f"{count} of {limit} secrets used"
        if count >= limit:
            words += ": the tenant is full, delete one before registering another there"
        return words + "."
    listed = f"{secrets_word(count)} listed"
    if limit is None:
        return f"{listed}; its quota counts {used} used."
    words = f"{listed}; its quota counts {used} of {limit} used"
    if used >= limit:
        words += ": the tenant is full, delete one before registering another there"
    return words + "."


def usage(state: TenantState) -> str:
    """A tenant's state in a few words, under its name: “2 of 50”, “50 of 50 (full)”."""
    if state.status is Load.LOADING:
        return "loading…"
    if state.status is Load.UNREACHABLE:
        return "unreachable"
    limit = None if state.quota is None else state.quota.limit
    if limit is None:
        return f"{state.used} (quota unknown)"
    return f"{state.used} of {limit}" + (" (full)" if state.at_quota else "")


async def load_fleet(
    members: Sequence[Member],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    deadline: float = DEFAULT_DEADLINE,
) -> AsyncIterator[TenantState]:
    """Every member's state: first ``LOADING`` for each, then each as it arrives.

    At most ``concurrency`` tenants are read at once; each has ``deadline`` seconds from when
    its turn comes. Closing the iterator early cancels what is still running.
    """
    for member in members:
        yield TenantState(member.name, member.tenant, Load.LOADING)
    arrived: asyncio.Queue[TenantState] = asyncio.Queue()
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(member: Member) -> None:
        async with gate:
            state = await load_tenant(member, deadline=deadline)
        arrived.put_nowait(state)

    tasks = [asyncio.create_task(one(m)) for m in members]
    try:
        for _ in members:
            yield await arrived.get()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


# --- the matrix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One secret in one tenant: whether it is there (live) and what the ledger says of it."""

    present: bool | None  # None: the tenant's list is not known (loading, unreachable)
    entry: LedgerEntry | None = None  # None: regsecret did not register or update it here
    expires_soon: bool = False
    expired: bool = False

    @property
    def last_rotated(self) -> datetime | None:
        return self.entry.last_rotated if self.entry is not None else None

    @property
    def registered_outside(self) -> bool:
        """There, and the ledger does not know it: registered outside regsecret."""
        return bool(self.present) and self.entry is None


@dataclass(frozen=True)
class Matrix:
    """Secret names (sorted) by tenants (in the members' order)."""

    names: tuple[str, ...]
    tenants: tuple[TenantState, ...]
    cells: dict[tuple[str, str], Cell]
    ledger_problem: str = ""  # the ledger could not be read: cells carry no ledger columns

    def cell(self, name: str, member: str) -> Cell:
        return self.cells.get((name, member), Cell(None))

    def tenant(self, member: str) -> TenantState | None:
        return next((t for t in self.tenants if t.member == member), None)

    def holders(self, name: str) -> list[str]:
        return [t.member for t in self.tenants if self.cell(name, t.member).present]

    def filtered(self, text: str) -> Matrix:
        """Only the names containing ``text`` (any case)."""
        needle = text.casefold()
        names = tuple(n for n in self.names if needle in n.casefold())
        cells = {key: cell for key, cell in self.cells.items() if key[0] in names}
        return Matrix(names, self.tenants, cells, self.ledger_problem)


def latest(states: Iterable[TenantState]) -> list[TenantState]:
    """The last state of each member, in the order members first appeared."""
    last: dict[str, TenantState] = {}
    for state in states:
        last[state.member] = state
    return list(last.values())


def build_matrix(
    states: Iterable[TenantState],
    ledger: LedgerRead,
    *,
    now: datetime | None = None,
    within: timedelta = SOON,
) -> Matrix:
    """Merge the live lists with the ledger; later states of a member replace earlier ones."""
    when = now or now_utc()
    tenants = tuple(latest(states))
    known = {t.member: ledger.for_tenant(t.tenant.key) if t.tenant.key else {} for t in tenants}
    names = {n for t in tenants if t.status is Load.LOADED for n in t.names}
    names.update(n for entries in known.values() for n in entries)
    cells: dict[tuple[str, str], Cell] = {}
    for state in tenants:
        live = set(state.names) if state.status is Load.LOADED else None
        for name in names:
            entry = known[state.member].get(name)
            cells[(name, state.member)] = Cell(
                present=None if live is None else name in live,
                entry=entry,
                expires_soon=entry is not None and entry.expires_soon(when, within),
                expired=entry is not None and entry.expired(when),
            )
    return Matrix(tuple(sorted(names)), tenants, cells, ledger.problem)
