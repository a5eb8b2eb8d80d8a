"""Fleet loading and the matrix, against several emulators over loopback: each tenant's state
arrives on its own, an unreachable tenant says why while the rest load, one at quota shows it,
and the ledger's columns come from what regsecret registered."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.fleet import running_tenants, seed
from tui.core.client import AICoreClient, Quota
from tui.core.connection import Connection
from tui.core.fleet import (
    Fleet,
    Load,
    Member,
    TenantState,
    build_matrix,
    having,
    load_fleet,
    loaded_sentence,
    matching_sentence,
    read_ledgers,
    usage,
)
from tui.core.fleet import select as select_members
from tui.core.ledger import Ledger
from tui.core.secret import Secret
from tui.core.session import Tenant
from tui.emulator.state import QUOTA

NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def unreachable_member(name: str) -> Member:
    url = f"http://127.0.0.1:{closed_port()}"
    connection = Connection(url, f"{url}/oauth/token", "demo", Secret("x"), connect_timeout=1.0)
    tenant = Tenant(f"profile “{name}”", "127.0.0.1", f"{name}@127.0.0.1")
    return Member(name, tenant, AICoreClient(connection, max_tries=1))


async def collect(fleet: Fleet, **options: float) -> list[TenantState]:
    return [state async for state in load_fleet(fleet.members, **options)]  # type: ignore[arg-type]


async def test_matrix_with_an_unreachable_tenant_and_one_at_quota(tmp_path: object) -> None:
    with running_tenants("dev", "test", "prod") as tenants:
        seed(tenants["dev"], "ghcr", "ecr")
        seed(tenants["test"], "ghcr")
        seed(tenants["prod"], *[f"s{i:02}" for i in range(QUOTA)])
        ledger = Ledger()
        ledger.record(
            tenants.key("dev"), "ghcr", registry="ghcr.io", username="u", created=True, now=NOW,
            expires_at=NOW + timedelta(days=2),
        )  # fmt: skip
        # Registered by regsecret once, deleted since outside it.
        ledger.record(tenants.key("test"), "gone", registry="ghcr.io", username="u", created=True)
        fleet = tenants.fleet()
        fleet.members.append(unreachable_member("lost"))
        async with fleet:
            states = await collect(fleet, deadline=10.0)
    assert [s.status for s in states[:4]] == [Load.LOADING] * 4
    final = {s.member: s for s in states[4:]}
    assert set(final) == {"dev", "test", "prod", "lost"}
    assert final["lost"].status is Load.UNREACHABLE
    assert "127.0.0.1" in final["lost"].sentence and final["lost"].error is not None
    assert final["prod"].at_quota and not final["dev"].at_quota
    assert final["dev"].names == ("ecr", "ghcr")

    matrix = build_matrix(states, ledger.load(), now=NOW)
    assert [t.member for t in matrix.tenants] == ["dev", "test", "prod", "lost"]
    assert "ghcr" in matrix.names and "gone" in matrix.names
    cell = matrix.cell("ghcr", "dev")
    assert cell.present and cell.entry is not None and cell.last_rotated == NOW
    assert cell.expires_soon and not cell.expired
    assert matrix.cell("ghcr", "test").registered_outside
    assert matrix.cell("ghcr", "prod").present is False
    assert matrix.cell("ghcr", "lost").present is None
    gone = matrix.cell("gone", "test")
    assert gone.present is False and gone.entry is not None
    assert matrix.holders("ghcr") == ["dev", "test"]
    assert matrix.filtered("GH").names == ("ghcr",)
    assert [m.name for m in having(fleet.members, states, "ghcr")] == ["dev", "test"]


async def test_tenants_load_concurrently_and_a_slow_one_does_not_hold_the_others() -> None:
    with running_tenants("a", "b", "c", "slow") as tenants:
        tenants["slow"].delay_next(3.0, count=5, scope="all")
        for name in ("a", "b", "c"):
            tenants[name].delay_next(0.3, count=5, scope="all")
        fleet = tenants.fleet(read_timeout=10.0)
        order: list[str] = []
        started = time.monotonic()
        async with fleet:
            async for state in load_fleet(fleet.members, deadline=1.5):
                if state.status is not Load.LOADING:
                    order.append(state.member)
        elapsed = time.monotonic() - started
    # Each of a, b, c costs token + list + quota = 0.9 s; in a row that would be 2.7 s.
    assert order[-1] == "slow" and set(order[:3]) == {"a", "b", "c"}
    assert elapsed < 2.5


async def test_a_tenant_past_its_deadline_is_unreachable_with_a_sentence() -> None:
    with running_tenants("slow") as tenants:
        tenants["slow"].delay_next(5.0, count=2, scope="all")
        fleet = tenants.fleet(read_timeout=10.0)
        async with fleet:
            states = await collect(fleet, deadline=0.5)
    assert states[-1].status is Load.UNREACHABLE
    assert "did not answer within 0.5 seconds" in states[-1].sentence


async def test_a_member_without_a_client_is_unreachable_from_the_start() -> None:
    member = Member("x", Tenant("x", "h", "x@h"), None, "No client secret is stored for 'x'.")
    states = [s async for s in load_fleet([member])]
    assert states[-1].status is Load.UNREACHABLE and states[-1].sentence.startswith("No client")


def test_select_names_unknown_tenants() -> None:
    members = [Member(n, Tenant(n, "h", f"{n}@h"), None) for n in ("dev", "prod")]
    assert [m.name for m in select_members(members, ["prod", "dev", "prod"])] == ["prod", "dev"]
    from tui.core.errors import InputError

    with pytest.raises(InputError, match=r"No tenant named qa\. Tenants: dev, prod\."):
        select_members(members, ["qa"])


def test_closing_the_stream_early_cancels_the_rest() -> None:
    async def main() -> None:
        with running_tenants("slow") as tenants:
            tenants["slow"].delay_next(3.0, count=2, scope="all")
            fleet = tenants.fleet(read_timeout=10.0)
            async with fleet:
                stream = load_fleet(fleet.members)
                first = await anext(stream)
                assert first.status is Load.LOADING
                await stream.aclose()  # type: ignore[attr-defined]

    started = time.monotonic()
    asyncio.run(main())
    assert time.monotonic() - started < 2.5


def test_each_member_is_read_from_its_own_ledger(tmp_path: Path) -> None:
    """A demo run's fleet holds the user's tenants and the demo's: each ledger read once, merged,
    and a broken one says so without hiding the other's entries."""
    user, demo = Ledger(), Ledger(tmp_path / "demo")
    user.record("prod@api.example.com", "ghcr", registry="ghcr.io", username="u", created=True)
    demo.record("demo-dev@127.0.0.1:1", "ghcr", registry="ghcr.io", username="d", created=True)
    here = demo.config_dir
    members = [
        Member("prod", Tenant("profile “prod”", "api.example.com", "prod@api.example.com"), None),
        Member("demo-dev", Tenant("demo", "127.0.0.1", "demo-dev@127.0.0.1:1", here), None),
        Member("demo-test", Tenant("demo", "127.0.0.1", "demo-test@127.0.0.1:2", here), None),
    ]
    read = read_ledgers(members)
    assert read.problem == ""
    assert read.get("prod@api.example.com", "ghcr").username == "u"  # type: ignore[union-attr]
    assert read.get("demo-dev@127.0.0.1:1", "ghcr").username == "d"  # type: ignore[union-attr]
    demo.path.write_text("not = [toml", encoding="utf-8")
    broken = read_ledgers(members)
    assert broken.problem and broken.get("prod@api.example.com", "ghcr") is not None


