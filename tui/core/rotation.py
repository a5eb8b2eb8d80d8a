"""Rotate one credential across tenants: check the login once, then create-or-update everywhere.

Every chosen tenant goes through the same workflows as the app and ``regsecret register
--update``, so the ledger is written for free and the sentences are the same: a tenant known to
hold the secret (``holders``, what the preview called "update") is updated, and says "could not
be updated" when that fails; any other is created (on "already exists", updated). At most
``concurrency`` tenants are in flight; each has its own overall deadline. Each tenant's state
changes (waiting, sending, done, failed with the sentence) are reported through ``on_change`` as
they happen. A tenant is "done" only when AI Core answered 2xx; a timeout or a dropped connection
is "failed", and says it may or may not have changed. Failed tenants can be retried alone.
No Textual.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from tui.core.errors import NotFound
from tui.core.fleet import DEFAULT_CONCURRENCY, DEFAULT_DEADLINE, Member, QuietPerson
from tui.core.foreign_text import displayable
from tui.core.session import Tenant
from tui.core.wording import counted
from tui.core.workflows import (
    REFUSED_TITLE,
    Ask,
    LoginVerdict,
    Outcome,
    Question,
    Record,
    Result,
    Verdict,
    discard_question,
    login_gate,
    register,
    titled,
    update,
    warning_lines,
)

if TYPE_CHECKING:
    from tui.core.registry_login import CheckResult
    from tui.core.request import SecretDraft
    from tui.core.workflows import LoginCheck, Person, SecretsApi


class Step(StrEnum):
    WAITING = "waiting"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class TenantRotation:
    """Where one tenant's rotation is."""

    member: str
    tenant: Tenant
    step: Step
    sentence: str = ""
    outcome: Outcome | None = None  # on DONE: CREATED or UPDATED, as AI Core confirmed
    sent: bool = False  # the request reached AI Core, or may have
    error: BaseException | None = None


OnChange = Callable[[TenantRotation], None]


def _ignore(state: TenantRotation) -> None:
    return None


async def check_once(
    person: Person,
    draft: SecretDraft,
    *,
    image: str | None = None,
    login_check: LoginCheck | None = None,
) -> tuple[bool, CheckResult | None]:
    """The registry login check before a rotation, decided as before a single registration:
    (go on?, what the registry said). Unreachable goes on with a notice; refused asks."""
    stop, result = await login_gate(person, draft, image, login_check)
    return stop is None, result


def rotation_question(
    preview: str, tenants: int, login: LoginVerdict | None, warnings: tuple[str, ...]
) -> Question:
    """The one confirmation before a rotation, as before a single registration: what goes
    where (``preview``), the login verdict (None when not checked), every warning; a refused
    login makes it "Send anyway" / "Fix it" rather than a second question."""
    count = counted(tenants, "tenant")
    lines = [preview, *(["", login.line] if login is not None else []), *warning_lines(warnings)]
    if login is not None and login.verdict is Verdict.REFUSED:
        body = "\n".join([*lines, "", f"Send to {count} anyway?"])
        kind, title, yes, no = Ask.LOGIN_REFUSED, REFUSED_TITLE, "Send anyway", "Fix it"
    else:
        body, kind, title, yes, no = (
            "\n".join(lines),
            Ask.SEND,
            f"Send to {count}?",
            "Send",
            "Cancel",
        )
    return Question(kind, title, body, yes, no, login=login, warnings=warnings)


def rotate_discard_question(opened_for: str) -> Question:
    """Before leaving an unsent rotate form with a password typed: the password is dropped
    (a token must not linger), the rest kept."""
    shown = displayable(opened_for, limit=60)  # a name AI Core listed: foreign text
    which = f"rotate “{shown}”" if opened_for else "rotate a new secret"
    return discard_question(
        "A password or token is never kept once you leave this form: you would type it again. "
        f"The other fields are kept for the next time you {which} in this session.",
        title="Discard the password you typed?",
    )


