"""A small Docker registry token server (the "token" auth of the distribution registry), for the
real-registry tests: it checks Basic credentials and signs a JWT the registry really validates.

The registry is configured with ``auth: token:`` whose ``rootcertbundle`` is :attr:`root_cert`;
each token carries that certificate in its ``x5c`` header and is signed with its RSA key (RS256),
which is how distribution 2.8 finds and trusts the signing key.
"""

from __future__ import annotations

import base64
import datetime
import json
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

ISSUER = "regsecret-test-token-server"
SERVICE = "regsecret-test-registry"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass
class User:
    password: str
    # Repository name -> actions this user may do there; "*" for every repository.
    grants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def allowed(self, repository: str, wanted: list[str]) -> list[str]:
        may = set(self.grants.get(repository, ())) | set(self.grants.get("*", ()))
        return [action for action in wanted if action in may]


class TokenServer:
    """Serves ``GET /token`` on 127.0.0.1 until :meth:`close`; use as a context manager."""

    def __init__(self, directory: Path, users: Mapping[str, User]) -> None:
        self.users = dict(users)
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "regsecret test token signer")])
        now = datetime.datetime.now(datetime.UTC)
        self._cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .sign(self._key, hashes.SHA256())
        )
        self.root_cert = directory / "token-root.crt"
        self.root_cert.write_bytes(self._cert.public_bytes(serialization.Encoding.PEM))
        self.issued: list[dict[str, object]] = []  # the claims of every token handed out
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self.realm = f"http://127.0.0.1:{self.port}/token"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> TokenServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def token(self, account: str, scopes: list[str]) -> str:
        access = []
        user = self.users[account]
        for scope in scopes:
            kind, _, rest = scope.partition(":")
            repository, _, actions = rest.rpartition(":")
            if kind != "repository" or not repository:
                continue
            allowed = user.allowed(repository, actions.split(","))
            access.append({"type": "repository", "name": repository, "actions": allowed})
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": account,
            "aud": SERVICE,
            "exp": now + 300,
            "nbf": now - 10,
            "iat": now,
            "jti": secrets.token_hex(8),
            "access": access,
        }
        self.issued.append(claims)
        der = self._cert.public_bytes(serialization.Encoding.DER)
        header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode("ascii")]}
        signing_input = (
            _b64url(json.dumps(header).encode()) + "." + _b64url(json.dumps(claims).encode())
        )
        signature = self._key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + _b64url(signature)


def _handler(server: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: pytest shows a failing test's output, not every request

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path != "/token":
                self._reply(404, {"errors": [{"code": "NOT_FOUND", "message": "no such page"}]})
                return
            query = parse_qs(url.query)
            account = self._account()
            if account is None:
                self._reply(401, {"details": "incorrect username or password"})
                return
            if query.get("service", [SERVICE])[0] != SERVICE:
                self._reply(400, {"details": "unknown service"})
                return
            token = server.token(account, query.get("scope", []))
            self._reply(200, {"token": token, "access_token": token, "expires_in": 300})

        def _account(self) -> str | None:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic "):
                return None
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return None
            known = server.users.get(user)
            if known is None or not secrets.compare_digest(known.password, password):
                return None
            return user

        def _reply(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
