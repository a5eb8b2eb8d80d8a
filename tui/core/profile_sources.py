"""Profiles we find but never write: service keys, SAP SDK files, the environment, VCAP_SERVICES.

Conventions of SAP's own SDK (docs/aicore-api.md, "SDK files"):
``${AICORE_HOME:-~/.aicore}/config.json`` is the profile ``default``, ``config_<name>.json`` is
``<name>``, ``AICORE_PROFILE`` picks the default, ``AICORE_CONFIG`` points at one file. SDK files
keep ``/oauth/token`` and ``/v2`` on their URLs, service keys do not: both are normalised on read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tui.core.errors import ForeignDataError, ProfileError
from tui.core.profile_model import (
    LoadResult,
    Profile,
    Source,
    SourceProblem,
    check_profile_name,
    fix_pem,
    normalise_api_url,
    normalise_token_url,
)
from tui.core.safe_load import load_json, read_small_file
from tui.core.secret import Secret

ENV_PROFILE = "env"
ENV_SERVICE_KEY_PROFILE = "env-service-key"
_IDENTITY_VARS = (
    "AICORE_CLIENT_ID",
    "AICORE_CLIENT_SECRET",
    "AICORE_AUTH_URL",
    "AICORE_BASE_URL",
    "AICORE_CERT_FILE_PATH",
    "AICORE_KEY_FILE_PATH",
)
_DOWNLOAD_AGAIN = "Download the service key again from the SAP BTP cockpit."


class _Problem(Exception):
    """One source cannot be used; becomes a SourceProblem, never leaves this module."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _text_field(data: Mapping[str, Any], key: str, where: str, hint: str) -> str:
    value = data.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    if value is None or value == "":
        raise ProfileError(f"{where}: field '{key}' is missing. {hint}")
    raise ProfileError(f"{where}: field '{key}' should be text. {hint}")


def _pem(data: Mapping[str, Any], key: str, where: str, kind: str) -> str:
    text = fix_pem(_text_field(data, key, where, _DOWNLOAD_AGAIN))
    if not text.startswith("-----BEGIN"):
        raise ProfileError(f"{where}: field '{key}' does not hold a PEM {kind}. {_DOWNLOAD_AGAIN}")
    return text


def profile_from_service_key(
    data: object, *, name: str, origin: str = "", source: Source = Source.OURS
) -> tuple[Profile, Secret]:
    """A profile and its secret from a decoded service key (bare, or wrapped in ``credentials``)."""
    where = origin or "The service key"
    if not isinstance(data, dict):
        raise ProfileError(f"{where} is not a service key: it should be a JSON object.")
    inner = data.get("credentials")
    if "clientid" not in data and isinstance(inner, dict):
        data = inner
    client_id = _text_field(data, "clientid", where, _DOWNLOAD_AGAIN)
    urls = data.get("serviceurls")
    api = urls.get("AI_API_URL") if isinstance(urls, dict) else None
    if not isinstance(api, str) or not api.strip():
        raise ProfileError(f"{where}: field 'serviceurls.AI_API_URL' is missing. {_DOWNLOAD_AGAIN}")
    try:
        api_url = normalise_api_url(api)
        kind = str(data.get("credential-type") or "").lower()
        secret_text = data.get("clientsecret")
        if isinstance(secret_text, str) and secret_text and kind != "x509":
            token_url = normalise_token_url(_text_field(data, "url", where, _DOWNLOAD_AGAIN))
            profile = Profile(name, api_url, token_url, client_id, "secret", None, source, origin)
            return profile, Secret(secret_text)
        if kind == "x509" or "certificate" in data or "key" in data:
            certificate = _pem(data, "certificate", where, "certificate")
            key = _pem(data, "key", where, "private key")
            token_url = normalise_token_url(_text_field(data, "certurl", where, _DOWNLOAD_AGAIN))
            profile = Profile(
                name, api_url, token_url, client_id, "x509", None, source, origin, certificate
            )
            return profile, Secret(key)
    except ProfileError as exc:
        if exc.explanation.startswith(where):
            raise
        raise ProfileError(f"{where}: {exc.explanation}") from None
    raise ProfileError(
        f"{where}: field 'clientsecret' is missing (an X.509 key has 'certificate' and 'key' "
        f"instead). {_DOWNLOAD_AGAIN}"
    )


