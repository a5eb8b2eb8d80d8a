"""One URL parser: every bad web address is a sentence, never a ValueError."""

from __future__ import annotations

import pytest

from tui.core.errors import ProfileError
from tui.core.web_address import parse_web_address


@pytest.mark.parametrize(
    "text",
    [
        "https://[x",
        "https://host:99999",
        "https://host:port",
        "https://host:0",
        "https://exämple.com",
        "https://host\x9b/x",
        "ftp://host",
        "https://",
        "https://bad_host!",
        "https://a b",
        "",
    ],
)
def test_bad_addresses_are_sentences(text: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_web_address(text, "AI API URL")
    assert caught.value.explanation.startswith("The AI API URL")


def test_credentials_in_the_url_are_refused_and_never_repeated() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_web_address("https://user:TOKEN@api.example.com", "AI API URL")
    assert "TOKEN" not in caught.value.explanation


@pytest.mark.parametrize(
    ("text", "url", "host", "port"),
    [
        ("api.example.com/", "https://api.example.com", "api.example.com", None),
        ("http://127.0.0.1:8765/v2", "http://127.0.0.1:8765/v2", "127.0.0.1", 8765),
        ("https://[::1]:5000", "https://[::1]:5000", "::1", 5000),
        ("HTTPS://Host.Example.COM", "HTTPS://Host.Example.COM", "host.example.com", None),
    ],
)
def test_good_addresses(text: str, url: str, host: str, port: int | None) -> None:
    address = parse_web_address(text, "AI API URL")
    assert (address.url, address.host, address.port) == (url, host, port)
