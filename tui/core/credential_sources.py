"""Where a command's registry password comes from: exactly one source, never an argument.

``--password-stdin``, ``--password-env VAR``, ``--password-file F``, ``--password-command 'CMD'``
and ``--from-docker-config``. An argument would put the password in shell history and in every
process list; these do not, and nothing here puts it in the arguments of a program it starts.
Every value passes the one rule for a password (:func:`tui.core.one_line.password_value`), the
rule a paste into the app's password field follows, so both refuse the same text with the same
sentence.

Imports are deferred to the source used: ``regsecret body --password-stdin`` must start fast.
"""

from __future__ import annotations

import os
import sys

from tui.core.errors import InputError, RegsecretError
from tui.core.one_line import SECRET_LIMIT, password_value
from tui.core.secret import Secret

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the body command 3 ms
if TYPE_CHECKING:
    import threading
    from collections.abc import Mapping
    from pathlib import Path

    from tui.core.local_docker_config import DockerLogin

PROMPT = "Registry password or token (not shown): "
# A password command may wait for a person (a pinentry, a hardware key): give it time, not forever.
COMMAND_TIMEOUT = 60.0
# Bytes: the longest password the rule allows, in UTF-8, with room for line endings.
READ_CAP = 4 * SECRET_LIMIT + 64
#: The command-line options, in the order the help lists them; exactly one is given.
OPTIONS = (
    "--password-stdin",
    "--password-env",
    "--password-file",
    "--password-command",
    "--from-docker-config",
)


class Credential:
    """A password (and, from a docker config, the registry and username stored with it)."""

    __slots__ = ("note", "origin", "password", "registry", "username")

    def __init__(
        self, password: Secret, *, origin: str, username: str | None = None, note: str = ""
    ) -> None:
        self.password = password
        self.origin = origin  # for sentences: "standard input", "$CI_TOKEN", "token.txt", ...
        self.username = username
        self.registry: str | None = None  # the docker config's key for the login
        self.note = note  # e.g. "a JSON key ... kept whole"

    def __repr__(self) -> str:
        return f"Credential(password={self.password!r}, origin={self.origin!r})"


def _checked(text: str, origin: str, source: str, empty: str) -> Credential:
    kept = password_value(text, source)
    if not kept.value:
        raise InputError(empty)
    return Credential(Secret(kept.value), origin=origin, note=kept.note)


def from_stdin(prompt: str = PROMPT) -> Credential:
    """Standard input; on a terminal, a prompt without echo instead of a silent wait."""
    empty = (
        "Nothing came on standard input: pipe the password or token in, e.g. "
        "--password-stdin < token.txt."
    )
    stdin = sys.stdin
    if stdin is None:
        raise InputError(empty)
    if stdin.isatty():
        import getpass

        try:
            text = getpass.getpass(prompt)
        except EOFError:
            text = ""
    else:
        data = stdin.buffer.read(READ_CAP + 1)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(
                "Standard input is not UTF-8 text: pipe the password or token as plain text."
            ) from None
    return _checked(text, "standard input", "The password on standard input", empty)


class UnreadableFile(InputError):
    """The password file cannot be read as one (not a regular file, too large)."""


def from_env(var: str, env: Mapping[str, str] | None = None) -> Credential:
    """An environment variable, the way CI systems hand out their secrets."""
    name = var.removeprefix("$")
    environ = os.environ if env is None else env
    if not name or "=" in name:
        raise InputError(
            f"Give the name of an environment variable, such as CI_TOKEN, not {var!r}."
        )
    if name not in environ:
        raise InputError(
            f"${name} is not set: export it, or name the variable that holds the token."
        )
    return _checked(
        environ[name],
        f"${name}",
        f"${name}",
        f"${name} is empty: set it to the password or token.",
    )


def from_file(path: str | Path) -> Credential:
    """A regular file of at most a few kilobytes; one line, its newline dropped."""
    from pathlib import Path

    from tui.core.safe_load import read_small_file

    file = Path(os.path.expanduser(path))
    try:
        text = read_small_file(file, limit=READ_CAP, what="a password or token")
    except RegsecretError as exc:
        raise UnreadableFile(exc.explanation) from None
    return _checked(
        text, str(file), str(file), f"{file} is empty: put the password or token in it."
    )


