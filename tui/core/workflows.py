"""What registering, updating, deleting and listing a secret do, step by step, for app and CLI.

Each workflow takes the AI Core client and a :class:`Person`: whoever answers the questions and
watches the progress (the app's dialogs, the command line's prompts and flags, a test's script).
The decisions live here and nowhere else: whether a refused registry login blocks, what is asked
and in which words, what happens after "already exists". A workflow never raises for a failure
the user can meet: it returns a :class:`Result` carrying the sentence (and the error, for the one
place that shows errors). No Textual here.

Register (update is the same without the "already exists" branch, and PATCHes):

    login check (unless the profile or --no-check skips it): the :class:`LoginVerdict`
      cannot be used ...... BLOCKED: nothing is asked, nothing is sent
      anything else ....... the verdict goes into the one confirmation: accepted, refused (with
                            the registry's sentence), or not checked and why (no answer, a
                            certificate not trusted here, the check itself broke, turned off)
    ask ONE question, carrying the verdict and every warning of the draft:
      SEND ("Register secret “x”?") when the login was not refused
      ALREADY_EXISTS instead ("“x” already exists: update it?") when the tenant's list, as the
                            app last read it, holds the name: yes PATCHes, asked once
      LOGIN_REFUSED ("Register anyway" / "Fix it") when it was
      no is CANCELLED, nothing sent
    create
      created ............. CREATED
      already exists ...... ask ALREADY_EXISTS: yes PATCHes (UPDATED), no is EXISTS
      anything else ....... FAILED, with the error and whether it may have reached AI Core

Delete asks DELETE (the name typed out, where a person types) first. tests/core/test_workflows.py
walks every branch with a scripted person.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

from tui.core.dockerconfigjson import registry_key
from tui.core.errors import AlreadyExists, NetworkError, explain
from tui.core.foreign_text import displayable, named
from tui.core.request import FIELD_LABELS, SecretDraft, create_body, patch_body, validate_draft
from tui.core.session import Tenant, host_of
from tui.core.wording import joined

if TYPE_CHECKING:
    from datetime import datetime

    from tui.core.client import Quota
    from tui.core.ledger import Ledger
    from tui.core.profile_actions import Profile
    from tui.core.registry_login import CheckResult
    from tui.core.secret import Secret

T = TypeVar("T")


# --- what the workflows need from the client and from a person ---------------------------------


class SecretsApi(Protocol):
    """The part of :class:`tui.core.client.AICoreClient` the workflows use."""

    async def create_secret(self, name: str, body: Secret) -> str: ...

    async def update_secret(self, name: str, body: Secret) -> str: ...

    async def delete_secret(self, name: str) -> str: ...

    async def list_secrets(self) -> list[str]: ...

    async def quota(self) -> Quota: ...


class Ask(StrEnum):
    """Which question is asked, so a script (or the CLI's flags) can answer by kind."""

    SEND = "send"  # register / update these credentials?
    # The same one question when the registry refused the login: send anyway, or fix it?
    LOGIN_REFUSED = "login-refused"
    ALREADY_EXISTS = "already-exists"  # the name is taken: update it instead?
    DELETE = "delete"  # delete this secret?
    # Leave a form with a password typed? It is not kept; keeping it (no) is highlighted.
    DISCARD = "discard"


@dataclass(frozen=True)
class Question:
    kind: Ask
    title: str
    body: str
    yes: str = "Yes"
    no: str = "No"
    # Set when the answer must be typed out (deleting): the text the person must type.
    typed: str | None = None
    # Sending: what the registry login check came to, and the draft's warnings ("Email: does
    # not look like an email address"), each also in ``body``; for a person who words them apart.
    login: LoginVerdict | None = None
    warnings: tuple[str, ...] = ()


# The words Textual's notify uses, so a notice goes to a toast unchanged.
Severity = Literal["information", "warning", "error"]


def titled(title: str, sentence: str) -> str:
    """``title`` before ``sentence``: "Login refused: ghcr.io refused …", but "Login not
    checked. The host …" where the sentence starts as a sentence does."""
    if not title:
        return sentence
    return f"{title}{'. ' if sentence[:1].isupper() else ': '}{sentence}"


@dataclass(frozen=True)
class Notice:
    """Something the person should read without having to answer it."""

    sentence: str
    title: str = ""
    severity: Severity = "information"


class Interrupted(Exception):
    """Raised by :meth:`Person.working` when the person stopped waiting (escape): the job was
    cancelled, and the workflow says whether its request may still have reached AI Core."""


@dataclass(frozen=True)
class InFlight:
    """A request under way that may change the tenant, for whoever shows its progress: what
    stopping it now (escape, ctrl+c, quitting) leaves behind."""

    op: Literal["create", "update", "delete"]
    name: str
    # True once the request was handed to the network: from then on it may reach AI Core.
    sent: Callable[[], bool]

    def stopped(self) -> str:
        return stopped_sentence(self.op, self.name, sent=self.sent())


class Person(Protocol):
    """What a workflow needs from whoever runs it."""

    async def confirm(self, question: Question) -> bool:
        """Ask a yes/no question; True means go ahead."""
        ...

    async def working(self, message: str, job: Awaitable[T], request: InFlight | None = None) -> T:
        """Await ``job`` while showing ``message`` (e.g. "Registering “x” at host …").

        May cancel ``job`` and raise :class:`Interrupted` when the person stops it. ``request``
        is set when the job may change the tenant: what is known of it while it runs.
        """
        ...

    def tell(self, notice: Notice) -> None:
        """Show a notice; the workflow goes on."""
        ...

    def error(self, title: str, error: BaseException) -> None:
        """Show a failure that does not end the workflow (e.g. the login check itself broke)."""
        ...


# --- results -----------------------------------------------------------------------------------


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    CANCELLED = "cancelled"  # the person said no to the first question: nothing was sent
    STOPPED = "stopped"  # the person stopped a running request: ``sent`` says if it got out
    BLOCKED = "blocked"  # the login cannot be used as typed: nothing was sent
    EXISTS = "exists"  # the name is taken and the person chose not to update it
    FAILED = "failed"  # AI Core or the network said no: ``error`` says why


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    name: str
    # The sentence for the person: the server's message on success, else what happened and what
    # to do next.
    sentence: str
    # False only when surely nothing reached AI Core (a no, a blocked login, a connection never
    # made); True when the request reached it or may have.
    sent: bool
    # What the server said on success ("Secret has been created"), for the result screen.
    message: str = ""
    # On FAILED: the title of the failure ("“x” could not be registered") and the error itself.
    title: str = ""
    error: BaseException | None = None
    # What the registry login check said, when it ran.
    login: CheckResult | None = None

    @property
    def changed(self) -> bool:
        """The tenant holds the change: created, updated or deleted, as AI Core confirmed."""
        return self.outcome in (Outcome.CREATED, Outcome.UPDATED, Outcome.DELETED)

    @property
    def fix_field(self) -> str:
        """The field to correct first when the login check stood in the way: it blocked, or the
        person answered "Fix it" to its refusal (a no to a login that was not refused: "")."""
        if self.login is None or self.outcome not in (Outcome.BLOCKED, Outcome.CANCELLED):
            return ""
        return fix_field(verdict_of(self.login))


@dataclass(frozen=True)
class Listing:
    """The tenant's secret names (sorted) and quota, or why they could not be read."""

    names: list[str] = field(default_factory=list)
    quota: Quota | None = None
    title: str = ""
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def reached_server(error: BaseException) -> bool:
    """Whether a request that failed with ``error`` may have reached AI Core."""
    # These fail before a byte of the request is sent; every other failure may come after.
    return not (isinstance(error, NetworkError) and error.reason in ("dns", "refused", "tls"))


# What stopping a running request leaves behind, by operation: nothing, or something to look at.
_STOPPED_UNSENT = {
    "create": "so “{name}” was not registered.",
    "update": "so the credentials stored in “{name}” are unchanged.",
    "delete": "so “{name}” is still there.",
}
_STOPPED_SENT = {
    "create": "created “{name}”; list the secrets again to see whether it is there.",
    "update": "updated “{name}”; update it again to be sure which credentials it holds.",
    "delete": "deleted “{name}”; list the secrets again to see whether it is still there.",
}
LOGIN_STOPPED = "Stopped the login check: nothing was sent to AI Core."


def stopped_sentence(op: str, name: str, *, sent: bool) -> str:
    """What a person is told after stopping the ``op`` of ``name`` ("create", "update",
    "delete"), by whether its request had been handed to the network."""
    if sent:
        what = "Stopped after the request was sent: AI Core may have " + _STOPPED_SENT[op]
    else:
        what = (
            "Stopped before anything was sent: AI Core has not received it, "
            + (_STOPPED_UNSENT[op])
        )
    return what.format(name=named(name))


def stopped_notice(result: Result) -> Notice:
    """How a STOPPED result is told: a warning when the request may have done its work."""
    return Notice(result.sentence, result.title, "warning" if result.sent else "information")


def _requests_started(client: object) -> int | None:
    # A client that does not count (a test's stand-in) is taken to have sent: "may have" is the
    # safe thing to say.
    count = getattr(client, "requests_started", None)
    return count if isinstance(count, int) else None


async def _sent_or_stopped(
    client: SecretsApi,
    person: Person,
    op: Literal["create", "update", "delete"],
    name: str,
    message: str,
    job: Awaitable[str],
) -> str | Result:
    """``job`` under ``message``: its answer, or the Result of the person stopping it."""
    before = _requests_started(client)

    def sent() -> bool:
        return before is None or _requests_started(client) != before

    request = InFlight(op, name, sent)
    try:
        return await person.working(message, job, request)
    except Interrupted:
        was_sent = sent()
        sentence = stopped_sentence(op, name, sent=was_sent)
        return Result(Outcome.STOPPED, name, sentence, sent=was_sent, title="Stopped")


def _failed(name: str, title: str, error: BaseException, login: CheckResult | None) -> Result:
    return Result(
        Outcome.FAILED,
        name,
        explain(error),
        sent=reached_server(error),
        title=title,
        error=error,
        login=login,
    )


# --- the registry login check ------------------------------------------------------------------

LoginCheck = Callable[..., Awaitable["CheckResult"]]


def _default_login_check() -> LoginCheck:
    # httpx loads with the first login check, not when a screen that offers one is imported.
    from tui.core.registry_login import check_login

    return check_login


def login_progress(draft: SecretDraft, image: str | None) -> str:
    doing = f" and pulling {image}" if image else ""
    return f"Logging in to {draft.registry}{doing} to check the credentials …"


async def check_registry_login(
    person: Person,
    draft: SecretDraft,
    *,
    image: str | None = None,
    login_check: LoginCheck | None = None,
) -> CheckResult | None:
    """Log in to the draft's registry (and pull ``image``); None when the check itself broke."""
    run = login_check or _default_login_check()
    try:
        return await person.working(
            login_progress(draft, image),
            run(draft.registry, draft.username, draft.password, image=image),
        )
    except Interrupted:
        raise
    except Exception as exc:
        person.error("The login could not be checked", exc)
        return None


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"  # rejected, not a registry, or the image cannot be pulled
    # Tried, but no verdict: no answer, a certificate not trusted here, the login cannot be used
    # as typed, or the check itself broke.
    NOT_CHECKED = "not checked"
    SKIPPED = "skipped"  # the profile (or the command) turns the check off


CHECK_SKIPPED = "this profile skips the registry login check."


@dataclass(frozen=True)
class LoginVerdict:
    """What the registry login check came to, in the words the confirmation and the form use."""

    verdict: Verdict
    # The registry's sentence (accepted, refused), or why the login was not checked.
    sentence: str
    check: CheckResult | None = None  # None when skipped or when the check itself broke

    @property
    def line(self) -> str:
        """ "Login refused: ghcr.io refused the login for user octo (HTTP 401) …"."""
        return self.line_at("")

    def line_at(self, clock: str) -> str:
        """The line with the time of the check, as the form keeps it: "Login accepted at
        12:03: …"."""
        said = "not checked" if self.verdict is Verdict.SKIPPED else self.verdict.value
        when = f" at {clock}" if clock else ""
        return titled(f"Login {said}{when}", self.sentence)

    @property
    def blocks(self) -> bool:
        """The login cannot be used as typed (a malformed image reference): nothing is asked."""
        return self.check is not None and _unusable(self.check)


def fix_field(verdict: LoginVerdict | None) -> str:
    """Where the cursor goes when this verdict is to be fixed (it blocks, or was refused and
    the person chose "Fix it"): the first field its sentence names; "" for none."""
    if verdict is None or verdict.check is None:
        return ""
    if verdict.blocks or verdict.verdict is Verdict.REFUSED:
        return verdict.check.fix_field
    return ""


def _unusable(result: CheckResult) -> bool:
    # Loaded already by the check that gave the result.
    from tui.core.registry_login import Outcome as Login

    return result.outcome is Login.BAD_INPUT


def verdict_of(result: CheckResult) -> LoginVerdict:
    if result.ok:
        return LoginVerdict(Verdict.ACCEPTED, result.sentence, result)
    if result.judged and not _unusable(result):
        return LoginVerdict(Verdict.REFUSED, result.sentence, result)
    # No answer (or a certificate this machine does not trust) is not a refusal: AI Core pulls
    # from the cloud.
    return LoginVerdict(Verdict.NOT_CHECKED, result.sentence, result)


async def login_verdict(
    person: Person, draft: SecretDraft, image: str | None, login_check: LoginCheck | None
) -> LoginVerdict:
    """Check the login before sending; a check that itself broke is a verdict too, not a
    failure (it must not block registering, and the confirmation says it was not checked)."""
    run = login_check or _default_login_check()
    try:
        result = await person.working(
            login_progress(draft, image),
            run(draft.registry, draft.username, draft.password, image=image),
        )
    except Interrupted:
        raise  # the person stopped it: the workflow ends there
    except Exception as exc:
        return LoginVerdict(Verdict.NOT_CHECKED, f"the check itself failed. {explain(exc)}")
    return verdict_of(result)


# --- register and update -----------------------------------------------------------------------


def draft_warnings(draft: SecretDraft) -> tuple[str, ...]:
    """The draft's warnings (none of them stops sending), as "Email: does not look like …"."""
    return tuple(
        f"{FIELD_LABELS.get(p.field, p.field)}: {p.message}"
        for p in validate_draft(draft)
        if p.warning
    )


REFUSED_TITLE = "The registry did not accept this login"


def warning_lines(warnings: tuple[str, ...]) -> list[str]:
    """How a confirmation lists the warnings: a blank line, a heading, one bullet each."""
    return ["", "Warnings:", *(f"• {warning}" for warning in warnings)] if warnings else []


def send_question(
    draft: SecretDraft,
    tenant: Tenant,
    *,
    update: bool,
    login: LoginVerdict,
    warnings: tuple[str, ...] = (),
    exists: bool = False,
) -> Question:
    """The one confirmation before sending: what goes where, the login verdict, every warning.

    ``exists``: a registration whose name the tenant's list holds already: the question is the
    update it will be (asking "Register?", then "already exists: update?", asked twice).
    """
    update = update or exists
    verb = "Update" if update else "Register"
    refused = login.verdict is Verdict.REFUSED
    lines = [
        f"Tenant: {tenant.label}",
        f"Secret: {draft.name}",
        f"Registry: {registry_key(draft.registry)}, user {draft.username}",
        login.line,
    ]
    lines += warning_lines(warnings)
    effect = (
        "The stored credentials, registry included, are replaced."
        if update
        else "The secret becomes visible to every resource group of the tenant."
    )
    if exists:
        effect = (
            f"The tenant's list holds “{draft.name}” already: its stored credentials, registry "
            "included, are replaced."
        )
    lines += ["", f"{effect} {verb} it anyway?" if refused else effect]
    body = "\n".join(lines)
    if refused:
        return Question(
            Ask.LOGIN_REFUSED,
            REFUSED_TITLE,
            body,
            f"{verb} anyway",
            "Fix it",
            login=login,
            warnings=warnings,
        )
    if exists:
        title = f"“{draft.name}” already exists: update it?"
        return Question(
            Ask.ALREADY_EXISTS, title, body, verb, "Cancel", login=login, warnings=warnings
        )
    title = f"{verb} secret “{draft.name}”?"
    return Question(Ask.SEND, title, body, verb, "Cancel", login=login, warnings=warnings)


def exists_question(draft: SecretDraft, tenant: Tenant) -> Question:
    return Question(
        Ask.ALREADY_EXISTS,
        f"“{draft.name}” already exists",
        f"There is already a secret named “{draft.name}” in {tenant.label}. Replace its "
        "credentials with these (an update, PATCH)?",
        yes="Update",
        no="Cancel",
    )


def login_refused_question(result: CheckResult) -> Question:
    return Question(
        Ask.LOGIN_REFUSED,
        REFUSED_TITLE,
        f"{result.sentence}\n\nRegister the secret anyway?",
        yes="Register anyway",
        no="Fix it",
        login=verdict_of(result),
    )


EXISTS_DECLINED = "Nothing was changed. Pick another name, or update it later."
CANCELLED = "Nothing was sent."


async def login_gate(
    person: Person, draft: SecretDraft, image: str | None, login_check: LoginCheck | None
) -> tuple[Outcome | None, CheckResult | None]:
    """The check before a rotation, which asks its own question after it: (None to go on, or
    why not; what the registry said)."""
    result = await check_registry_login(person, draft, image=image, login_check=login_check)
    if result is None:
        return None, result  # a check that itself broke must not block sending
    verdict = verdict_of(result)
    if verdict.blocks:
        return Outcome.BLOCKED, result
    if verdict.verdict is Verdict.NOT_CHECKED:
        person.tell(Notice(result.sentence, "Login not checked", "warning"))
    if verdict.verdict is not Verdict.REFUSED or await person.confirm(
        login_refused_question(result)
    ):
        return None, result
    return Outcome.CANCELLED, result


async def register(
    client: SecretsApi,
    person: Person,
    draft: SecretDraft,
    tenant: Tenant,
    *,
    check_login: bool = True,
    image: str | None = None,
    login_check: LoginCheck | None = None,
    record: Record | None = None,
    exists: bool = False,
) -> Result:
    """Check the login (unless told not to), confirm, create; on "already exists" offer an update.

    ``exists``: the tenant's list holds the name already (as the caller last read it): the one
    question is that update, and yes sends it. ``draft`` must have passed
    :func:`tui.core.request.validate_draft`. What was sent is noted in the ledger (see
    :class:`Record`).
    """
    options = _Options(check_login, image, login_check, record or Record(), exists)
    return await _send(client, person, draft, tenant, False, options)


async def update(
    client: SecretsApi,
    person: Person,
    draft: SecretDraft,
    tenant: Tenant,
    *,
    check_login: bool = True,
    image: str | None = None,
    login_check: LoginCheck | None = None,
    record: Record | None = None,
) -> Result:
    """Check the login (unless told not to), confirm, replace the stored credentials (PATCH)."""
    options = _Options(check_login, image, login_check, record or Record())
    return await _send(client, person, draft, tenant, True, options)


@dataclass(frozen=True)
class Record:
    """What the ledger notes beside a create or update, besides the draft's registry and user.

    ``source`` is the credential's descriptor (``env:ECR_TOKEN``, tui/core/source_spec.py; ""
    when typed into the app), ``expires_at`` the expiry the user gave. ``checked`` is a login
    check already made for this credential (a rotation checks once for every tenant).
    ``ledger`` defaults to the tenant's own (:meth:`Tenant.ledger`: beside profiles.toml, the
    demo's in its throw-away directory); a tenant without a key keeps none.
    """

    source: str = ""
    expires_at: datetime | None = None
    checked: CheckResult | None = None
    checked_image: str | None = None
    ledger: Ledger | None = None


@dataclass(frozen=True)
class _Options:
    check_login: bool
    image: str | None
    login_check: LoginCheck | None
    record: Record
    exists: bool = False


def _ledger(record: Record, tenant: Tenant) -> Ledger:
    return record.ledger if record.ledger is not None else tenant.ledger()


_LEDGER_DONE = {
    Outcome.CREATED: "“{name}” was created in AI Core",
    Outcome.UPDATED: "“{name}” was updated in AI Core",
    Outcome.DELETED: "“{name}” was deleted in AI Core",
    Outcome.STOPPED: "“{name}” may have been changed in AI Core",
}


async def _in_ledger(person: Person, done: Outcome, name: str, write: Callable[[], object]) -> None:
    """Run the ledger ``write`` for a change AI Core confirmed; a problem is only a notice.

    In a thread: the ledger's lock may be held by another process, and the app must go on
    drawing and taking keys meanwhile (the wait is bounded, see ``ledger.LOCK_WAIT``).
    """
    from tui.core.ledger import LedgerError

    what = _LEDGER_DONE[done].format(name=name)
    try:
        await asyncio.to_thread(write)
    except LedgerError as exc:
        person.tell(Notice(f"{what}. {exc.explanation}", "The ledger was not updated", "warning"))
    except asyncio.CancelledError:
        # ctrl+c or quitting while the ledger was written: the change in AI Core stands.
        person.tell(
            Notice(
                f"{what}; stopped while noting it in the ledger, which may not note it.",
                "The ledger may not be updated",
                "warning",
            )
        )
        raise


async def _note_sent(
    person: Person, tenant: Tenant, result: Result, draft: SecretDraft, options: _Options
) -> None:
    """Write a confirmed create or update into the ledger, or one stopped after it was sent
    (noted as unconfirmed: it may have done its work, and it is regsecret's, not someone
    else's)."""
    stopped_sent = result.outcome is Outcome.STOPPED and result.sent
    if not tenant.key or not (result.changed or stopped_sent):
        return
    record = options.record
    login, image = result.login, options.image
    if login is None and record.checked is not None:
        login, image = record.checked, record.checked_image
    ledger, key = _ledger(record, tenant), tenant.key

    def write() -> None:
        ledger.record(
            key,
            draft.name,
            registry=draft.registry,
            username=draft.username,
            email=draft.email,
            created=result.outcome is Outcome.CREATED,
            source=record.source,
            verified_image=(image or "") if login is not None and login.ok else None,
            expires_at=record.expires_at,
            confirmed=not stopped_sent,
        )

    await _in_ledger(person, result.outcome, draft.name, write)


async def _note_deleted(person: Person, tenant: Tenant, name: str, ledger: Ledger | None) -> None:
    if not tenant.key:
        return
    store, key = _ledger(Record(ledger=ledger), tenant), tenant.key
    await _in_ledger(person, Outcome.DELETED, name, lambda: store.forget(key, name))


async def _send(
    client: SecretsApi,
    person: Person,
    draft: SecretDraft,
    tenant: Tenant,
    update: bool,
    options: _Options,
) -> Result:
    result = await _send_unrecorded(client, person, draft, tenant, update, options)
    await _note_sent(person, tenant, result, draft, options)
    return result


async def _send_unrecorded(
    client: SecretsApi,
    person: Person,
    draft: SecretDraft,
    tenant: Tenant,
    update: bool,
    options: _Options,
) -> Result:
    name = draft.name
    verdict = LoginVerdict(Verdict.SKIPPED, CHECK_SKIPPED)
    if options.check_login:
        try:
            verdict = await login_verdict(person, draft, options.image, options.login_check)
        except Interrupted:
            return Result(Outcome.STOPPED, name, LOGIN_STOPPED, sent=False, title="Stopped")
    login = verdict.check
    if verdict.blocks and login is not None:
        return Result(
            Outcome.BLOCKED,
            name,
            login.sentence,
            sent=False,
            title="Fix the login first",
            login=login,
        )
    question = send_question(
        draft,
        tenant,
        update=update,
        login=verdict,
        warnings=draft_warnings(draft),
        exists=options.exists,
    )
    if not await person.confirm(question):
        return Result(Outcome.CANCELLED, name, CANCELLED, sent=False, login=login)
    if update or options.exists:
        return await _patched(client, person, draft, tenant, login)
    try:
        message = await _sent_or_stopped(
            client,
            person,
            "create",
            name,
            f"Registering “{name}” at {tenant.host} …",
            client.create_secret(name, create_body(draft)),
        )
    except AlreadyExists:
        return await _offer_update(client, person, draft, tenant, login)
    except Exception as exc:
        return _failed(name, f"“{name}” could not be registered", exc, login)
    return _answered(message, Outcome.CREATED, name, login)


def _answered(answer: str | Result, done: Outcome, name: str, login: CheckResult | None) -> Result:
    """The Result of a create or update that ran: ``done`` with AI Core's message, or stopped."""
    if isinstance(answer, Result):
        return replace(answer, login=login)
    return Result(done, name, answer, sent=True, message=answer, login=login)


async def _patched(
    client: SecretsApi,
    person: Person,
    draft: SecretDraft,
    tenant: Tenant,
    login: CheckResult | None,
) -> Result:
    name = draft.name
    try:
        message = await _sent_or_stopped(
            client,
            person,
            "update",
            name,
            f"Updating “{name}” at {tenant.host} …",
            client.update_secret(name, patch_body(draft)),
        )
    except Exception as exc:
        return _failed(name, f"“{name}” could not be updated", exc, login)
    return _answered(message, Outcome.UPDATED, name, login)


async def _offer_update(
    client: SecretsApi,
    person: Person,
    draft: SecretDraft,
    tenant: Tenant,
    login: CheckResult | None,
) -> Result:
    name = draft.name
    if not await person.confirm(exists_question(draft, tenant)):
        # The create reached AI Core (it said "already exists") but changed nothing.
        return Result(Outcome.EXISTS, name, EXISTS_DECLINED, sent=True, login=login)
    return await _patched(client, person, draft, tenant, login)


# --- delete and list ---------------------------------------------------------------------------


def discard_question(
    lost: str,
    *,
    title: str = "Discard what you typed?",
    finish: str = "send it",
    yes: str = "Discard",
) -> Question:
    """Before a form with something typed is left: ``lost`` says what goes. Every form asks it
    so; keeping it, the safe answer, is the highlighted one (the app's careful dialog)."""
    return Question(
        Ask.DISCARD,
        title,
        f"{lost} Keep editing and press ctrl+s to {finish}.",
        yes=yes,
        no="Keep editing",
    )


#: How the quit question names what each form would drop: before the name it holds, and
#: with none yet.
_UNSENT_WORDS = {
    "register": ("the new secret", "the new secret you were typing"),
    "update": ("the update of", "an update"),
    "rotate": ("the rotation of", "the rotation of a new secret"),
    "new-profile": ("the new profile", "the new profile you were typing"),
    "profile": ("the changes to profile", "the changes to a profile"),
    "import": ("the service key import from", "the service key import you were typing"),
}


@dataclass(frozen=True)
class Unsent:
    """What a form holds that a person typed and did not send or save: which form, and the
    secret, profile or file it names (as typed or listed; "" for none yet). Quitting drops it,
    with every draft the session keeps, so the app asks first (:func:`quit_question`)."""

    form: Literal["register", "update", "rotate", "new-profile", "profile", "import"]
    name: str = ""

    @property
    def what(self) -> str:
        """ "the update of “x”": how the quit question names it."""
        before, unnamed = _UNSENT_WORDS[self.form]
        return f"{before} “{displayable(self.name, limit=60)}”" if self.name else unnamed


def quit_question(unsent: list[Unsent]) -> Question:
    """Before the app quits with something typed and not sent or saved in the forms open: one
    question naming each; keeping it (not quitting) is the highlighted answer."""
    names = [each.what for each in unsent]
    listed = joined(names)
    return discard_question(
        f"Quitting drops {listed}: what you typed there is not sent or saved, and nothing of it "
        "is kept once regsecret has quit.",
        title="Quit and discard what you typed?",
        finish="send or save it",
        yes="Quit",
    )


def update_discard_question(name: str) -> Question:
    """Before leaving an unsent update form with something typed: an update's form is never
    kept (the next one opens from the ledger again), so what was typed goes."""
    shown = displayable(name, limit=60)  # a name AI Core listed: foreign text
    return discard_question(
        f"The update of “{shown}” is not sent, and what you typed is not kept once you leave "
        "this form."
    )


def delete_question(name: str, tenant: Tenant) -> Question:
    return Question(
        Ask.DELETE,
        f"Delete “{named(name)}”?",
        f"The secret is removed from {tenant.label}. Executions and deployments that pull "
        "images with it will fail until you register it again.",
        yes="Delete",
        no="Cancel",
        typed=name,
    )


async def delete(
    client: SecretsApi,
    person: Person,
    name: str,
    tenant: Tenant,
    *,
    ledger: Ledger | None = None,
) -> Result:
    """Confirm (by typing the name, where a person types), then delete; the ledger forgets it."""
    shown = named(name)  # as typed or listed: any length, any character
    if not await person.confirm(delete_question(name, tenant)):
        return Result(Outcome.CANCELLED, name, CANCELLED, sent=False)
    try:
        done = await _sent_or_stopped(
            client,
            person,
            "delete",
            name,
            f"Deleting “{shown}” at {tenant.host} …",
            client.delete_secret(name),
        )
    except Exception as exc:
        return _failed(name, f"“{shown}” could not be deleted", exc, None)
    if isinstance(done, Result):
        return done
    await _note_deleted(person, tenant, name, ledger)
    return Result(Outcome.DELETED, name, f"Deleted “{shown}”.", sent=True)


async def list_secrets(client: SecretsApi, person: Person, tenant: Tenant) -> Listing:
    """Every secret name of the tenant, sorted, and its quota."""

    async def read() -> Listing:
        names = await client.list_secrets()
        quota = await client.quota()
        return Listing(sorted(names), quota)

    try:
        return await person.working(f"Reading the secrets of {tenant.label} …", read())
    except Interrupted:
        raise  # stopped, not failed: whoever stopped it says so
    except Exception as exc:
        return Listing(title="The secrets could not be listed", error=exc)


# --- test a connection profile -----------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionTest:
    """Whether a profile reaches its tenant: a token, then the quota (URL, credentials, rights)."""

    ok: bool
    sentence: str
    title: str = ""
    error: BaseException | None = None


def connection_test_progress(profile: Profile) -> str:
    return f"Testing “{profile.name}”: fetching a token from {host_of(profile.token_url)} …"


async def connection_test(profile: Profile, secret: Secret | None) -> ConnectionTest:
    """Fetch a fresh token and read the quota with the profile's connection."""
    # httpx loads with the first request, not with the screen that offers the test.
    from tui.core.client import AICoreClient
    from tui.core.profile_actions import connection_for

    try:
        async with AICoreClient(connection_for(profile, secret)) as client:
            quota = await client.test_connection()
    except Exception as exc:
        return ConnectionTest(
            False, explain(exc), title=f"Connection test of “{profile.name}” failed", error=exc
        )
    return ConnectionTest(True, f"“{profile.name}” works: token received, {quota.describe()}.")
