"""Whom regsecret trusts over TLS: the operating system's trust store, plus SSL_CERT_FILE and
SSL_CERT_DIR.

Every verifying TLS context is built here, for the AI Core client, its token request with a client
certificate, and the registry check alike.

- The OS trust store, through ``truststore`` (as pip does): a CA added with
  ``update-ca-certificates`` on Debian and Ubuntu, to the macOS keychain or to the Windows
  certificate store is trusted, so a company's CA works without any setting. certifi's bundle is
  not used: it knows nothing of a company's CA.
- ``SSL_CERT_FILE`` (a PEM file) and ``SSL_CERT_DIR`` (directories of hashed certificates, separated
  like PATH) are *added* to the OS store, never a replacement: whoever sets them for a company CA
  still needs the public CAs of ghcr.io or Docker Hub. On Linux OpenSSL would read SSL_CERT_FILE
  *instead of* the system bundle, so the system bundle is loaded explicitly there.
- A setting that cannot be used (missing, not a regular file, not PEM) is an :class:`InputError`
  with a sentence, never a traceback. :func:`tui.core.net.http_client` says it at the first
  ``https://`` request, so plain http to this machine (the emulator) keeps working.

Building a context reads the CA files (tens of milliseconds), so the context without a client
certificate is built once per value of the two variables and shared: contexts are safe to share.
"""

from __future__ import annotations

import functools
import os
import ssl
import stat
import sys
import tempfile
from pathlib import Path

from tui.core.errors import InputError, ProfileError
from tui.core.secret import Secret

# No CA bundle is this large (Debian's is 220 KB); a larger file is a mistake, or /dev/zero.
MAX_CA_FILE = 16 * 1024 * 1024

# Where Linux distributions keep the system bundle when OpenSSL's compiled-in default is missing
# (a Python built elsewhere); the list truststore itself searches.
_SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # Fedora, RHEL
    "/etc/pki/tls/cert.pem",
    "/etc/ssl/cert.pem",  # Alpine, Arch, BSD
    "/etc/ssl/ca-bundle.pem",  # SUSE
)

TRUST_HINT = (
    "add that CA to this machine's trust store (update-ca-certificates on Debian and Ubuntu, the "
    "keychain on macOS, the certificate store on Windows), or point SSL_CERT_FILE at a PEM file "
    "that holds it"
)


def tls_context() -> ssl.SSLContext:
    """The shared verifying context; :class:`InputError` when SSL_CERT_FILE/SSL_CERT_DIR is
    unusable."""
    return _shared(os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None)


def setting_problem(*urls: str) -> InputError | None:
    """Why SSL_CERT_FILE/SSL_CERT_DIR cannot be used, when one of ``urls`` needs TLS; else None.

    For a command to say it first, once, before anything is sent: a local setting that makes
    every HTTPS request fail is the same mistake (exit 2) whichever request meets it first.
    """
    if not any(url.strip().lower().startswith("https://") for url in urls):
        return None  # plain http to this machine (the emulator) needs no trust setting
    try:
        tls_context()
    except InputError as exc:
        return exc
    return None


@functools.lru_cache(maxsize=4)
def _shared(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return _new_context(cert_file, cert_dir)


def _new_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    # Imported here, not at the top: only a connection over https:// needs it.
    import truststore

    context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if cert_file is not None:
        context.load_verify_locations(cadata=_read_ca_file(cert_file))
        if sys.platform not in ("darwin", "win32"):
            _keep_system_bundle(context, cert_file)
    for directory in (cert_dir or "").split(os.pathsep):
        if directory:
            if not os.path.isdir(directory):
                raise InputError(
                    f"SSL_CERT_DIR names {directory}, which is not a directory; fix it or unset "
                    "SSL_CERT_DIR (the system's trust store is used either way)."
                )
            context.load_verify_locations(capath=directory)
    return context


def _read_ca_file(path: str) -> str:
    """The PEM text of SSL_CERT_FILE, or a sentence saying why it cannot be used."""
    fix = "fix it or unset SSL_CERT_FILE (the system's trust store is used either way)"
    try:
        info = os.stat(path)
    except OSError:
        raise InputError(f"SSL_CERT_FILE names {path}, which does not exist; {fix}.") from None
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or a device would block or never end.
        raise InputError(f"SSL_CERT_FILE names {path}, which is not a regular file; {fix}.")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CA_FILE + 1)
    except OSError as exc:
        reason = exc.strerror or "it cannot be read"
        raise InputError(
            f"SSL_CERT_FILE names {path}, which cannot be read ({reason}); {fix}."
        ) from None
    text = data.decode("ascii", "replace")
    if len(data) > MAX_CA_FILE or "-----BEGIN CERTIFICATE-----" not in text:
        raise InputError(
            f"SSL_CERT_FILE names {path}, which is not a PEM certificate file (it should hold "
            f"“-----BEGIN CERTIFICATE-----” blocks); {fix}."
        )
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cadata=text)
    except ssl.SSLError:
        raise InputError(
            f"SSL_CERT_FILE names {path}, whose certificates do not parse; {fix}."
        ) from None
    return text


def _keep_system_bundle(context: ssl.SSLContext, cert_file: str) -> None:
    """Load the system bundle that OpenSSL skips when SSL_CERT_FILE is set."""
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.openssl_cafile, *_SYSTEM_BUNDLES):
        if candidate and os.path.isfile(candidate):
            if os.path.realpath(candidate) != os.path.realpath(cert_file):
                context.load_verify_locations(cafile=candidate)
            return


# --- a client certificate (X.509 service keys) ------------------------------------------------


def _pem(text: str) -> str:
    # Service keys often carry PEM with literal "\n" sequences for newlines.
    return text.replace("\\n", "\n").strip() + "\n"


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _no_password() -> bytes:
    # Without a callback OpenSSL would prompt on the terminal and hang the app.
    raise ProfileError("The X.509 private key is encrypted; regsecret needs an unencrypted key.")


def client_certificate_context(certificate: str, private_key: Secret) -> ssl.SSLContext:
    """A verifying context (same trust as :func:`tls_context`) that presents a client certificate.

    ssl can only load key material from files, so it is written to a private temporary directory
    (mode 0700, files 0600) and removed as soon as it is loaded. Never shared: it holds the key.
    """
    context = _new_context(
        os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None
    )
    with tempfile.TemporaryDirectory(prefix="regsecret-x509-") as tmp:
        cert_path, key_path = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
        _write_private(cert_path, _pem(certificate))
        _write_private(key_path, _pem(private_key.reveal()))
        try:
            context.load_cert_chain(cert_path, key_path, password=_no_password)
        except (ssl.SSLError, OSError):
            raise ProfileError(
                "The profile's X.509 certificate and private key could not be loaded (they do not "
                "parse or do not belong together); import the service key again."
            ) from None
    return context
