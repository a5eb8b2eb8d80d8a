"""Exit codes of every ``regsecret`` command: one table, so a script can tell failures apart.

The command line's help and README show this table; commands return these names, never bare numbers.
0 and 2 keep the meaning they always had, 3 stays "unreachable". ``regsecret check`` uses every row
from 3 to 7, so a script can tell a wrong password (4) from a typo in a tag (5).
"""

from __future__ import annotations

EXIT_OK = 0
# Something failed that no row below describes (a server error, an unexpected failure).
EXIT_FAILED = 1
# What was typed, piped or configured cannot be used: arguments, stdin, files, this machine's
# SSL_CERT_FILE/SSL_CERT_DIR (in every command, ``check`` too: nothing was reached, so not 7);
# or AI Core answered 400 (it was sent, and refused as malformed: --json says "sent": true).
EXIT_BAD_INPUT = 2
# The server could not be reached or gave no complete answer in time: DNS, refused, timeout.
EXIT_UNREACHABLE = 3
# The server was reached and refused the credentials (username, password or token).
EXIT_REFUSED = 4
# The login works, but the thing named is not there or may not be read (an image or tag).
EXIT_NOT_FOUND = 5
# The server answered, but not as a Docker registry does (a web page, a redirect, no /v2/ API).
EXIT_NOT_A_REGISTRY = 6
# The server was reached, but its TLS certificate is not trusted on this machine (an unusable
# SSL_CERT_FILE is 2: no server was reached).
EXIT_TLS_UNTRUSTED = 7
# The name is taken: ``regsecret register`` without ``--update``.
EXIT_EXISTS = 8
# ``rotate`` and ``apply``: at least one tenant failed (its line says why); the others are done.
EXIT_SOME_FAILED = 9
# Stopped by the person (ctrl+c, or quitting the app with a request in flight): the sentence
# says whether the request had been sent. 128 + SIGINT, as shells report an interrupted command.
EXIT_STOPPED = 130

#: The table as ``regsecret --help`` and README show it: (code, what it means).
TABLE: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "ok: done, and checked (registered, updated, deleted, listed, accepted)"),
    (EXIT_FAILED, "server error, or another failure no row below describes"),
    (
        EXIT_BAD_INPUT,
        "bad input (not sent): options, password, profile, name, SSL_CERT_FILE; 400",
    ),
    (EXIT_UNREACHABLE, "unreachable: DNS, connection refused, timeout, dropped connection"),
    (EXIT_REFUSED, "refused credentials: the registry login, or the profile's client secret"),
    (EXIT_NOT_FOUND, "not found: no secret of that name, or the image/tag cannot be pulled"),
    (EXIT_NOT_A_REGISTRY, "not a registry: the server does not speak the Docker registry API"),
    (EXIT_TLS_UNTRUSTED, "TLS untrusted: the server's certificate is not trusted here"),
    (EXIT_EXISTS, "already exists: a secret has that name (register --update replaces it)"),
    (EXIT_SOME_FAILED, "some tenants failed (rotate, apply): each one's line says which and why"),
    (EXIT_STOPPED, "stopped (ctrl+c): the sentence says whether the request had been sent"),
)


def table_text() -> str:
    """The table for ``--help``: one line per code."""
    return "\n".join(f"  {code}  {meaning}" for code, meaning in TABLE)


def for_error(error: BaseException) -> int:
    """The exit code of a failure from AI Core, the network, a profile or the input."""
    from tui.core import errors

    if isinstance(error, errors.NetworkError):
        # "untrusted": the certificate; any other TLS failure is the connection failing.
        return EXIT_TLS_UNTRUSTED if error.reason == "untrusted" else EXIT_UNREACHABLE
    if isinstance(error, (errors.AuthenticationError, errors.PermissionDenied)):
        return EXIT_REFUSED
    if isinstance(error, errors.NotFound):
        return EXIT_NOT_FOUND
    if isinstance(error, errors.AlreadyExists):
        return EXIT_EXISTS
    if isinstance(
        error,
        (errors.BadRequest, errors.InputError, errors.InsecureUrlError, errors.ProfileError),
    ):
        return EXIT_BAD_INPUT
    return EXIT_FAILED
