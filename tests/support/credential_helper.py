"""A fake ``docker-credential-<name>`` on the PATH, for the error paths a real helper rarely shows.

``install_fake_helper(bin_dir, name, logins, mode)`` writes an executable that speaks the protocol
of docker/docker-credential-helpers: ``get`` reads the server URL on stdin and prints
``{"ServerURL", "Username", "Secret"}``, or "credentials not found in native keychain" with exit
status 1. ``mode`` makes it misbehave: ``fail`` (exit 3 with a message), ``hang`` (waits, as for a
desktop prompt), ``garbage`` (not JSON), ``identity`` (an identity token, not a password). Every
server URL it was asked for is appended to ``asked.log`` beside it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

_SCRIPT = """#!{python}
import json, sys, time
from pathlib import Path
here = Path(__file__).resolve().parent
mode = {mode!r}
logins = json.loads({logins!r})
if sys.argv[1:] != ["get"]:
    print("only get is supported", file=sys.stderr)
    sys.exit(2)
url = sys.stdin.read().strip()
with open(here / "asked.log", "a") as log:
    log.write(url + "\\n")
if mode == "hang":
    time.sleep(60)
if mode == "fail":
    print("the keychain is locked\\x1b]52;c;x\\x07 and cannot be read")
    sys.exit(3)
if mode == "garbage":
    print("<html>not json</html>")
    sys.exit(0)
if url not in logins:
    print("credentials not found in native keychain")
    sys.exit(1)
user, secret = logins[url]
if mode == "identity":
    user = "<token>"
print(json.dumps({{"ServerURL": url, "Username": user, "Secret": secret}}))
"""


def install_fake_helper(
    bin_dir: Path, name: str, logins: dict[str, tuple[str, str]], mode: str = "store"
) -> Path:
    """Write ``docker-credential-<name>`` into ``bin_dir`` (put that on the PATH)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    program = bin_dir / f"docker-credential-{name}"
    program.write_text(
        _SCRIPT.format(python=sys.executable, mode=mode, logins=json.dumps(logins)),
        encoding="utf-8",
    )
    program.chmod(0o755)
    return program


def asked(bin_dir: Path) -> list[str]:
    """The server URLs the fake helpers in ``bin_dir`` were asked for, in order."""
    log = bin_dir / "asked.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def write_docker_config(directory: Path, config: dict[str, object]) -> Path:
    """``config.json`` in ``directory`` (use it as ``$DOCKER_CONFIG``)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def path_with(bin_dir: Path) -> str:
    return f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
