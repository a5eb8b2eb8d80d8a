"""Debian's ``docker-registry`` (the CNCF distribution registry 2.8) started for one test.

Debian starts it as ``/usr/bin/docker-registry serve /etc/docker/registry/config.yml``; here it
gets its own config, storage and free port under the test's tmp_path, an environment without the
machine's ``REGISTRY_*`` overrides, and is killed at teardown. Images are pushed over the Registry
HTTP API itself (blob upload, then manifest PUT), so "image present" and "tag missing" are real.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from tests.support.pki import Issued

REGISTRY_BINARY = "/usr/bin/docker-registry"
MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json"


def registry_binary() -> str:
    """The binary, or a skip that says how to get it."""
    found = shutil.which("docker-registry") or (
        REGISTRY_BINARY if os.access(REGISTRY_BINARY, os.X_OK) else None
    )
    if found is None:
        pytest.skip(
            "Debian's docker-registry is not installed "
            "(scripts/install-real-components.sh installs it)"
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def htpasswd_line(user: str, password: str) -> str:
    import bcrypt

    return f"{user}:{bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=5)).decode()}"


@dataclass(frozen=True)
class RunningRegistry:
    host: str  # 127.0.0.1:port, as a user types it
    url: str  # scheme://127.0.0.1:port
    log: Path


@contextmanager
def real_registry(
    directory: Path, *, tls: Issued | None = None, auth: Mapping[str, Any] | None = None
) -> Iterator[RunningRegistry]:
    """Run the registry until the block ends; ``auth`` is the config's ``auth:`` section."""
    binary = registry_binary()
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    http: dict[str, Any] = {"addr": f"127.0.0.1:{port}", "secret": secrets.token_hex(16)}
    if tls is not None:
        http["tls"] = {"certificate": str(tls.cert), "key": str(tls.key)}
    config: dict[str, Any] = {
        "version": 0.1,
        "log": {"level": "info", "accesslog": {"disabled": True}},
        "storage": {
            "filesystem": {"rootdirectory": str(directory / "data")},
            "delete": {"enabled": True},
        },
        "http": http,
    }
    if auth:
        config["auth"] = dict(auth)
    config_path = directory / "config.yml"
    config_path.write_text(json.dumps(config), encoding="utf-8")  # JSON is YAML
    log = directory / "registry.log"
    scheme = "https" if tls is not None else "http"
    running = RunningRegistry(f"127.0.0.1:{port}", f"{scheme}://127.0.0.1:{port}", log)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [binary, "serve", str(config_path)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(directory)},
            cwd=directory,
        )
        try:
            _wait_until_listening(port, process, log)
            yield running
        finally:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    give_up = time.monotonic() + 20
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise AssertionError(f"docker-registry exited: {log.read_text(errors='replace')}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"docker-registry never listened: {log.read_text(errors='replace')}")


def push_image(
    registry: RunningRegistry,
    repository: str,
    tag: str,
    *,
    authorization: str,
    verify: ssl.SSLContext | bool = True,
) -> str:
    """Push a one-layer image over the Registry HTTP API; its manifest digest."""
    config = json.dumps(
        {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}
    ).encode()
    layer = b"regsecret test layer " + secrets.token_bytes(16)
    headers = {"Authorization": authorization}
    with httpx.Client(base_url=registry.url, verify=verify, headers=headers, timeout=10) as http:
        descriptors = [_upload(http, repository, blob) for blob in (config, layer)]
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": MANIFEST_TYPE,
                "config": {
                    "mediaType": "application/vnd.docker.container.image.v1+json",
                    **descriptors[0],
                },
                "layers": [
                    {
                        "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                        **descriptors[1],
                    }
                ],
            }
        ).encode()
        put = http.put(
            f"/v2/{repository}/manifests/{tag}",
            content=manifest,
            headers={"Content-Type": MANIFEST_TYPE},
        )
        assert put.status_code == 201, put.text
        return put.headers["Docker-Content-Digest"]


def _upload(http: httpx.Client, repository: str, blob: bytes) -> dict[str, Any]:
    digest = "sha256:" + hashlib.sha256(blob).hexdigest()
    start = http.post(f"/v2/{repository}/blobs/uploads/")
    assert start.status_code == 202, start.text
    # The upload URL carries its own state in the query: add the digest, keep the rest.
    location = httpx.URL(urljoin(str(http.base_url), start.headers["Location"]))
    done = http.put(
        location.copy_merge_params({"digest": digest}),
        content=blob,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert done.status_code == 201, done.text
    return {"digest": digest, "size": len(blob)}
