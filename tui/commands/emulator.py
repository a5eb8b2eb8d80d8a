"""`regsecret emulator`: serve the AI Core emulator in the foreground until Ctrl+C.

Prints the AI API URL, the token URL and the client id, one per line, so a script can read them
with `read`; the client secret is the one given (default ``demo-secret``) and is not printed. A
fourth line names the demo Docker registry (``127.0.0.1:PORT``, user ``demo``, password
``demo-registry-token``) for `regsecret check`.
"""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import sys
import threading
from types import FrameType

EXIT_OK = 0
EXIT_FAILED = 1


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
    except OverflowError:
        print(f"regsecret emulator: port {args.port} is not between 0 and 65535.", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            reason = f"port {args.port} on {args.host} is already in use; pick another with --port"
        elif isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
            reason = f"{args.host} is not an address of this machine; use --host 127.0.0.1"
        else:
            reason = f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc})"
        print(f"regsecret emulator: {reason}.", file=sys.stderr)
        return EXIT_FAILED

    print(emulator.api_url)
    print(emulator.token_url)
    print(emulator.client_id)
    print(emulator.registry_host, flush=True)

    try:
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
    return EXIT_OK
