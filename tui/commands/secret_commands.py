"""What ``register``, ``update``, ``delete`` and ``list`` share: the profile, a person, the output.

The workflows of ``tui/core/workflows.py`` decide, as in the app; this module is the command
line's :class:`~tui.core.workflows.Person`. It answers the workflow's questions from the flags
(``--update``, ``--yes``, a refused login check stops), prints progress and notices on stderr for
people and, with ``--json``, one JSON object on stdout for scripts. Exit codes come from the one
table in ``tui/core/exit_codes.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from tui.core import exit_codes
from tui.core.errors import KeyringError, ProfileError, RegsecretError, explain
from tui.core.foreign_text import displayable, named
from tui.core.workflows import (
    Ask,
    InFlight,
    Interrupted,
    Notice,
    Question,
    Record,
    Result,
    Verdict,
    titled,
)
from tui.core.workflows import Outcome as Done

if TYPE_CHECKING:
    from tui.core.profile_model import Profile
    from tui.core.request import SecretDraft
    from tui.core.session import Tenant
    from tui.core.source_spec import SourceSpec
    from tui.core.workflows import SecretsApi

T = TypeVar("T")
#: What a command does once its tenant is open: (client, tenant, profile) -> exit code.
Work = Callable[["SecretsApi", "Tenant", "Profile"], Awaitable[int]]


class CommandPerson:
    """The person behind a command: flags for answers, stderr for the words."""

    def __init__(
        self, *, update: bool = False, yes: bool = False, ask_delete: bool = False
    ) -> None:
        self.update = update
        self.yes = yes
        self.ask_delete = ask_delete  # stdin is a terminal: ask to type the name
        self.refused: Question | None = None
        # The last request that may change the tenant, and whether AI Core answered it: what
        # ctrl+c between requests (the ledger's write, say) leaves behind.
        self.request: InFlight | None = None
        self.answered = False

    async def confirm(self, question: Question) -> bool:
        if question.kind is Ask.SEND:
            # Running the command is the answer. The draft's warnings were said as it was read;
            # a login the check could not judge is said here, where the app's dialog says it.
            login = question.login
            if login is not None and login.verdict is Verdict.NOT_CHECKED:
                say(f"warning: {login.line}")
            return True
        if question.kind is Ask.ALREADY_EXISTS:
            return self.update
        if question.kind is Ask.DELETE:
            return self.yes or (self.ask_delete and _typed(question))
        # A refused login: a script cannot look at it, so it stops (--no-check skips the check).
        self.refused = question
        return False

    async def working(self, message: str, job: Awaitable[T], request: InFlight | None = None) -> T:
        if sys.stderr is not None and sys.stderr.isatty():
            say(message)
        if request is None:
            return await job  # ctrl+c ends the command: see stopped_between_requests
        self.request, self.answered = request, False
        answer = await _stoppable(job)
        self.answered = True
        return answer

    def stopped_between_requests(self, command: str) -> tuple[str, bool]:
        """What ctrl+c outside a request's own wait leaves behind: (sentence, sent)."""
        request = self.request
        if request is None:
            from tui.commands.interrupted import sentence

            return sentence(command), False
        if not self.answered:  # its job failed, and the workflow was still saying so
            return request.stopped(), request.sent()
        done = {"create": "created", "update": "updated", "delete": "deleted"}[request.op]
        return (
            f"Stopped (ctrl+c) after AI Core confirmed that “{named(request.name)}” was {done}; "
            "regsecret's ledger may not note it.",
            True,
        )

    def tell(self, notice: Notice) -> None:
        prefix = "" if notice.severity == "information" else "warning: "
        say(prefix + titled(notice.title, notice.sentence))

    def error(self, title: str, error: BaseException) -> None:
        say(titled(title, explain(error)))


