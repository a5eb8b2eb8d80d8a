"""The ``regsecret`` command line.

This module is on every command's start path (the app's own start skips it: tui/start.py), so it
imports only argparse. Each subcommand's handler lives in ``tui/commands/<name>.py`` as
``run(args) -> int`` and is imported only when that subcommand runs: ``regsecret body`` and
``regsecret yaml`` never load Textual or httpx.
"""

from __future__ import annotations

import argparse
import sys

from tui import __version__
from tui.core.exit_codes import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, EXIT_STOPPED, table_text

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a one-shot command 3 ms
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import TypeAlias

    _Sub: TypeAlias = "argparse._SubParsersAction[_Parser]"


def _columns() -> int:
    """The terminal's width as shutil.get_terminal_size() finds it, without importing shutil."""
    import os

    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, minus the import of shutil (and with it bz2, lzma and zlib).

    argparse builds a formatter for every option it adds, and the stock one imports shutil for
    the terminal's width: about 3 ms of every `regsecret body`, which never prints help.
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        super().__init__(
            prog, indent_increment, max_help_position, _columns() - 2 if width is None else width
        )

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        # argparse keeps a mutually exclusive group on one line whatever the width: the five
        # password sources made a usage line of 140 columns. Such a line is broken after a " |",
        # the rest aligned inside the group's parenthesis.
        text = super()._format_usage(usage, actions, groups, prefix)
        lines: list[str] = []
        for line in text.split("\n"):
            column = -1  # where the group's continuation lines start
            while len(line) > self._width:
                cut = line.rfind(" | ", 0, self._width + 1)  # " |" ends within the width
                column = line.rfind("(", 0, cut) + 1 if column < 0 else column
                if cut < 0 or column <= 0:
                    break
                lines.append(line[: cut + 2])
                line = " " * column + line[cut + 3 :]
            lines.append(line)
        return "\n".join(lines)

    def _split_lines(self, text: str, width: int) -> list[str]:
        # Not at a hyphen, nor inside a word: an example split as `--region eu-` / `central-1`
        # pastes as a broken command.
        import textwrap

        text = self._whitespace_matcher.sub(" ", text).strip()
        return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        text = self._whitespace_matcher.sub(" ", text).strip()
        return textwrap.fill(
            text,
            width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_on_hyphens=False,
            break_long_words=False,
        )


