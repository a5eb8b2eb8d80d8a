"""What goes to AI Core: the secret draft, its validation, the request bodies and their safe views.

``create_body`` is the one source of truth: the client sends it, the Preview shows it, the masked
views and the curl command are derived from the same layout, so what the user sees is what is sent.
"""

from __future__ import annotations

import json

from tui.core.dockerconfigjson import (
    build_dockerconfigjson,
    go_json_string,
    preset_for_host,
    registry_problem,
    render_dockerconfigjson,
)
from tui.core.record import Record
from tui.core.registries import ACCOUNT_NAME_ONLY, RegistryPreset
from tui.core.secret import MASK, Secret
from tui.core.secret_name import (
    NAME_MAX_LENGTH,
    NAME_PATTERN,
    NAME_PATTERN_PUBLISHED,
    Problem,
    has_errors,
    is_valid_name,
    validate_name,
)

FIELDS = ("name", "registry", "username", "password", "email")
# How the form labels each field; sentences that name a field use the same words.
FIELD_LABELS = {
    "name": "Secret name",
    "registry": "Host",
    "username": "Username",
    "password": "Password",
    "email": "Email",
}


_NO_PASSWORD = Secret("")


class SecretDraft(Record):
    """What the form holds; a Record, not a dataclass, to keep ``regsecret body`` quick."""

    _fields = ("name", "registry", "username", "password", "email")
    __slots__ = _fields
    name: str
    registry: str
    username: str
    password: Secret
    email: str

    def __init__(
        self,
        name: str = "",
        registry: str = "",
        username: str = "",
        password: Secret = _NO_PASSWORD,
        email: str = "",
    ) -> None:
        self._init(name, registry, username, password, email)


def _control_chars(text: str) -> list[str]:
    # Unicode's category Cc is exactly C0, DEL and C1 (no unicodedata: `regsecret body` is quick).
    return list(dict.fromkeys(c for c in text if c < " " or "\x7f" <= c <= "\x9f"))


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


def validate_registry(registry: str, preset: RegistryPreset | None = None) -> list[Problem]:
    """``preset``: the registry the person chose, whose hint says which host to type."""
    if not registry:
        if preset is None:
            return [Problem("registry", "enter the registry host, e.g. ghcr.io, or docker.io")]
        return [Problem("registry", f"enter the host. {preset.host_hint}")]
    problems = []
    if _control_chars(registry):
        problems.append(Problem("registry", "must not contain control characters"))
    if any(c.isspace() for c in registry):
        problems.append(Problem("registry", "must not contain spaces"))
    if _has_surrogates(registry):
        problems.append(_not_text("registry"))
    if not problems:
        problem = registry_problem(registry)
        if problem:
            problems.append(Problem("registry", problem))
    return problems


def validate_username(username: str, preset: RegistryPreset | None = None) -> list[Problem]:
    if not username:
        hint = f". {preset.username_hint}" if preset is not None else ""
        return [Problem("username", f"enter the user name{hint}")]
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
    if preset is not None and preset.id == "ecr" and username != "AWS":
        # Left from another registry ("octocat" under ECR's hint): ECR refuses any other.
        problems.append(Problem("username", f"is not AWS. {preset.username_hint}", True))
    if preset is not None and preset.id in ACCOUNT_NAME_ONLY and "@" in username:
        problems.append(
            Problem("username", f"looks like an email address. {preset.username_hint}", True)
        )
    return problems + _edge_space_warning("username", username)


def validate_password(password: Secret, preset: RegistryPreset | None = None) -> list[Problem]:
    text = password.reveal()
    if not text:
        hint = f". {preset.password_hint}" if preset is not None else ""
        return [Problem("password", f"enter the password or access token{hint}")]
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


