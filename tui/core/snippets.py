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
