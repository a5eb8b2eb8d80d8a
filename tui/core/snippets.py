"""The ``imagePullSecrets`` YAML that makes a template use the registered secret.

Workflow templates take it directly under ``spec``; serving templates carry the KServe predictor
as text inside the block string ``spec.template.spec: |``, so there the snippet is that text.
"""

from __future__ import annotations

import json
import re

# Plain scalars YAML 1.1 or 1.2 would read as something other than a string (booleans, null,
# numbers, dates): a secret called "no" or "2024-01-01" must stay a string.
_NOT_A_STRING = re.compile(
    r"y|yes|n|no|true|false|on|off|null|~"
    r"|[-+]?0b[01_]+|[-+]?0o?[0-7_]+|[-+]?0x[0-9a-f_]+"
    r"|[-+0-9._:]+(e[-+]?[0-9]+)?"
    r"|[-+]?\.(inf|nan)"
)


def yaml_scalar(name: str) -> str:
    """``name`` as a YAML scalar that every YAML reader takes as that exact string."""
    if name and re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name) and not _NOT_A_STRING.fullmatch(name):
        return name
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(name)


def workflow_snippet(name: str) -> str:
    """For an Argo ``WorkflowTemplate``: paste under ``spec``."""
    return f"spec:\n  imagePullSecrets:\n    - name: {yaml_scalar(name)}\n"


def serving_snippet(name: str) -> str:
    """For a ``ServingTemplate``: the predictor part lives inside the ``spec: |`` block string."""
    return (
        "spec:\n"
        "  template:\n"
        "    spec: |\n"
        "      predictor:\n"
        "        imagePullSecrets:\n"
        f"          - name: {yaml_scalar(name)}\n"
    )


def body_curl_command(
    name: str, registry: str, username: str, email: str, api_url: str, *, patch: bool = False
) -> str:
    """The short curl form: ``regsecret body`` builds the body, curl sends it from stdin.

    ``regsecret body --password-stdin`` asks for the password itself, without echo, so it is
    in no argument, history line or variable of the user's shell (only, as the body, in one of
    the subshell that sends it); the AI Core token is read into the shell first, as for the
    shell-only form, and reaches curl through a builtin printf. Every value is quoted for the
    shell and written ``--option=value``, so a value starting with ``-`` stays a value.
    """
    from shlex import quote

    from tui.core.request import curl_lines, shell_lines

    options = [f"--name={quote(name)}", f"--registry={quote(registry)}"]
    options.append(f"--username={quote(username)}")
    if email:
        options.append(f"--email={quote(email)}")
    if patch:
        options.append("--patch")
    lines = [
        # Notes as no-op commands, as in the shell-only form: zsh runs a pasted "# ..." line.
        ': "Read the AI Core token first, without echo and out of shell history:"',
        ': "  IFS= read -rs AICORE_TOKEN"',
        ': "regsecret then asks for the registry password, without echo."',
        ': "If it refuses a field, it says why and nothing is sent."',
        "(",
        '  : "${AICORE_TOKEN:?is not set: run IFS= read -rs AICORE_TOKEN}"',
        # Into a variable of this subshell first, so that a refused field sends nothing (a
        # plain pipe would run curl with an empty body); $( ) also drops the final newline,
        # so curl sends exactly the bytes the app would.
        *shell_lines("  b=$(regsecret body", [*options, "--password-stdin"], ") &&"),
        "  printf '%s' \"${b}\" |",
        *curl_lines(name, api_url, patch=patch),
        ")",
    ]
    return "\n".join(lines) + "\n"
