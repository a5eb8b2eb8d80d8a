"""`regsecret emulator`: serve the AI Core emulator in the foreground until Ctrl+C.

Prints the AI API URL, the token URL and the client id, one per line, so a script can read them
with `read`; the client secret (``demo-secret``, or the value of the variable that
``--client-secret-env`` names) is not printed and never comes as an argument. A fourth line
names the demo Docker registry (``127.0.0.1:PORT``, user ``demo``, password
``demo-registry-token``) for `regsecret check`, and a fifth the control token: the
``/_emulator/...`` endpoint answers only requests that carry it (header ``X-Emulator-Token``), so a
web page open in the user's browser cannot inject faults or reset the emulator.
``--service-key FILE`` also writes a service key for it, for ``regsecret profiles import``.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import socket
import sys
import threading
from pathlib import Path
from types import FrameType

from tui.core.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK
from tui.core.foreign_text import displayable, named, named_path

PROG = "regsecret emulator"
DEMO_SECRET = "demo-secret"


def _say(message: str) -> None:
    """One sentence on stderr; it quotes the options given, so it passes the text boundary."""
    print(f"{PROG}: {displayable(message, limit=1000)}", file=sys.stderr)


def _bad_input(args: argparse.Namespace) -> str | None:
    """What is wrong with the options themselves (exit 2); a busy port is a failure (exit 1)."""
    if not 0 <= args.port <= 65535:
        return f"port {args.port} is not between 0 and 65535"
    if not args.token_ttl > 0 or args.token_ttl == float("inf"):
        return f"--token-ttl must be a positive number of seconds, not {args.token_ttl:g}"
    if not (args.host.isascii() and args.host.isprintable()):
        # An address to listen on is an IP or a local name; Python cannot even encode other
        # text as a host name (a TypeError, not an OSError, out of bind()).
        return f"{named(args.host)} is not an address of this machine; use --host 127.0.0.1"
    if not args.client_id:
        return "--client-id must not be empty"
    if args.client_secret is not None and not args.client_secret:
        return "--client-secret must not be empty"
    var = args.client_secret_env
    if var is not None:
        if not var or "=" in var:
            return (
                "--client-secret-env takes the name of a variable, such as EMU_SECRET, not "
                f"{named(var)!r}"
            )
        if not os.environ.get(var):
            return (
                f"${named(var)} is not set or empty: export it with the client secret first, or "
                "leave out "
                f"--client-secret-env to accept {DEMO_SECRET}"
            )
    return None


def _client_secret(args: argparse.Namespace) -> tuple[str, str, str]:
    """The secret the emulator accepts, how the lines for people name it, and how a shell does."""
    var = args.client_secret_env
    if var is not None:
        return os.environ[var], f"the value of ${named(var)}", f'"${named(var)}"'
    if args.client_secret is not None:
        _say(
            "warning: --client-secret puts the secret in the process list and shell history; "
            "use --client-secret-env VAR instead."
        )
        return args.client_secret, "the one given", "<the one given>"
    return DEMO_SECRET, DEMO_SECRET, DEMO_SECRET


def service_key_text(api_url: str, client_id: str, client_secret: str) -> str:
    """A service key as the BTP cockpit hands one out, reduced to what regsecret reads."""
    key = {
        "clientid": client_id,
        "clientsecret": client_secret,
        "url": api_url,
        "serviceurls": {"AI_API_URL": api_url},
        "appname": "regsecret-emulator",
    }
    return json.dumps(key, indent=2) + "\n"


def _write_service_key(path: Path, text: str) -> str | None:
    """Write the key readable only by the user; why it could not be written, or ``None``."""
    from tui.core.private_file import write_private

    try:
        write_private(path, text, temp_prefix=f".{path.name}.")
    except OSError as exc:
        return f"cannot write the service key to {named_path(path)} ({exc.strerror or exc})"
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
        _say(f"{problem}.")
        return EXIT_BAD_INPUT
    from tui.emulator.server import Emulator

    client_secret, secret_named, secret_in_shell = _client_secret(args)
    emulator = Emulator(
        args.host,
        args.port,
        token_ttl=args.token_ttl,
        client_id=args.client_id,
        client_secret=client_secret,
        with_registry=True,
    )
    try:
        emulator.start()
    except OSError as exc:
        if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
            _say(f"{named(args.host)} is not an address of this machine; use --host 127.0.0.1.")
            return EXIT_BAD_INPUT
        if exc.errno == errno.EADDRINUSE:
            host = named(args.host)
            reason = f"port {args.port} on {host} is already in use; pick another with --port"
        else:
            reason = f"cannot listen on {named(args.host)}:{args.port} ({exc.strerror or exc})"
        _say(f"{reason}.")
        return EXIT_FAILED
    key_line = ""
    if args.service_key is not None:
        key_path = Path(args.service_key).expanduser()
        text = service_key_text(emulator.api_url, emulator.client_id, client_secret)
        failed = _write_service_key(key_path, text)
        if failed is not None:
            emulator.stop()
            _say(f"{failed}; pick another file with --service-key.")
            return EXIT_FAILED
        # Whole (the OS took it, so it is at most PATH_MAX): the line below is a command to paste.
        shown = displayable(key_path, limit=4096)
        key_line = (
            f"  service key     {shown}\n"
            f"Import it: regsecret profiles import {shown} --name emulator\n"
        )

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
        f"  client id       {emulator.client_id}; client secret: {secret_named}\n"
        f"  Docker registry {emulator.registry_host} (user demo, password demo-registry-token; "
        f"user reader, password reader-token, may pull only demo/public)\n"
        f"  control token   {emulator.control_token} (header X-Emulator-Token on "
        f"{emulator.control_url}/...)\n"
        f"{key_line}"
        f"Point the app at it: AICORE_BASE_URL={emulator.api_url}/v2 "
        f"AICORE_AUTH_URL={emulator.token_url} AICORE_CLIENT_ID={emulator.client_id} "
        f"AICORE_CLIENT_SECRET={secret_in_shell} regsecret\n"
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
