"""The one safe way to read foreign files and to parse foreign JSON and TOML.

Service keys, SDK files, ``AICORE_SERVICE_KEY``, ``VCAP_SERVICES``, ``profiles.toml``, the docker
config and every server body come from outside. Python's parsers trust their input: 60,000 ``[``
raise RecursionError, a 5000-digit number raises ValueError (``int`` max str digits), ``1e999``
becomes infinity, ``NaN`` is accepted, ``/dev/zero`` reads for ever and a FIFO blocks ``open``.
Here every such case becomes a :class:`ForeignDataError` with one sentence, and nothing else
escapes. The sentence names where, never what: the data may hold a secret.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from tui.core.errors import ForeignDataError

# Service keys, SDK files and profile files are a few kilobytes; a megabyte is none of them.
MAX_FILE_BYTES = 1_000_000
# Text we parse that is not a file (answers, variables, pastes): above every answer cap.
MAX_TEXT_CHARS = 2_000_000
# A service key nests four levels; no honest document we read needs more than a few dozen.
MAX_DEPTH = 64
# An id, a count or a port; no honest number we read is longer.
MAX_DIGITS = 100

# Strings first (a bracket inside a string does not nest), then brackets. A string left open
# runs to the end of the text (a lone backslash there included): were it not matched, the scan
# would start over at each later quote and read to the end again, quadratic in the text.
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.?)*+(?:"|\Z)', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
# TOML strings and comments, each matched from its start to its end or, left open, to the end
# of its line or of the text, so the scan never starts over (see _JSON_STRING).
_TOML_NOT_KEYS = re.compile(
    r'"""[\s\S]*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z)'
    r'|"(?:[^"\\\n]++|\\.?)*+"?|\'[^\'\n]*+\'?|#[^\n]*+'
)
# A key of MAX_DEPTH dotted parts: tomllib's time grows with the square of a key's parts.
_TOML_DEEP_KEY = re.compile(rf"(?:[A-Za-z0-9_\-]*+[ \t]*+\.[ \t]*+){{{MAX_DEPTH}}}")
_TOML_LINE = r"line (\d+)"  # compiled when first used (re caches it)


class _Refused(Exception):
    """Raised inside a parser hook; becomes a ForeignDataError with this sentence fragment."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _size_text(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} kB"


def as_text(data: bytes | str, what: str, *, max_chars: int = MAX_TEXT_CHARS) -> str:
    """``data`` as text: UTF-8 (a byte-order mark is dropped), bounded in size."""
    if len(data) > max_chars:
        size = _size_text(max_chars)
        raise ForeignDataError(f"{what} is larger than {size}, so it was not read.")
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ForeignDataError(f"{what} is not UTF-8 text.") from None


def check_depth(text: str, what: str, *, max_depth: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``max_depth``; scans, so no RecursionError can happen."""
    depth = 0
    for match in _BRACKETS.finditer(_JSON_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > max_depth:
                raise ForeignDataError(
                    f"{what} is nested more than {max_depth} levels deep, so it was not read."
                )
        else:
            depth -= 1


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"it has a number with more than {MAX_DIGITS} digits")
    return int(digits)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("it has a number too large to use")
    return value


def _constant(name: str) -> float:
    raise _Refused(f"it has {name}, which is not a number JSON allows")


def load_json(
    data: bytes | str,
    what: str,
    *,
    max_chars: int = MAX_TEXT_CHARS,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """The decoded JSON ``data``, or ForeignDataError saying why not (``what`` names the source).

    Strict where Python is lenient: no NaN or Infinity, no infinite floats, no numbers longer
    than :data:`MAX_DIGITS` digits, at most ``max_depth`` levels.
    """
    text = as_text(data, what, max_chars=max_chars)
    check_depth(text, what, max_depth=max_depth)
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _Refused as refused:
        raise ForeignDataError(f"{what} cannot be used: {refused.reason}.") from None
    except json.JSONDecodeError as exc:
        raise ForeignDataError(
            # Some of json's messages end in "at" ("Invalid control character at"), said once.
            f"{what} line {exc.lineno}: not valid JSON "
            f"({exc.msg.removesuffix(' at')} at column {exc.colno}).",
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except (ValueError, RecursionError):
        raise ForeignDataError(f"{what} is not valid JSON.") from None


def load_toml(data: bytes | str, what: str, *, max_chars: int = MAX_TEXT_CHARS) -> dict[str, Any]:
    """The decoded TOML ``data``, or ForeignDataError with the line when TOML names one.

    ``nan`` and ``inf`` are refused: no field we read is a float, and they only confuse.
    """
    text = as_text(data, what, max_chars=max_chars)
    if _TOML_DEEP_KEY.search(_TOML_NOT_KEYS.sub("", text)):
        raise ForeignDataError(
            f"{what} has a key nested more than {MAX_DEPTH} levels deep, so it was not read."
        )
    try:
        return tomllib.loads(text, parse_float=_float)
    except _Refused as refused:
        raise ForeignDataError(f"{what} cannot be used: {refused.reason}.") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(_TOML_LINE, str(exc))
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line = int(match.group(1)) if match else None
        where = f"{what} line {line}:" if line else f"{what}:"
        raise ForeignDataError(f"{where} not valid TOML ({detail}).", line=line) from None
    except RecursionError:
        raise ForeignDataError(f"{what} is nested too deeply, so it was not read.") from None
    except ValueError:
        # tomllib lets int()'s own limit through: a number of thousands of digits.
        raise ForeignDataError(f"{what} cannot be used: it has a number too long.") from None


def read_small_bytes(
    path: Path,
    *,
    limit: int = MAX_FILE_BYTES,
    what: str = "a service key or profile",
    called: str | None = None,
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ForeignDataError saying why not.

    ``what`` says what the file should have been, for the sentence about a file too large.
    ``called`` names the file in sentences instead of its path, where the path may be a secret
    typed into the wrong field (a private key taken for a file name).

    Opened without blocking (a FIFO would otherwise wait for a writer for ever), then checked to
    be a regular file (``/dev/zero`` has no end and a size of 0), then read with the cap in force
    (a file may grow, and ``/proc`` files report a size of 0).
    """
    from tui.core.foreign_text import named_path

    name = called or named_path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ForeignDataError(f"{name} does not exist. Check the path.") from None
    except IsADirectoryError:
        raise ForeignDataError(f"{name} is a folder, not a file.") from None
    except PermissionError:
        raise ForeignDataError(f"{name} cannot be read: permission denied.") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a usable path"
        raise ForeignDataError(f"{name} cannot be read: {reason}.") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ForeignDataError(f"{name} is a folder, not a file.")
        if not stat.S_ISREG(info.st_mode):
            raise ForeignDataError(
                f"{name} is not a regular file (a device, pipe or socket), so it was not read."
            )
        too_large = ForeignDataError(
            f"{name} is larger than {_size_text(limit)}, too large to be {what}."
        )
        if info.st_size > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise too_large
        return b"".join(chunks)
    except OSError as exc:
        raise ForeignDataError(f"{name} cannot be read: {exc.strerror or 'read failed'}.") from None
    finally:
        os.close(fd)


def read_small_file(
    path: Path,
    *,
    limit: int = MAX_FILE_BYTES,
    what: str = "a service key or profile",
    called: str | None = None,
) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes (see :func:`read_small_bytes`).

    The one reader for every file we are pointed at: key files, SDK and docker config files,
    certificates, password files.
    """
    data = read_small_bytes(path, limit=limit, what=what, called=called)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from tui.core.foreign_text import named_path

        name = called or named_path(path)
        raise ForeignDataError(f"{name} is not a text file (not UTF-8).") from None
