"""The ``.dockerconfigjson`` text: registry keys, the preset a host fits, the JSON kubectl writes.

The text must equal, byte for byte, what ``kubectl create secret docker-registry`` produces for the
same inputs, because that is what every Kubernetes tool and every tutorial expects. kubectl uses
Go's ``json.Marshal``, which keeps non-ASCII as UTF-8 but escapes ``<``, ``>``, ``&``, U+2028 and
U+2029; :func:`go_json_string` reproduces exactly that.
"""

from __future__ import annotations

import binascii
import json
import re

from tui.core.registries import PRESETS, PRESETS_BY_ID, RegistryPreset, demo_registry_preset
from tui.core.secret import Secret, reveal

DOCKER_HUB_KEY = "https://index.docker.io"

# Hosts that all mean Docker Hub; only a Docker Hub API path may follow them.
_DOCKER_HUB_HOSTS = frozenset(
    {
        "docker.io",
        "index.docker.io",
        "registry-1.docker.io",
        "hub.docker.com",
        "registry.hub.docker.com",
    }
)
_DOCKER_HUB_PATHS = frozenset({"", "/v1", "/v2"})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
# Docker's reference grammar: a DNS name or a bracketed IPv6 address, an optional port, then
# lowercase path components. Nothing else can name a registry an image reference can use.
HOST_PORT = re.compile(
    r"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)(?::[0-9]{1,5})?$"
)
PATH_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")

# Go's encoder escapes these even with ensure_ascii off: HTML-sensitive characters and the two
# line separators that break JavaScript. Python's json leaves them alone.
_GO_EXTRA_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def _split(registry: str) -> tuple[str, str]:
    """Host (with port) and path of what the user typed, without scheme and trailing slashes."""
    text = _SCHEME.sub("", registry.strip()).rstrip("/")
    host, slash, path = text.partition("/")
    return host, slash + path


def registry_host(registry: str) -> str:
    """The host (and port) part of what the user typed; ``""`` when there is none."""
    return _split(registry)[0]


def _describe(char: str) -> str:
    # Named, never shown: the glyph itself is the look-alike (or invisible, or reorders the line).
    # Imported here: `regsecret body` must stay light, and only a refused address needs names.
    import unicodedata

    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def registry_problem(registry: str) -> str | None:
    """Why ``registry`` cannot be a registry address, as the end of "The registry ..."; ``None``
    when it can. The one rule the form, every command and the login check apply.

    A user name or token before ``@`` would go into the ``auths`` key, the preview and the curl
    command, so the sentence never repeats the input. Non-ASCII characters are refused because a
    registry host is ASCII in Docker's grammar, and a look-alike letter, a zero-width space or a
    bidi control would make the host on screen differ from the host the secret is for.
    """
    if "@" in registry:
        return (
            "must not hold a user name or token (the part before '@'): "
            "type only the host, e.g. ghcr.io, and put the user and token in their own fields"
        )
    odd = list(dict.fromkeys(c for c in registry if not c.isascii() or not c.isprintable()))
    if odd:
        shown = ", ".join(_describe(c) for c in odd[:3]) + (", ..." if len(odd) > 3 else "")
        return (
            f"must be plain ASCII, but holds {shown}, which may look like another character "
            "or not show at all: type the host again by hand (an international name in its "
            "xn-- form)"
        )
    scheme = _SCHEME.match(registry.strip())
    if scheme and scheme.group().lower() not in ("http://", "https://"):
        return "must start with https:// or nothing at all, e.g. ghcr.io"
    host, path = _split(registry)
    if not host:
        return "needs a host name after the scheme, e.g. ghcr.io"
    if not HOST_PORT.match(host):
        return (
            "must be a host name with an optional port, e.g. ghcr.io or registry.example.com:5000"
        )
    parts = path.strip("/").split("/") if path.strip("/") else []
    if not all(PATH_COMPONENT.match(part) for part in parts):
        return (
            "may only hold a lowercase repository path after the host, "
            "e.g. registry.example.com/team"
        )
    return None


def registry_key(registry: str) -> str:
    """The key under ``auths``: Docker Hub in SAP's documented form, anything else as typed.

    Other registries lose the scheme and trailing slashes and keep host, port and path, because
    that is what the kubelet matches image references against.
    """
    if is_docker_hub(registry):
        return DOCKER_HUB_KEY
    host, path = _split(registry)
    return host + path


