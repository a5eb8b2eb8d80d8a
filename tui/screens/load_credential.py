"""Loading a registry password into a form from where it already is, as the command line does.

The credentials form (ctrl+o) loads a ``docker login``; the rotate screen (ctrl+o) also loads
from an environment variable, a file or a command's output. Both go through the command line's
own readers (tui/core/credential_sources.py), so a source gives the same password, the same
refusals and the same sentences in the app and in ``--password-env`` & co. A reader that may wait
(a credential helper's desktop prompt, a command) runs in a thread behind the busy dialog. The
password stays a :class:`~tui.core.secret.Secret` until the caller puts it into its masked field;
the notices name the source, never the value.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.core.local_docker_config import docker_config_path, read_docker_logins
from tui.core.source_spec import SourceSpec
from tui.core.workflows import Interrupted
from tui.screens.modals import ChoiceModal, TextPromptModal

if TYPE_CHECKING:
    from tui.core.credential_sources import Credential
    from tui.screens.base import AppScreen
    from tui.screens.person import ScreenPerson

TITLE = "Nothing was loaded"
STOPPED = "Stopped: nothing was loaded, the form is as it was."
STOPPED_COMMAND = "Stopped the command: nothing was loaded, the form is as it was."


@dataclass(frozen=True)
class Loaded:
    """A credential read from a source, and that source as the ledger writes it down."""

    credential: Credential
    spec: SourceSpec


async def load_docker_login(screen: AppScreen[Any], person: ScreenPerson) -> Loaded | None:
    """Choose one of ``~/.docker/config.json``'s logins and read it (from its helper if kept
    there); None when there is none, the user chose none, or it failed (then it was shown)."""
    from tui.core.credential_sources import from_docker_login

    path = docker_config_path(screen.rapp.home)
    try:
        logins = await asyncio.to_thread(read_docker_logins, path)
    except Exception as exc:
        screen.rapp.show_error("Nothing to load from the docker config", exc)
        return None
    if not logins:
        screen.notify(f"{path} has no registry logins.", severity="warning")
        return None
    chosen = logins[0]
    if len(logins) > 1:
        options = [
            (login.registry, login.registry + (f"  (in {login.helper})" if login.helper else ""))
            for login in logins
        ]
        key = await screen.app.push_screen_wait(
            ChoiceModal(
                f"Which login from {path}?",
                options,
                "A login kept by a credential helper is read from the helper, which may ask you "
                "to unlock it.",
            )
        )
        if key is None:
            return None
        chosen = next(login for login in logins if login.registry == key)
    stop = threading.Event()
    reading = asyncio.to_thread(from_docker_login, path, chosen, stop=stop)
    try:
        if chosen.usable:
            credential = await reading
        else:
            credential = await person.working(
                f"Asking the credential helper “{chosen.helper}” for {chosen.registry} …", reading
            )
    except Interrupted:
        screen.notify(STOPPED)
        return None
    except Exception as exc:
        screen.rapp.show_error("Nothing to load from the docker config", exc)
        return None
    finally:
        # Escape, or quitting the app: the helper (and what it started) is killed, not left
        # holding a prompt or the keychain for its whole timeout.
        stop.set()
    source = f" from “{chosen.helper}”" if chosen.helper else ""
    screen.notify(f"Loaded the login for {chosen.registry}{source} (password stays masked).")
    return Loaded(credential, SourceSpec("docker-config"))


_SOURCES = [
    ("docker-config", "A docker login (~/.docker/config.json or its credential helper)"),
    ("env", "An environment variable"),
    ("file", "A file"),
    ("command", "A command's output (e.g. aws ecr get-login-password)"),
]
_ASK = {
    "env": (
        "Which environment variable holds it?",
        "The name of the variable, without $. Its value is read once, now.",
        "e.g. CI_TOKEN",
    ),
    "file": (
        "Which file holds it?",
        "One line, at most a few kilobytes; its newline is dropped. → completes a path.",
        "e.g. ~/.config/ghcr-token",
    ),
    "command": (
        "Which command prints it?",
        "Run once, now, without a shell (its words split as a shell would); what it prints on "
        "standard output is the password. It may take up to a minute.",
        "e.g. aws ecr get-login-password --region eu-central-1",
    ),
}


# What was typed for a source that then failed (a path with a typo, a variable's name, a
# command), by form and source: the next ctrl+o of that form opens with it, to be fixed rather
# than typed again. Never a password: these are where it is, not what.
_refused: weakref.WeakKeyDictionary[object, dict[str, str]] = weakref.WeakKeyDictionary()


async def load_from_any_source(screen: AppScreen[Any], person: ScreenPerson) -> Loaded | None:
    """Choose a source (docker login, variable, file, command), then read the password from it."""
    kind = await screen.app.push_screen_wait(
        ChoiceModal("Load the password from", _SOURCES, "The password stays masked.")
    )
    if kind is None:
        return None
    if kind == "docker-config":
        return await load_docker_login(screen, person)
    title, body, placeholder = _ASK[kind]
    suggester = None
    if kind == "file":
        from tui.widgets.path_suggester import PathSuggester

        suggester = PathSuggester(screen.rapp.home)
    refused = _refused.setdefault(screen, {})
    value = await screen.app.push_screen_wait(
        TextPromptModal(
            title,
            body,
            placeholder=placeholder,
            suggester=suggester,
            value=refused.get(kind, ""),
        )
    )
    if value is None:
        return None
    stop = threading.Event()
    try:
        spec = _spec(kind, value)
        credential = await person.working(
            f"Reading the password from {_described(spec)} …",
            asyncio.to_thread(_read, screen, spec, stop),
        )
    except Interrupted:
        stop.set()  # before the sentence says so
        screen.notify(STOPPED_COMMAND if kind == "command" else STOPPED)
        return None
    except Exception as exc:
        refused[kind] = value
        screen.rapp.show_error(TITLE, exc)
        return None
    finally:
        stop.set()  # Escape or quitting: a command still running is killed with its children
    refused.pop(kind, None)
    note = f" ({credential.note})" if credential.note else ""
    screen.notify(f"Loaded the password from {credential.origin}{note}; it stays masked.")
    return Loaded(credential, spec)


def _spec(kind: str, value: str) -> SourceSpec:
    from tui.core.source_spec import parse_source

    return parse_source(f"{kind}:{value}")


def _described(spec: SourceSpec) -> str:
    if spec.kind == "env":
        return f"${spec.value}"
    if spec.kind == "command":
        return f"the output of '{spec.value.split()[0]}'" if spec.value.split() else "a command"
    return spec.value


def _read(screen: AppScreen[Any], spec: SourceSpec, stop: threading.Event) -> Credential:
    """The source's own reader; the variable from the app's environment (a test's, or ours)."""
    from tui.core.credential_sources import from_command, from_env, from_file

    if spec.kind == "env":
        return from_env(spec.value, screen.rapp.env)
    if spec.kind == "file":
        return from_file(spec.value)
    return from_command(spec.value, stop=stop)
