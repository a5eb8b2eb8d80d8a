"""``regsecret apply FILE`` against several emulators: the plan and the result for create, update,
nothing to do and prune; idempotent; every problem in the file is a sentence with its line."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.emulator import stored_password
from tests.support.fleet import Tenants, running_tenants, sdk_profiles, seed
from tui.cli import main
from tui.core import exit_codes
from tui.core.ledger import Ledger
from tui.emulator.server import Emulator

Run = Callable[..., tuple[int, str, str]]
MARKER = "apply-marker-Xy81"
FILE = """\
[secrets.ghcr]
registry = "ghcr.io"
username = "octo"
source = "env:GHCR_TOKEN"
tenants = ["dev", "prod"]
check = false
"""


@pytest.fixture
def tenants(private_home: Path) -> Iterator[Tenants]:
    with running_tenants("dev", "test", "prod") as running:
        sdk_profiles(private_home, running)
        seed(running["dev"], "ghcr", "old")
        yield running


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> Run:
    def call(*argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
        monkeypatch.setenv("GHCR_TOKEN", MARKER)
        try:
            code = main(list(argv))
        except SystemExit as exited:
            code = int(exited.code or 0)
        out, err = capfd.readouterr()
        return code, out, err

    return call


def sends(emu: Emulator) -> int:
    return sum(
        1 for r in emu.requests if r.method in ("POST", "PATCH", "DELETE") and "/v2/" in r.path
    )


def write(tmp_path: Path, text: str = FILE) -> str:
    path = tmp_path / "fleet.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_plan_apply_then_nothing_to_do(tenants: Tenants, run: Run, tmp_path: Path) -> None:
    file = write(tmp_path)
    code, out, err = run("apply", file, "--dry-run")
    assert code == 0, err
    assert sorted(out.splitlines()) == [
        "dev   ghcr  update (not applied from here)",
        "dev   old   left alone: registered outside regsecret",
        "prod  ghcr  create",
    ]
    assert sends(tenants["dev"]) == sends(tenants["prod"]) == 0

    code, out, err = run("apply", file)
    assert code == 0, err
    assert sorted(out.splitlines()) == [
        "dev   ghcr  updated (Secret has been modified)",
        "dev   old   left alone: registered outside regsecret",
        "prod  ghcr  created (Secret has been created)",
    ]
    assert stored_password(tenants["dev"], "ghcr") == MARKER
    assert stored_password(tenants["prod"], "ghcr") == MARKER
    assert tenants["test"].secret_names() == []
    assert MARKER.encode() not in Ledger().path.read_bytes()

    before = {name: sends(tenants[name]) for name in ("dev", "prod")}
    code, out, err = run("apply", file, "--json")
    assert code == 0, err
    payload = json.loads(out)
    actions = {(a["profile"], a["name"]): a["action"] for a in payload["actions"]}
    assert actions == {
        ("dev", "ghcr"): "nothing",
        ("prod", "ghcr"): "nothing",
        ("dev", "old"): "leave",
    }
    assert {name: sends(tenants[name]) for name in ("dev", "prod")} == before


def test_a_changed_source_is_an_update(tenants: Tenants, run: Run, tmp_path: Path) -> None:
    run("apply", write(tmp_path))
    changed = FILE.replace('username = "octo"', 'username = "octo2"')
    code, out, _ = run("apply", write(tmp_path, changed), "--dry-run")
    assert code == 0
    assert "dev   ghcr  update (source or login changed)" in out.splitlines()


def test_prune_deletes_only_what_regsecret_registered(
    tenants: Tenants, run: Run, tmp_path: Path
) -> None:
    code, _, err = run(
        "rotate", "stale", "--profile", "prod", "--registry", "ghcr.io", "--username", "o",
        "--password-env", "GHCR_TOKEN", "--no-check",
    )  # fmt: skip
    assert code == 0, err
    file = write(tmp_path)
    code, out, _ = run("apply", file, "--dry-run")
    assert "prod  stale  left alone: not declared here (--prune deletes it)" in out.splitlines()
    code, out, _ = run("apply", file, "--dry-run", "--prune")
    assert "prod  stale  delete (--prune)" in out.splitlines()
    assert "dev   old    left alone: registered outside regsecret" in out.splitlines()
    assert "stale" in tenants["prod"].secret_names()
    code, out, err = run("apply", file, "--prune")
    assert code == 0, err
    assert "prod  stale  deleted" in out.splitlines()
    assert tenants["prod"].secret_names() == ["ghcr"]
    assert tenants["dev"].secret_names() == ["ghcr", "old"]
    assert Ledger().load().get(tenants.key("prod"), "stale") is None


def test_a_failing_tenant_is_exit_9(tenants: Tenants, run: Run, tmp_path: Path) -> None:
    tenants["prod"].fail_next(503, scope="api", count=1)
    tenants["prod"].fail_next(500, scope="api", count=20)
    code, out, err = run("apply", write(tmp_path))
    assert code == exit_codes.EXIT_SOME_FAILED
    assert any(line.startswith("prod") and "could not" in line for line in out.splitlines())
    assert (
        "fleet.toml: 1 change, 0 failures; “prod” could not be listed, so nothing was applied "
        "there. Check its profile or network and run it again." in err
    )


def test_the_sentences_count_in_words(tenants: Tenants, run: Run, tmp_path: Path) -> None:
    file = write(tmp_path, FILE.replace('["dev", "prod"]', '["prod"]'))
    code, _, err = run("apply", file, "--dry-run")
    assert code == 0 and "regsecret: The plan: 1 change in 1 tenant." in err
    code, _, err = run("apply", file)
    assert code == 0 and "fleet.toml: 1 change, 0 failures." in err


def test_every_problem_in_the_file_names_its_line(run: Run, tmp_path: Path) -> None:
    text = FILE + '\n[secrets.other]\nregistry = "ghcr.io"\nusername = "u"\n' \
        'source = "env:"\ntenants = "all"\ncolour = "red"\n'  # fmt: skip
    code, out, err = run("apply", write(tmp_path, text))
    assert code == exit_codes.EXIT_BAD_INPUT
    assert "fleet.toml line 13: secret “other”: field 'colour' is not known." in err
    assert out == ""
    code, _, err = run("apply", write(tmp_path, FILE.replace("check = false", "check = 'no'")))
    assert code == exit_codes.EXIT_BAD_INPUT
    assert "line 6: secret “ghcr”: field 'check' must be true or false." in err
    code, _, err = run("apply", write(tmp_path, "[secrets.x\n"))
    assert code == exit_codes.EXIT_BAD_INPUT and "line 1" in err


def test_a_tenant_that_cannot_be_listed_is_planned_as_unreachable(
    tenants: Tenants, run: Run, tmp_path: Path
) -> None:
    tenants["prod"].stop()
    code, out, _ = run("apply", write(tmp_path), "--dry-run", "--json")
    assert code == exit_codes.EXIT_SOME_FAILED
    actions = json.loads(out)["actions"]
    prod = [a for a in actions if a["profile"] == "prod"]
    assert [a["action"] for a in prod] == ["unreachable"] and prod[0]["sentence"]
    assert ("dev", "update") in {(a["profile"], a["action"]) for a in actions}


def test_a_tenant_that_cannot_be_listed_is_not_counted_in_the_plan(
    tenants: Tenants, run: Run, tmp_path: Path
) -> None:
    tenants["prod"].stop()  # its port is dead: the plan for prod is unknown
    file = write(tmp_path)
    code, _, err = run("apply", file, "--dry-run")
    assert code == exit_codes.EXIT_SOME_FAILED
    assert err.splitlines()[-1] == (
        "regsecret: The plan: 1 change in 1 tenant; “prod” could not be listed, so its changes "
        "are unknown. Check its profile or network and run it again."
    )
    code, out, _ = run("apply", file, "--dry-run", "--json")
    payload = json.loads(out)
    assert code == payload["exit_code"] == exit_codes.EXIT_SOME_FAILED
    assert payload["sentence"] == err.splitlines()[-1].removeprefix("regsecret: ")
    (prod,) = [a for a in payload["actions"] if a["profile"] == "prod"]
    assert prod["status"] == "failed" and prod["error"]["type"] == "NetworkError"
    assert {a["status"] for a in payload["actions"] if a["profile"] == "dev"} == {"planned"}


def test_an_unlisted_tenant_is_neither_a_change_nor_a_failure(
    tenants: Tenants, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenants["prod"].stop()
    file = write(tmp_path, FILE.replace("env:GHCR_TOKEN", "env:REGSECRET_UNSET_TOKEN"))
    monkeypatch.delenv("REGSECRET_UNSET_TOKEN", raising=False)
    code, out, err = run("apply", file)
    assert code == exit_codes.EXIT_SOME_FAILED
    assert any(line.startswith("dev   ghcr  failed: not sent") for line in out.splitlines())
    assert err.splitlines()[-1].endswith(
        "fleet.toml: 0 changes, 1 failure; “prod” could not be listed, so nothing was applied "
        "there. Check its profile or network and run it again."
    )
    assert sends(tenants["dev"]) == 0


def test_nothing_is_planned_nor_applied_when_no_tenant_can_be_listed(
    tenants: Tenants, run: Run, tmp_path: Path
) -> None:
    tenants["dev"].stop()
    tenants["prod"].stop()
    file = write(tmp_path)
    code, _, err = run("apply", file, "--dry-run")
    assert code == exit_codes.EXIT_SOME_FAILED
    assert err.splitlines()[-1] == (
        "regsecret: Nothing could be planned: “dev” and “prod” could not be listed, so their "
        "changes are unknown. Check their profiles or network and run it again."
    )
    code, _, err = run("apply", file)
    assert code == exit_codes.EXIT_SOME_FAILED
    assert "Applied" not in err
    assert err.splitlines()[-1].endswith(
        "fleet.toml: “dev” and “prod” could not be listed. Check their profiles or network and "
        "run it again."
    )
    assert err.splitlines()[-1].startswith("regsecret: Nothing was applied from ")


def test_a_listed_name_is_cut_and_cleaned_in_its_column(
    tenants: Tenants, run: Run, tmp_path: Path
) -> None:
    # A tenant lists a name regsecret could not have registered (a hostile or odd server).
    hostile = "old\x1b]0;pwned\x07" + "o" * 200
    state = tenants["dev"].state
    state.secrets[hostile] = state.secrets.pop("old")
    code, out, err = run("apply", write(tmp_path), "--dry-run")
    assert code == 0, err
    assert sorted(out.splitlines()) == [
        "dev   ghcr" + " " * 62 + "update (not applied from here)",
        "dev   old" + "o" * 60 + "…  left alone: registered outside regsecret",
        "prod  ghcr" + " " * 62 + "create",
    ]
