"""The decision tree of register, update, delete and list, without Textual: a scripted person and
the emulator over loopback, with the registry login check replaced by a scripted answer."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.emulator import connection_for, stored_password
from tests.support.person import ScriptedPerson
from tui.core.client import AICoreClient, Quota
from tui.core.connection import Connection
from tui.core.errors import (
    AuthenticationError,
    NetworkError,
    NotFound,
    QuotaExceeded,
    ServerError,
)
from tui.core.profile_actions import Profile
from tui.core.registry_login import CheckResult
from tui.core.registry_login import Outcome as Login
from tui.core.request import SecretDraft, create_body
from tui.core.secret import Secret
from tui.core.secret_name import validate_name
from tui.core.session import Tenant
from tui.core.workflows import (
    CANCELLED,
    EXISTS_DECLINED,
    Ask,
    LoginCheck,
    Outcome,
    Verdict,
    connection_test,
    connection_test_progress,
    delete,
    list_secrets,
    register,
    update,
    verdict_of,
)
from tui.emulator.server import Emulator

TENANT = Tenant("profile “dev” at 127.0.0.1", "127.0.0.1")
YES_TO_ALL = {kind: True for kind in Ask}


def draft(name: str = "my-registry", password: str = "token-1") -> SecretDraft:
    return SecretDraft(name=name, registry="ghcr.io", username="octo", password=Secret(password))


def login_answer(outcome: Login, sentence: str = "") -> tuple[LoginCheck, list[str]]:
    """A login check that answers ``outcome`` and records which registries it was asked about."""
    calls: list[str] = []

    async def check(registry: str, username: str, password: Secret, **_: Any) -> CheckResult:
        calls.append(registry)
        return CheckResult(outcome, sentence or f"ghcr.io said {outcome} for {username}.")

    return check, calls


async def broken_check(*_: Any, **__: Any) -> CheckResult:
    raise RuntimeError("the checker itself broke")


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[AICoreClient]:
    async with AICoreClient(connection_for(emulator), backoff=0.01) as made:
        yield made


def secret_requests(emu: Emulator) -> list[str]:
    return [f"{r.method} {r.path}" for r in emu.requests if "dockerRegistrySecrets" in r.path]


# --- the login gate ----------------------------------------------------------------------------


async def test_accepted_login_is_quoted_in_the_confirmation_then_created(
    client: AICoreClient, emulator: Emulator
) -> None:
    check, calls = login_answer(Login.ACCEPTED, "ghcr.io accepted the credentials for user octo.")
    person = ScriptedPerson({Ask.SEND: True})
    result = await register(client, person, draft(), TENANT, login_check=check)
    assert result.outcome is Outcome.CREATED and result.changed and result.sent
    assert result.message == "Secret has been created"
    assert calls == ["ghcr.io"]
    assert person.kinds == [Ask.SEND]
    question = person.asked[0]
    assert question.body.splitlines() == [
        "Tenant: profile “dev” at 127.0.0.1",
        "Secret: my-registry",
        "Registry: ghcr.io, user octo",
        "Login accepted: ghcr.io accepted the credentials for user octo.",
        "",
        "The secret becomes visible to every resource group of the tenant.",
    ]
    assert question.login is not None and question.login.verdict is Verdict.ACCEPTED
    assert (question.yes, question.no, question.warnings) == ("Register", "Cancel", ())
    assert person.progress == [
        "Logging in to ghcr.io to check the credentials …",
        "Registering “my-registry” at 127.0.0.1 …",
    ]
    assert emulator.secret_names() == ["my-registry"]


async def test_skipped_login_check_asks_nothing_of_the_registry_and_says_so(
    client: AICoreClient, emulator: Emulator
) -> None:
    check, calls = login_answer(Login.ACCEPTED)
    person = ScriptedPerson({Ask.SEND: True})
    result = await register(client, person, draft(), TENANT, check_login=False, login_check=check)
    assert result.outcome is Outcome.CREATED
    assert calls == []
    assert "Login not checked: this profile skips the registry login check." in (
        person.asked[0].body.splitlines()
    )
    assert result.login is None


@pytest.mark.parametrize("refusal", [Login.REJECTED, Login.NOT_A_REGISTRY, Login.IMAGE_DENIED])
async def test_refused_login_is_the_one_question_and_fix_it_sends_nothing(
    client: AICoreClient, emulator: Emulator, refusal: Login
) -> None:
    check, _ = login_answer(refusal, "ghcr.io refused the login for user octo.")
    person = ScriptedPerson({Ask.LOGIN_REFUSED: False})
    result = await register(client, person, draft(), TENANT, login_check=check)
    assert result.outcome is Outcome.CANCELLED and not result.sent
    assert result.sentence == CANCELLED
    assert result.login is not None and result.login.outcome is refusal
    assert person.kinds == [Ask.LOGIN_REFUSED]
    question = person.asked[0]
    assert question.title == "The registry did not accept this login"
    assert "Login refused: ghcr.io refused the login for user octo." in question.body
    assert question.body.endswith(
        "The secret becomes visible to every resource group of the tenant. Register it anyway?"
    )
    assert (question.yes, question.no) == ("Register anyway", "Fix it")
    assert secret_requests(emulator) == []
    # "Fix it" says where: the field the refusal's sentence names first.
    expected = {Login.REJECTED: "username", Login.NOT_A_REGISTRY: "registry"}
    assert result.fix_field == expected.get(refusal, "image")


@pytest.mark.parametrize("outcome", [Login.ACCEPTED, Login.UNREACHABLE, Login.TLS_UNTRUSTED])
async def test_a_no_to_a_login_that_was_not_refused_names_no_field_to_fix(
    client: AICoreClient, emulator: Emulator, outcome: Login
) -> None:
    check, _ = login_answer(outcome)
    person = ScriptedPerson({Ask.SEND: False})
    result = await register(client, person, draft(), TENANT, login_check=check)
    assert result.outcome is Outcome.CANCELLED and person.kinds == [Ask.SEND]
    assert result.fix_field == ""


async def test_refused_login_registered_anyway_with_one_yes(
    client: AICoreClient, emulator: Emulator
) -> None:
    check, _ = login_answer(Login.REJECTED)
    person = ScriptedPerson({Ask.LOGIN_REFUSED: True})
    result = await register(client, person, draft(), TENANT, login_check=check)
    assert result.outcome is Outcome.CREATED
    # One question, not a second one that has forgotten the refusal.
    assert person.kinds == [Ask.LOGIN_REFUSED]
    assert emulator.secret_names() == ["my-registry"]


async def test_every_warning_and_the_refusal_reach_the_one_confirmation(
    client: AICoreClient, emulator: Emulator
) -> None:
    check, _ = login_answer(Login.REJECTED, "ghcr.io refused the login for user octo.")
    person = ScriptedPerson({Ask.LOGIN_REFUSED: True})
    odd = SecretDraft("my_registry", "ghcr.io", "octo", Secret("token-1"), email="octo")
    result = await register(client, person, odd, TENANT, login_check=check)
    assert result.outcome is Outcome.CREATED
    question = person.asked[0]
    name_warning = next(p.message for p in validate_name("my_registry") if p.warning)
    assert question.warnings == (
        f"Secret name: {name_warning}",
        "Email: does not look like an email address (it is optional)",
    )
    lines = question.body.splitlines()
    assert lines[3] == "Login refused: ghcr.io refused the login for user octo."
    assert lines[5:8] == ["Warnings:", *(f"• {w}" for w in question.warnings)]


async def test_warnings_reach_the_confirmation_when_the_login_is_accepted_too(
    client: AICoreClient,
) -> None:
    person = ScriptedPerson({Ask.SEND: True})
    typed = SecretDraft("my-registry", "ghcr.io", "octo", Secret(" token-1"))
    await update(client, person, typed, TENANT, check_login=False)
    (warning,) = person.asked[0].warnings
    assert warning.startswith("Password: starts or ends with white space")
    assert f"• {warning}" in person.asked[0].body


@pytest.mark.parametrize("outcome", [Login.UNREACHABLE, Login.TLS_UNTRUSTED, Login.BAD_SETTING])
async def test_unreachable_registry_is_said_in_the_confirmation_and_goes_on(
    client: AICoreClient, emulator: Emulator, outcome: Login
) -> None:
    # Neither is a verdict on the credentials: AI Core pulls from the cloud, not from here.
    check, _ = login_answer(outcome, "ghcr.io did not answer.")
    person = ScriptedPerson({Ask.SEND: True})
    result = await register(client, person, draft(), TENANT, login_check=check)
    assert result.outcome is Outcome.CREATED
    # In the confirmation, not in a notice a dialog would clear before it could be read.
    assert person.notices == []
    assert person.kinds == [Ask.SEND]
    assert "Login not checked: ghcr.io did not answer." in person.asked[0].body.splitlines()
    login = person.asked[0].login
    assert login is not None and login.verdict is Verdict.NOT_CHECKED


async def test_login_that_cannot_be_used_blocks_without_a_question(
    client: AICoreClient, emulator: Emulator
) -> None:
    check, _ = login_answer(Login.BAD_INPUT, "The username must not contain a colon.")
    person = ScriptedPerson()
    result = await register(client, person, draft(), TENANT, login_check=check)
    assert result.outcome is Outcome.BLOCKED and not result.sent
    assert (result.title, result.sentence) == (
        "Fix the login first",
        "The username must not contain a colon.",
    )
    assert person.asked == []
    assert secret_requests(emulator) == []


async def test_a_broken_login_check_is_said_in_the_confirmation_but_does_not_block(
    client: AICoreClient, emulator: Emulator
) -> None:
    person = ScriptedPerson({Ask.SEND: True})
    result = await register(client, person, draft(), TENANT, login_check=broken_check)
    assert result.outcome is Outcome.CREATED
    assert person.errors == []  # no error dialog before the confirmation: one dialog
    line = person.asked[0].body.splitlines()[3]
    assert line.startswith("Login not checked: the check itself failed. Something unexpected")
    assert "the checker itself broke" not in line  # a foreign exception's words are not quoted


def test_a_verdict_for_every_answer_of_the_check() -> None:
    said = {
        outcome: verdict_of(CheckResult(outcome, f"{outcome} said")).verdict for outcome in Login
    }
    assert said == {
        Login.ACCEPTED: Verdict.ACCEPTED,
        Login.REJECTED: Verdict.REFUSED,
        Login.NOT_A_REGISTRY: Verdict.REFUSED,
        Login.IMAGE_DENIED: Verdict.REFUSED,
        Login.UNREACHABLE: Verdict.NOT_CHECKED,
        Login.TLS_UNTRUSTED: Verdict.NOT_CHECKED,
        Login.BAD_SETTING: Verdict.NOT_CHECKED,
        Login.BAD_INPUT: Verdict.NOT_CHECKED,
    }
    refused = verdict_of(CheckResult(Login.REJECTED, "ghcr.io refused it."))
    assert refused.line == "Login refused: ghcr.io refused it."
    assert not refused.blocks and verdict_of(CheckResult(Login.BAD_INPUT, "bad")).blocks


async def test_the_image_is_passed_to_the_check_and_named_in_the_progress(
    client: AICoreClient,
) -> None:
    seen: dict[str, Any] = {}

    async def check(registry: str, username: str, password: Secret, **kw: Any) -> CheckResult:
        seen.update(kw)
        return CheckResult(Login.ACCEPTED, "fine")

    person = ScriptedPerson({Ask.SEND: True})
    await register(client, person, draft(), TENANT, image="ghcr.io/o/a:1", login_check=check)
    assert seen == {"image": "ghcr.io/o/a:1"}
    assert person.progress[0] == (
        "Logging in to ghcr.io and pulling ghcr.io/o/a:1 to check the credentials …"
    )


# --- create, already exists, quota -------------------------------------------------------------


async def test_no_to_the_confirmation_sends_nothing(
    client: AICoreClient, emulator: Emulator
) -> None:
    person = ScriptedPerson({Ask.SEND: False})
    result = await register(client, person, draft(), TENANT, check_login=False)
    assert result.outcome is Outcome.CANCELLED and not result.sent
    assert secret_requests(emulator) == []


async def test_already_exists_then_update_in_place(
    client: AICoreClient, emulator: Emulator
) -> None:
    await client.create_secret("my-registry", create_body(draft(password="old")))
    person = ScriptedPerson({Ask.SEND: True, Ask.ALREADY_EXISTS: True})
    result = await register(client, person, draft(password="new"), TENANT, check_login=False)
    assert result.outcome is Outcome.UPDATED and result.changed
    assert person.kinds == [Ask.SEND, Ask.ALREADY_EXISTS]
    question = person.asked[1]
    assert question.title == "“my-registry” already exists"
    assert "in profile “dev” at 127.0.0.1" in question.body
    assert (question.yes, question.no) == ("Update", "Cancel")
    assert person.progress[-1] == "Updating “my-registry” at 127.0.0.1 …"
    assert secret_requests(emulator)[-2:] == [
        "POST /v2/admin/dockerRegistrySecrets",
        "PATCH /v2/admin/dockerRegistrySecrets/my-registry",
    ]
    assert stored_password(emulator, "my-registry") == "new"


async def test_a_name_the_list_holds_asks_once_as_the_update_it_is(
    client: AICoreClient, emulator: Emulator
) -> None:
    await client.create_secret("my-registry", create_body(draft(password="old")))
    before = len(secret_requests(emulator))
    person = ScriptedPerson({Ask.ALREADY_EXISTS: True})
    result = await register(
        client, person, draft(password="new"), TENANT, check_login=False, exists=True
    )
    assert result.outcome is Outcome.UPDATED and result.changed
    # One question, not "Register?" and then "already exists": the update, as it is.
    assert person.kinds == [Ask.ALREADY_EXISTS]
    question = person.asked[0]
    assert question.title == "“my-registry” already exists: update it?"
    assert (question.yes, question.no) == ("Update", "Cancel")
    assert "Secret: my-registry" in question.body and "are replaced" in question.body
    assert secret_requests(emulator)[before:] == [
        "PATCH /v2/admin/dockerRegistrySecrets/my-registry"
    ]
    assert stored_password(emulator, "my-registry") == "new"


async def test_a_name_the_list_holds_declined_sends_nothing(
    client: AICoreClient, emulator: Emulator
) -> None:
    await client.create_secret("my-registry", create_body(draft(password="old")))
    before = len(secret_requests(emulator))
    person = ScriptedPerson({Ask.ALREADY_EXISTS: False})
    result = await register(client, person, draft(), TENANT, check_login=False, exists=True)
    assert result.outcome is Outcome.CANCELLED and not result.sent
    assert result.sentence == CANCELLED
    assert secret_requests(emulator)[before:] == []


async def test_already_exists_and_declined_changes_nothing(
    client: AICoreClient, emulator: Emulator
) -> None:
    await client.create_secret("my-registry", create_body(draft(password="old")))
    person = ScriptedPerson({Ask.SEND: True, Ask.ALREADY_EXISTS: False})
    result = await register(client, person, draft(password="new"), TENANT, check_login=False)
    assert result.outcome is Outcome.EXISTS and not result.changed
    assert result.sent  # the create reached AI Core, which refused it
    assert result.sentence == EXISTS_DECLINED
    assert stored_password(emulator, "my-registry") == "old"


async def test_already_exists_then_the_update_fails(
    client: AICoreClient, emulator: Emulator
) -> None:
    await client.create_secret("my-registry", create_body(draft()))
    person = ScriptedPerson({Ask.SEND: True, Ask.ALREADY_EXISTS: True})
    # The POST answers 409; the PATCH that follows meets a 500.
    original_update = client.update_secret

    async def failing_update(name: str, body: Secret) -> str:
        emulator.fail_next(500)
        return await original_update(name, body)

    client.update_secret = failing_update  # type: ignore[method-assign]
    result = await register(client, person, draft(), TENANT, check_login=False)
    assert result.outcome is Outcome.FAILED
    assert result.title == "“my-registry” could not be updated"
    assert isinstance(result.error, ServerError)


async def test_quota_full_fails_with_its_sentence(client: AICoreClient, emulator: Emulator) -> None:
    for i in range(50):
        await client.create_secret(f"s{i:02d}", create_body(draft(f"s{i:02d}")))
    person = ScriptedPerson({Ask.SEND: True})
    result = await register(client, person, draft(), TENANT, check_login=False)
    assert result.outcome is Outcome.FAILED and result.sent and not result.changed
    assert isinstance(result.error, QuotaExceeded)
    assert result.title == "“my-registry” could not be registered"
    assert "maximum number" in result.sentence
    assert "my-registry" not in emulator.secret_names()


async def test_a_server_error_may_have_reached_the_server(
    client: AICoreClient, emulator: Emulator
) -> None:
    emulator.fail_next(500)
    person = ScriptedPerson({Ask.SEND: True})
    result = await register(client, person, draft(), TENANT, check_login=False)
    assert result.outcome is Outcome.FAILED and result.sent
    assert isinstance(result.error, ServerError)


async def test_nothing_listening_means_nothing_was_sent() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    nowhere = Connection(url, f"{url}/oauth/token", "demo", Secret("demo-secret"))
    async with AICoreClient(nowhere, max_tries=1) as dead:
        person = ScriptedPerson({Ask.SEND: True})
        result = await register(dead, person, draft(), TENANT, check_login=False)
    assert result.outcome is Outcome.FAILED
    assert isinstance(result.error, NetworkError) and result.error.reason == "refused"
    assert not result.sent


# --- update ------------------------------------------------------------------------------------


async def test_update_patches_and_says_what_is_replaced(
    client: AICoreClient, emulator: Emulator
) -> None:
    await client.create_secret("my-registry", create_body(draft(password="old")))
    person = ScriptedPerson({Ask.SEND: True})
    result = await update(client, person, draft(password="new"), TENANT, check_login=False)
    assert result.outcome is Outcome.UPDATED
    question = person.asked[0]
    assert (question.title, question.yes) == ("Update secret “my-registry”?", "Update")
    assert "The stored credentials, registry included, are replaced." in question.body
    assert secret_requests(emulator)[-1] == "PATCH /v2/admin/dockerRegistrySecrets/my-registry"
    assert stored_password(emulator, "my-registry") == "new"


async def test_update_of_a_missing_secret_fails_without_offering_anything(
    client: AICoreClient,
) -> None:
    person = ScriptedPerson({Ask.SEND: True})
    result = await update(client, person, draft(), TENANT, check_login=False)
    assert result.outcome is Outcome.FAILED
    assert result.title == "“my-registry” could not be updated"
    assert isinstance(result.error, NotFound)
    assert person.kinds == [Ask.SEND]


async def test_update_checks_the_login_first_like_register(client: AICoreClient) -> None:
    check, calls = login_answer(Login.REJECTED)
    person = ScriptedPerson({Ask.LOGIN_REFUSED: False})
    result = await update(client, person, draft(), TENANT, login_check=check)
    assert result.outcome is Outcome.CANCELLED
    assert calls == ["ghcr.io"]


# --- delete and list ---------------------------------------------------------------------------


async def test_delete_asks_for_the_typed_name_then_deletes(
    client: AICoreClient, emulator: Emulator
) -> None:
    await client.create_secret("my-registry", create_body(draft()))
    person = ScriptedPerson({Ask.DELETE: True})
    result = await delete(client, person, "my-registry", TENANT)
    assert result.outcome is Outcome.DELETED and result.changed
    assert result.sentence == "Deleted “my-registry”."
    question = person.asked[0]
    assert question.typed == "my-registry"
    assert question.title == "Delete “my-registry”?"
    assert "removed from profile “dev” at 127.0.0.1" in question.body
    assert emulator.secret_names() == []


async def test_delete_declined_sends_nothing(client: AICoreClient, emulator: Emulator) -> None:
    await client.create_secret("my-registry", create_body(draft()))
    before = secret_requests(emulator)
    result = await delete(client, ScriptedPerson({Ask.DELETE: False}), "my-registry", TENANT)
    assert result.outcome is Outcome.CANCELLED and not result.sent
    assert secret_requests(emulator) == before
    assert emulator.secret_names() == ["my-registry"]


async def test_delete_of_a_missing_secret_fails(client: AICoreClient) -> None:
    result = await delete(client, ScriptedPerson({Ask.DELETE: True}), "gone", TENANT)
    assert result.outcome is Outcome.FAILED
    assert result.title == "“gone” could not be deleted"
    assert isinstance(result.error, NotFound)


async def test_list_is_sorted_with_the_quota(client: AICoreClient) -> None:
    for name in ("zeta", "alpha", "mid"):
        await client.create_secret(name, create_body(draft(name)))
    listing = await list_secrets(client, ScriptedPerson(), TENANT)
    assert listing.ok
    assert listing.names == ["alpha", "mid", "zeta"]
    assert listing.quota == Quota(used=3, limit=50)


async def test_list_failure_carries_its_title(client: AICoreClient, emulator: Emulator) -> None:
    emulator.fail_next(500, count=10)  # a list is retried on a 500; this one outlasts the tries
    listing = await list_secrets(client, ScriptedPerson(), TENANT)
    assert not listing.ok
    assert listing.title == "The secrets could not be listed"
    assert isinstance(listing.error, ServerError)


# --- test a connection profile -----------------------------------------------------------------


async def test_a_working_profile_says_so_with_the_quota(emulator: Emulator) -> None:
    profile = Profile("dev", emulator.api_url, emulator.token_url, "demo")
    test = await connection_test(profile, Secret("demo-secret"))
    assert test.ok and test.error is None
    assert test.sentence == "“dev” works: token received, 0 of 50 secrets used."
    assert connection_test_progress(profile) == (
        f"Testing “dev”: fetching a token from {emulator.token_url.split('/')[2]} …"
    )


async def test_a_refused_profile_secret_is_a_failure_with_its_title(emulator: Emulator) -> None:
    profile = Profile("dev", emulator.api_url, emulator.token_url, "demo")
    test = await connection_test(profile, Secret("not-the-secret"))
    assert not test.ok
    assert test.title == "Connection test of “dev” failed"
    assert isinstance(test.error, AuthenticationError)
    assert test.sentence == test.error.explanation


# --- escape during a running request -----------------------------------------------------------


async def test_stopped_after_the_create_went_out_says_it_may_exist(
    client: AICoreClient, emulator: Emulator
) -> None:
    emulator.delay_next(1.0)
    # Escape once the emulator holds the request (it answers only a second later).
    person = ScriptedPerson(
        YES_TO_ALL, stop_during="Registering", stop_once=lambda: bool(secret_requests(emulator))
    )
    result = await register(client, person, draft(), TENANT, check_login=False)
    assert result.outcome is Outcome.STOPPED and result.sent and not result.changed
    assert result.sentence == (
        "Stopped after the request was sent: AI Core may have created “my-registry”; list the "
        "secrets again to see whether it is there."
    )
    assert secret_requests(emulator) == ["POST /v2/admin/dockerRegistrySecrets"]


async def test_stopped_before_the_create_went_out_says_nothing_was_registered(
    client: AICoreClient, emulator: Emulator
) -> None:
    person = ScriptedPerson(YES_TO_ALL, stop_during="Registering")
    result = await register(client, person, draft(), TENANT, check_login=False)
    assert result.outcome is Outcome.STOPPED and not result.sent
    assert result.sentence == (
        "Stopped before anything was sent: AI Core has not received it, so “my-registry” was "
        "not registered."
    )
    assert secret_requests(emulator) == [] and emulator.state.secrets == {}


async def test_stopped_login_check_sends_nothing(client: AICoreClient, emulator: Emulator) -> None:
    check, _ = login_answer(Login.ACCEPTED)
    person = ScriptedPerson(YES_TO_ALL, stop_during="Logging in")
    result = await register(client, person, draft(), TENANT, login_check=check)
    assert result.outcome is Outcome.STOPPED and not result.sent
    assert result.sentence == "Stopped the login check: nothing was sent to AI Core."
    assert person.kinds == [] and secret_requests(emulator) == []


@pytest.mark.parametrize(
    ("op", "words"),
    [("update", "may have updated “my-registry”"), ("delete", "may have deleted “my-registry”")],
)
async def test_stopped_update_or_delete_after_sending_says_what_may_have_happened(
    client: AICoreClient, emulator: Emulator, op: str, words: str
) -> None:
    await client.create_secret("my-registry", create_body(draft()))
    emulator.delay_next(1.0)
    before = len(secret_requests(emulator))
    person = ScriptedPerson(
        YES_TO_ALL,
        stop_during="ing “my-registry”",
        stop_once=lambda: len(secret_requests(emulator)) > before,
    )
    if op == "update":
        result = await update(client, person, draft(), TENANT, check_login=False)
    else:
        result = await delete(client, person, "my-registry", TENANT)
    assert result.outcome is Outcome.STOPPED and result.sent
    assert result.sentence.startswith("Stopped after the request was sent") and (
        words in result.sentence
    )


def test_a_title_is_followed_by_a_colon_or_by_a_sentence_starting_anew() -> None:
    from tui.core.workflows import titled

    assert titled("Login refused", "ghcr.io refused it.") == "Login refused: ghcr.io refused it."
    assert titled("Login not checked", "The host …") == "Login not checked. The host …"
    assert titled("", "The host …") == "The host …"
