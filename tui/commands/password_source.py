"""The password source options of a command, read through the core's one rule."""

from __future__ import annotations

import argparse

from tui.core.credential_sources import PROMPT, Credential, read_credential


def credential_from(args: argparse.Namespace, prompt: str = PROMPT) -> Credential:
    """The password from the one source option given; InputError with a sentence otherwise."""
    return read_credential(
        stdin=bool(getattr(args, "password_stdin", False)),
        env=getattr(args, "password_env", None),
        file=getattr(args, "password_file", None),
        command=getattr(args, "password_command", None),
        docker_config=bool(getattr(args, "from_docker_config", False)),
        registry=getattr(args, "registry", "") or "",
        prompt=prompt,
    )
