"""Every create, update and delete through the workflows writes the ledger, for the app and the
command line alike; a ledger that cannot be written is a notice, never a blocked registration."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.emulator import connection_for
from tests.support.person import ScriptedPerson
from tui.core.client import AICoreClient
from tui.core.ledger import FILE_NAME, Ledger
from tui.core.request import SecretDraft
from tui.core.secret import Secret
from tui.core.session import Tenant
from tui.core.workflows import Ask, Outcome, Record, delete, register, update
from tui.emulator.server import Emulator

TENANT = Tenant("profile “dev” at 127.0.0.1", "127.0.0.1", "dev@127.0.0.1")
YES = {kind: True for kind in Ask}


def draft(username: str = "octo") -> SecretDraft:
    return SecretDraft("reg", "ghcr.io", username, Secret("pw-ledger-1"), "o@example.com")


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[AICoreClient]:
    async with AICoreClient(connection_for(emulator), backoff=0.01) as made:
        yield made


async def test_create_update_delete_are_written_to_the_ledger(
    client: AICoreClient, tmp_path: Path
) -> None:
    ledger = Ledger(tmp_path)
    person = ScriptedPerson(YES)
    created = await register(
        client, person, draft(), TENANT, check_login=False,
        record=Record(source="env:TOKEN", ledger=ledger),
    )  # fmt: skip
    assert created.outcome is Outcome.CREATED
    entry = ledger.load().get("dev@127.0.0.1", "reg")
    assert entry is not None and entry.source == "env:TOKEN" and entry.registered_at is not None
    assert entry.registry == "ghcr.io" and entry.email == "o@example.com"
    updated = await update(
        client, person, draft("octo2"), TENANT, check_login=False, record=Record(ledger=ledger)
    )
    assert updated.outcome is Outcome.UPDATED
    after = ledger.load().get("dev@127.0.0.1", "reg")
    assert after is not None and after.username == "octo2"
    assert after.registered_at == entry.registered_at and after.source == ""
    deleted = await delete(client, person, "reg", TENANT, ledger=ledger)
    assert deleted.outcome is Outcome.DELETED
    assert ledger.load().get("dev@127.0.0.1", "reg") is None


async def test_the_default_ledger_sits_beside_profiles_toml(client: AICoreClient) -> None:
    await register(client, ScriptedPerson(YES), draft(), TENANT, check_login=False)
    assert Ledger().load().get("dev@127.0.0.1", "reg") is not None
    assert Ledger().path.parent == Path(Ledger().config_dir)


async def test_a_failed_create_is_not_written(client: AICoreClient, emulator: Emulator) -> None:
    emulator.fail_next(500)
    ledger_dir = Ledger().path
    result = await register(client, ScriptedPerson(YES), draft(), TENANT, check_login=False)
    assert result.outcome is Outcome.FAILED
    assert not ledger_dir.exists()


async def test_a_broken_ledger_never_blocks_a_registration(
    client: AICoreClient, emulator: Emulator, tmp_path: Path
) -> None:
    (tmp_path / FILE_NAME).write_text("this is [not toml\n", encoding="utf-8")
    person = ScriptedPerson(YES)
    result = await register(
        client, person, draft(), TENANT, check_login=False, record=Record(ledger=Ledger(tmp_path))
    )
    assert result.outcome is Outcome.CREATED and emulator.secret_names() == ["reg"]
    assert [n.title for n in person.notices] == ["The ledger was not updated"]
    assert "line 1" in person.notices[0].sentence


async def test_a_tenant_without_a_key_keeps_no_ledger(client: AICoreClient) -> None:
    keyless = Tenant("t", "127.0.0.1")
    await register(client, ScriptedPerson(YES), draft(), keyless, check_login=False)
    assert not Ledger().path.exists()


async def test_a_create_stopped_after_it_was_sent_is_noted_as_regsecrets_but_unconfirmed(
    client: AICoreClient, emulator: Emulator, tmp_path: Path
) -> None:
    from tui.core.secret_rows import UNCONFIRMED, cells, details

    ledger = Ledger(tmp_path)
    emulator.delay_next(1.0)
    # Escape once the emulator holds the create (not the token request before it): it may yet
    # create the secret.
    person = ScriptedPerson(
        YES,
        stop_during="Registering",
        stop_once=lambda: any("dockerRegistrySecrets" in r.path for r in emulator.requests),
    )
    stopped = await register(
        client, person, draft(), TENANT, check_login=False, record=Record(ledger=ledger)
    )
    assert stopped.outcome is Outcome.STOPPED and stopped.sent
    entry = ledger.load().get("dev@127.0.0.1", "reg")
    # Not "registered outside regsecret" (and so still regsecret's to prune), but not confirmed.
    assert entry is not None and entry.registry == "ghcr.io" and entry.username == "octo"
    assert entry.registered_at is not None and entry.unconfirmed_at is not None
    assert cells("reg", entry) == ("reg", "ghcr.io", "octo", UNCONFIRMED)
    assert any(label == "Unconfirmed" for label, _value in details(entry))
    # Sent again, and confirmed this time: the note goes.
    again = await register(
        client, ScriptedPerson(YES), draft(), TENANT, check_login=False,
        record=Record(ledger=ledger),
    )  # fmt: skip
    assert again.changed
    after = ledger.load().get("dev@127.0.0.1", "reg")
    assert after is not None and after.unconfirmed_at is None


async def test_a_create_stopped_before_it_was_sent_leaves_the_ledger_alone(
    client: AICoreClient, tmp_path: Path
) -> None:
    ledger = Ledger(tmp_path)
    person = ScriptedPerson(YES, stop_during="Registering")
    stopped = await register(
        client, person, draft(), TENANT, check_login=False, record=Record(ledger=ledger)
    )
    assert stopped.outcome is Outcome.STOPPED and not stopped.sent
    assert ledger.load().get("dev@127.0.0.1", "reg") is None
