"""What goes to AI Core: the secret draft, its validation, the request bodies and their safe views.

``create_body`` is the one source of truth: the client sends it, the Preview shows it, the masked
views and the curl command are derived from the same layout, so what the user sees is what is sent.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from tui.core.dockerconfigjson import (
    build_dockerconfigjson,
    go_json_string,
    preset_for_host,
    registry_host,
    render_dockerconfigjson,
)
from tui.core.secret import MASK, Secret

NAME_MAX_LENGTH = 63
# AI Core's published rule, kept for reference and for the equivalence test.
NAME_PATTERN_PUBLISHED = r"^[a-z0-9](?:_?[a-z0-9\.\-]+)*[a-z0-9]$"
# The same language, written so that it cannot backtrack exponentially: the published form nests
# quantifiers and takes seconds on a 25-character near-miss such as "aaaa...a-". Use this one.
NAME_PATTERN: re.Pattern[str] = re.compile(r"\A[a-z0-9](?:[a-z0-9.\-]|_[a-z0-9.\-])*[a-z0-9]\Z")

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_")
_NAME_EDGE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
FIELDS = ("name", "registry", "username", "password", "email")


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    warning: bool = False


@dataclass(frozen=True)
class SecretDraft:
    name: str = ""
    registry: str = ""
    username: str = ""
    password: Secret = field(default_factory=lambda: Secret(""))
    email: str = ""


def is_valid_name(name: str) -> bool:
    """AI Core's name rule: the published pattern and at most 63 characters."""
    return len(name) <= NAME_MAX_LENGTH and NAME_PATTERN.match(name) is not None


def _show(chars: Iterable[str]) -> str:
    return ", ".join(repr(c) for c in chars)


def validate_name(name: str) -> list[Problem]:
    """Every reason the name is rejected, each saying what to change; a warning for ``_``."""
    if not name:
        return [Problem("name", "enter a name, for example my-registry")]
    errors: list[str] = []
    bad = list(dict.fromkeys(c for c in name if c not in _NAME_CHARS))
    if bad:
        shown = _show(bad[:5]) + (", ..." if len(bad) > 5 else "")
        errors.append(f"use lowercase letters, digits, '.' and '-' (not {shown})")
    if len(name) > NAME_MAX_LENGTH:
        errors.append(f"{len(name)} characters, at most {NAME_MAX_LENGTH}")
    if len(name) < 2:
        errors.append("at least 2 characters")
    if name[0] in _NAME_CHARS and name[0] not in _NAME_EDGE_CHARS:
        errors.append(f"must not start with {name[0]!r}: start with a lowercase letter or digit")
    if len(name) >= 2 and name[-1] in _NAME_CHARS and name[-1] not in _NAME_EDGE_CHARS:
        errors.append(f"must not end with {name[-1]!r}: end with a lowercase letter or digit")
    inner = range(1, len(name) - 1)
    if any(name[i] == "_" and name[i + 1] == "_" for i in inner):
        errors.append("'__': a '_' must be followed by a letter, digit, '.' or '-'")
    if len(name) >= 3 and name[-2] == "_":
        errors.append("a '_' must not be the second-to-last character")
    if not errors and not is_valid_name(name):
        # Safety net: the checks above cover the whole rule, the property test proves it.
        errors.append("does not match AI Core's name rule")
    problems = [Problem("name", message) for message in errors]
    if "_" in name:
        problems.append(
            Problem(
                "name",
                "_ is allowed by AI Core but SAP AI Launchpad and Kubernetes reject it; use '-'",
                warning=True,
            )
        )
    return problems


def _control_chars(text: str) -> list[str]:
    return list(dict.fromkeys(c for c in text if unicodedata.category(c) == "Cc"))


def _has_surrogates(text: str) -> bool:
    # A lone surrogate cannot be encoded as UTF-8, so the request could not even be sent.
    return any("\ud800" <= c <= "\udfff" for c in text)


def _edge_space_warning(label: str, text: str) -> list[Problem]:
    if text and (text[0].isspace() or text[-1].isspace()):
        return [
            Problem(
                label,
                "starts or ends with white space (a paste accident?); it is sent exactly as typed",
                warning=True,
            )
        ]
    return []


def _not_text(label: str) -> Problem:
    return Problem(label, "contains characters that are not valid Unicode text; type it again")


def validate_registry(registry: str) -> list[Problem]:
    if not registry:
        hint = "enter the registry host, e.g. ghcr.io (docker.io for Docker Hub)"
        return [Problem("registry", hint)]
    problems = []
    if _control_chars(registry):
        problems.append(Problem("registry", "must not contain control characters"))
    if any(c.isspace() for c in registry):
        problems.append(Problem("registry", "must not contain spaces"))
    if _has_surrogates(registry):
        problems.append(_not_text("registry"))
    if not problems and not registry_host(registry):
        problems.append(Problem("registry", "enter a host name after the scheme, e.g. ghcr.io"))
    return problems