def registry_hint(registry: str) -> str:
    """What the form says under a valid registry address about where its login will be used.

    Docker Hub is registered under SAP's key, not as typed. A path after the host stays in the
    key, and the kubelet matches it against each image's name: only images under it get this
    login, which a person who pasted ``ghcr.io/org/app`` from an image reference did not mean.
    """
    if registry_problem(registry) is not None:
        return ""
    if is_docker_hub(registry):
        return f"Registered as {DOCKER_HUB_KEY}"
    host, path = _split(registry)
    if path.strip("/"):
        return (
            f"Used only for images under {host}{path}/…: Kubernetes matches the path too. "
            f"Type {host} alone for every image of this registry."
        )
    return ""


def is_docker_hub(registry: str) -> bool:
    host, path = _split(registry)
    if not host and not path:
        return True
    return host.lower() in _DOCKER_HUB_HOSTS and path.lower() in _DOCKER_HUB_PATHS


def preset_for_host(registry: str) -> RegistryPreset:
    """The preset whose conventions fit a registry host; ``custom`` when none does."""
    if is_docker_hub(registry):
        return PRESETS_BY_ID["dockerhub"]
    host = _split(registry)[0].lower().partition(":")[0]
    if host == "ghcr.io":
        return PRESETS_BY_ID["ghcr"]
    if host == "registry.gitlab.com" or host.startswith("registry.gitlab."):
        return PRESETS_BY_ID["gitlab"]
    if re.fullmatch(r"\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?", host):
        return PRESETS_BY_ID["ecr"]
    if host.endswith("-docker.pkg.dev") or host == "gcr.io" or host.endswith(".gcr.io"):
        return PRESETS_BY_ID["gar"]
    if host.endswith(".azurecr.io"):
        return PRESETS_BY_ID["acr"]
    if host == "quay.io":
        return PRESETS_BY_ID["quay"]
    if "harbor" in host:
        return PRESETS_BY_ID["harbor"]
    return PRESETS_BY_ID["custom"]


def offered_presets(demo_host: str | None) -> tuple[RegistryPreset, ...]:
    """The registries a form offers to choose from, in order: the demo tenant's own registry
    first when there is one (so a first try passes the login check), then the one table."""
    return PRESETS if not demo_host else (demo_registry_preset(demo_host), *PRESETS)


def fitting_preset(registry: str, offered: tuple[RegistryPreset, ...]) -> RegistryPreset:
    """The offered preset whose conventions fit the host typed: one offered for exactly that
    host (the demo's), else the table's (:func:`preset_for_host`)."""
    host = registry.strip().rstrip("/").removeprefix("http://")
    for preset in offered:
        if preset.id == "demo" and host and host == preset.host:
            return preset
    return preset_for_host(registry)


def chosen_preset(
    registry: str, chosen: str | None, offered: tuple[RegistryPreset, ...]
) -> RegistryPreset | None:
    """Whose conventions apply (hints, placeholders, the username rules): the registry the
    host fits once one is typed, else the one chosen from the list (None: neither yet).

    "Other registry" chosen is the person's word: the list follows every host typed, so it
    stands on a host that fits a known registry only when chosen after that host was typed.
    """
    if registry.strip() and chosen != "custom":
        return fitting_preset(registry, offered)
    return next((preset for preset in offered if preset.id == chosen), None)


def go_json_string(value: str) -> str:
    """``value`` as a JSON string literal, exactly as Go's ``json.Marshal`` writes it."""
    return json.dumps(value, ensure_ascii=False).translate(_GO_EXTRA_ESCAPES)


def auth_value(username: str, password: str | Secret) -> Secret:
    """base64 of ``username:password`` in UTF-8, padded: the ``auth`` field."""
    raw = f"{username}:{reveal(password)}".encode()
    # binascii, not base64: the same bytes, without base64's import of struct.
    return Secret(binascii.b2a_base64(raw, newline=False).decode("ascii"))


def render_dockerconfigjson(
    registry: str, username: str, password: str, email: str, auth: str
) -> str:
    """The docker config text with ``auth`` given: lets masked views and the curl template share
    the one layout that matters."""
    # kubectl leaves out every empty field (Go's omitempty); auth is never empty.
    fields = [("username", username), ("password", password), ("email", email), ("auth", auth)]
    entry = ",".join(f"{go_json_string(k)}:{go_json_string(v)}" for k, v in fields if v)
    return f'{{"auths":{{{go_json_string(registry_key(registry))}:{{{entry}}}}}}}'


def build_dockerconfigjson(
    registry: str, username: str, password: str | Secret, email: str = ""
) -> Secret:
    """The docker config JSON text, as kubectl writes it (field order, compact, email if given)."""
    auth = auth_value(username, password).reveal()
    return Secret(render_dockerconfigjson(registry, username, reveal(password), email, auth))
