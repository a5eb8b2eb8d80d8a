"""A PEM value from a form field: the pasted block, or the file a path names, decided by content.

What the user typed may be a private key, so no sentence here repeats it (not even as a file name):
a key pasted without its ``-----BEGIN`` line once came back in an error as "<the key> cannot be
read".
"""

from __future__ import annotations

import re
from pathlib import Path

from tui.core.errors import ForeignDataError, ProfileError
from tui.core.profile_model import fix_pem
from tui.core.safe_load import read_small_file

# A PEM file is a few kilobytes; anything much larger is the wrong file.
MAX_PEM_FILE = 1024 * 1024
# The inside of a PEM block: base64 in lines, or with the literal \n a service key carries.
_BASE64_BODY = re.compile(r"[A-Za-z0-9+/=\s]+")
_PATH_START = ("/", "~", ".")


def _looks_like_pem_body(text: str) -> bool:
    body = text.replace("\\n", "\n")
    return len(body) >= 40 and _BASE64_BODY.fullmatch(body) is not None


def pem_from_field(text: str, what: str) -> str:
    """The PEM text of ``what`` ("certificate", "private key"); ``""`` for an empty field.

    :class:`ProfileError` says what was expected, never what was typed.
    """
    value = text.strip()
    if not value:
        return ""
    problem = pem_shape_problem(value, what)
    if problem is not None:
        raise ProfileError(problem)
    if "-----BEGIN" in value:
        return fix_pem(value)
    return _read_pem_file(Path(value).expanduser(), what, _expected(what))


def _expected(what: str) -> str:
    return f"paste the whole {what} block, from its -----BEGIN line to its -----END line"


def pem_shape_problem(text: str, what: str) -> str | None:
    """Why the field cannot be a PEM block nor a path, judged from the text alone (no file is
    read, so a form can ask at every key); ``None`` when it may be either."""
    value = text.strip()
    if "-----BEGIN" in value:
        if "-----END" not in value:
            return f"The {what} has a -----BEGIN line but no -----END line: {_expected(what)}."
        return None
    if not value.startswith(_PATH_START) and _looks_like_pem_body(value):
        return (
            f"The {what} looks like the inside of a PEM block without its -----BEGIN line: "
            f"{_expected(what)}."
        )
    return None


def _read_pem_file(path: Path, what: str, expected: str) -> str:
    try:
        content = read_small_file(
            path, limit=MAX_PEM_FILE, what=f"a {what} file", called=f"The file named as the {what}"
        )
    except ForeignDataError as exc:
        raise ProfileError(
            f"{exc.explanation} The {what} has no -----BEGIN line, so it was taken as a path: "
            f"{expected}, or give the path of its file."
        ) from None
    if "-----BEGIN" not in content:
        raise ProfileError(
            f"The file named as the {what} holds no PEM block (no -----BEGIN line): "
            f"give the {what} file of the service key, or {expected}."
        )
    return fix_pem(content)
