"""``--demo``: three emulated tenants (dev, test, prod) and a Docker registry, ready at once.

The app's process binds the listening sockets itself (microseconds), so the tenants' URLs are
known before the first frame, and hands them to a child process that serves them
(``python -m tui.emulator.demo_serve``). The emulator's HTTP stack never loads into the app
(less memory, nothing competing with the first paint), connections made before the child is up
wait in the sockets' backlog, and the child ends when the app does (its stdin closes).

This module is on the ``--demo`` start path: it imports only the standard library's small parts.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
from dataclasses import dataclass

#: The demo's tenants, in the order the profiles screen lists them, and what each holds at start
#: (two of three already have secrets, so the fleet view has something to show).
TENANTS = ("dev", "test", "prod")
SEEDED = {
    "dev": ("dockerhub-base", "ghcr-team-ml"),
    "test": ("ghcr-team-ml", "gitlab-inference"),
    "prod": (),
}
#: The demo registry's login (printed in the app's hints; a demo, not a secret).
REGISTRY_USER = "demo"
REGISTRY_PASSWORD = "demo-registry-token"


@dataclass(frozen=True)
class DemoTenant:
    """One emulated tenant: what a profile needs to reach it."""

    name: str
    api_url: str
    token_url: str
    client_id: str
    client_secret: str
    control_url: str

    @property
    def profile_name(self) -> str:
        # "demo-dev", not "dev": the demo is listed beside the user's own profiles.
        return f"demo-{self.name}"


class DemoFleet:
    """The running demo: tenants, the registry's host, and a way to inject faults."""

    def __init__(
        self,
        tenants: tuple[DemoTenant, ...],
        registry_host: str,
        control_token: str,
        process: subprocess.Popen[bytes],
        scratch_dir: str,
    ) -> None:
        self.tenants = tenants
        # A private directory of this run for what the app writes about the demo (its ledger);
        # the serving process removes it when it ends, even after the app was killed.
        self.scratch_dir = scratch_dir
        self.registry_host = registry_host
        self._control_token = control_token
        self._process = process

    def __repr__(self) -> str:
        return f"DemoFleet({[t.name for t in self.tenants]}, registry={self.registry_host})"

    def tenant(self, profile_name: str) -> DemoTenant:
        return next(t for t in self.tenants if t.profile_name == profile_name)

    def control(self, tenant: DemoTenant, action: str, payload: object = None) -> None:
        """POST one control request (a fault, expire-tokens) to a tenant's emulator.

        Blocking (urllib): call it from a thread. Raises OSError when the emulator does not
        answer as expected.
        """
        import urllib.request  # only when someone uses a demo command

        data = json.dumps(payload).encode() if payload is not None else b""
        request = urllib.request.Request(
            f"{tenant.control_url}/{action}",
            data=data,
            method="POST",
            headers={"X-Emulator-Token": self._control_token, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            if answer.status != 200:
                raise OSError(f"the demo emulator answered HTTP {answer.status}")

    def stop(self) -> None:
        """End the child (it also ends on its own when this process exits)."""
        process = self._process
        if process.poll() is None:
            with contextlib.suppress(OSError):
                if process.stdin is not None:
                    process.stdin.close()
            process.terminate()
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=3)


def _listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def launch() -> DemoFleet:
    """Bind the demo's sockets here and start the process that serves them. Raises OSError."""
    sockets = [_listening_socket() for _ in (*TENANTS, "registry")]
    control_token = secrets.token_urlsafe(24)
    tenants = tuple(
        _tenant(name, sock.getsockname()[1]) for name, sock in zip(TENANTS, sockets, strict=False)
    )
    registry_port = sockets[-1].getsockname()[1]
    import tempfile  # the standard library's; only on this path

    scratch_dir = tempfile.mkdtemp(prefix="regsecret-demo-")
    plan = {
        "scratch_dir": scratch_dir,
        "tenants": [
            {
                "fd": sock.fileno(),
                "client_id": t.client_id,
                "client_secret": t.client_secret,
                "secrets": list(SEEDED[t.name]),
            }
            for t, sock in zip(tenants, sockets, strict=False)
        ],
        "registry_fd": sockets[-1].fileno(),
    }
    env = dict(os.environ)
    # The control token goes by environment, not argv (argv is visible to every user in ps).
    env["REGSECRET_DEMO_CONTROL_TOKEN"] = control_token
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "tui.emulator.demo_serve", json.dumps(plan)],
            pass_fds=[s.fileno() for s in sockets],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            # Nothing the child prints may reach the terminal the app draws on.
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )
    finally:
        for sock in sockets:
            sock.close()  # the child holds its own copies now
    return DemoFleet(tenants, f"127.0.0.1:{registry_port}", control_token, process, scratch_dir)


def _tenant(name: str, port: int) -> DemoTenant:
    base = f"http://127.0.0.1:{port}"
    return DemoTenant(
        name=name,
        api_url=base,
        token_url=f"{base}/oauth/token",
        client_id=f"demo-{name}",
        client_secret=f"demo-{name}-secret",
        control_url=f"{base}/_emulator",
    )
