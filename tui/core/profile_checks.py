"""Every problem of the profile form at once, field by field, while the person types.

The same rules the save applies (the profile name, the URL parser, the PEM shape); only reading a
PEM file named by a path is left to the save, so that no key press waits on a disk.
"""

from __future__ import annotations

from collections.abc import Mapping

from tui.core.errors import ProfileError
from tui.core.foreign_text import first_unsafe
from tui.core.pem_input import pem_shape_problem
from tui.core.profile_model import check_profile_name, normalise_api_url, normalise_token_url

#: The form's fields, in form order; ``auth`` is a choice, not text, and has no problem of its own.
PROFILE_FIELDS = (
    "pname",
    "api_url",
    "token_url",
    "client_id",
    "client_secret",
    "certificate",
    "private_key",
    "resource_group",
)
_SECRET_FIELDS = ("client_secret",)
_X509_FIELDS = ("certificate", "private_key")


def fields_in_use(*, x509: bool) -> tuple[str, ...]:
    """The fields the chosen kind of key uses: a client secret, or a certificate and its key."""
    unused = _SECRET_FIELDS if x509 else _X509_FIELDS
    return tuple(field for field in PROFILE_FIELDS if field not in unused)


def _unsafe(text: str, what: str) -> str | None:
    if first_unsafe(text) is None:
        return None
    return (
        f"The {what} contains control characters or invisible ones. Copy it again from the "
        "service key."
    )


def check_profile_field(
    field: str, values: Mapping[str, str], *, x509: bool, editing: bool
) -> str | None:
    """The problem of one field as a sentence, or ``None``; ``values`` are the fields' texts,
    stripped as the save strips them. ``editing``: an empty secret keeps the stored one."""
    value = values.get(field, "").strip()
    try:
        if field == "pname":
            check_profile_name(value)
        elif field == "api_url":
            normalise_api_url(value)
        elif field == "token_url":
            normalise_token_url(value)
    except ProfileError as exc:
        return exc.explanation
    if field == "client_id":
        if not value:
            return "The client id is empty. Copy clientid from the service key."
        return _unsafe(value, "client id")
    if field == "client_secret" and not x509 and not value and not editing:
        return "The client secret is empty. Copy clientsecret from the service key."
    if field == "certificate" and x509:
        if not value:
            return "An X.509 profile needs the certificate: paste its PEM text or give its file."
        return pem_shape_problem(value, "certificate")
    if field == "private_key" and x509:
        if not value:
            return None if editing else "The private key is empty. Copy key from the service key."
        return pem_shape_problem(value, "private key")
    if field == "resource_group" and value:
        return _unsafe(value, "resource group")
    return None


def check_profile_form(values: Mapping[str, str], *, x509: bool, editing: bool) -> dict[str, str]:
    """Every field in use that has a problem, in form order, with its sentence."""
    problems = {}
    for field in fields_in_use(x509=x509):
        problem = check_profile_field(field, values, x509=x509, editing=editing)
        if problem is not None:
            problems[field] = problem
    return problems
