"""The one table of registries: what goes in each field for each, as docs/aicore-api.md has them.

The credentials form takes its list, placeholders and hints from here, the command line its help
and its messages, and README's table is checked against it. Its own module, importing nothing
heavy, so that `regsecret body` and `regsecret --help` can read it quickly.
"""

from __future__ import annotations

from tui.core.record import Record


class RegistryPreset(Record):
    """One registry's conventions.

    ``*_example`` fit in an empty field as its placeholder (the username's through
    :attr:`username_placeholder`) and in the command line's table; ``*_hint`` are whole
    sentences, shown under a field and ending the sentence that asks for a missing value.
    """

    _fields = (
        "id",
        "label",
        "host",
        "host_example",
        "host_hint",
        "username_example",
        "username_hint",
        "password_example",
        "password_hint",
    )
    __slots__ = _fields
    id: str
    label: str
    host: str
    host_example: str
    host_hint: str
    username_example: str
    username_hint: str
    password_example: str
    password_hint: str

    @property
    def username_placeholder(self) -> str:
        """What the empty username field shows: a hint, never what reads as a value typed in.

        A bare "AWS" or "_json_key" in the field looked as if someone had typed it already (and
        a person might leave it, believing it would be sent; a placeholder never is).
        """
        example = self.username_example
        if self.id in FIXED_USERNAME:
            return f"type {example} (always, for {self.label})"
        return example if " " in example else f"e.g. {example}"

    def __init__(
        self,
        id: str,
        label: str,
        host: str,
        host_example: str,
        host_hint: str,
        username_example: str,
        username_hint: str,
        password_example: str,
        password_hint: str,
    ) -> None:
        self._init(
            id,
            label,
            host,
            host_example,
            host_hint,
            username_example,
            username_hint,
            password_example,
            password_hint,
        )


#: Registries whose username is an account name that cannot hold an '@': an email address
#: there is the usual mistake (Docker Hub's sign-in page takes either; its registry does not).
ACCOUNT_NAME_ONLY = frozenset({"dockerhub", "ghcr"})
#: Registries whose username is always the same word (its ``username_example``).
FIXED_USERNAME = frozenset({"ecr"})

PRESETS: tuple[RegistryPreset, ...] = (
    RegistryPreset(
        "dockerhub",
        "Docker Hub",
        "docker.io",
        "docker.io",
        "Docker Hub is docker.io; it is registered as https://index.docker.io, the key AI Core "
        "expects.",
        "account name",
        "Your Docker Hub account name, not your email address.",
        "access token",
        "A Docker Hub personal access token; read-only is enough.",
    ),
    RegistryPreset(
        "ghcr",
        "GitHub Container Registry",
        "ghcr.io",
        "ghcr.io",
        "GitHub's registry is ghcr.io, for every user and organisation.",
        "GitHub user",
        "Your GitHub user name.",
        "personal access token",
        "A GitHub personal access token with the read:packages scope.",
    ),
    RegistryPreset(
        "gitlab",
        "GitLab Container Registry",
        "registry.gitlab.com",
        "registry.gitlab.com",
        "GitLab.com's registry is registry.gitlab.com; a GitLab of your own has its own host.",
        "gitlab+deploy-token-N",
        "Your GitLab user name, or a deploy token's user, gitlab+deploy-token-N.",
        "token with read_registry",
        "A personal, project or deploy token with the read_registry scope.",
    ),
    RegistryPreset(
        "ecr",
        "Amazon ECR",
        "",
        "123456789012.dkr.ecr.eu-central-1.amazonaws.com",
        "Amazon ECR's host holds your account id and region: "
        "<account>.dkr.ecr.<region>.amazonaws.com.",
        "AWS",
        "Amazon ECR's username is always AWS, in capitals.",
        "aws ecr get-login-password",
        "The output of aws ecr get-login-password --region <region>; it expires after 12 hours.",
    ),
    RegistryPreset(
        "gar",
        "Google Artifact Registry",
        "",
        "europe-west3-docker.pkg.dev",
        "Google Artifact Registry's host names its region: <region>-docker.pkg.dev; "
        "gcr.io hosts work too.",
        "_json_key",
        "_json_key for a service-account key, _json_key_base64 for its base64 form, "
        "oauth2accesstoken for an access token.",
        "service-account key JSON",
        "The whole service-account key JSON; its base64 form with _json_key_base64, "
        "an access token with oauth2accesstoken.",
    ),
    RegistryPreset(
        "acr",
        "Azure Container Registry",
        "",
        "myregistry.azurecr.io",
        "Azure Container Registry's host is your registry's name: <name>.azurecr.io.",
        "service principal's client id",
        "The service principal's application id, also called its client id.",
        "service principal's password",
        "The service principal's password, also called its client secret.",
    ),
    RegistryPreset(
        "quay",
        "Quay.io",
        "quay.io",
        "quay.io",
        "Quay's host is quay.io; a Quay of your own has its own host.",
        "namespace+robot",
        "A robot account, written namespace+robotname.",
        "robot token",
        "The robot account's token.",
    ),
    RegistryPreset(
        "harbor",
        "Harbor",
        "",
        "harbor.example.com",
        "Harbor runs on your own host, e.g. harbor.example.com.",
        "robot$project+name",
        "A robot account, written robot$project+name.",
        "robot token",
        "The robot account's secret.",
    ),
    RegistryPreset(
        "custom",
        "Other registry",
        "",
        "registry.example.com:5000",
        # After "Enter the host." (request.py): what to add, not the same request again.
        "Add :port when it is not 443, e.g. registry.example.com:5000.",
        # Each hint ends "Enter the user name." (request.py): what to know, not the request again.
        "registry user name",
        "The name you give docker login for this registry.",
        "password or access token",
        "An access token is safer where the registry offers one: it can be revoked alone.",
    ),
)

PRESETS_BY_ID = {preset.id: preset for preset in PRESETS}


def demo_registry_preset(host: str) -> RegistryPreset:
    """The demo tenant's own registry (the emulator's), so a first try passes the login check."""
    return RegistryPreset(
        id="demo",
        label=f"Demo registry, {host}",
        host=host,
        host_example=host,
        host_hint=f"The demo registry runs on this machine, at {host}.",
        # "e.g.": the very value, as a placeholder, read as typed in already.
        username_example="e.g. demo",
        username_hint="The demo registry's user is demo.",
        password_example="e.g. demo-registry-token",
        password_hint="The demo registry's password is demo-registry-token.",
    )


def help_table() -> str:
    """The table for the command line's help: each registry's username and password."""
    rows = [("registry", "username", "password")]
    rows += [(p.label, _short(p.username_example), _short(p.password_example)) for p in PRESETS]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return "\n".join(
        f"  {row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2]}" for row in rows
    )


def _short(example: str) -> str:
    # The form's placeholders say whose id and secret; in a table the column says it.
    return example.removeprefix("service principal's ")


def markdown_table() -> str:
    """README's table, generated: a test keeps README equal to it."""
    lines = ["| registry | host | username | password |", "|---|---|---|---|"]
    lines += [
        f"| {p.label} | `{p.host or p.host_example}` | {p.username_hint} | {p.password_hint} |"
        for p in PRESETS
    ]
    return "\n".join(lines)
