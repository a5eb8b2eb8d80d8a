"""The demo's server process: serves the sockets the app bound, until the app goes away.

Started by :func:`tui.emulator.demo_fleet.launch` as ``python -m tui.emulator.demo_serve PLAN``;
PLAN is JSON with the inherited socket numbers, each tenant's client and seeded secrets. The
control token arrives in the environment. It exits when its standard input closes (the app quit
or died), so no demo outlives the app.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys

from tui.emulator.registry import RegistryEmulator
from tui.emulator.server import Emulator


def _seed(emulator: Emulator, name: str) -> None:
    # Any well-formed login does: AI Core never returns credentials, so nothing shows them.
    config = {
        "auths": {"ghcr.io": {"username": "demo", "password": "demo", "auth": "ZGVtbzpkZW1v"}}
    }
    emulator.state.create({"name": name, "data": {".dockerconfigjson": json.dumps(config)}})


def main(argv: list[str]) -> int:
    # A closed terminal hangs up the app and us at once: we stay until our stdin closes, then
    # remove the run's scratch directory, which the app had no chance to.
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    plan = json.loads(argv[1])
    token = os.environ.get("REGSECRET_DEMO_CONTROL_TOKEN") or None
    emulators = []
    for tenant in plan["tenants"]:
        listening = socket.socket(fileno=int(tenant["fd"]))
        emulator = Emulator(
            client_id=tenant["client_id"],
            client_secret=tenant["client_secret"],
            control_token=token,
            listening=listening,
        )
        # Seeded before serving: a request may already wait in the socket's backlog.
        for name in tenant["secrets"]:
            _seed(emulator, name)
        emulators.append(emulator.start())
    registry = RegistryEmulator(listening=socket.socket(fileno=int(plan["registry_fd"]))).start()
    # Block until the app closes our stdin (it quit, or died and the kernel closed the pipe).
    sys.stdin.buffer.read()
    registry.stop()
    for emulator in emulators:
        emulator.stop()
    if plan.get("scratch_dir"):
        shutil.rmtree(plan["scratch_dir"], ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
