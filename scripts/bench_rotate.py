"""Rotating one secret across 20 tenants costs about what one tenant costs: concurrency, not a loop.

Starts ``--tenants`` AI Core emulators on 127.0.0.1 (in this process, as the tests do), each
answering every request (token, POST, PATCH) 200 ms late through the emulator's delay fault, each
already holding the secret. Then it rotates the secret through the core's :class:`Rotation`
(login check skipped: it is made once, whatever the number of tenants) into one tenant, and into
all of them, ``--runs`` times each with fresh clients (a token per run), and reports the median
wall times, their ratio and the peak memory of the whole-fleet rotation (tracemalloc) and of the
process (max RSS). The ledger is written, as in real use, into a throw-away config directory.

    python scripts/bench_rotate.py [--tenants 20] [--delay 0.2] [--runs 5] [--check]

With --check it exits 1 when the ratio is over 2.0 or a tenant was not rotated.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.core.client import AICoreClient  # noqa: E402
from tui.core.connection import Connection  # noqa: E402
from tui.core.fleet import Fleet, Member  # noqa: E402
from tui.core.ledger import tenant_key  # noqa: E402
from tui.core.request import SecretDraft, create_body  # noqa: E402
from tui.core.rotation import Rotation  # noqa: E402
from tui.core.secret import Secret  # noqa: E402
from tui.core.session import Tenant  # noqa: E402
from tui.emulator.server import Emulator  # noqa: E402

BUDGET = 2.0
NAME = "bench-registry"


def fleet_of(emulators: list[Emulator]) -> Fleet:
    members = []
    for index, emu in enumerate(emulators):
        name = f"tenant-{index:02}"
        connection = Connection(
            emu.api_url, emu.token_url, "demo", Secret("demo-secret"), read_timeout=10.0
        )
        tenant = Tenant(f'profile "{name}"', "127.0.0.1", tenant_key(name, emu.api_url))
        members.append(Member(name, tenant, AICoreClient(connection)))
    return Fleet(members)


async def rotate(emulators: list[Emulator], password: str) -> tuple[float, bool]:
    draft = SecretDraft(NAME, "ghcr.io", "octo", Secret(password))
    async with fleet_of(emulators) as fleet:
        rotation = Rotation(draft, fleet.members)
        started = time.perf_counter()
        await rotation.run()
        elapsed = time.perf_counter() - started
    return elapsed, rotation.ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.2, help="seconds added to each answer")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help=f"exit 1 when the ratio > {BUDGET}")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["REGSECRET_CONFIG_DIR"] = tempfile.mkdtemp(prefix="bench-rotate-")
    emulators = [Emulator().start() for _ in range(args.tenants)]
    seed = SecretDraft(NAME, "ghcr.io", "octo", Secret("first"))
    for emu in emulators:
        emu.state.create(json.loads(create_body(seed).reveal()))
        emu.delay_next(args.delay, count=1_000_000, scope="all")
    one: list[float] = []
    many: list[float] = []
    ok = True
    peak = 0
    try:
        for run in range(args.runs):
            elapsed, done = asyncio.run(rotate(emulators[:1], f"one-{run}"))
            one.append(elapsed)
            ok &= done
            elapsed, done = asyncio.run(rotate(emulators, f"all-{run}"))
            many.append(elapsed)
            ok &= done
        # Memory on a run of its own: tracing allocations slows Python down, so not timed.
        tracemalloc.start()
        _, done = asyncio.run(rotate(emulators, "traced"))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        ok &= done
    finally:
        for emu in emulators:
            emu.stop()
    t1, tn = statistics.median(one), statistics.median(many)
    ratio = tn / t1
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "tenants": args.tenants,
        "delay_s": args.delay,
        "runs": args.runs,
        "one_tenant_s": round(t1, 3),
        "all_tenants_s": round(tn, 3),
        "ratio": round(ratio, 2),
        "budget": BUDGET,
        "peak_traced_mb": round(peak / 1e6, 1),
        "max_rss_mb": round(rss_mb, 1),
        "all_rotated": ok,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(
            f"one tenant: {t1:.3f} s   {args.tenants} tenants: {tn:.3f} s   ratio {ratio:.2f} "
            f"(budget {BUDGET})   peak memory of the {args.tenants}-tenant rotation "
            f"{peak / 1e6:.1f} MB, process max RSS {rss_mb:.1f} MB   all rotated: {ok}"
        )
    return 1 if args.check and (ratio > BUDGET or not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
