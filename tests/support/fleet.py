"""Several emulated tenants at once, for the fleet, rotation and apply tests.

Each tenant is its own :class:`Emulator` on a free loopback port in this process, named like a
profile (``dev``, ``test``, ``prod``...), with a member whose client has short timeouts.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from tests.support.emulator import connection_for
from tui.core.client import AICoreClient
from tui.core.fleet import Fleet, Member
from tui.core.ledger import tenant_key
from tui.core.request import SecretDraft, create_body
from tui.core.secret import Secret
from tui.core.session import Tenant
from tui.emulator.server import Emulator


@dataclass
class Tenants:
    """The running emulators by name, in order."""

    emulators: dict[str, Emulator]

    def __getitem__(self, name: str) -> Emulator:
        return self.emulators[name]

    def names(self) -> list[str]:
        return list(self.emulators)

    def key(self, name: str) -> str:
        return tenant_key(name, self.emulators[name].api_url)

    def fleet(self, *names: str, read_timeout: float = 5.0) -> Fleet:
        """Members for the names given (all by default), each with a fresh client."""
        members = []
        for name in names or self.names():
            emu = self.emulators[name]
            tenant = Tenant(f'profile "{name}" at 127.0.0.1', "127.0.0.1", self.key(name))
            client = AICoreClient(connection_for(emu, read_timeout=read_timeout), backoff=0.01)
            members.append(Member(name, tenant, client))
        return Fleet(members)


@contextlib.contextmanager
def running_tenants(*names: str) -> Iterator[Tenants]:
    """One emulator per name, stopped afterwards."""
    with contextlib.ExitStack() as stack:
        emulators = {name: stack.enter_context(Emulator()) for name in names}
        yield Tenants(emulators)


def seed(emu: Emulator, *names: str) -> None:
    """Secrets that exist before the test, registered outside regsecret."""
    for name in names:
        login = SecretDraft(name, "ghcr.io", "someone", Secret("seeded-outside"))
        emu.state.create(json.loads(create_body(login).reveal()))