def parse_service_key(text: str, *, name: str, origin: str = "") -> tuple[Profile, Secret]:
    """Parse the JSON text of a service key; ProfileError names the missing or wrong field."""
    check_profile_name(name)
    try:
        # The sentence names only the position, never the text (which holds the secret).
        data = load_json(text, origin or "The service key")
    except ForeignDataError as exc:
        raise ProfileError(f"{exc.explanation} {_DOWNLOAD_AGAIN}") from None
    return profile_from_service_key(data, name=name, origin=origin)


def _line_of(text: str, key: str) -> int | None:
    needle = f'"{key}"'
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def _read_pem_file(value: str, var: str, base: Path) -> str:
    path = Path(os.path.expanduser(value))
    if not path.is_absolute():
        path = base / path
    try:
        text = read_small_file(path)
    except ForeignDataError as exc:
        raise _Problem(f"{var}: {exc.explanation}") from None
    return fix_pem(text)


def _profile_from_vars(
    values: Mapping[str, Any], *, name: str, source: Source, origin: str, base: Path
) -> Profile:
    """A profile from ``AICORE_*`` values (an SDK file or the environment)."""

    def text(var: str) -> str | None:
        value = values.get(var)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise _Problem(f"{origin}: {var} should be text.")
        return value.strip()

    service_key = values.get("AICORE_SERVICE_KEY")
    if service_key and not any(text(var) for var in _IDENTITY_VARS):
        return _service_key_value(service_key, name=name, source=source, origin=origin)
    missing = [v for v in ("AICORE_CLIENT_ID", "AICORE_AUTH_URL", "AICORE_BASE_URL") if not text(v)]
    secret, cert_path, key_path = (
        text("AICORE_CLIENT_SECRET"),
        text("AICORE_CERT_FILE_PATH"),
        text("AICORE_KEY_FILE_PATH"),
    )
    if not secret and not (cert_path and key_path):
        if cert_path or key_path:
            missing.append("AICORE_KEY_FILE_PATH" if cert_path else "AICORE_CERT_FILE_PATH")
        else:
            missing.append("AICORE_CLIENT_SECRET")
    if missing:
        fields = " and ".join(
            [", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing
        )
        raise _Problem(f"{origin}: {fields} {'is' if len(missing) == 1 else 'are'} missing.")
    try:
        api_url = normalise_api_url(text("AICORE_BASE_URL") or "")
        token_url = normalise_token_url(text("AICORE_AUTH_URL") or "")
    except ProfileError as exc:
        raise _Problem(f"{origin}: {exc.explanation}") from None
    client_id = text("AICORE_CLIENT_ID") or ""
    group = text("AICORE_RESOURCE_GROUP")
    if secret:
        return Profile(
            name,
            api_url,
            token_url,
            client_id,
            "secret",
            group,
            source,
            origin,
            inline_secret=Secret(secret),
        )
    certificate = _read_pem_file(cert_path or "", "AICORE_CERT_FILE_PATH", base)
    key = _read_pem_file(key_path or "", "AICORE_KEY_FILE_PATH", base)
    return Profile(
        name,
        api_url,
        token_url,
        client_id,
        "x509",
        group,
        source,
        origin,
        certificate,
        inline_secret=Secret(key),
    )


def _service_key_value(value: object, *, name: str, source: Source, origin: str) -> Profile:
    try:
        data = (
            load_json(value, f"{origin}: AICORE_SERVICE_KEY") if isinstance(value, str) else value
        )
    except ForeignDataError as exc:
        raise _Problem(
            f"{exc.explanation} Paste the whole service key from the SAP BTP cockpit."
        ) from None
    try:
        profile, secret = profile_from_service_key(data, name=name, origin=origin, source=source)
    except ProfileError as exc:
        raise _Problem(exc.explanation) from None
    return _with_inline(profile, secret)


def _with_inline(profile: Profile, secret: Secret) -> Profile:
    return profile.replace(inline_secret=secret)


def _sdk_file(path: Path, name: str) -> Profile:
    try:
        # The name comes from the file's name: the same rule as a name we write ourselves.
        check_profile_name(name)
    except ProfileError as exc:
        raise _Problem(f"{path}: {exc.explanation} Rename the file.") from None
    try:
        text = read_small_file(path)
        data = load_json(text, str(path))
    except ForeignDataError as exc:
        raise _Problem(
            f"{exc.explanation} Fix the file or run 'aicore configure' again.", exc.line
        ) from None
    if not isinstance(data, dict):
        raise _Problem(f"{path}: expected a JSON object of AICORE_* settings.", 1)
    try:
        return _profile_from_vars(
            data, name=name, source=Source.SDK, origin=str(path), base=path.parent
        )
    except _Problem as problem:
        field = next((v for v in data if v in problem.message), None)
        raise _Problem(
            f"{problem.message} Fix the file or run 'aicore configure' again.",
            _line_of(text, field) if field else None,
        ) from None


def _sdk_profiles(env: Mapping[str, str], home: Path, result: LoadResult) -> None:
    aicore_home = Path(os.path.expanduser(env.get("AICORE_HOME") or str(home / ".aicore")))
    files: dict[str, Path] = {}
    if aicore_home.is_dir():
        for path in sorted(aicore_home.glob("config*.json")):
            if path.name == "config.json":
                files["default"] = path
            elif path.name.startswith("config_") and len(path.name) > len("config_.json"):
                files[path.name[len("config_") : -len(".json")]] = path
    chosen = env.get("AICORE_PROFILE") or None
    if env.get("AICORE_CONFIG"):
        # The SDK reads this file instead of the profile's own one.
        files[chosen or "default"] = Path(os.path.expanduser(env["AICORE_CONFIG"]))
    for name, path in files.items():
        try:
            result.profiles.append(_sdk_file(path, name))
        except (_Problem, ProfileError) as exc:
            line = exc.line if isinstance(exc, _Problem) else None
            message = exc.message if isinstance(exc, _Problem) else f"AI Core SDK: {exc}"
            result.problems.append(SourceProblem(Source.SDK, str(path), line, message))
    if chosen and chosen not in files:
        result.problems.append(
            SourceProblem(
                Source.SDK,
                str(aicore_home / f"config_{chosen}.json"),
                None,
                f"AICORE_PROFILE is '{chosen}' but {aicore_home / f'config_{chosen}.json'} does "
                "not exist. Run 'aicore configure' for that profile or unset AICORE_PROFILE.",
            )
        )
    elif chosen or "default" in files:
        result.default_name = chosen or "default"


def _env_profiles(env: Mapping[str, str], result: LoadResult) -> None:
    if any(env.get(var) for var in _IDENTITY_VARS):
        try:
            result.profiles.append(
                _profile_from_vars(
                    env,
                    name=ENV_PROFILE,
                    source=Source.ENV,
                    origin="AICORE_* variables",
                    base=Path.cwd(),
                )
            )
        except _Problem as problem:
            result.problems.append(
                SourceProblem(
                    Source.ENV,
                    "environment",
                    None,
                    f"{problem.message} Set the missing ones, or unset the AICORE_* variables.",
                )
            )
    if env.get("AICORE_SERVICE_KEY"):
        try:
            result.profiles.append(
                _service_key_value(
                    env["AICORE_SERVICE_KEY"],
                    name=ENV_SERVICE_KEY_PROFILE,
                    source=Source.ENV,
                    origin="AICORE_SERVICE_KEY",
                )
            )
        except _Problem as problem:
            result.problems.append(
                SourceProblem(Source.ENV, "AICORE_SERVICE_KEY", None, problem.message)
            )


def _vcap_profiles(env: Mapping[str, str], result: LoadResult) -> None:
    raw = env.get("VCAP_SERVICES")
    if not raw:
        return
    try:
        services = load_json(raw, "VCAP_SERVICES")
    except ForeignDataError as exc:
        result.problems.append(SourceProblem(Source.VCAP, "VCAP_SERVICES", None, exc.explanation))
        return
    if not isinstance(services, dict):
        return
    bindings = [
        entry
        for entries in services.values()
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict) and entry.get("label") == "aicore"
    ]
    for index, binding in enumerate(bindings):
        name = binding.get("name") if isinstance(binding.get("name"), str) else None
        name = name or f"aicore-{index + 1}"
        origin = f"VCAP_SERVICES binding '{name}'"
        try:
            try:
                check_profile_name(name)
            except ProfileError as exc:
                raise ProfileError(f"{origin}: {exc.explanation}") from None
            profile, secret = profile_from_service_key(
                binding.get("credentials"), name=name, origin=origin, source=Source.VCAP
            )
            result.profiles.append(_with_inline(profile, secret))
        except ProfileError as exc:
            result.problems.append(SourceProblem(Source.VCAP, "VCAP_SERVICES", None, str(exc)))


def discover_profiles(env: Mapping[str, str] | None = None, home: Path | None = None) -> LoadResult:
    """Read-only profiles from SAP SDK files, the environment and VCAP_SERVICES, in that order."""
    env = os.environ if env is None else env
    if home is None:
        home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    result = LoadResult([], [])
    _sdk_profiles(env, home, result)
    _env_profiles(env, result)
    _vcap_profiles(env, result)
    return result
