"""The done-when scenario of the command line: tests/cli/scenario.sh, end to end, from a shell.

It starts ``regsecret emulator``, then registers, lists, updates and deletes secrets with every
password source and every profile source, and checks every exit code of the table and the
``--json`` shapes. "Our" profile keeps its client secret in a real keyring, so the script runs in
a throw-away gnome-keyring session.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.support.gnome_keyring import in_keyring_session, skip_without_keyring_session

pytestmark = pytest.mark.real

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "cli" / "scenario.sh"


# About fifty commands, each a fresh Python: a minute on a quiet machine, more on a loaded one.
@pytest.mark.timeout(400)
def test_the_command_line_scenario(tmp_path: Path) -> None:
    skip_without_keyring_session()
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed (scripts/install-real-components.sh installs it)")
    home = tmp_path / "home"
    home.mkdir()
    done = in_keyring_session(
        ["bash", str(SCRIPT), sys.executable, "-m", "tui"],
        home=home,
        env={"PYTHON": sys.executable, "PYTHONPATH": str(ROOT)},
        timeout=360,
    )
    output = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, output
    assert "every step passed" in output
    assert "FAIL" not in output
