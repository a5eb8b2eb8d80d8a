"""The imagePullSecrets snippets: the shapes of docs/aicore-api.md ("Where the name goes"), names
that stay strings."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.snippets import body_curl_command, serving_snippet, workflow_snippet, yaml_scalar


def test_workflow_snippet() -> None:
    assert workflow_snippet("my-registry") == (
        "spec:\n  imagePullSecrets:\n    - name: my-registry\n"
    )


def test_serving_snippet_sits_inside_the_block_string() -> None:
    assert serving_snippet("my-registry") == (
        "spec:\n"
        "  template:\n"
        "    spec: |\n"
        "      predictor:\n"
        "        imagePullSecrets:\n"
        "          - name: my-registry\n"
    )


@pytest.mark.parametrize(
    "name",
    [
        "no",
        "yes",
        "on",
        "off",
        "true",
        "null",
        "123",
        "1.5",
        "1e5",
        "0x1f",
        "0o17",
        "0b101",
        "2024-01-01",
        "1.2.3",
        "12_34",
    ],
)
def test_names_a_yaml_reader_would_not_take_as_strings_are_quoted(name: str) -> None:
    assert yaml_scalar(name) == f'"{name}"'
    assert f'- name: "{name}"' in workflow_snippet(name)
    assert f'- name: "{name}"' in serving_snippet(name)


@pytest.mark.parametrize(
    "name", ["my-registry", "ghcr", "a1", "docker.hub", "my_reg", "face", "1a"]
)
def test_ordinary_names_are_plain(name: str) -> None:
    assert yaml_scalar(name) == name


@given(st.text(max_size=30))
def test_any_name_becomes_a_plain_or_json_quoted_scalar(name: str) -> None:
    scalar = yaml_scalar(name)
    if scalar.startswith('"'):
        assert json.loads(scalar) == name
    else:
        assert scalar == name
        # Plain scalars only ever hold name characters and start with a letter or digit.
        assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        assert name[0].isalnum()
    for snippet in (workflow_snippet(name), serving_snippet(name)):
        assert snippet.endswith(f"- name: {scalar}\n")
        assert snippet.count("\n") == snippet.strip("\n").count("\n") + 1


API = "https://api.example.com"


def test_the_short_curl_form_line_by_line() -> None:
    assert body_curl_command("my-registry", "ghcr.io", "octo", "", API) == (
        ': "Read the AI Core token first, without echo and out of shell history:"\n'
        ': "  IFS= read -rs AICORE_TOKEN"\n'
        ': "regsecret then asks for the registry password, without echo."\n'
        ': "If it refuses a field, it says why and nothing is sent."\n'
        "(\n"
        '  : "${AICORE_TOKEN:?is not set: run IFS= read -rs AICORE_TOKEN}"\n'
        "  b=$(regsecret body --name=my-registry --registry=ghcr.io \\\n"
        "    --username=octo --password-stdin) &&\n"
        "  printf '%s' \"${b}\" |\n"
        "    curl -sS -X POST \\\n"
        "      'https://api.example.com/v2/admin/dockerRegistrySecrets' \\\n"
        "      -H @<(printf 'Authorization: Bearer %s\\n' \"${AICORE_TOKEN}\") \\\n"
        "      -H 'Content-Type: application/json' \\\n"
        "      --data-binary @- -w '\\nHTTP %{http_code}\\n'\n"
        ")\n"
    )


def test_the_short_curl_form_of_an_update() -> None:
    command = body_curl_command("my registry", "ghcr.io", "octo", "o@example.com", API, patch=True)
    assert "--email=o@example.com --patch --password-stdin" in command
    assert "-X PATCH" in command and "/dockerRegistrySecrets/my%20registry'" in command
    assert "application/merge-patch+json" in command


@pytest.mark.parametrize("value", ["-rf", "a b", "it's", "$(id)", "`id`", "x;y", "*"])
def test_the_short_curl_form_quotes_every_value_for_the_shell(value: str) -> None:
    import shlex

    command = body_curl_command("n", "r.example.com", value, "", API)
    line = next(line for line in command.splitlines() if "--username=" in line)
    words = shlex.split(line.rstrip("\\"))
    assert f"--username={value}" in words


def test_the_short_curl_form_holds_no_secret_and_its_lines_fit_but_the_address() -> None:
    command = body_curl_command("my-registry", "ghcr.io", "octo", "", API)
    assert "--password-stdin" in command and "AICORE_TOKEN" in command
    assert "password" not in command.replace("--password-stdin", "").replace("registry pass", "")
    long = [line for line in command.splitlines() if len(line) > 80]
    assert long == [], long
