"""What the client needs to reach one tenant: the meeting point of profiles and the client."""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.secret import Secret


@dataclass(frozen=True)
class Connection:
    """Everything needed to get a token and call the API of one AI Core tenant.

    ``api_url`` has no ``/v2`` suffix and ``token_url`` ends in ``/oauth/token``: profiles normalise
    on the way in, so the client never guesses.
    """

    api_url: str
    token_url: str
    client_id: str
    client_secret: Secret | None = None
    # X.509 service keys: PEM text of the certificate and of the private key.
    certificate: str | None = None
    private_key: Secret | None = None
    resource_group: str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # The whole of one operation, token and retries included: timeouts above are per read, and a
    # server that drips a byte every few seconds never trips them.
    deadline: float = 60.0

    @property
    def uses_x509(self) -> bool:
        return self.certificate is not None
