"""``--from-docker-config`` against Debian's real secretservice credential helper and gnome-keyring.

The login is stored the way ``docker login`` stores it (``docker-credential-secretservice store``)
and read back by regsecret through the helper protocol, in a D-Bus session of its own.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from tests.support.gnome_keyring import in_keyring_session, skip_without_keyring_session

pytestmark = pytest.mark.real

TOKEN = "ghp_realHelperToken123"
STORE_THEN_RUN = (
    "printf '%s' \"$LOGIN\" | docker-credential-secretservice store && "
    'printf ghcr.io | docker-credential-secretservice get >/dev/null && exec "$@"'
)


@pytest.fixture
def helper_home(tmp_path: Path) -> Path:
    skip_without_keyring_session()
    if shutil.which("docker-credential-secretservice") is None:
        pytest.skip(
            "docker-credential-secretservice is not installed (Debian package "
            "golang-docker-credential-helpers; scripts/install-real-components.sh installs it)"
        )
    home = tmp_path / "home"
    docker = home / ".docker"
    docker.mkdir(parents=True)
    config = {"auths": {"ghcr.io": {}}, "credsStore": "secretservice"}
    (docker / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return home


def _run(home: Path, *args: str) -> tuple[int, bytes, str]:
    login = json.dumps({"ServerURL": "ghcr.io", "Username": "octo", "Secret": TOKEN})
    done = in_keyring_session(
        ["sh", "-c", STORE_THEN_RUN, "sh", sys.executable, "-m", "tui", *args],
        home=home,
        env={"LOGIN": login, "REGSECRET_CONFIG_DIR": str(home / "cfg")},
    )
    return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")


def test_body_reads_the_login_through_the_real_helper(helper_home: Path) -> None:
    code, out, err = _run(
        helper_home, "body", "--name", "gh", "--registry", "ghcr.io", "--from-docker-config"
    )
    assert code == 0, err
    inner = json.loads(json.loads(out)["data"][".dockerconfigjson"])
    assert inner["auths"]["ghcr.io"]["username"] == "octo"
    assert inner["auths"]["ghcr.io"]["password"] == TOKEN
    assert TOKEN not in err


def test_a_registry_the_real_helper_does_not_hold_is_a_sentence(helper_home: Path) -> None:
    code, out, err = _run(
        helper_home, "body", "--name", "q", "--registry", "quay.io", "--from-docker-config"
    )
    assert (code, out) == (2, b"")
    assert "“secretservice”" in err and "holds no login for quay.io" in err
    assert "Traceback" not in err