def validate_username(username: str, registry: str = "") -> list[Problem]:
    if not username:
        hint = preset_for_host(registry).username_hint if registry else "the registry user name"
        return [Problem("username", f"enter the user name ({hint})")]
    problems = []
    if ":" in username:
        problems.append(
            Problem("username", "must not contain ':' (readers split auth at the first ':')")
        )
    if _control_chars(username):
        problems.append(
            Problem("username", "must not contain control characters such as tabs or line breaks")
        )
    if _has_surrogates(username):
        problems.append(_not_text("username"))
    return problems + _edge_space_warning("username", username)


def validate_password(password: Secret) -> list[Problem]:
    text = password.reveal()
    if not text:
        return [Problem("password", "enter the password or access token")]
    problems = []
    if "\0" in text:
        problems.append(Problem("password", "must not contain a NUL character"))
    if _has_surrogates(text):
        problems.append(_not_text("password"))
    return problems + _edge_space_warning("password", text)


def validate_email(email: str) -> list[Problem]:
    if not email:
        return []
    problems = []
    if _control_chars(email):
        problems.append(Problem("email", "must not contain control characters"))
    if _has_surrogates(email):
        problems.append(_not_text("email"))
    if "@" not in email:
        problems.append(
            Problem("email", "does not look like an email address (it is optional)", warning=True)
        )
    return problems


def validate_field(draft: SecretDraft, field: str) -> list[Problem]:
    """Live validation of one field of the form."""
    if field == "name":
        return validate_name(draft.name)
    if field == "registry":
        return validate_registry(draft.registry)
    if field == "username":
        return validate_username(draft.username, draft.registry)
    if field == "password":
        return validate_password(draft.password)
    if field == "email":
        return validate_email(draft.email)
    raise ValueError(f"unknown field {field!r}; expected one of {', '.join(FIELDS)}")


def validate_draft(draft: SecretDraft) -> list[Problem]:
    """Every error and warning of every field, in form order."""
    return [problem for name in FIELDS for problem in validate_field(draft, name)]


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(not problem.warning for problem in problems)


def dockerconfigjson(draft: SecretDraft) -> Secret:
    return build_dockerconfigjson(draft.registry, draft.username, draft.password, draft.email)


def _body_text(inner: str, name: str | None, *, pretty: bool = False) -> str:
    body: dict[str, object] = {} if name is None else {"name": name}
    body["data"] = {".dockerconfigjson": inner}
    if pretty:
        return json.dumps(body, ensure_ascii=False, indent=2)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def create_body(draft: SecretDraft) -> Secret:
    """The POST body, compact, on one line: exactly the text the client sends."""
    return Secret(_body_text(dockerconfigjson(draft).reveal(), draft.name))


def patch_body(draft: SecretDraft) -> Secret:
    """The PATCH body: only ``data``, since a secret cannot be renamed."""
    return Secret(_body_text(dockerconfigjson(draft).reveal(), None))


def _masked_config(draft: SecretDraft) -> str:
    password = MASK if draft.password else ""
    return render_dockerconfigjson(draft.registry, draft.username, password, draft.email, MASK)


def pretty_body(draft: SecretDraft, *, patch: bool = False) -> Secret:
    """The body as sent, indented for reading: the same JSON value as ``create_body``."""
    return Secret(
        _body_text(dockerconfigjson(draft).reveal(), None if patch else draft.name, pretty=True)
    )


def masked_body(draft: SecretDraft, *, patch: bool = False, pretty: bool = False) -> str:
    """The body with password and auth replaced by the mask; everything else as sent."""
    return _body_text(_masked_config(draft), None if patch else draft.name, pretty=pretty)


def docker_config_text(draft: SecretDraft, *, masked: bool = True) -> str:
    """The decoded ``.dockerconfigjson``, pretty-printed for reading."""
    inner = _masked_config(draft) if masked else dockerconfigjson(draft).reveal()
    return json.dumps(json.loads(inner), ensure_ascii=False, indent=2)


# The curl command ---------------------------------------------------------------------------------
#
# The shell must produce the body byte for byte, and only the password is secret, so everything
# else is computed here and pasted in as single-quoted literals. The password is escaped twice
# (Go's JSON string, then the outer JSON string) by parameter expansions that behave the same in
# bash >= 3.2 and zsh; backslash goes first because every other replacement adds backslashes.


def _escaped_twice(char: str) -> str:
    """How ``char`` of the password ends up in the body: Go's escape, then the outer string's."""
    return json.dumps(go_json_string(char)[1:-1], ensure_ascii=False)[1:-1]


