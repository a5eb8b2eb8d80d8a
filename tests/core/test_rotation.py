"""Rotating one credential across emulated tenants: exactly the chosen ones change, a failure in one
is reported while the others succeed, it can be retried alone, and the ledger gets every change
but never the password."""

from __future__ import annotations

import base64
from typing import Any

from tests.support.emulator import stored_password
from tests.support.fleet import running_tenants, seed
from tests.support.person import ScriptedPerson
from tui.core.ledger import FILE_NAME, Ledger
from tui.core.registry_login import CheckResult
from tui.core.registry_login import Outcome as Login
from tui.core.request import SecretDraft
from tui.core.rotation import (
    Rotation,
    Step,
    TenantRotation,
    check_once,
    rotation_question,
    summary_text,
)
from tui.core.secret import Secret
from tui.core.workflows import REFUSED_TITLE, Ask, Outcome, Record, verdict_of
from tui.emulator.server import Emulator

MARKER = "rotate-marker-Pa55w0rd-9f3c"


def draft(password: str = MARKER) -> SecretDraft:
    return SecretDraft("ghcr", "ghcr.io", "octo", Secret(password), "octo@example.com")


def sends(emu: Emulator) -> int:
    return sum(1 for r in emu.requests if r.method in ("POST", "PATCH") and "/v2/" in r.path)


async def test_rotate_changes_exactly_the_chosen_tenants() -> None:
    with running_tenants("dev", "test", "prod") as tenants:
        seed(tenants["dev"], "ghcr")
        seed(tenants["test"], "ghcr")
        fleet = tenants.fleet()
        seen: list[TenantRotation] = []
        accepted = CheckResult(Login.ACCEPTED, "ghcr.io accepted the credentials for user octo.")
        chosen = [m for m in fleet.members if m.name in ("dev", "prod")]
        rotation = Rotation(
            draft(), chosen, Record(source="env:GHCR_TOKEN", checked=accepted), seen.append
        )
        async with fleet:
            results = await rotation.run()
        assert [r.step for r in results] == [Step.DONE, Step.DONE]
        assert {r.member: r.outcome for r in results} == {
            "dev": Outcome.UPDATED,
            "prod": Outcome.CREATED,
        }
        assert stored_password(tenants["dev"], "ghcr") == MARKER
        assert stored_password(tenants["prod"], "ghcr") == MARKER
        assert stored_password(tenants["test"], "ghcr") == "seeded-outside"
        assert sends(tenants["test"]) == 0
        steps = [(s.member, s.step) for s in seen if s.member == "dev"]
        assert steps == [("dev", Step.WAITING), ("dev", Step.SENDING), ("dev", Step.DONE)]
        read = Ledger().load()
        entry = read.get(tenants.key("dev"), "ghcr")
        assert entry is not None and entry.source == "env:GHCR_TOKEN"
        assert entry.registered_at is None  # created outside regsecret, updated by it
        assert entry.verified_at is not None and entry.email == "octo@example.com"
        created = read.get(tenants.key("prod"), "ghcr")
        assert created is not None and created.registered_at is not None
        assert read.get(tenants.key("test"), "ghcr") is None
        assert rotation.ok


async def test_a_failure_in_one_tenant_is_reported_and_retried_alone() -> None:
    with running_tenants("dev", "test", "prod") as tenants:
        tenants["test"].fail_next(500, body='{"error": {"message": "backend down"}}')
        fleet = tenants.fleet()
        rotation = Rotation(draft(), fleet.members)
        async with fleet:
            await rotation.run()
            assert rotation.failed() == ["test"]
            assert set(rotation.done()) == {"dev", "prod"}
            failed = rotation.states["test"]
            assert failed.outcome is Outcome.FAILED and failed.sent
            assert "could not be registered" in failed.sentence
            assert "ghcr" not in tenants["test"].secret_names()
            # Nothing reported as rotated that was not: the summary says 2 of 3.
            summary = rotation.summary()
            assert summary.splitlines()[0] == "Rotated “ghcr” in 2 of 3 tenants."
            assert "failed: “ghcr” could not be registered" in summary
            before = {name: sends(tenants[name]) for name in ("dev", "prod")}
            retried = await rotation.retry_failed()
        assert [(r.member, r.step) for r in retried] == [("test", Step.DONE)]
        assert {name: sends(tenants[name]) for name in ("dev", "prod")} == before
        assert stored_password(tenants["test"], "ghcr") == MARKER
        assert rotation.ok
        assert rotation.summary().splitlines()[0] == "Rotated “ghcr” in 3 of 3 tenants."


async def test_a_known_holder_is_updated_and_its_failure_says_updated() -> None:
    # The preview said "test: update"; the failure must not say "could not be registered".
    with running_tenants("dev", "test") as tenants:
        seed(tenants["test"], "ghcr")
        tenants["test"].fail_next(500, body='{"error": {"message": "backend down"}}')
        fleet = tenants.fleet()
        rotation = Rotation(draft(), fleet.members, holders=frozenset({"test"}))
        async with fleet:
            await rotation.run()
            failed = rotation.states["test"]
            assert failed.step is Step.FAILED
            assert failed.sentence.startswith("“ghcr” could not be updated. "), failed.sentence
            assert "registered" not in failed.sentence
            assert "failed: “ghcr” could not be updated" in rotation.summary()
            methods = [r.method for r in tenants["test"].requests if "/v2/" in r.path]
            assert "POST" not in methods  # an update was attempted, not a create
            assert rotation.states["dev"].outcome is Outcome.CREATED
            retried = await rotation.retry_failed()
        assert [(r.member, r.outcome) for r in retried] == [("test", Outcome.UPDATED)]
        assert stored_password(tenants["test"], "ghcr") == MARKER


