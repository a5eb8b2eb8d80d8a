"""ledger.toml: what regsecret registered where, never a secret; 0600, atomic, locked, and a broken
file is reported and left alone instead of blocking anything."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.core.ledger import (
    ECR_TOKEN_LIFETIME,
    FILE_NAME,
    Ledger,
    LedgerError,
    known_lifetime,
    tenant_key,
)

NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


def test_tenant_key_is_profile_and_api_host() -> None:
    assert tenant_key("dev", "https://API.ai.example.com/v2") == "dev@api.ai.example.com"
    assert tenant_key("dev", "http://127.0.0.1:8765") == "dev@127.0.0.1:8765"


def test_ecr_tokens_are_known_to_last_twelve_hours() -> None:
    assert known_lifetime("123456789012.dkr.ecr.eu-central-1.amazonaws.com") == ECR_TOKEN_LIFETIME
    assert known_lifetime("https://123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn") is not None
    assert known_lifetime("ghcr.io") is None
    assert known_lifetime("dkr.ecr.eu-central-1.amazonaws.com.evil.example") is None


def test_record_then_update_keeps_registered_at_and_drops_old_verification(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    ledger.record(
        "dev@h", "reg", registry="ghcr.io", username="octo", created=True,
        source="env:TOKEN", verified_image="ghcr.io/o/a:1", now=NOW,
    )  # fmt: skip
    later = NOW + timedelta(days=3)
    ledger.record(
        "dev@h", "reg", registry="ghcr.io", username="octo2", created=False,
        source="file:/run/t", now=later,
    )  # fmt: skip
    entry = ledger.load().get("dev@h", "reg")
    assert entry is not None
    assert entry.registered_at == NOW
    assert entry.updated_at == later == entry.last_rotated
    assert entry.username == "octo2"
    assert entry.source == "file:/run/t"
    # The new credential was not checked: the old verification is not about it.
    assert entry.verified_at is None and entry.verified_image == ""


def test_an_ecr_secret_expires_twelve_hours_after_its_update(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path)
    ecr = "123456789012.dkr.ecr.eu-central-1.amazonaws.com"
    entry = ledger.record("t@h", "ecr", registry=ecr, username="AWS", created=True, now=NOW)
    assert entry.expires_at == NOW + timedelta(hours=12)
    assert entry.expires_soon(NOW) and not entry.expired(NOW)
    assert entry.expired(NOW + timedelta(hours=13))
    given = NOW + timedelta(days=30)
    other = ledger.record(
        "t@h", "gh", registry="ghcr.io", username="o", created=True, expires_at=given, now=NOW
    )
    assert other.expires_at == given and not other.expires_soon(NOW)


def test_file_is_private_and_forget_removes_the_entry(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "cfg")
    ledger.record("a@h", "one", registry="ghcr.io", username="u", created=True, now=NOW)
    ledger.record("b@h", "one", registry="ghcr.io", username="u", created=True, now=NOW)
    mode = stat.S_IMODE(os.stat(ledger.path).st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "cfg").st_mode) == 0o700
    ledger.forget("a@h", "one")
    read = ledger.load()
    assert read.get("a@h", "one") is None
    assert read.get("b@h", "one") is not None
    assert list(tmp_path.glob("cfg/.ledger-*")) == []


def test_a_broken_ledger_is_reported_and_never_rewritten(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text('version = 1\n[tenants."a@h".x]\nregistry = \n', encoding="utf-8")
    ledger = Ledger(tmp_path)
    read = ledger.load()
    assert read.entries == {}
    assert "line 3" in read.problem and "will not change" in read.problem
    with pytest.raises(LedgerError):
        ledger.record("a@h", "y", registry="ghcr.io", username="u", created=True)
    assert path.read_text(encoding="utf-8").endswith("registry = \n")


def test_an_entry_with_a_password_field_is_refused_not_kept(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(
        'version = 1\n[tenants."a@h".x]\nregistry = "r"\nusername = "u"\npassword = "p"\n',
        encoding="utf-8",
    )
    read = Ledger(tmp_path).load()
    assert read.entries == {} and "'password'" in read.problem


def test_two_ledgers_on_one_file_do_not_lose_each_others_entries(tmp_path: Path) -> None:
    first, second = Ledger(tmp_path), Ledger(tmp_path)
    for index in range(10):
        (first if index % 2 else second).record(
            "t@h", f"s{index}", registry="ghcr.io", username="u", created=True, now=NOW
        )
    assert len(Ledger(tmp_path).load().for_tenant("t@h")) == 10


def test_processes_recording_at_once_lose_nothing(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from tui.core.ledger import Ledger\n"
        "ledger = Ledger(Path(sys.argv[1]))\n"
        "for i in range(8):\n"
        "    ledger.record('t@h', f'{sys.argv[2]}-{i}', registry='ghcr.io', username='u',"
        " created=True)\n"
    )
    children = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), f"p{n}"]) for n in range(4)
    ]
    assert [child.wait(timeout=50) for child in children] == [0, 0, 0, 0]
    assert len(Ledger(tmp_path).load().for_tenant("t@h")) == 32
