"""`regsecret emulator`: serve the AI Core emulator in the foreground until Ctrl+C.

Prints the AI API URL, the token URL and the client id, one per line, so a script can read them
with `read`; the client secret is the one given (default ``demo-secret``) and is not printed. A
fourth line names the demo Docker registry (``127.0.0.1:PORT``, user ``demo``, password
``demo-registry-token``) for `regsecret check`, and a fifth the control token: the
``/_emulator/...`` endpoint answers only requests that carry it (header ``X-Emulator-Token``), so a
web page open in the user's browser cannot inject faults or reset the emulator.
"""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import sys
import threading
from types import FrameType

from tui.core.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK


def _bad_input(args: argparse.Namespace) -> str | None:
    """What is wrong with the options themselves (exit 2); a busy port is a failure (exit 1)."""
    if not 0 <= args.port <= 65535:
        return f"port {args.port} is not between 0 and 65535"
    if not args.token_ttl > 0 or args.token_ttl == float("inf"):
        return f"--token-ttl must be a positive number of seconds, not {args.token_ttl:g}"
    if not args.client_id or not args.client_secret:
        return "--client-id and --client-secret must not be empty"
    return None


def run(args: argparse.Namespace) -> int:
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # Ctrl+C and `kill` both end in a clean stop and exit code 0, even the instant after start:
    # the handlers are in place before the URLs are printed and a script may signal us.
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return _serve(args, stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _serve(args: argparse.Namespace, stop: threading.Event) -> int:
    problem = _bad_input(args)
    if problem is not None:
        print(f"regsecret emulator: {problem}.", file=sys.stderr)
        return EXIT_BAD_INPUT
    from tui.emulator.server import Emulator

    emulator = Emulator(
        args.host,
        args.port,
        token_ttl=args.token_ttl,
        client_id=args.client_id,
        client_secret=args.client_secret,
        with_registry=True,
    )
    try:
        emulator.start()
    except OSError as exc:
        if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
            print(
                f"regsecret emulator: {args.host} is not an address of this machine; use --host "
                "127.0.0.1.",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        if exc.errno == errno.EADDRINUSE:
            reason = f"port {args.port} on {args.host} is already in use; pick another with --port"
        else:
            reason = f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc})"
        print(f"regsecret emulator: {reason}.", file=sys.stderr)
        return EXIT_FAILED

    print(emulator.api_url)
    print(emulator.token_url)
    print(emulator.client_id)
    print(emulator.registry_host)
    print(emulator.control_token, flush=True)
    # The same, for people, on stderr: stdout stays five bare lines for scripts.
    print(
        f"AI Core emulator ready.\n"
        f"  AI API URL      {emulator.api_url}\n"
        f"  token URL       {emulator.token_url}\n"
        f"  client id       {emulator.client_id} (client secret: the one given, "
        f"default demo-secret)\n"
        f"  Docker registry {emulator.registry_host} (user demo, password demo-registry-token; "
        f"user reader, password reader-token, may pull only demo/public)\n"
        f"  control token   {emulator.control_token} (header X-Emulator-Token on "
        f"{emulator.control_url}/...)\n"
        f"Point the app at it: AICORE_BASE_URL={emulator.api_url}/v2 "
        f"AICORE_AUTH_URL={emulator.token_url} AICORE_CLIENT_ID={emulator.client_id} "
        "AICORE_CLIENT_SECRET=<client secret> regsecret\n"
        "Ctrl+C stops it.",
        file=sys.stderr,
        flush=True,
    )

    try:
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
    return EXIT_OK