@dataclass
class Rotation:
    """One credential into several tenants; ``run`` sends, ``retry_failed`` sends the failed again.

    ``record`` is what the ledger notes (source, expiry, the login check already made).
    ``holders`` are the members known to hold the secret: they are updated (PATCH), as the
    preview said; should one answer "not found" (deleted since), it is created after all.
    """

    draft: SecretDraft
    members: Sequence[Member]
    record: Record = field(default_factory=Record)
    on_change: OnChange = _ignore
    concurrency: int = DEFAULT_CONCURRENCY
    deadline: float = DEFAULT_DEADLINE
    holders: frozenset[str] = frozenset()
    states: dict[str, TenantRotation] = field(default_factory=dict)
    # Notices the workflows gave (a ledger that could not be written): (tenant, sentence).
    notices: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for member in self.members:
            self._set(TenantRotation(member.name, member.tenant, Step.WAITING))

    def _set(self, state: TenantRotation) -> None:
        self.states[state.member] = state
        self.on_change(state)

    # --- what happened -------------------------------------------------------------------------

    def failed(self) -> list[str]:
        return [s.member for s in self.states.values() if s.step is Step.FAILED]

    def done(self) -> list[str]:
        return [s.member for s in self.states.values() if s.step is Step.DONE]

    @property
    def ok(self) -> bool:
        return all(s.step is Step.DONE for s in self.states.values())

    def notes(self) -> list[str]:
        """The notices, one line per sentence with every tenant that gave it ("dev, test: The
        ledger was not updated: …"): tenants that share a ledger share its warning."""
        said: dict[str, list[str]] = {}
        for member, sentence in self.notices:
            names = said.setdefault(sentence, [])
            if member not in names:
                names.append(member)
        return [f"{', '.join(names)}: {sentence}" for sentence, names in said.items()]

    def summary(self) -> str:
        return summary_text(self.draft.name, self.states.values(), self.notes())

    # --- sending -------------------------------------------------------------------------------

    async def run(self, names: Iterable[str] | None = None) -> list[TenantRotation]:
        """Create-or-update in every member (or only those named), concurrently."""
        wanted = set(names) if names is not None else None
        chosen = [m for m in self.members if wanted is None or m.name in wanted]
        for member in chosen:
            if self.states[member.name].step is not Step.WAITING:
                self._set(TenantRotation(member.name, member.tenant, Step.WAITING))
        gate = asyncio.Semaphore(max(1, self.concurrency))

        async def one(member: Member) -> None:
            async with gate:
                self._set(TenantRotation(member.name, member.tenant, Step.SENDING))
                self._set(await self._send(member))

        await asyncio.gather(*(one(m) for m in chosen))
        return [self.states[m.name] for m in chosen]

    async def retry_failed(self) -> list[TenantRotation]:
        """Send again to the tenants that failed, and only to them."""
        return await self.run(self.failed())

    async def _send(self, member: Member) -> TenantRotation:
        name, tenant = member.name, member.tenant
        if member.client is None:
            return TenantRotation(name, tenant, Step.FAILED, member.problem)
        person = QuietPerson()
        try:
            async with asyncio.timeout(self.deadline):
                result = await self._create_or_update(member.client, person, tenant, name)
        except TimeoutError as exc:
            sentence = (
                f"{tenant.label} did not answer within {self.deadline:g} seconds; the secret may "
                "or may not have been changed there. Retry it."
            )
            return TenantRotation(name, tenant, Step.FAILED, sentence, sent=True, error=exc)
        self.notices += [(name, titled(n.title, n.sentence)) for n in person.notices]
        if result.changed:
            verb = "created" if result.outcome is Outcome.CREATED else "updated"
            return TenantRotation(
                name, tenant, Step.DONE, f"{verb} ({result.message})", result.outcome, True
            )
        sentence = titled(result.title, result.sentence)
        return TenantRotation(
            name, tenant, Step.FAILED, sentence, result.outcome, result.sent, result.error
        )

    async def _create_or_update(
        self, client: SecretsApi, person: QuietPerson, tenant: Tenant, name: str
    ) -> Result:
        if name in self.holders:
            result = await update(
                client, person, self.draft, tenant, check_login=False, record=self.record
            )
            if not isinstance(result.error, NotFound):
                return result
        return await register(
            client, person, self.draft, tenant, check_login=False, record=self.record
        )


def summary_text(secret: str, states: Iterable[TenantRotation], notices: Sequence[str] = ()) -> str:
    """The rotation as plain text, one line per tenant, to copy into a ticket or a chat."""
    rows = list(states)
    done = sum(1 for s in rows if s.step is Step.DONE)
    width = max((len(s.member) for s in rows), default=0)
    lines = [f"Rotated “{secret}” in {done} of {len(rows)} tenants."]
    for state in rows:
        words = state.sentence or state.step.value
        shown = words if state.step is Step.DONE else f"{state.step.value}: {words}"
        lines.append(f"  {state.member.ljust(width)}  {shown}")
    lines += [f"  note: {notice}" for notice in notices]
    return "\n".join(lines)
