"""The docker config and its credential helpers, against a fake helper for every error path."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest

from tests.support.credential_helper import asked, install_fake_helper, path_with
from tests.support.credential_helper import write_docker_config as write_config
from tui.core.errors import InputError
from tui.core.local_docker_config import (
    DOCKER_HUB_LOGIN_KEY,
    find_docker_login,
    read_docker_logins,
    resolve_login,
)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "bin"
    directory.mkdir()
    monkeypatch.setenv("PATH", path_with(directory))
    return directory


def explain(path: Path, registry: str, timeout: float = 10.0) -> str:
    with pytest.raises(InputError) as refused:
        find_docker_login(path, registry, timeout=timeout)
    return refused.value.explanation


def _auth(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def test_inline_auth_under_every_spelling(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        {
            "auths": {
                DOCKER_HUB_LOGIN_KEY: {"auth": _auth("hubuser", "hub-pass")},
                "https://ghcr.io/": {"auth": _auth("octo", "gh:pass")},
                "localhost:5000": {"username": "me", "password": "local"},
            }
        },
    )
    for registry in ("docker.io", "https://index.docker.io", "index.docker.io"):
        login = find_docker_login(path, registry)
        assert (login.username, login.password and login.password.reveal()) == (
            "hubuser",
            "hub-pass",
        )
    login = find_docker_login(path, "GHCR.io")
    assert login.password is not None and login.password.reveal() == "gh:pass"
    login = find_docker_login(path, "localhost:5000/team")
    assert login.password is not None and login.password.reveal() == "local"
    assert "has no login for quay.io (it has: " in explain(path, "quay.io")


def test_creds_store_is_asked_with_the_key_docker_wrote(tmp_path: Path, bin_dir: Path) -> None:
    install_fake_helper(bin_dir, "desktop", {"ghcr.io": ("octo", "ghp_tok")})
    path = write_config(tmp_path, {"auths": {"ghcr.io": {}}, "credsStore": "desktop"})
    login = find_docker_login(path, "https://ghcr.io")
    assert (login.username, login.helper) == ("octo", "desktop")
    assert login.password is not None and login.password.reveal() == "ghp_tok"
    assert asked(bin_dir) == ["ghcr.io"]  # the registry on stdin, as docker does


def test_docker_hub_is_asked_as_docker_spells_it(tmp_path: Path, bin_dir: Path) -> None:
    install_fake_helper(bin_dir, "pass", {DOCKER_HUB_LOGIN_KEY: ("hubuser", "dckr_pat")})
    path = write_config(tmp_path, {"credsStore": "pass"})
    login = find_docker_login(path, "docker.io")
    assert login.password is not None and login.password.reveal() == "dckr_pat"
    assert asked(bin_dir) == [DOCKER_HUB_LOGIN_KEY]


def test_cred_helpers_win_over_creds_store(tmp_path: Path, bin_dir: Path) -> None:
    ecr = "123456789012.dkr.ecr.eu-central-1.amazonaws.com"
    install_fake_helper(bin_dir, "ecr-login", {ecr: ("AWS", "ecr-token")})
    install_fake_helper(bin_dir, "desktop", {})
    path = write_config(tmp_path, {"credsStore": "desktop", "credHelpers": {ecr: "ecr-login"}})
    login = find_docker_login(path, ecr)
    assert (login.username, login.helper) == ("AWS", "ecr-login")
    logins = read_docker_logins(path)
    assert [(item.registry, item.helper, item.usable) for item in logins] == [
        (ecr, "ecr-login", False)
    ]
    resolved = resolve_login(path, logins[0])
    assert resolved.password is not None and resolved.password.reveal() == "ecr-token"


def test_not_found_tries_the_other_spellings_then_says_so(tmp_path: Path, bin_dir: Path) -> None:
    install_fake_helper(bin_dir, "desktop", {"https://quay.io": ("q", "qt")})
    path = write_config(tmp_path, {"credsStore": "desktop"})
    login = find_docker_login(path, "quay.io")
    assert login.password is not None and login.password.reveal() == "qt"
    assert asked(bin_dir) == ["quay.io", "https://quay.io"]
    sentence = explain(path, "ghcr.io")
    assert "“desktop”" in sentence and "holds no login for ghcr.io" in sentence
    assert "docker login ghcr.io" in sentence


def test_missing_helper(tmp_path: Path, bin_dir: Path) -> None:
    path = write_config(tmp_path, {"auths": {"ghcr.io": {}}, "credsStore": "osxkeychain"})
    sentence = explain(path, "ghcr.io")
    assert "docker-credential-osxkeychain" in sentence and "not installed" in sentence


def test_failing_helper_message_is_made_safe(tmp_path: Path, bin_dir: Path) -> None:
    install_fake_helper(bin_dir, "desktop", {}, mode="fail")
    path = write_config(tmp_path, {"credsStore": "desktop"})
    sentence = explain(path, "ghcr.io")
    assert "failed (exit status 3: the keychain is locked" in sentence
    assert "\x1b" not in sentence and "\x07" not in sentence


def test_helper_waiting_for_a_desktop_prompt_times_out(tmp_path: Path, bin_dir: Path) -> None:
    install_fake_helper(bin_dir, "desktop", {}, mode="hang")
    path = write_config(tmp_path, {"credsStore": "desktop"})
    started = time.monotonic()
    sentence = explain(path, "ghcr.io", timeout=1.0)
    assert time.monotonic() - started < 6
    assert "did not answer within 1 seconds" in sentence and "unlock" in sentence


def test_garbage_and_identity_tokens(tmp_path: Path, bin_dir: Path) -> None:
    install_fake_helper(bin_dir, "junk", {}, mode="garbage")
    install_fake_helper(bin_dir, "idt", {"ghcr.io": ("x", "refresh")}, mode="identity")
    path = write_config(tmp_path, {"credsStore": "junk"})
    assert "not its JSON" in explain(path, "ghcr.io")
    path = write_config(tmp_path, {"credsStore": "idt"})
    assert "identity token" in explain(path, "ghcr.io")


def test_unreadable_configs(tmp_path: Path) -> None:
    assert "There is no" in explain(tmp_path / "config.json", "ghcr.io")
    (tmp_path / "config.json").write_text("{not json")
    assert "line 1: not valid JSON" in explain(tmp_path / "config.json", "ghcr.io")
    (tmp_path / "config.json").write_text("[1]")
    assert "does not look like a docker config" in explain(tmp_path / "config.json", "ghcr.io")
    (tmp_path / "config.json").write_text('{"auths": {"ghcr.io": {"auth": "!!"}}}')
    assert "no password in it" in explain(tmp_path / "config.json", "ghcr.io")
