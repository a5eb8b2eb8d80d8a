"""Lenient reading of error bodies, the people-facing sentences, and what the client imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tui.core.client import Quota
from tui.core.error_body import ErrorBody, parse_error_body
from tui.core.errors import ApiError, NetworkError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            {"error": {"code": "01010076", "message": "Bad", "requestId": "r1", "details": {}}},
            ErrorBody("01010076", "Bad", "r1"),
        ),
        (
            {"error": {"code": "1", "message": "m", "requestID": "r2", "details": [{"a": 1}]}},
            ErrorBody("1", "m", "r2"),
        ),
        ({"error": {"message": "only a message"}}, ErrorBody(None, "only a message", None)),
        ({"error": {"code": 42}}, ErrorBody("42", None, None)),
        (
            {"error": "unauthorized", "error_description": "Bad credentials"},
            ErrorBody("unauthorized", "Bad credentials", None),
        ),
        ({"error": "invalid_client"}, ErrorBody("invalid_client", "invalid_client", None)),
        ({"code": "X", "message": "top level"}, ErrorBody("X", "top level", None)),
        ({"error": {"message": {"nested": "object"}}}, ErrorBody(None, None, None)),
        ([1, 2, 3], ErrorBody(None, "[1, 2, 3]", None)),
    ],
)
def test_error_bodies_in_every_shape(raw: object, expected: ErrorBody) -> None:
    assert parse_error_body(json.dumps(raw).encode()) == expected


def test_plain_text_html_and_garbage_bodies() -> None:
    assert parse_error_body(b"Unauthorized") == ErrorBody(message="Unauthorized")
    assert (
        parse_error_body("  <html>\n  Bad   Gateway </html>").message
        == "<html> Bad Gateway </html>"
    )
    assert parse_error_body(b"\xff\xfe bytes").message is not None
    assert parse_error_body(b"") == ErrorBody()
    assert len(parse_error_body("x" * 10_000).message or "") == 300


def test_details_line_for_a_support_ticket() -> None:
    error = ApiError("x", status=400, code="01010076", message="Bad name", request_id="abc")
    assert error.details() == "HTTP 400, code 01010076, “Bad name”, request id abc"
    assert ApiError("x").details() == ""
    assert NetworkError("y").reason == "other"


@pytest.mark.parametrize(
    ("quota", "text"),
    [
        (Quota(12, 50), "12 of 50 secrets used"),
        (Quota(3, None), "3 secrets used"),
        (Quota(None, 50), "at most 50 secrets"),
        (Quota(None, None), "quota unknown"),
    ],
)
def test_quota_sentences(quota: Quota, text: str) -> None:
    assert quota.describe() == text
    assert not quota.full


def test_client_and_emulator_never_import_textual() -> None:
    code = (
        "import sys, tui.core.client, tui.emulator.server, tui.commands.emulator;"
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
