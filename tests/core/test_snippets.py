"""The imagePullSecrets snippets: the shapes of docs/aicore-api.md ("Where the name goes"), names
that stay strings."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.snippets import serving_snippet, workflow_snippet, yaml_scalar


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