def from_command(
    command: str, *, timeout: float = COMMAND_TIMEOUT, stop: threading.Event | None = None
) -> Credential:
    """The standard output of a command, e.g. ``aws ecr get-login-password --region X``.

    Split like a shell would and run without one; its exit status checked, and it is stopped
    after ``timeout`` seconds. From the command line (no ``stop``) it shares the terminal, so an
    MFA prompt reaches the person; from the app, which owns the terminal, it gets none
    (:func:`~tui.core.child_process.run_capped`): its stderr goes into the failure sentence and
    setting ``stop`` (Escape, quitting) kills it.
    """
    import shlex

    from tui.core.child_process import ChildFailed, run_capped

    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise InputError(
            f"The password command cannot be split into words ({exc}); quote it as in a shell."
        ) from None
    if not argv:
        raise InputError(
            "The password command is empty: give the command that prints the token, e.g. "
            "'aws ecr get-login-password --region eu-central-1'."
        )
    name = argv[0]
    try:
        done = run_capped(argv, timeout=timeout, stop=stop, cap=READ_CAP)
    except ChildFailed as exc:
        if exc.kind == "stopped":
            raise InputError(
                f"The password command “{name}” was stopped; nothing was used."
            ) from None
        hint = {
            "missing": " Check the command name, or give its full path.",
            "timeout": " If it waits for a prompt, run it once by hand first.",
        }.get(exc.kind, "")
        raise InputError(f"The password command failed: {exc.reason}.{hint}") from None
    if done.status != 0:
        if stop is None:
            said = "its own message, if any, is above"
        else:
            from tui.core.foreign_text import displayable

            message = displayable(done.stderr.decode("utf-8", "replace"), limit=200)
            said = f"it said: {message}" if message else "it printed no message"
        raise InputError(
            f"The password command “{name}” failed with exit status {done.status} ({said}); "
            "nothing was used."
        )
    try:
        text = done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            f"The password command “{name}” printed bytes that are not UTF-8 text."
        ) from None
    return _checked(
        text,
        f"the output of “{name}”",
        f"The output of “{name}”",
        f"The password command “{name}” printed nothing on standard output.",
    )


def from_docker_config(registry: str, *, home: Path | None = None) -> Credential:
    """The registry's login in ``$DOCKER_CONFIG/config.json`` or ``~/.docker/config.json``."""
    if not registry:
        raise InputError("--from-docker-config needs --registry: which registry's login to use.")
    from tui.core.local_docker_config import docker_config_path, find_docker_login

    path = docker_config_path(home)
    return _docker_credential(path, find_docker_login(path, registry))


def from_docker_login(
    path: Path, login: DockerLogin, *, stop: threading.Event | None = None
) -> Credential:
    """One login the docker config lists (the app's chooser), asking its helper if it has one.

    May wait for a helper's desktop prompt (bounded): call it from a thread; ``stop`` kills it.
    """
    from tui.core.local_docker_config import resolve_login

    return _docker_credential(path, resolve_login(path, login, stop=stop))


def _docker_credential(path: Path, login: DockerLogin) -> Credential:
    password = login.password.reveal() if login.password is not None else ""
    where = f"the login for {login.registry} in {path}"
    credential = _checked(
        password, where, f"The password of {where}", f"The password of {where} is empty."
    )
    credential.username = login.username or None
    credential.registry = login.registry
    return credential


def read_credential(
    *,
    stdin: bool = False,
    env: str | None = None,
    file: str | None = None,
    command: str | None = None,
    docker_config: bool = False,
    registry: str = "",
    prompt: str = PROMPT,
) -> Credential:
    """The password from the one source given; InputError with a sentence when none or several."""
    given = [
        option
        for option, value in zip(
            OPTIONS,
            (stdin, env is not None, file is not None, command is not None, docker_config),
            strict=True,
        )
        if value
    ]
    if len(given) != 1:
        listed = ", ".join(OPTIONS)
        if given:
            raise InputError(f"Give one password source, not {' and '.join(given)}.")
        raise InputError(f"Give the password with one of {listed}; never as an argument.")
    if env is not None:
        return from_env(env)
    if file is not None:
        try:
            return from_file(file)
        except UnreadableFile as exc:
            # Only the command line has standard input to offer (the app's sources do not).
            raise InputError(
                f"{exc.explanation} (For a pipe, use --password-stdin or --password-command.)"
            ) from None
    if command is not None:
        return from_command(command)
    if docker_config:
        return from_docker_config(registry)
    return from_stdin(prompt)


def username_for(given: str | None, credential: Credential) -> str:
    """The username: the one given, else the docker config's; both must agree when both exist."""
    stored = credential.username
    if given and stored is not None and given != stored:
        raise InputError(
            f"The login in {credential.origin} is for user “{stored}”, not “{given}”: leave out "
            "--username, or give the password another way."
        )
    if given:
        return given
    if stored:
        return stored
    raise InputError("Give --username: the registry user name the password belongs to.")