def test_a_loaded_tenant_says_its_count_once() -> None:
    """The sentence "2 secrets; 2 of 50 secrets used" said one count twice (and "1 secrets");
    both numbers are said only when the list and the quota disagree."""
    assert loaded_sentence(2, Quota(2, 50)) == "2 of 50 secrets used."
    assert loaded_sentence(1, None) == "1 secret; its quota is not known."
    assert loaded_sentence(1, Quota(None, 50)) == "1 of 50 secrets used."
    assert loaded_sentence(50, Quota(50, 50)) == (
        "50 of 50 secrets used: the tenant is full, delete one before registering another there."
    )
    assert loaded_sentence(1, Quota(3, 50)) == "1 secret listed; its quota counts 3 of 50 used."
    tenant = Tenant("dev", "api.example.com", "dev@api.example.com")
    loaded = TenantState("dev", tenant, Load.LOADED, ("a", "b"), Quota(None, 2))
    assert usage(loaded) == "2 of 2 (full)" and loaded.at_quota
    assert usage(TenantState("dev", tenant, Load.LOADED, ("a",))) == "1 (quota unknown)"
    assert usage(TenantState("dev", tenant, Load.LOADING)) == "loading…"


def test_a_filter_says_how_many_names_it_leaves_and_shows_the_typed_text_safely() -> None:
    assert matching_sentence(2, 5, "gh") == "2 of 5 secrets match “gh”"
    assert matching_sentence(1, 1, "gh") == "1 of 1 secret matches “gh”"
    assert matching_sentence(0, 5, "zz") == "no secret name holds “zz” (escape clears the filter)"
    shown = matching_sentence(1, 3, "a\x1b[31mb" + "c" * 100)
    assert "\x1b" not in shown and len(shown) < 80
