"""Where a credential came from, written down: ``env:ECR_TOKEN``, ``command:aws ecr ...``.

The ledger records this descriptor (never the value) beside each secret, and ``regsecret apply``
files name their sources the same way, so "this exact source was applied" is a comparison of two
strings. The forms:

- ``stdin``: standard input (a pipe, or a prompt without echo)
- ``env:VAR``: an environment variable
- ``file:/absolute/path``: a file (made absolute when written down, so the comparison holds)
- ``command:CMD ...``: the standard output of a command, exactly as given
- ``docker-config``: the registry's login in the docker config (inline or a credential helper)
- ``typed``: typed or pasted into the app; nothing can read it again
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from tui.core.credential_sources import (
    Credential,
    from_command,
    from_docker_config,
    from_env,
    from_file,
    from_stdin,
)
from tui.core.errors import InputError

Kind = Literal["stdin", "env", "file", "command", "docker-config", "typed"]
_WITH_VALUE: tuple[Kind, ...] = ("env", "file", "command")
_BARE: tuple[Kind, ...] = ("stdin", "docker-config", "typed")


@dataclass(frozen=True)
class SourceSpec:
    kind: Kind
    value: str = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}" if self.kind in _WITH_VALUE else self.kind


TYPED = SourceSpec("typed")


def parse_source(text: str) -> SourceSpec:
    """The descriptor ``text`` as a SourceSpec; InputError with a sentence for anything else."""
    kind, colon, value = text.strip().partition(":")
    if kind in _BARE and not colon:
        return SourceSpec(kind)
    if kind in _WITH_VALUE and colon and value.strip():
        return _normalised(SourceSpec(kind, value.strip()))
    forms = "env:VAR, file:PATH, command:CMD, docker-config or stdin"
    if kind in _WITH_VALUE:
        return _refuse(f"“{kind}:” needs what follows the colon ({forms})")
    return _refuse(f"a credential source is one of {forms}")


def _refuse(sentence: str) -> SourceSpec:
    raise InputError(sentence[0].upper() + sentence[1:] + ".")


def _normalised(spec: SourceSpec) -> SourceSpec:
    if spec.kind == "file":
        return SourceSpec("file", os.path.abspath(os.path.expanduser(spec.value)))
    if spec.kind == "env":
        return SourceSpec("env", spec.value.removeprefix("$"))
    return spec


def spec_from_options(
    *,
    stdin: bool = False,
    env: str | None = None,
    file: str | None = None,
    command: str | None = None,
    docker_config: bool = False,
) -> SourceSpec:
    """The descriptor of the one password option a command was given (checked by the parser)."""
    if env is not None:
        return _normalised(SourceSpec("env", env))
    if file is not None:
        return _normalised(SourceSpec("file", file))
    if command is not None:
        return SourceSpec("command", command)
    if docker_config:
        return SourceSpec("docker-config")
    return SourceSpec("stdin") if stdin else TYPED


def read_source(spec: SourceSpec, registry: str) -> Credential:
    """Read the credential the descriptor names; InputError with the source's own sentence."""
    if spec.kind == "env":
        return from_env(spec.value)
    if spec.kind == "file":
        return from_file(spec.value)
    if spec.kind == "command":
        return from_command(spec.value)
    if spec.kind == "docker-config":
        return from_docker_config(registry)
    if spec.kind == "stdin":
        return from_stdin()
    raise InputError("A password typed into the app cannot be read again: give another source.")