async def _stoppable(job: Awaitable[T]) -> T:
    """``job``, or :class:`Interrupted` when ctrl+c stops it: the workflow then says whether
    the request had been sent, instead of a bare KeyboardInterrupt saying nothing."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(job)
    pressed: list[bool] = []

    def stop() -> None:
        pressed.append(True)
        task.cancel()

    before = signal.getsignal(signal.SIGINT)
    if before is signal.SIG_IGN:
        return await task  # started with ctrl+c ignored (nohup, a background job): so it stays
    try:
        loop.add_signal_handler(signal.SIGINT, stop)
    except (NotImplementedError, RuntimeError, ValueError):  # no such handler here
        return await task
    try:
        return await task
    except asyncio.CancelledError:
        if pressed:
            raise Interrupted from None
        raise
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        with contextlib.suppress(TypeError, ValueError):
            signal.signal(signal.SIGINT, before)  # asyncio.run's own, for what follows


def _typed(question: Question) -> bool:
    # The question on stderr, not stdout: `regsecret delete x > log` still asks the person.
    print(f"{question.title}\n{question.body}", file=sys.stderr)
    print(f"Type {question.typed} to delete it, anything else keeps it: ", end="", file=sys.stderr)
    sys.stderr.flush()
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip() == question.typed


def say(message: str) -> None:
    """A sentence for people, on stderr; it may quote a server, so it passes the text boundary."""
    print(f"regsecret: {shown(message)}", file=sys.stderr, flush=True)


def shown(text: str) -> str:
    """Foreign text (server messages, secret names) as a terminal may safely print it."""
    return displayable(text, limit=1000)


def emit(args: argparse.Namespace, code: int, outcome: str, sentence: str, **fields: Any) -> int:
    """With --json, print the command's one JSON object; return the exit code either way."""
    if getattr(args, "json", False):
        from tui.commands.json_output import print_object

        if "profile" not in fields:
            fields["profile"] = getattr(args, "chosen_profile", None)
        print_object(args, code, outcome, sentence, **fields)
    return code


def failure(
    args: argparse.Namespace, error: BaseException, *, name: str | None = None, sentence: str = ""
) -> int:
    """A failure before or outside a workflow (bad input, profile, keyring): say it, exit."""
    code = exit_codes.for_error(error)
    text = sentence or explain(error)
    if not getattr(args, "json", False):
        say(text)
    outcome = "bad-input" if code == exit_codes.EXIT_BAD_INPUT else "failed"
    named = {"name": name, "sent": False} if args.command != "list" else {}
    return emit(args, code, outcome, text, error=error_json(error), **named)


def error_json(error: BaseException | None) -> dict[str, Any] | None:
    if error is None:
        return None
    return {
        "type": type(error).__name__,
        "status": getattr(error, "status", None),
        "code": getattr(error, "code", None),
        "message": getattr(error, "message", None),
        "request_id": getattr(error, "request_id", None),
    }


def result_exit_code(result: Result) -> int:
    if result.changed:
        return exit_codes.EXIT_OK
    if result.outcome is Done.STOPPED:
        return exit_codes.EXIT_STOPPED
    if result.outcome is Done.EXISTS:
        return exit_codes.EXIT_EXISTS
    if result.outcome is Done.FAILED and result.error is not None:
        return exit_codes.for_error(result.error)
    if result.login is not None and not result.login.ok:
        return result.login.exit_code  # the registry check's own row: 2, 4, 5, 6 or 7
    return exit_codes.EXIT_BAD_INPUT


_DONE = {Done.CREATED: "Registered", Done.UPDATED: "Updated", Done.DELETED: "Deleted"}


def report_result(
    args: argparse.Namespace, result: Result, person: CommandPerson, tenant: Tenant
) -> int:
    code = result_exit_code(result)
    sentence = result.sentence
    if result.changed:
        verb = _DONE[result.outcome]
        said = (
            f" ({result.message})" if result.message and result.outcome is not Done.DELETED else ""
        )
        sentence = f"{verb} “{named(result.name)}” in {tenant.label}{said}."
    elif result.outcome is Done.EXISTS:
        sentence = (
            f"There is already a secret named “{named(result.name)}” in {tenant.label}; nothing "
            "was changed. Add --update to replace its credentials, or pick another name."
        )
    elif person.refused is not None and result.login is not None:
        sentence = (
            f"{result.login.sentence} Nothing was sent to AI Core. Fix the login, or add "
            "--no-check to register it anyway."
        )
    elif result.outcome is Done.CANCELLED and args.command == "delete":
        sentence = f"“{named(result.name)}” was not deleted."
    elif result.outcome is Done.FAILED:
        sentence = titled(result.title, result.sentence)
    if not getattr(args, "json", False):
        if result.changed:
            print(shown(sentence), flush=True)
        else:
            say(sentence)
    login = result.login
    return emit(
        args,
        code,
        result.outcome.value,
        sentence,
        name=result.name,
        message=result.message or None,
        sent=result.sent,
        login=(
            {"outcome": login.outcome.value, "sentence": login.sentence}
            if login is not None
            else None
        ),
        error=error_json(result.error),
    )