class _RawFormatter(argparse.RawDescriptionHelpFormatter, _Formatter):
    """Descriptions and epilogs laid out by hand (the exit-code table, examples)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but errors say what to do next instead of only printing usage.

    ``logins=True`` ends the help with each registry's username and password, from the one table
    in ``tui/core/registries.py``, read only when help is printed.
    """

    def __init__(self, *args: object, logins: bool = False, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.logins = logins

    def format_help(self) -> str:
        text = super().format_help()
        if not self.logins:
            return text
        from tui.core.registries import help_table

        # After the epilog, laid out as a table whatever the formatter does with the rest.
        return f"{text}\nwhat each registry takes as username and password:\n{help_table()}\n"

    def error(self, message: str) -> None:  # type: ignore[override]
        import re
        import textwrap

        from tui.core.foreign_text import NAME_LIMIT, bound, displayable

        # argparse quotes the words it refused ("unrecognized arguments: ...", "invalid choice:
        # '...' (choose from ...)") as typed: an argument can carry an escape sequence, or be
        # 5,000 characters long. Each long word is cut as a name is, so argparse's own words
        # after it (the choices) still show; then nothing in it may drive the terminal.
        long_word = re.compile(rf"\S{{{NAME_LIMIT + 1},}}")
        message = displayable(long_word.sub(lambda m: bound(m[0], NAME_LIMIT), message), limit=1000)
        self.print_usage(sys.stderr)
        # Within the terminal too: "one of the arguments --password-stdin ... is required".
        said = textwrap.fill(
            f"{self.prog}: {message}",
            max(_columns() - 2, 40),
            break_on_hyphens=False,
            break_long_words=False,
        )
        _REFUSED[:] = [f"{message[:1].upper()}{message[1:]}; run '{self.prog} --help'."]
        self.exit(EXIT_BAD_INPUT, f"{said}\nRun '{self.prog} --help' for details.\n")


# What the parser refused, for --json (main): the object says it as stderr does.
_REFUSED: list[str] = []


def add_password_source(parser: argparse.ArgumentParser) -> None:
    """Exactly one place the password comes from; never an argument (shell history, ps)."""
    group = parser.add_argument_group(
        "password or token (exactly one)",
        "A value of several lines is refused unless it is a JSON key.",
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


def _add_profile(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        dest="command_profile",
        metavar="NAME",
        help=(
            "the connection profile (any that 'regsecret profiles' lists); default: "
            "$AICORE_PROFILE, else the only profile"
        ),
    )


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object on stdout (see README)"
    )


def _add_login(parser: argparse.ArgumentParser) -> None:
    """The registry login a secret holds, and its check: the same for register, update, rotate."""
    parser.add_argument(
        "--registry", required=True, help="registry host, e.g. ghcr.io or docker.io"
    )
    parser.add_argument("--username", help="registry user (with --from-docker-config: optional)")
    parser.add_argument("--email", default="", help="optional email stored with the login")
    parser.add_argument(
        "--image", metavar="REF", help="the login check also pulls this image, e.g. ghcr.io/o/a:1"
    )
    parser.add_argument(
        "--no-check", action="store_true", help="do not log in to the registry first"
    )


def _add_send(
    sub: _Sub,
    command: str,
    help_text: str,
    description: str,
) -> None:
    send = sub.add_parser(command, help=help_text, description=description, logins=True)
    send.add_argument("name", metavar="NAME", help="secret name, e.g. my-registry")
    _add_profile(send)
    _add_login(send)
    if command == "register":
        send.add_argument(
            "--update",
            action="store_true",
            help="if a secret of that name exists, replace its credentials (else exit 8)",
        )
    _add_json(send)
    add_password_source(send)


def _body(sub: _Sub) -> None:
    body = sub.add_parser(
        "body",
        help="print the request body JSON for a new secret",
        description=(
            "Print the POST body AI Core expects. The password comes from one password source."
        ),
        logins=True,
    )
    body.add_argument("--name", required=True, help="secret name, e.g. my-registry")
    body.add_argument("--registry", required=True, help="registry host, e.g. ghcr.io or docker.io")
    body.add_argument("--username", help="registry user (with --from-docker-config: optional)")
    body.add_argument("--email", default="", help="optional email stored with the login")
    add_password_source(body)
    body.add_argument("--masked", action="store_true", help="print the body with secrets masked")
    body.add_argument("--patch", action="store_true", help="print the PATCH (update) body instead")


def _yaml(sub: _Sub) -> None:
    yaml = sub.add_parser("yaml", help="print the imagePullSecrets snippet for a secret name")
    yaml.add_argument("name", metavar="NAME", help="the secret's name in AI Core")
    yaml.add_argument(
        "--serving", action="store_true", help="serving-template form (default: workflow template)"
    )


def _register(sub: _Sub) -> None:
    _add_send(
        sub,
        "register",
        "register a secret in a tenant (the registry login is checked first)",
        "Check the registry login, then create the secret, as the app does. A refused login stops "
        "(--no-check skips the check); an existing name exits 8 unless --update.",
    )


def _update(sub: _Sub) -> None:
    _add_send(
        sub,
        "update",
        "replace the credentials of a secret (the login is checked first)",
        "Check the registry login, then replace the stored credentials (PATCH). AI Core never "
        "returns stored credentials: give the whole login again.",
    )


def _delete(sub: _Sub) -> None:
    delete_secret = sub.add_parser(
        "delete",
        help="delete a secret from a tenant",
        description="Delete a secret. Without a terminal to confirm on, --yes is required.",
    )
    delete_secret.add_argument("name", metavar="NAME", help="the secret to delete")
    _add_profile(delete_secret)
    delete_secret.add_argument("--yes", action="store_true", help="do not ask; delete")
    _add_json(delete_secret)


def _list(sub: _Sub) -> None:
    list_secrets = sub.add_parser(
        "list",
        help="list the secrets of a tenant and its quota",
        description="The secret names, one per line on stdout; the quota on stderr.",
    )
    _add_profile(list_secrets)
    _add_json(list_secrets)


def _rotate(sub: _Sub) -> None:
    rotate = sub.add_parser(
        "rotate",
        help="put one credential into several tenants at once (create or update)",
        description=(
            "Check the registry login once, then create or update secret NAME in every\n"
            "tenant chosen, concurrently. One line per tenant on stdout as each finishes;\n"
            "the summary on stderr. Exit 0 when every tenant has it, 9 when some failed\n"
            "(their lines say why); a refused login stops before anything is sent (exit 4)."
        ),
        epilog=(
            "example, every tenant that already has it, from an ECR token:\n"
            "  regsecret rotate ecr --all --only-existing --username AWS \\\n"
            "    --registry 123456789012.dkr.ecr.eu-central-1.amazonaws.com \\\n"
            "    --password-command 'aws ecr get-login-password --region eu-central-1'"
        ),
        formatter_class=_RawFormatter,
        logins=True,
    )
    rotate.add_argument("name", metavar="NAME", help="secret name, e.g. my-registry")
    tenants = rotate.add_mutually_exclusive_group(required=True)
    tenants.add_argument(
        "--profile",
        dest="profiles",
        action="append",
        metavar="NAME",
        help="a tenant, by profile name (repeat for several)",
    )
    tenants.add_argument(
        "--all", action="store_true", help="every profile 'regsecret profiles' lists"
    )
    rotate.add_argument(
        "--only-existing",
        action="store_true",
        help="only the chosen tenants that already hold NAME (read from each one's list)",
    )
    _add_login(rotate)
    rotate.add_argument(
        "--expires",
        metavar="WHEN",
        help="when the credential expires, for the ledger: 30d, 12h, 2w, 2027-01-31 (ECR: known)",
    )
    _add_json(rotate)
    add_password_source(rotate)


def _apply(sub: _Sub) -> None:
    apply = sub.add_parser(
        "apply",
        help="make the tenants hold the secrets a TOML file declares (idempotent)",
        description=(
            "Read FILE, list its tenants, and create or update each declared secret where\n"
            "it is missing or not current: nothing is done where the ledger says this exact\n"
            "source was applied and is not due (expired, or under a quarter of its life\n"
            "left). Secrets not declared are left alone; --prune deletes those regsecret\n"
            "registered (never one registered outside it). One line per tenant and secret.\n"
            "Exit 0 when all is done, 9 when some tenant failed, 2 for a problem in FILE\n"
            "(each with its line)."
        ),
        epilog=(
            "FILE, one table per secret:\n"
            "  [secrets.ecr]\n"
            '  registry = "123456789012.dkr.ecr.eu-central-1.amazonaws.com"\n'
            '  username = "AWS"\n'
            '  source = "command:aws ecr get-login-password --region eu-central-1"\n'
            '  tenants = ["prod-eu", "prod-us"]     # or "all"\n'
            '  email = "ops@example.com"             # optional\n'
            '  expires = "12h"                       # optional: 30d, 2w, 2027-01-31\n'
            "  check = true                          # optional: log in once first\n"
            "source: env:VAR, file:PATH, command:CMD or docker-config"
        ),
        formatter_class=_RawFormatter,
    )
    apply.add_argument("file", metavar="FILE", help="the TOML file that declares the secrets")
    apply.add_argument("--dry-run", action="store_true", help="print the plan; change nothing")
    apply.add_argument(
        "--prune",
        action="store_true",
        help="delete secrets not declared for a tenant, if regsecret registered them there",
    )
    _add_json(apply)


def _check(sub: _Sub) -> None:
    check = sub.add_parser(
        "check",
        help="log in to a registry to check credentials before registering them",
        description=(
            "Log in as a container runtime does: HTTPS first, also for a registry typed without "
            "a scheme; only a registry on this machine may fall back to plain http. Exit 0 "
            "accepted, 2 bad input or SSL_CERT_FILE, 3 unreachable, 4 credentials refused, "
            "5 image or tag not found, 6 not a registry, 7 TLS certificate not trusted (the "
            "table in 'regsecret --help')."
        ),
        logins=True,
    )
    check.add_argument("--registry", required=True, help="registry host, e.g. ghcr.io or docker.io")
    check.add_argument("--username", help="registry user (with --from-docker-config: optional)")
    add_password_source(check)
    check.add_argument("--image", metavar="REF", help="also check this image can be pulled")
    _add_json(check)


def _profiles(sub: _Sub) -> None:
    profiles = sub.add_parser("profiles", help="list, import or delete connection profiles")
    _add_json(profiles)
    profiles_sub = profiles.add_subparsers(dest="profiles_command", parser_class=_Parser)
    imp = profiles_sub.add_parser("import", help="import a service key file into a new profile")
    imp.add_argument(
        "path", metavar="SERVICE_KEY.json", help="the service key file of an AI Core instance"
    )
    imp.add_argument("--name", required=True, help="name of the new profile")
    delete = profiles_sub.add_parser("delete", help="delete one of our profiles and its secret")
    delete.add_argument("name", metavar="NAME", help="the profile to delete")
    for each in (imp, delete):
        # After the subcommand too; SUPPRESS, so that its absence there keeps a --json before it.
        each.add_argument(
            "--json",
            action="store_true",
            default=argparse.SUPPRESS,
            help="print one JSON object on stdout (see README)",
        )


def _emulator(sub: _Sub) -> None:
    emulator = sub.add_parser(
        "emulator",
        help="run the AI Core emulator in the foreground (Ctrl+C stops it)",
        description=(
            "Serve a local SAP AI Core (token endpoint, docker registry secrets) and a small\n"
            "Docker registry on this machine until Ctrl+C. Standard output gets five lines\n"
            "for scripts: AI API URL, token URL, client id, Docker registry, control token;\n"
            "standard error says the same for people."
        ),
        epilog=(
            "Point the app at it in one of three ways:\n"
            "  1. Import the service key it writes, in a second terminal:\n"
            "       regsecret emulator --service-key ~/emulator-key.json\n"
            "       regsecret profiles import ~/emulator-key.json --name emulator\n"
            "       regsecret --profile emulator\n"
            "  2. Give the URLs it prints to the app or SAP's SDK through the environment:\n"
            "       AICORE_BASE_URL=http://127.0.0.1:8765/v2 \\\n"
            "       AICORE_AUTH_URL=http://127.0.0.1:8765/oauth/token \\\n"
            "       AICORE_CLIENT_ID=demo AICORE_CLIENT_SECRET=demo-secret regsecret\n"
            "  3. Or skip this command: `regsecret --demo` starts an emulator of its own.\n"
            "The client secret it accepts is demo-secret, or the value of the variable that\n"
            "--client-secret-env names; it is never an argument, so it stays out of the\n"
            "process list and shell history.\n"
            "Inject faults with curl through http://127.0.0.1:8765/_emulator/... and the\n"
            "header X-Emulator-Token: <control token>, e.g.\n"
            "  curl -H 'X-Emulator-Token: TOKEN' -d '{\"status\": 503}' \\\n"
            "       http://127.0.0.1:8765/_emulator/faults"
        ),
        formatter_class=_RawFormatter,
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
        "--client-secret-env",
        metavar="VAR",
        help="accept the client secret held in the environment variable VAR "
        "(default: the fixed demo-secret)",
    )
    emulator.add_argument(
        "--service-key",
        metavar="FILE",
        help="also write a service key for this emulator to FILE, readable only by you, "
        "for `regsecret profiles import FILE --name emulator`",
    )
    # Earlier versions took the secret itself, which puts it in the process list and shell
    # history: still accepted, with a warning, so old scripts keep working.
    emulator.add_argument("--client-secret", help=argparse.SUPPRESS)


# Every command, in the order --help lists them.
_COMMANDS = {
    "body": _body,
    "yaml": _yaml,
    "register": _register,
    "update": _update,
    "delete": _delete,
    "list": _list,
    "rotate": _rotate,
    "apply": _apply,
    "check": _check,
    "profiles": _profiles,
    "emulator": _emulator,
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that command's (what a run of it needs)."""
    epilog = None if only is not None else "exit codes (every command):\n" + table_text()
    parser = _Parser(
        prog="regsecret",
        description=(
            "Register Docker registry secrets in SAP AI Core and get the imagePullSecrets\nYAML."
        ),
        epilog=epilog,
        formatter_class=_RawFormatter,
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
    for name, add in _COMMANDS.items():
        if only is None or name == only:
            add(sub)
    return parser


# Command names that are not module names.
_MODULES = {"list": "list_secrets"}


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    # Only the command that runs is built: `regsecret body` need not pay for the others' options.
    only = words[0] if words and words[0] in _COMMANDS else None
    if "--json" in words:
        from tui.commands.json_output import reset

        reset()  # a new command (tests run several in one process): no object printed yet
    try:
        args = build_parser(only).parse_args(words)
    except SystemExit as refused:
        if refused.code not in (0, None) and only is not None and "--json" in words:
            # Asked for JSON, given a usage error: still the one object a script reads.
            said = _REFUSED[0] if _REFUSED else "The command line cannot be used."
            asked = argparse.Namespace(command=only, json=True)
            _answered(asked, EXIT_BAD_INPUT, "bad-input", said)
        raise
    if args.command is None:
        from tui.app import run_app

        return run_app(demo=args.demo, profile=args.profile)
    if args.demo:
        from tui.commands.demo_profiles import demo_stays_in_the_app

        lead = f"--demo starts the app and cannot be given with a command ({args.command})."
        said = demo_stays_in_the_app(lead)
        print(f"regsecret: {said}", file=sys.stderr, flush=True)
        return _answered(args, EXIT_BAD_INPUT, "bad-input", said)
    module = f"tui.commands.{_MODULES.get(args.command, args.command)}"
    handler = __import__(module, fromlist=["run"])
    try:
        code = int(handler.run(args))
    except KeyboardInterrupt:
        from tui.commands.interrupted import sentence

        said = sentence(args.command)
        print(f"regsecret: {said}", file=sys.stderr, flush=True)
        # A command that changes AI Core says itself when ctrl+c came after it sent anything.
        sent = {"sent": False} if args.command in ("register", "update", "delete") else {}
        return _answered(args, EXIT_STOPPED, "stopped", said, **sent)
    except BrokenPipeError:
        # `regsecret yaml x | head -0`: the reader left; nothing is wrong with us.
        return EXIT_OK
    except Exception as exc:  # a bug: a sentence and the one JSON object, not a traceback
        said = (
            f"The command stopped on an unexpected error ({type(exc).__name__}), a fault in "
            "regsecret: what it had done by then is not known; list the secrets to see, and "
            "please report the command that was run."
        )
        print(f"regsecret: {said}", file=sys.stderr, flush=True)
        return _answered(args, EXIT_FAILED, "failed", said)
    return _answered(args, code, "failed", "")


def _answered(
    args: argparse.Namespace, code: int, outcome: str, sentence: str, **fields: object
) -> int:
    """With --json, the one object, if the command printed none (ctrl+c, a fault, a failure
    that said its sentence on stderr only): ``code`` either way, or the printed object's."""
    if not getattr(args, "json", False):
        return code
    from tui.commands.json_output import print_fallback, printed

    answered = printed()
    if answered is not None:
        return answered if code == EXIT_STOPPED else code
    if code == EXIT_OK:
        return code  # a command that printed no object and succeeded has none (body, yaml)
    said = sentence or "The command failed; its reason is on standard error."
    print_fallback(args, code, outcome, said, **fields)
    return code


if __name__ == "__main__":
    sys.exit(main())