def validate_field(
    draft: SecretDraft, field: str, preset: RegistryPreset | None = None
) -> list[Problem]:
    """Live validation of one field of the form.

    ``preset`` is the registry chosen; without it, the one the host fits, if a host is typed.
    """
    if field == "name":
        return validate_name(draft.name)
    if preset is None and draft.registry:
        preset = preset_for_host(draft.registry)
    if field == "registry":
        return validate_registry(draft.registry, preset)
    if field == "username":
        return validate_username(draft.username, preset)
    if field == "password":
        return validate_password(draft.password, preset)
    if field == "email":
        return validate_email(draft.email)
    raise ValueError(f"unknown field {field!r}; expected one of {', '.join(FIELDS)}")


def validate_draft(draft: SecretDraft, preset: RegistryPreset | None = None) -> list[Problem]:
    """Every error and warning of every field, in form order."""
    return [problem for name in FIELDS for problem in validate_field(draft, name, preset)]


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
    # Backslash and quote alone on their lines (order matters there); the rest as many to a
    # line as LINE_WIDTH holds, so that every line fits 80 columns.
    lines = ["  " + steps[0], "  " + steps[1]]
    line = ""
    for step in steps[2:]:
        if line and len(line) + 2 + len(step) > LINE_WIDTH:
            lines.append(line)
            line = ""
        line = f"{line}; {step}" if line else f"  {step}"
    return [*lines, line]


#: The width the command's lines keep to where they can: an 80-column terminal, less its frame.
LINE_WIDTH = 72


def shell_lines(head: str, words: list[str], tail: str, indent: str = "    ") -> list[str]:
    """``head`` and ``words`` packed on lines of LINE_WIDTH joined by backslash-newline, then
    ``tail``: one shell command, continued between its words (never inside one)."""
    lines: list[str] = []
    line = head
    for word in words:
        if len(line) + 1 + len(word) + 2 > LINE_WIDTH:
            lines.append(f"{line} \\")
            line = indent + word
        else:
            line = f"{line} {word}"
    return [*lines, f"{line}{tail}"]


def _printf_lines(parts: list[str]) -> list[str]:
    """``printf '%s' ARGS... |``, the body's text cut into arguments on lines of LINE_WIDTH.

    printf '%s' prints its arguments one after another, so the text can be cut anywhere into
    single-quoted pieces; the two variables (written ``"${x}"``) go in as they are.
    """
    room = LINE_WIDTH - 8  # the indent and the quotes
    words: list[str] = []
    for part in parts:
        if part.startswith('"$'):
            words.append(part)
            continue
        words += [_shell_single(part[i : i + room]) for i in range(0, len(part), room)]
    return shell_lines("  printf '%s'", words, " |")


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
        *_printf_lines([before, '"${p}"', middle, '"${a}"', after]),
        *curl_lines(draft.name, api_url, patch=patch),
        ")",
    ]
    return "\n".join(lines) + "\n"


def curl_lines(name: str, api_url: str, *, patch: bool, indent: str = "    ") -> list[str]:
    """curl reading the body on stdin, the AI Core token from ``$AICORE_TOKEN``.

    The header comes through a process substitution whose printf is a shell builtin, so the
    token is in no process's arguments; the body comes on stdin.
    """
    url = api_url.rstrip("/") + "/v2/admin/dockerRegistrySecrets"
    if patch:
        from urllib.parse import quote

        url += "/" + quote(name, safe="")
    method = "PATCH" if patch else "POST"
    # PATCH in the spec's content type, as the client sends it (docs/aicore-api.md,
    # "Request bodies").
    content_type = "application/merge-patch+json" if patch else "application/json"
    more = indent + "  "
    return [
        f"{indent}curl -sS -X {method} \\",
        f"{more}{_shell_single(url)} \\",
        f"{more}-H @<(printf 'Authorization: Bearer %s\\n' \"${{AICORE_TOKEN}}\") \\",
        f"{more}-H 'Content-Type: {content_type}' \\",
        f"{more}--data-binary @- -w '\\nHTTP %{{http_code}}\\n'",
    ]


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
