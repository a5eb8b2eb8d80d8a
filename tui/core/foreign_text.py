"""The one boundary where foreign text becomes displayable.

Servers, registries, files and the environment send text we did not write: an AI Core error
message, a secret name in the list, a registry's 401 body, a profile name from a file. Shown as it
is, that text can drive the terminal (``ESC ] 0 ;`` sets the title, ``ESC ] 52 ;`` writes the
clipboard, C1 ``U+009B`` is a CSI on some terminals), reorder what the user reads (bidi overrides)
or hide characters (zero-width spaces). :func:`displayable` turns it into plain text a person can
read and a terminal cannot act on; the UI then shows the result without interpreting markup.

Escape sequences are removed whole (their payload is an instruction, not words); a string
sequence with no terminator loses only its introducer, so it cannot swallow the words after it.
Any other control character becomes a visible ``�`` so that what was hidden is not silently
joined together. Tabs and line breaks become spaces unless ``multiline`` keeps line breaks. The
result is bounded in length with an ellipsis. Nothing here imports Textual.
"""

from __future__ import annotations

import re

from tui.core.wording import joined

# Long enough for any server's sentence, short enough that a runaway HTML page cannot fill a
# screen or a ticket.
DEFAULT_LIMIT = 300
ELLIPSIS = "…"
REPLACEMENT = "\ufffd"

# ESC-introduced strings (OSC, DCS, SOS, PM, APC) run to BEL or ST (ESC \ or U+009C); the 8-bit
# C1 forms (U+0090, U+0098, U+009D, U+009E, U+009F) are the same strings. Only a terminated string
# goes whole: an unterminated one loses just its introducer (ESC + letter below, a C1 becomes
# "�"), because cleaning a whole sentence at once ("cannot delete “ab ESC ]x”: check the
# password") must not let a foreign name erase the app's own words after it. A string also ends
# where another introducer starts: else each of thousands of unterminated ones would be read on
# to the end of the text, over and over (quadratic).
_STRING_SEQUENCE = re.compile(
    r"(?:\x1b[\]P X^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x90\x98\x9c-\x9f]*(?:\x07|\x1b\\|\x9c)",
    re.DOTALL,
)
# CSI: ESC [ or U+009B, parameters, intermediates, one final byte.
_CSI = re.compile(r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?")
# Any other escape: ESC, optional intermediates, one final character (ESC 7, ESC ( B, ...).
_OTHER_ESCAPE = re.compile(r"\x1b[\x20-\x2f]*[\x30-\x7e]?")
_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"


def _visible(char: str, multiline: bool) -> str:
    """What one character becomes on screen: itself, a space, nothing or ``�``."""
    if char == "\n" and multiline:
        return char
    if char == "\t" or char in _BREAKS:
        return " "
    if " " <= char <= "~":
        return char
    # Here, not at the top: `regsecret body` raises errors through this module and must start
    # without loading the Unicode database; only text beyond printable ASCII gets here.
    import unicodedata

    category = unicodedata.category(char)
    if category == "Cf":
        # Bidi overrides and isolates, zero-width spaces and joiners, the BOM, soft hyphens:
        # invisible on screen, so they can only mislead.
        return ""
    if category in ("Cc", "Cs"):
        # Controls (C0, DEL, C1) and lone surrogates, which no terminal encoding can carry.
        return REPLACEMENT
    return char


def strip_escapes(text: str) -> str:
    """``text`` without any terminal escape sequence (7-bit or 8-bit)."""
    text = _STRING_SEQUENCE.sub("", text)
    text = _CSI.sub("", text)
    return _OTHER_ESCAPE.sub("", text)


def unescaped(text: str) -> str:
    """``text`` with no escape sequence nor control character left, and nothing else changed:
    not bounded, white space not collapsed, line breaks kept. For a report laid out already
    (Textual's crash report, after the app), where :func:`displayable` would undo the layout.

    Character by character, so an escape cut in two by the layout (one half in each styled
    piece) loses its ESC all the same.
    """
    text = strip_escapes(text)
    if text.isascii() and text.isprintable():
        return text
    return "".join(_visible(char, multiline=True) for char in text)


def bound(text: str, limit: int = DEFAULT_LIMIT) -> str:
    """At most ``limit`` characters, the last one an ellipsis when something was cut."""
    if limit <= 0:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def displayable(value: object, *, limit: int = DEFAULT_LIMIT, multiline: bool = False) -> str:
    """Foreign ``value`` as plain text that is safe to show and to print.

    No control character (U+0000-001F, U+007F, U+0080-009F), no escape sequence, no invisible
    format character, no lone surrogate survives; runs of white space collapse to one space (with
    ``multiline``, line breaks and spaces inside a line are kept); at most ``limit``
    characters. Markup is left as typed (``github-actions[bot]`` stays so): the display path
    must not interpret it.
    """
    text = value if isinstance(value, str) else str(value)
    # Bound the work before the regular expressions see it: a megabyte body shows 300 characters.
    cut = max(limit, 0) * 4 + 64
    truncated = len(text) > cut
    text = text[:cut]
    text = strip_escapes(text)
    if text.isascii() and text.isprintable():
        cleaned = text  # the common case: nothing to look at character by character
    else:
        cleaned = "".join(_visible(char, multiline) for char in text)
    if multiline:
        # Spaces inside a line are kept: our own texts align with them.
        cleaned = "\n".join(line.rstrip() for line in cleaned.split("\n")).strip("\n")
    else:
        cleaned = " ".join(cleaned.split())
    if truncated and len(cleaned) < limit:
        cleaned += ELLIPSIS
    return bound(cleaned, limit)


# A name quoted in a sentence (a profile, a secret, a tenant: given on the command line or read
# from a file) is at most this long: every valid secret name (63) and profile name of ours (64)
# whole, while a 5,000-character --profile cannot flood the terminal nor push the sentence's
# next step out of it.
NAME_LIMIT = 64
# A path quoted in a sentence: its end (the file's name) is kept when it is longer.
PATH_LIMIT = 160
# Names listed in one sentence ("Profiles: a, b, c"): the rest are counted.
LIST_LIMIT = 20


def named(value: object, *, limit: int = NAME_LIMIT) -> str:
    """A name someone gave (argv, a file, the environment) as a sentence quotes it: displayable
    and at most ``limit`` characters. Every sentence naming a profile, a secret or a tenant
    formats the name through here, so no name is printed unbounded or with a control sequence.
    """
    return displayable(value, limit=limit)


def named_path(value: object, *, limit: int = PATH_LIMIT) -> str:
    """A file's path as a sentence quotes it: displayable, and when longer than ``limit`` its end
    kept after an ellipsis (``…/deploy/fleet.toml``): the file's name is what a person looks for.
    """
    text = value if isinstance(value, str) else str(value)
    cut = max(limit, 1) * 4 + 64
    cleaned = displayable(text[-cut:], limit=cut)
    if len(text) <= cut and len(cleaned) <= limit:
        return cleaned
    return ELLIPSIS + cleaned[len(cleaned) - max(limit - 1, 0) :] if limit > 1 else ELLIPSIS


def named_list(values: list[str], *, quote: bool = False, most: int = LIST_LIMIT) -> str:
    """Names in a sentence, each through :func:`named`, at most ``most`` of them (then "and 12
    more"). Plain, they are a listing (``dev, prod``); with ``quote``, prose (``“dev” and
    “prod”``, ``“a”, “b” and “c”``)."""
    shown = [f"“{named(v)}”" if quote else named(v) for v in values[:most]]
    rest = len(values) - len(shown)
    if rest > 0:
        shown.append(f"{rest} more")
    if not quote and rest <= 0:
        return ", ".join(shown)
    return joined(shown)


# U+2400-U+241F picture the C0 controls (␛ is ESC, ␇ BEL, ␀ NUL), U+2421 pictures DEL.
_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20)} | {0x7F: 0x2421}
# What a field may not draw as itself: C1 controls, format characters, separators, surrogates.
_NOT_DRAWN = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))


