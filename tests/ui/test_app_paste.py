"""Pasting into the credential fields: several lines are never cut silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from tests.support.app import AppPilot, make_app
from tests.support.burst import handed_out
from tests.support.pilot import open_credentials
from tui.emulator.server import Emulator

SIZE = (100, 30)

KEY_FILE = json.dumps(
    {
        "type": "service_account",
        "project_id": "acme-ml",
        "private_key": "-----BEGIN PRIVATE KEY-----\nFAKEFAKE\n-----END PRIVATE KEY-----\n",
        "client_email": "puller@acme-ml.iam.gserviceaccount.com",
    },
    indent=2,
)


async def paste(pilot: AppPilot, widget: Input, text: str) -> None:
    widget.focus()
    widget.post_message(events.Paste(text))
    await pilot.pause(0.1)


async def test_a_json_key_pasted_over_several_lines_is_kept_whole(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        password = form.query_one("#password", Input)
        await paste(pilot, password, KEY_FILE)
        assert "\n" not in password.value
        assert json.loads(password.value) == json.loads(KEY_FILE)
        assert any("JSON key" in n.message for n in app._notifications)


async def test_other_multi_line_text_is_refused_with_a_sentence_and_nothing_cut(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        password = form.query_one("#password", Input)
        await paste(pilot, password, "first-half-of-token\nsecond-half")
        assert password.value == ""
        refused = [n for n in app._notifications if n.title == "More than one line"]
        assert refused and "_json_key_base64" in refused[-1].message
        assert "first-half" not in refused[-1].message
        username = form.query_one("#username", Input)
        await paste(pilot, username, "alice\nbob\n")
        assert username.value == ""
        # One line with its newline, as most copies end, goes in as usual.
        await paste(pilot, password, "ghp_token\n")
        assert password.value == "ghp_token"


async def test_a_pem_block_pasted_into_the_profile_form_is_kept_whole(
    sealed_home: Path, memory_keyring: object
) -> None:
    from tests.support.pilot import choose, loaded, wait_for
    from tui.core.profile_model import fix_pem
    from tui.screens.profile_form import ProfileFormScreen

    pem = "-----BEGIN CERTIFICATE-----\nMIIBfake\nline2==\n-----END CERTIFICATE-----\n"
    app = make_app(sealed_home)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("n")
        form = await wait_for(pilot, app, ProfileFormScreen)
        await choose(pilot, form, "#auth", "X.509 certificate")
        for field in ("certificate", "private_key"):
            widget = form.query_one(f"#{field}", Input)
            await paste(
                pilot,
                widget,
                pem.replace("CERTIFICATE", "KEY" if "key" in field else "CERTIFICATE"),
            )
            assert "\n" not in widget.value
            assert fix_pem(widget.value).startswith("-----BEGIN ")
            assert fix_pem(widget.value).count("\n") == 4


def test_tilde_means_home_only_at_the_start(tmp_path: Path) -> None:
    from tui.screens.import_key import _expand_home

    assert _expand_home("~/keys/dev.json", tmp_path) == tmp_path / "keys/dev.json"
    assert _expand_home("/data/a~b.json", tmp_path) == Path("/data/a~b.json")


async def test_a_burst_of_keys_with_tab_puts_the_token_in_the_password_field(
    sealed_home: Path, memory_keyring: object, emulator: Emulator
) -> None:
    # A password manager's auto-type sends "user<tab>token" at once. Left to the Input, the keys
    # after the tab reached the username field before it had moved focus: a token in clear text.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        form.query_one("#name", Input).focus()
        await pilot.pause()
        # Enter walks down the form: name, then host (its "docker.io" is selected on focus, so
        # typing replaces it), then username; tab moves on to the password.
        burst = [*"my-reg", "enter", *"ghcr.io", "enter", *"alice", "tab", *"s3cret"]
        before = app.type_ahead.handed_out
        for key in burst:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await handed_out(pilot, app, before, len(burst))
        assert form.query_one("#name", Input).value == "my-reg"
        assert form.query_one("#registry", Input).value == "ghcr.io"
        assert form.query_one("#username", Input).value == "alice"
        assert form.query_one("#password", Input).value == "s3cret"


@pytest.mark.parametrize(
    "pasted",
    ["[" * 60_000, "[" * 5000 + "\n" + "]" * 5000, '{"a":' * 3000 + "\n" + "}" * 3000],
)
async def test_a_deeply_nested_json_pasted_into_the_password_is_a_sentence(
    sealed_home: Path, memory_keyring: object, emulator: Emulator, pasted: str
) -> None:
    # A RecursionError once escaped from the paste handler as a traceback.
    app = make_app(sealed_home, emulator=emulator)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_credentials(app, pilot)
        form.query_one("#username", Input).value = "alice"
        password = form.query_one("#password", Input)
        await paste(pilot, password, pasted)
        assert app.is_running and app._exception is None
        assert password.value == ""  # refused whole, not cut
        assert app._notifications  # with a sentence
        assert form.query_one("#username", Input).value == "alice"