def read_draft(args: argparse.Namespace, verb: str) -> SecretDraft:
    """The draft from the flags and the one password source; InputError with the sentence.

    Warnings (a space at an end, a JSON key kept whole) are said on stderr.
    """
    from tui.commands.password_source import credential_from
    from tui.core.credential_sources import username_for
    from tui.core.errors import InputError
    from tui.core.request import SecretDraft, has_errors, validate_draft, validate_field

    typed = SecretDraft(args.name, args.registry, args.username or "", email=args.email)
    fields = ["name", "registry", "email"] + (["username"] if args.username is not None else [])
    problems = [p for field in fields for p in validate_field(typed, field)]
    if has_errors(problems):
        raise InputError(_problems_sentence(verb, args.name, problems))
    credential = credential_from(args)
    username = username_for(args.username, credential)
    draft = SecretDraft(args.name, args.registry, username, credential.password, args.email)
    problems = validate_draft(draft)
    if has_errors(problems):
        raise InputError(_problems_sentence(verb, args.name, problems))
    for problem in problems:  # only warnings are left
        say(f"warning: {problem.field}: {problem.message}")
    if credential.note:
        say(f"warning: password: {credential.note}")
    return draft


def send(args: argparse.Namespace, *, update: bool) -> int:
    """``register`` and ``update``: the draft from the flags and a password source, then the
    workflow."""
    from tui.core.errors import InputError

    try:
        draft = read_draft(args, "update" if update else "register")
    except InputError as exc:
        return failure(args, exc, name=args.name)
    person = CommandPerson(update=bool(getattr(args, "update", False)))

    async def work(client: SecretsApi, tenant: Tenant, profile: Profile) -> int:
        from tui.core import workflows

        flow = workflows.update if update else workflows.register
        result = await flow(
            client,
            person,
            draft,
            tenant,
            check_login=profile.check_registry_login and not args.no_check,
            image=args.image,
            record=Record(source=str(source_of(args))),
        )
        return report_result(args, result, person, tenant)

    return with_tenant(args, work, name=args.name, person=person)


def source_of(args: argparse.Namespace) -> SourceSpec:
    """The descriptor of the password option given, as the ledger records it."""
    from tui.core.source_spec import spec_from_options

    return spec_from_options(
        stdin=bool(getattr(args, "password_stdin", False)),
        env=getattr(args, "password_env", None),
        file=getattr(args, "password_file", None),
        command=getattr(args, "password_command", None),
        docker_config=bool(getattr(args, "from_docker_config", False)),
    )


def _problems_sentence(verb: str, name: str, problems: list[Any]) -> str:
    listed = "; ".join(f"{p.field}: {p.message}" for p in problems if not p.warning)
    return f"Cannot {verb} “{named(name)}”: {listed}. Nothing was sent."


def with_tenant(
    args: argparse.Namespace,
    work: Work,
    *,
    name: str | None = None,
    person: CommandPerson | None = None,
) -> int:
    """Choose the profile, open a client on it, run ``work(client, tenant, profile)``, close it.

    ctrl+c outside a request's own wait (a login check, the ledger's write) ends here, saying
    what ``person`` saw done: the sentence on stderr, and with --json the one object.
    """
    from tui.core.profile_choice import choose_profile, profile_secret
    from tui.core.session import Session

    wanted = args.command_profile or args.profile
    try:
        profile = choose_profile(wanted)
        secret = profile_secret(profile)
    except (ProfileError, KeyringError) as exc:
        from tui.commands.demo_profiles import demo_stays_in_the_app, is_demo_profile

        if isinstance(exc, ProfileError) and is_demo_profile(wanted):
            lead = f"There is no profile named “{named(wanted)}” here."
            exc = ProfileError(demo_stays_in_the_app(lead))
        return failure(args, exc, name=name)
    args.chosen_profile = profile.name
    from tui.core.trust import setting_problem

    unusable = setting_problem(profile.api_url, profile.token_url)
    if unusable is not None:  # said once, before a login check or a request meets it
        return failure(args, unusable, name=name)
    session = Session()
    session.select(profile, secret)

    async def main() -> int:
        try:
            client = session.client()
            return await work(client, session.tenant(), profile)
        finally:
            await session.aclose()

    try:
        return asyncio.run(main())
    except RegsecretError as exc:  # a profile that cannot make a client (a URL, a missing secret)
        return failure(args, exc, name=name)
    except KeyboardInterrupt:
        return _stopped(args, person or CommandPerson(), name)


def _stopped(args: argparse.Namespace, person: CommandPerson, name: str | None) -> int:
    from tui.commands.json_output import printed

    answered = printed()
    if answered is not None:
        return answered  # the answer was out already (ctrl+c as the connection closed)
    sentence, sent = person.stopped_between_requests(args.command)
    say(sentence)
    named = {"name": name, "sent": sent} if args.command != "list" else {}
    return emit(args, exit_codes.EXIT_STOPPED, Done.STOPPED.value, sentence, **named)