def field_text(value: str) -> str:
    """``value`` as an input field draws it: one visible character in place of each character.

    A field's value must stay exactly as it is (it is what gets checked and sent), and the
    field's cursor, selection and mouse clicks count in characters of the value, so nothing may
    be removed or widened: caret notation (``^[``, the way tmux pastes an escape) would put the
    cursor two cells off for every escape before it. A C0 control or DEL becomes its one-cell
    control picture (``␛`` for ESC, which reads as the escape it is), a C1 control, an invisible
    format character (bidi override, zero-width space), a line or paragraph separator or a lone
    surrogate becomes ``�``, as in :func:`displayable`.
    """
    if value.isascii() and value.isprintable():
        return value
    import unicodedata

    pictured = value.translate(_CONTROL_PICTURES)
    if pictured.isprintable():
        return pictured  # only C0 and DEL were there
    return "".join(
        REPLACEMENT if unicodedata.category(char) in _NOT_DRAWN else char for char in pictured
    )


def first_unsafe(text: str) -> str | None:
    """The first character :func:`displayable` would not show as itself, or None.

    For names we store (profile names): refusing them is kinder than showing them changed.
    """
    if text.isascii() and text.isprintable():
        return None
    return next((char for char in text if _visible(char, multiline=False) != char), None)


def terminal_json(payload: object) -> str:
    """``payload`` as indented JSON that is safe to print: ``--json`` output lands on terminals.

    ``json.dumps`` escapes C0 controls but, keeping non-ASCII letters readable, lets C1 controls
    (U+009B is a CSI on some terminals), DEL, bidi overrides and invisible characters
    through. Those become ``\\u`` escapes, which every JSON reader decodes back to the same value.
    """
    import json

    text = json.dumps(payload, ensure_ascii=False, indent=2)
    if text.isascii() and "\x7f" not in text:
        return text
    # Printable ASCII and the indent's line breaks stay; anything else that would not show as
    # itself becomes its escape (json.dumps of one character, quotes dropped).
    return "".join(
        char
        if " " <= char <= "~" or char == "\n" or _visible(char, multiline=False) == char
        else json.dumps(char)[1:-1]
        for char in text
    )
