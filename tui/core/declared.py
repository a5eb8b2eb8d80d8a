"""``regsecret apply FILE``: the secrets a file declares, the plan that makes tenants hold them, and
carrying it out.

The file (TOML, read with the safe loader) has one table per secret::

    [secrets.ecr]
    registry = "123456789012.dkr.ecr.eu-central-1.amazonaws.com"
    username = "AWS"
    email = "ops@example.com"                                  # optional
    source = "command:aws ecr get-login-password --region eu-central-1"
    expires = "12h"                                            # optional: 30d, 2w, a date
    tenants = ["prod-eu", "prod-us"]                           # profile names, or "all"
    check = true                                               # optional: log in once first

``source`` is a credential source descriptor (tui/core/source_spec.py). Every problem is a
sentence with its line.

The plan, per declared secret and tenant: *create* where the tenant lacks it; *nothing to do*
where it has it and the ledger says this exact source, registry, username and email were applied
and the credential is not due (not expired, and more than a quarter of its lifetime left);
*update* otherwise. A secret a tenant holds but the file does not declare for it is left alone;
with ``prune`` it is deleted, but only when the ledger says regsecret registered or updated it
there: a secret registered outside regsecret is never pruned (nobody can tell what uses it).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from tui.core.dockerconfigjson import registry_key
from tui.core.errors import ForeignDataError, InputError, RegsecretError
from tui.core.fleet import Load, Member, QuietPerson, TenantState
from tui.core.foreign_text import named, named_list, named_path
from tui.core.ledger import LedgerEntry, LedgerRead, now_utc, parse_expiry
from tui.core.profile_store import TableLines
from tui.core.request import SecretDraft, has_errors, validate_draft, validate_field
from tui.core.rotation import Rotation, Step, check_once
from tui.core.safe_load import load_toml, read_small_file
from tui.core.source_spec import SourceSpec, parse_source, read_source
from tui.core.wording import counted
from tui.core.workflows import Record, delete, titled

_FIELDS = ("registry", "username", "email", "source", "expires", "tenants", "check", "image")
_REQUIRED = ("registry", "username", "source", "tenants")


@dataclass(frozen=True)
class Declared:
    """One secret the file declares."""

    name: str
    registry: str
    username: str
    source: SourceSpec
    tenants: tuple[str, ...] | None  # None: every profile
    email: str = ""
    expires: object = None  # as written: text, a TOML date or time; parsed when applied
    check: bool = True
    image: str | None = None


def read_declarations(path: Path) -> list[Declared]:
    """The secrets ``path`` declares; InputError with every problem, each with its line."""
    shown = named_path(path)  # the path as given: bounded, so a problem's line still shows
    try:
        text = read_small_file(path, what="an apply file")
        data = load_toml(text, shown)
    except ForeignDataError as exc:
        raise InputError(exc.explanation) from None
    lines = TableLines(text, "secrets")
    problems: list[str] = []

    def problem(name: str | None, field: str | None, sentence: str) -> None:
        line = lines.locate(name, field) if name is not None else None
        problems.append(f"{shown} line {line}: {sentence}" if line else f"{shown}: {sentence}")

    for key in data:
        if key != "secrets":
            said = f"unknown section '{named(key)}'; the file has only [secrets.NAME]."
            problem(None, None, said)
    tables = data.get("secrets", {})
    if not isinstance(tables, dict) or not tables:
        problem(None, None, "no secrets declared: add a [secrets.NAME] table per secret.")
        tables = {}
    declared: list[Declared] = []
    for name, table in tables.items():
        try:
            declared.append(_declared(name, table))
        except _Problem as bad:
            problem(name, bad.field, f"secret “{named(name)}”: {bad.sentence}")
    if problems:
        raise InputError(" ".join(problems))
    return declared


class _Problem(Exception):
    def __init__(self, field: str | None, sentence: str) -> None:
        super().__init__(sentence)
        self.field = field
        self.sentence = sentence


def _declared(name: str, table: Any) -> Declared:
    if not isinstance(table, dict):
        raise _Problem(None, "should be a table of fields.")
    for field in table:
        if field not in _FIELDS:
            said = f"field '{named(field)}' is not known. Fields: {', '.join(_FIELDS)}."
            raise _Problem(field, said)
    for field in _REQUIRED:
        if field not in table:
            raise _Problem(None, f"field '{field}' is missing.")
    for field in ("registry", "username", "email", "source", "image"):
        if field in table and not isinstance(table[field], str):
            raise _Problem(field, f"field '{field}' should be text.")
    draft = SecretDraft(name, table["registry"], table["username"], email=table.get("email", ""))
    for field in ("name", "registry", "username", "email"):
        errors = [p for p in validate_field(draft, field) if not p.warning]
        if errors:
            raise _Problem(None if field == "name" else field, f"{field}: {errors[0].message}.")
    try:
        source = parse_source(table["source"])
    except InputError as exc:
        raise _Problem("source", exc.explanation) from None
    if source.kind in ("stdin", "typed"):
        raise _Problem("source", "a file cannot read standard input or typed text; use env:VAR.")
    tenants = table["tenants"]
    if tenants == "all":
        chosen: tuple[str, ...] | None = None
    elif isinstance(tenants, list) and tenants and all(isinstance(t, str) for t in tenants):
        chosen = tuple(dict.fromkeys(tenants))
    else:
        raise _Problem("tenants", "field 'tenants' is a list of profile names, or \"all\".")
    if "expires" in table:
        try:
            parse_expiry(table["expires"])
        except InputError as exc:
            raise _Problem("expires", exc.explanation) from None
    check = table.get("check", True)
    if not isinstance(check, bool):
        raise _Problem("check", "field 'check' must be true or false.")
    return Declared(
        name,
        table["registry"],
        table["username"],
        source,
        chosen,
        table.get("email", ""),
        table.get("expires"),
        check,
        table.get("image"),
    )


# --- the plan ----------------------------------------------------------------------------------


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    NOTHING = "nothing"  # nothing to do
    DELETE = "delete"  # --prune: not declared here, and regsecret registered it
    LEAVE = "leave"  # not declared here: left alone
    UNREACHABLE = "unreachable"  # the tenant could not be listed: nothing can be planned


@dataclass(frozen=True)
class PlanStep:
    member: str
    name: str  # the secret; "" for a tenant that could not be listed
    action: Action
    sentence: str
    error: BaseException | None = None  # UNREACHABLE: why the tenant could not be listed


# What a plan changes in a tenant: what --dry-run counts as changes.
CHANGES = (Action.CREATE, Action.UPDATE, Action.DELETE)


def due(entry: LedgerEntry, now: datetime) -> bool:
    """The credential should be applied again: expired, or less than a quarter of its life left."""
    if entry.expires_at is None:
        return False
    if entry.expires_at <= now:
        return True
    start = entry.last_rotated
    if start is None:
        return False
    return (entry.expires_at - now) < (entry.expires_at - start) / 4


def _applied(entry: LedgerEntry | None, secret: Declared) -> bool:
    return (
        entry is not None
        and entry.source == str(secret.source)
        and entry.registry == registry_key(secret.registry)
        and entry.username == secret.username
        and entry.email == secret.email
    )


def members_of(secret: Declared, members: list[Member]) -> list[Member]:
    if secret.tenants is None:
        return list(members)
    return [m for m in members if m.name in secret.tenants]


def unknown_tenants(declared: list[Declared], members: list[Member]) -> list[str]:
    names = {m.name for m in members}
    wanted = [t for d in declared if d.tenants is not None for t in d.tenants]
    return [t for t in dict.fromkeys(wanted) if t not in names]


def make_plan(
    declared: list[Declared],
    members: list[Member],
    states: list[TenantState],
    ledger: LedgerRead,
    *,
    prune: bool = False,
    now: datetime | None = None,
) -> list[PlanStep]:
    """What apply would do, per tenant and secret, from the live lists and the ledger."""
    when = now or now_utc()
    by_member = {s.member: s for s in states}
    steps: list[PlanStep] = []
    wanted: dict[str, set[str]] = {}
    for secret in declared:
        for member in members_of(secret, members):
            wanted.setdefault(member.name, set()).add(secret.name)
    for member in members:
        if member.name not in wanted:
            continue
        state = by_member.get(member.name)
        if state is None or state.status is not Load.LOADED:
            sentence = state.sentence if state is not None else "not listed"
            error = state.error if state is not None else None
            steps.append(PlanStep(member.name, "", Action.UNREACHABLE, sentence, error))
            continue
        known = ledger.for_tenant(member.tenant.key)
        for secret in declared:
            if secret.name not in wanted[member.name]:
                continue
            entry = known.get(secret.name)
            if secret.name not in state.names:
                steps.append(PlanStep(member.name, secret.name, Action.CREATE, "create"))
            elif _applied(entry, secret) and entry is not None and not due(entry, when):
                steps.append(
                    PlanStep(
                        member.name,
                        secret.name,
                        Action.NOTHING,
                        f"nothing to do: {entry.source} applied {_when(entry.last_rotated)}"
                        + (f", expires {_when(entry.expires_at)}" if entry.expires_at else ""),
                    )
                )
            else:
                why = "source or login changed" if entry is not None else "not applied from here"
                if entry is not None and _applied(entry, secret):
                    why = "due: expires " + _when(entry.expires_at)
                steps.append(PlanStep(member.name, secret.name, Action.UPDATE, f"update ({why})"))
        for extra in sorted(set(state.names) - wanted[member.name]):
            if extra not in known:
                sentence = "left alone: registered outside regsecret"
                steps.append(PlanStep(member.name, extra, Action.LEAVE, sentence))
            elif prune:
                steps.append(PlanStep(member.name, extra, Action.DELETE, "delete (--prune)"))
            else:
                sentence = "left alone: not declared here (--prune deletes it)"
                steps.append(PlanStep(member.name, extra, Action.LEAVE, sentence))
    return steps


def plan_sentence(plan: list[PlanStep]) -> str:
    """What ``--dry-run`` says last: the changes counted in the tenants that could be listed.

    A tenant that could not be listed has no plan: its changes are unknown, so it is named
    apart instead of counted ("0 changes in 2 tenants" would say it needs nothing).
    """
    unlisted = _unlisted(plan)
    listed = {p.member for p in plan if p.action is not Action.UNREACHABLE}
    changes = sum(1 for p in plan if p.action in CHANGES)
    planned = f"The plan: {counted(changes, 'change')} in {counted(len(listed), 'tenant')}"
    if not unlisted:
        return f"{planned}."
    names, its, their = _named_tenants(unlisted)
    unknown = f"{names} could not be listed, so {their} changes are unknown. {_retry(its)}"
    if not listed:
        return f"Nothing could be planned: {unknown}"
    return f"{planned}; {unknown}"


def applied_sentence(file: str, results: list[StepResult]) -> str:
    """What ``apply`` says last: the changes AI Core confirmed, the steps that failed, and the
    tenants that could not be listed, where nothing was tried (neither done nor failed)."""
    unlisted = _unlisted([r.step for r in results])
    done = sum(1 for r in results if r.ok and r.sent)
    failed = sum(1 for r in results if not r.ok and r.step.action is not Action.UNREACHABLE)
    shown = named_path(file)
    tally = f"{counted(done, 'change')}, {counted(failed, 'failure')}"
    if not unlisted:
        return f"Applied {shown}: {tally}."
    names, its, _ = _named_tenants(unlisted)
    if len(unlisted) == len({r.step.member for r in results}):
        return f"Nothing was applied from {shown}: {names} could not be listed. {_retry(its)}"
    return (
        f"Applied {shown}: {tally}; {names} could not be listed, so nothing was applied "
        f"there. {_retry(its)}"
    )


def _unlisted(plan: list[PlanStep]) -> list[str]:
    return list(dict.fromkeys(p.member for p in plan if p.action is Action.UNREACHABLE))


def _named_tenants(names: list[str]) -> tuple[str, str, str]:
    """The tenants quoted, and the words that refer to them: (names, "its"/"their"...)."""
    listed = named_list(names, quote=True)
    if len(names) == 1:
        return listed, "its profile", "its"
    return listed, "their profiles", "their"


def _retry(profiles: str) -> str:
    return f"Check {profiles} or network and run it again."


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "at an unknown time"


# --- carrying it out ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StepResult:
    step: PlanStep
    ok: bool
    sentence: str
    sent: bool = False
    error: BaseException | None = None


async def carry_out(
    declared: list[Declared], members: list[Member], plan: list[PlanStep]
) -> list[StepResult]:
    """Create, update and delete as planned, every secret and tenant concurrently."""
    by_name = {m.name: m for m in members}
    jobs = [_send_secret(s, by_name, [p for p in plan if p.name == s.name]) for s in declared]
    deletes = [_prune(by_name[p.member], p) for p in plan if p.action is Action.DELETE]
    results: list[StepResult] = [
        StepResult(p, p.action in (Action.NOTHING, Action.LEAVE), p.sentence)
        for p in plan
        if p.action in (Action.NOTHING, Action.LEAVE, Action.UNREACHABLE)
    ]
    for batch in await asyncio.gather(*jobs):
        results += batch
    results += await asyncio.gather(*deletes)
    return results


async def _send_secret(
    secret: Declared, members: dict[str, Member], steps: list[PlanStep]
) -> list[StepResult]:
    sending = [p for p in steps if p.action in (Action.CREATE, Action.UPDATE)]
    if not sending:
        return []
    try:
        credential = await asyncio.to_thread(read_source, secret.source, secret.registry)
        username = secret.username
        draft = SecretDraft(
            secret.name, secret.registry, username, credential.password, secret.email
        )
        problems = [p for p in validate_draft(draft) if not p.warning]
        if has_errors(problems):
            raise InputError(f"{problems[0].field}: {problems[0].message}.")
        expires = parse_expiry(secret.expires) if secret.expires is not None else None
    except RegsecretError as exc:
        sentence = f"not sent: {secret.source}: {exc.explanation}"
        return [StepResult(p, False, sentence, error=exc) for p in sending]
    login = None
    if secret.check:
        go, login = await check_once(QuietPerson(), draft, image=secret.image)
        if not go:
            said = login.sentence if login is not None else "the login could not be checked"
            return [StepResult(p, False, f"not sent: {said}") for p in sending]
    record = Record(str(secret.source), expires, login, secret.image if login else None)
    rotation = Rotation(draft, [members[p.member] for p in sending], record)
    await rotation.run()
    results = []
    for step in sending:
        state = rotation.states[step.member]
        results.append(
            StepResult(step, state.step is Step.DONE, state.sentence, state.sent, state.error)
        )
    return results


async def _prune(member: Member, step: PlanStep) -> StepResult:
    if member.client is None:
        return StepResult(step, False, member.problem)
    result = await delete(member.client, QuietPerson(), step.name, member.tenant)
    if result.changed:
        return StepResult(step, True, "deleted", True)
    sentence = titled(result.title, result.sentence)
    return StepResult(step, False, sentence, result.sent, result.error)
