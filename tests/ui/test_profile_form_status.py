"""The profile form's status line after a refused save names the fields at fault on the form as
it is now: changing the kind of key hides fields, and a sentence naming them was a stale one."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.app import make_app, until
from tests.support.pilot import choose, fill_profile_form, new_profile_form
from tests.support.screen import screen_text
from tui.widgets.status_line import StatusLine


async def test_a_refusal_follows_the_kind_of_key_chosen_after_it(
    sealed_home: Path, memory_keyring: object
) -> None:
    # Found: refused as X.509, then back on "Client secret" (typed, fine): the line still said
    # "fix Certificate and Private key first", fields no longer on the form.
    app = make_app(sealed_home)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_profile_form(app, pilot)
        await fill_profile_form(pilot, form)
        await choose(pilot, form, "#auth", "X.509 certificate")
        await pilot.press("ctrl+s")
        status = form.query_one("#form-problem", StatusLine)
        await until(pilot, lambda: "fix Certificate and Private key first" in status.said)
        # Another kind of key, its own field empty: the sentence names that field instead.
        await choose(pilot, form, "#auth", "Client secret")
        assert status.said.startswith("Nothing was saved: fix Client secret first")
        # And with nothing at fault any more, it goes.
        await choose(pilot, form, "#auth", "X.509 certificate")
        form.query_one("#client_secret", Input).value = "csecret"
        await pilot.pause()
        await choose(pilot, form, "#auth", "Client secret")
        assert status.said == "" and "Nothing was saved" not in screen_text(app)