async def test_a_holder_that_lost_the_secret_since_the_listing_gets_it_created() -> None:
    with running_tenants("dev") as tenants:
        fleet = tenants.fleet()
        rotation = Rotation(draft(), fleet.members, holders=frozenset({"dev"}))
        async with fleet:
            [state] = await rotation.run()
        assert (state.step, state.outcome) == (Step.DONE, Outcome.CREATED)
        assert stored_password(tenants["dev"], "ghcr") == MARKER


async def test_a_tenant_past_its_deadline_fails_and_says_it_may_have_changed() -> None:
    with running_tenants("dev", "slow") as tenants:
        tenants["slow"].delay_next(3.0, count=3, scope="all")
        fleet = tenants.fleet(read_timeout=10.0)
        rotation = Rotation(draft(), fleet.members, deadline=0.5)
        async with fleet:
            await rotation.run()
    slow = rotation.states["slow"]
    assert slow.step is Step.FAILED and slow.sent
    assert "may or may not have been changed" in slow.sentence
    assert rotation.states["dev"].step is Step.DONE


async def test_the_ledger_never_holds_the_password_after_a_rotation() -> None:
    with running_tenants("dev", "prod") as tenants:
        seed(tenants["dev"], "ghcr")
        fleet = tenants.fleet()
        async with fleet:
            await Rotation(draft(), fleet.members, Record(source="env:GHCR_TOKEN")).run()
        text = Ledger().path.read_bytes()
        assert Ledger().path.name == FILE_NAME and b"ghcr" in text
        encoded = base64.b64encode(f"octo:{MARKER}".encode())
        for needle in (MARKER.encode(), encoded, base64.b64encode(MARKER.encode())):
            assert needle not in text


async def test_check_once_decides_as_a_single_registration_does() -> None:
    async def refused(*_: Any, **__: Any) -> CheckResult:
        return CheckResult(Login.REJECTED, "ghcr.io refused the login for octo.")

    person = ScriptedPerson({Ask.LOGIN_REFUSED: False})
    go, result = await check_once(person, draft(), login_check=refused)
    assert not go and result is not None and result.outcome is Login.REJECTED

    async def unreachable(*_: Any, **__: Any) -> CheckResult:
        return CheckResult(Login.UNREACHABLE, "ghcr.io could not be reached.")

    quiet = ScriptedPerson()
    go, _ = await check_once(quiet, draft(), login_check=unreachable)
    assert go and quiet.notices[0].title == "Login not checked"


def test_one_question_before_a_rotation_carries_the_verdict_and_the_warnings() -> None:
    refused = verdict_of(CheckResult(Login.REJECTED, "ghcr.io refused the login for octo."))
    question = rotation_question("what goes where", 2, refused, ("Email: odd",))
    assert (question.kind, question.title) == (Ask.LOGIN_REFUSED, REFUSED_TITLE)
    assert (question.yes, question.no) == ("Send anyway", "Fix it")
    assert question.body.splitlines() == [
        "what goes where",
        "",
        "Login refused: ghcr.io refused the login for octo.",
        "",
        "Warnings:",
        "• Email: odd",
        "",
        "Send to 2 tenants anyway?",
    ]
    unchecked = verdict_of(CheckResult(Login.UNREACHABLE, "ghcr.io could not be reached."))
    question = rotation_question("what goes where", 1, unchecked, ())
    assert (question.kind, question.title, question.yes) == (Ask.SEND, "Send to 1 tenant?", "Send")
    assert question.no == "Cancel"  # as every other confirmation's, not "No"
    assert question.body.endswith("Login not checked: ghcr.io could not be reached.")
    assert rotation_question("preview", 3, None, ()).body == "preview"


def test_summary_lines_up_the_tenants() -> None:
    from tui.core.session import Tenant

    rows = [
        TenantRotation("dev", Tenant("d", "h"), Step.DONE, "updated (Secret has been modified)"),
        TenantRotation("production", Tenant("p", "h"), Step.FAILED, "AI Core said 503."),
    ]
    assert summary_text("ghcr", rows) == (
        "Rotated “ghcr” in 1 of 2 tenants.\n"
        "  dev         updated (Secret has been modified)\n"
        "  production  failed: AI Core said 503."
    )


def test_tenants_that_share_a_warning_share_its_line_in_the_summary() -> None:
    rotation = Rotation(draft(), [])
    ledger = "The ledger was not updated: “ghcr” was updated in AI Core. Another program held it."
    rotation.notices += [("dev", ledger), ("test", ledger), ("prod", "Login not checked.")]
    rotation.notices += [("dev", ledger)]  # a retry said it again
    assert rotation.notes() == [f"dev, test: {ledger}", "prod: Login not checked."]
    assert rotation.summary().splitlines()[1:] == [f"  note: {note}" for note in rotation.notes()]
