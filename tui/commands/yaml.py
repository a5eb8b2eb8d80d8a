"""``regsecret yaml NAME [--serving]``: print the imagePullSecrets snippet for a secret name."""

from __future__ import annotations

import argparse
import sys

from tui.core.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from tui.core.foreign_text import bound
from tui.core.secret_name import has_errors, validate_name
from tui.core.snippets import serving_snippet, workflow_snippet


def run(args: argparse.Namespace) -> int:
    problems = validate_name(args.name)
    if has_errors(problems):
        reasons = "; ".join(p.message for p in problems if not p.warning)
        # repr shows control characters as escapes; bound keeps a pasted megabyte off the screen.
        shown = repr(bound(args.name, 64))
        sys.stderr.write(
            f"regsecret yaml: {shown} is not a valid AI Core secret name: {reasons}.\n"
        )
        return EXIT_BAD_INPUT
    for problem in problems:
        sys.stderr.write(f"regsecret yaml: warning: {problem.message}.\n")
    snippet = serving_snippet(args.name) if args.serving else workflow_snippet(args.name)
    sys.stdout.write(snippet)
    sys.stdout.flush()
    return EXIT_OK
