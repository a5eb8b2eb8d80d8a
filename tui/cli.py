"""The ``regsecret`` command line.

This module is on every start path, so it imports only argparse. Each subcommand's handler lives in
``tui/commands/<name>.py`` as ``run(args) -> int`` and is imported only when that subcommand runs:
``regsecret body`` and ``regsecret yaml`` never load Textual or httpx.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tui import __version__

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but errors say what to do next instead of only printing usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_BAD_INPUT, f"{self.prog}: {message}\nRun '{self.prog} --help' for details.\n"
        )


def add_password_source(parser: argparse.ArgumentParser) -> None:
    """Exactly one place the password comes from; never an argument (shell history, ps)."""
    group = parser.add_argument_group(
        "password or token (exactly one; a multi-line value is refused unless it is a JSON key)"
    )
    source = group.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--password-stdin",
        action="store_true",
        help="read it from standard input (prompts without echo on a terminal)",
    )
    source.add_argument(
        "--password-env", metavar="VAR", help="read it from environment variable VAR"
    )
    source.add_argument(
        "--password-file", metavar="FILE", help="read it from a regular file (one line)"
    )
    source.add_argument(
        "--password-command",
        metavar="'CMD ...'",
        help=(
            "run CMD (split like a shell, run without one; write sh -c '...' for a shell) and "
            "use its standard output, e.g. 'aws ecr get-login-password --region eu-central-1'"
        ),
    )
    source.add_argument(
        "--from-docker-config",
        action="store_true",
        help=(
            "use the registry's login from $DOCKER_CONFIG/config.json or ~/.docker/config.json, "
            "inline or through its credential helper (the username too)"
        ),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="regsecret",
        description=(
            "Register Docker registry secrets in SAP AI Core and get the imagePullSecrets YAML."
        ),
    )
    parser.add_argument("--version", action="version", version=f"regsecret {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against a bundled AI Core emulator on 127.0.0.1 (no SAP account needed)",
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="start on that profile's credentials screen"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    body = sub.add_parser(
        "body",
        help="print the request body JSON for a new secret",
        description=(
            "Print the POST body AI Core expects. The password comes from one password source."
        ),
    )
    body.add_argument("--name", required=True, help="secret name, e.g. my-registry")
    body.add_argument("--registry", required=True, help="registry host, e.g. ghcr.io or docker.io")
    body.add_argument("--username", help="registry user (with --from-docker-config: optional)")
    body.add_argument("--email", default="")
    add_password_source(body)
    body.add_argument("--masked", action="store_true", help="print the body with secrets masked")
    body.add_argument("--patch", action="store_true", help="print the PATCH (update) body instead")

    yaml = sub.add_parser("yaml", help="print the imagePullSecrets snippet for a secret name")
    yaml.add_argument("name")
    yaml.add_argument(
        "--serving", action="store_true", help="serving-template form (default: workflow template)"
    )

    emulator = sub.add_parser(
        "emulator",
        help="run the AI Core emulator in the foreground (Ctrl+C stops it)",
        description=(
            "Serve a local SAP AI Core (token endpoint, docker registry secrets) and a small\n"
            "Docker registry on this machine until Ctrl+C. Standard output gets five lines for\n"
            "scripts: AI API URL, token URL, client id, Docker registry, control token;\n"
            "standard error says the same for people."
        ),
        epilog=(
            "Point the app (or SAP's SDK) at it through the environment; the client secret is\n"
            "the one given, by default demo-secret:\n"
            "  AICORE_BASE_URL=http://127.0.0.1:8765/v2 \\\n"
            "  AICORE_AUTH_URL=http://127.0.0.1:8765/oauth/token \\\n"
            "  AICORE_CLIENT_ID=demo AICORE_CLIENT_SECRET=demo-secret regsecret\n"
            "or run `regsecret --demo`, which starts an emulator of its own.\n"
            "Inject faults with curl through http://127.0.0.1:8765/_emulator/... and the\n"
            "header X-Emulator-Token: <control token>, e.g.\n"
            "  curl -H 'X-Emulator-Token: TOKEN' -d '{\"status\": 503}' \\\n"
            "       http://127.0.0.1:8765/_emulator/faults"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    emulator.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: %(default)s)",
    )
    emulator.add_argument(
        "--port",
        type=int,
        default=8765,
        help="port to listen on, 0 for any free one (default: %(default)s)",
    )
    emulator.add_argument(
        "--token-ttl",
        type=float,
        default=7199.0,
        metavar="SECONDS",
        help="lifetime of the access tokens it issues, as SAP's docs show (default: %(default)g)",
    )
    emulator.add_argument(
        "--client-id", default="demo", help="the client id it accepts (default: %(default)s)"
    )
    emulator.add_argument(
        "--client-secret",
        default="demo-secret",
        help="the client secret it accepts (default: %(default)s)",
    )

    profiles = sub.add_parser("profiles", help="list, import or delete connection profiles")
    profiles.add_argument("--json", action="store_true", help="machine-readable output")
    profiles_sub = profiles.add_subparsers(dest="profiles_command", parser_class=_Parser)
    imp = profiles_sub.add_parser("import", help="import a service key file into a new profile")
    imp.add_argument("path", metavar="SERVICE_KEY.json")
    imp.add_argument("--name", required=True, help="name of the new profile")
    delete = profiles_sub.add_parser("delete", help="delete one of our profiles and its secret")
    delete.add_argument("name")

    check = sub.add_parser(
        "check",
        help="log in to a registry to check credentials before registering them",
        description="Exit 0 accepted, 1 rejected, 3 unreachable, 2 bad input.",
    )
    check.add_argument("--registry", required=True)
    check.add_argument("--username", help="registry user (with --from-docker-config: optional)")
    add_password_source(check)
    check.add_argument("--image", metavar="REF", help="also check this image can be pulled")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from tui.app import run_app

        return run_app(demo=args.demo, profile=args.profile)
    handler = importlib.import_module(f"tui.commands.{args.command}")
    try:
        return int(handler.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `regsecret yaml x | head -0`: the reader left; nothing is wrong with us.
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
