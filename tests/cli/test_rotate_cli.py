"""``regsecret rotate`` in process against several emulators: one line per tenant, exactly the
chosen tenants, exit 9 when one fails, --only-existing, --all, --json, a refused login stops."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.emulator import stored_password
from tests.support.fleet import Tenants, running_tenants, sdk_profiles, seed
from tui.cli import main
from tui.commands import rotate as rotate_command
from tui.core import exit_codes
from tui.core.ledger import Ledger

Run = Callable[..., tuple[int, str, str]]
MARKER = "cli-rotate-marker-7Qz"


@pytest.fixture
def tenants(private_home: Path) -> Iterator[Tenants]:
    with running_tenants("dev", "test", "prod", registry=True) as running:
        sdk_profiles(private_home, running)
        seed(running["dev"], "ghcr")
        seed(running["test"], "ghcr")
        yield running


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> Run:
    def call(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        monkeypatch.setenv("GHCR_TOKEN", MARKER)
        try:
            code = main(list(argv))
        except SystemExit as exited:
            code = int(exited.code or 0)
        out, err = capfd.readouterr()
        return code, out, err

    return call


BASE = ("--registry", "ghcr.io", "--username", "octo", "--password-env", "GHCR_TOKEN")


def test_rotate_the_chosen_tenants_one_line_each(tenants: Tenants, run: Run) -> None:
    code, out, err = run(
        "rotate", "ghcr", "--profile", "dev", "--profile", "prod", *BASE, "--no-check"
    )
    assert code == 0, err
    lines = sorted(out.splitlines())
    assert lines == [
        "dev   updated (Secret has been modified)",
        "prod  created (Secret has been created)",
    ]
    assert "Rotated “ghcr” in 2 of 2 tenants." in err
    assert stored_password(tenants["dev"], "ghcr") == MARKER
    assert stored_password(tenants["prod"], "ghcr") == MARKER
    assert stored_password(tenants["test"], "ghcr") == "seeded-outside"
    entry = Ledger().load().get(tenants.key("dev"), "ghcr")
    assert entry is not None and entry.source == "env:GHCR_TOKEN"
    assert MARKER.encode() not in Ledger().path.read_bytes()


def test_one_failing_tenant_is_exit_9_and_its_line_says_why(tenants: Tenants, run: Run) -> None:
    tenants["prod"].fail_next(500)
    code, out, err = run("rotate", "ghcr", "--all", *BASE, "--no-check", "--json")
    assert code == exit_codes.EXIT_SOME_FAILED == 9, err
    payload = json.loads(out)
    assert payload["ok"] is False and payload["outcome"] == "some-failed"
    assert payload["sentence"] == "Rotated “ghcr” in 2 of 3 tenants."
    rows = {row["profile"]: row for row in payload["tenants"]}
    assert rows["prod"]["status"] == "failed" and rows["prod"]["error"]["status"] == 500
    assert rows["dev"]["outcome"] == "updated" and rows["test"]["outcome"] == "updated"
    assert "ghcr" not in tenants["prod"].secret_names()


def test_only_existing_leaves_the_others_alone(tenants: Tenants, run: Run) -> None:
    code, out, err = run("rotate", "ghcr", "--all", "--only-existing", *BASE, "--no-check")
    assert code == 0, err
    assert sorted(line.split()[0] for line in out.splitlines()) == ["dev", "test"]
    assert "ghcr" not in tenants["prod"].secret_names()


def test_only_existing_updates_and_a_failure_says_could_not_be_updated(
    tenants: Tenants, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = rotate_command._holders

    async def then_fail(*args: Any) -> Any:
        found = await listed(*args)
        tenants["test"].fail_next(500)  # the listing went through; the update will not
        return found

    monkeypatch.setattr(rotate_command, "_holders", then_fail)
    code, out, err = run("rotate", "ghcr", "--all", "--only-existing", *BASE, "--no-check")
    assert code == exit_codes.EXIT_SOME_FAILED, err
    [line] = [line for line in out.splitlines() if line.startswith("test")]
    assert "failed: “ghcr” could not be updated. " in line, line
    assert "registered" not in out


def test_a_refused_login_sends_nothing_anywhere(tenants: Tenants, run: Run) -> None:
    registry = tenants["dev"].registry_host
    assert registry is not None
    code, out, err = run(
        "rotate", "ghcr", "--all", "--registry", registry, "--username", "demo",
        "--password-stdin", stdin="wrong-token\n",
    )  # fmt: skip
    assert code == exit_codes.EXIT_REFUSED, err
    assert out == ""
    assert "Nothing was sent to any tenant" in err
    assert stored_password(tenants["dev"], "ghcr") == "seeded-outside"


def test_an_accepted_login_is_checked_once_and_recorded(tenants: Tenants, run: Run) -> None:
    registry = tenants["dev"].registry_host
    assert registry is not None
    code, out, err = run(
        "rotate", "reg", "--profile", "dev", "--profile", "test", "--registry", registry,
        "--username", "demo", "--password-stdin", stdin="demo-registry-token\n",
    )  # fmt: skip
    assert code == 0, err
    assert sorted(line.split()[1] for line in out.splitlines()) == ["created", "created"]
    entry = Ledger().load().get(tenants.key("test"), "reg")
    assert entry is not None and entry.verified_at is not None and entry.source == "stdin"


def test_an_unknown_profile_is_bad_input_before_anything(tenants: Tenants, run: Run) -> None:
    code, out, err = run("rotate", "ghcr", "--profile", "qa", *BASE, "--no-check")
    assert code == exit_codes.EXIT_BAD_INPUT
    assert "There is no profile named qa. Profiles: " in err
    assert out == ""


def test_a_failing_tenants_line_gives_the_request_id(tenants: Tenants, run: Run) -> None:
    tenants["prod"].fail_next(500)
    code, out, err = run("rotate", "ghcr", "--all", *BASE, "--no-check")
    assert code == exit_codes.EXIT_SOME_FAILED, err
    prod = next(line for line in out.splitlines() if line.startswith("prod"))
    assert re.search(r"give SAP support the request id [0-9a-f]{32}\b", prod), prod