# Every character either escape changes (NUL is rejected by validation and cannot be in a variable).
_ESCAPED_CHARS = ("\\", '"', *map(chr, range(1, 32)), "<", ">", "&", "\u2028", "\u2029")


def _shell_single(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _shell_pattern(char: str) -> str:
    if char == "\\":
        return '"${s}"'
    if char == '"':
        return '"${q}"'
    if ord(char) < 32 or ord(char) > 126:
        return "$'" + "".join(f"\\x{byte:02x}" for byte in char.encode()) + "'"
    return _shell_single(char)


def _shell_replacement(target: str) -> str:
    rendered = "".join("${s}" if c == "\\" else "${q}" if c == '"' else c for c in target)
    return f'"{rendered}"'


def _password_escape_lines() -> list[str]:
    steps = [
        f"p=${{p//{_shell_pattern(char)}/{_shell_replacement(_escaped_twice(char))}}}"
        for char in _ESCAPED_CHARS
    ]
    # Backslash and quote alone on their lines (order matters there); the rest four to a line.
    groups = [steps[:1], steps[1:2]] + [steps[i : i + 4] for i in range(2, len(steps), 4)]
    return ["  " + "; ".join(group) for group in groups]


def curl_command(
    draft: SecretDraft, api_url: str, *, patch: bool = False, masked: bool = True
) -> str:
    """A curl command for bash or zsh that sends exactly ``create_body`` (or ``patch_body``).

    The token comes from ``$AICORE_TOKEN`` and the password from ``$REGISTRY_PASSWORD``; neither
    ever appears in the text, in single quotes, or in a process's arguments. ``masked`` changes
    nothing, because nothing secret is inlined.
    """
    del masked
    import secrets  # only here: the command line never builds a curl command

    # Sentinels made of letters and digits pass through both JSON escapes unchanged.
    password_mark = "P" + secrets.token_hex(12)
    auth_mark = "A" + secrets.token_hex(12)
    inner = render_dockerconfigjson(
        draft.registry, draft.username, password_mark, draft.email, auth_mark
    )
    body = _body_text(inner, None if patch else draft.name)
    before, after_password = body.split(password_mark)
    middle, after = after_password.split(auth_mark)
    # The user:password prefix of auth, as base64 reads it.
    user_prefix = f"{draft.username}:"
    url = api_url.rstrip("/") + "/v2/admin/dockerRegistrySecrets"
    if patch:
        from urllib.parse import quote

        url += "/" + quote(draft.name, safe="")
    method = "PATCH" if patch else "POST"
    # PATCH in the spec's content type, as the client sends it (docs/aicore-api.md,
    # "Request bodies").
    content_type = "application/merge-patch+json" if patch else "application/json"
    lines = [
        # Notes as no-op commands, not comments: zsh (macOS's shell) runs a pasted "# ..." line
        # as a command unless interactive_comments is set. Double quotes, no "$" or "!" inside.
        ': "Set both secrets first, without echo and out of shell history:"',
        ': "  IFS= read -rs AICORE_TOKEN        (your AI Core bearer token)"',
        ': "  IFS= read -rs REGISTRY_PASSWORD   (the registry password or access token)"',
        ': "  or from a file:  IFS= read -r REGISTRY_PASSWORD < token.txt"',
        "(",
        '  : "${AICORE_TOKEN:?is not set: run IFS= read -rs AICORE_TOKEN}"',
        '  : "${REGISTRY_PASSWORD:?is not set: run IFS= read -rs REGISTRY_PASSWORD}"',
        "  s='\\' q='\"'",
        "  p=${REGISTRY_PASSWORD}",
        *_password_escape_lines(),
        f"  a=$(printf '%s' {_shell_single(user_prefix)}\"${{REGISTRY_PASSWORD}}\""
        " | base64 | tr -d '\\n')",
        f'  printf \'%s\' {_shell_single(before)}"${{p}}"{_shell_single(middle)}"${{a}}"'
        f"{_shell_single(after)} |",
        f"    curl -sS -X {method} {_shell_single(url)} \\",
        "      -H @<(printf 'Authorization: Bearer %s\\n' \"${AICORE_TOKEN}\") \\",
        f"      -H 'Content-Type: {content_type}' --data-binary @- -w '\\nHTTP %{{http_code}}\\n'",
        ")",
    ]
    return "\n".join(lines) + "\n"


__all__ = [
    "FIELDS",
    "NAME_MAX_LENGTH",
    "NAME_PATTERN",
    "NAME_PATTERN_PUBLISHED",
    "Problem",
    "SecretDraft",
    "create_body",
    "curl_command",
    "docker_config_text",
    "dockerconfigjson",
    "has_errors",
    "is_valid_name",
    "masked_body",
    "patch_body",
    "validate_draft",
    "validate_email",
    "validate_field",
    "validate_name",
    "validate_password",
    "validate_registry",
    "validate_username",
]
