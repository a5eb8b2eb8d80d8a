"""The profile form keeps what was typed: escape asks before it drops anything, and the sentence
after a refused save stands in the form's status line, where no toast covers the field notes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from tests.support.app import make_app, until
from tests.support.keyring_memory import MemoryKeyring
from tests.support.pilot import choose, loaded, new_profile_form, wait_for
from tests.support.scenes import DEV
from tests.support.screen import screen_text
from tui.core.profile_actions import ProfileStore
from tui.screens.choose_profile import ProfilesScreen
from tui.screens.modals import ConfirmModal
from tui.screens.profile_form import ProfileFormScreen
from tui.widgets.field_note import FieldNote
from tui.widgets.status_line import StatusLine


async def test_escape_on_a_form_with_typing_asks_and_keeps_it_unless_discarded(
    sealed_home: Path, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(sealed_home)
    async with app.run_test(size=(80, 24)) as pilot:
        # Nothing typed: escape goes back at once, nothing to ask about.
        form = await new_profile_form(app, pilot)
        await pilot.press("escape")
        await wait_for(pilot, app, ProfilesScreen)

        form = await new_profile_form(app, pilot)
        await pilot.press(*"dev", "tab", *"https://api.example.com")
        await pilot.press("escape")
        question = await wait_for(pilot, app, ConfirmModal)
        assert "not saved" in str(question.query_one(".dialog-body").render())
        # A second escape, or an enter out of habit, keeps editing: nothing is lost.
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is form)
        await pilot.press("escape")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is form)
        assert form.query_one("#pname", Input).value == "dev"
        assert form.query_one("#api_url", Input).value == "https://api.example.com"
        # Only Discard drops it.
        await pilot.press("escape")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("y")
        await wait_for(pilot, app, ProfilesScreen)
        assert not any(isinstance(s, ProfileFormScreen) for s in app.screen_stack)
    assert not ProfileStore().path.exists()
    assert memory_keyring.entries == {}


async def test_a_secret_typed_alone_or_the_key_kind_changed_counts_as_a_change(
    sealed_home: Path, memory_keyring: MemoryKeyring
) -> None:
    ProfileStore().add(DEV)
    app = make_app(sealed_home)
    async with app.run_test(size=(80, 24)) as pilot:
        profiles = await loaded(app, pilot)
        await until(pilot, lambda: bool(profiles.result and "dev" in profiles.result.names()))
        # Editing: opened and left untouched, escape goes back at once.
        await pilot.press("e")
        form = await wait_for(pilot, app, ProfileFormScreen)
        await pilot.press("escape")
        await wait_for(pilot, app, ProfilesScreen)
        # A new client secret typed (shown as dots) is work too.
        await pilot.press("e")
        form = await wait_for(pilot, app, ProfileFormScreen)
        form.query_one("#client_secret", Input).value = "new-secret"
        await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("n")
        await until(pilot, lambda: app.screen is form)
        assert form.query_one("#client_secret", Input).value == "new-secret"
        form.query_one("#client_secret", Input).value = ""
        await pilot.pause()
        # The kind of key changed, nothing typed: a change too; put back, none.
        await choose(pilot, form, "#auth", "X.509 certificate")
        await pilot.press("escape")
        await wait_for(pilot, app, ConfirmModal)
        await pilot.press("n")
        await until(pilot, lambda: app.screen is form)
        await choose(pilot, form, "#auth", "Client secret")
        await pilot.press("escape")
        await wait_for(pilot, app, ProfilesScreen)


async def test_a_refused_save_says_why_on_the_status_line_and_no_toast_covers_the_notes(
    sealed_home: Path, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(sealed_home)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        form = await new_profile_form(app, pilot)
        await pilot.press(*"dev", "tab", *"https://[x", "tab", "ctrl+s")
        status = form.query_one("#form-problem", Static)
        await until(pilot, lambda: bool(str(status.render())))
        await pilot.pause()
        said = str(status.render())
        assert said.startswith("Nothing was saved: fix AI API URL, Token URL")
        assert not list(app._notifications)
        # Every note under a field is in sight, and so is the sentence, below the form.
        shown = " ".join(screen_text(app).split())
        for note in form.query(FieldNote):
            if note.display and note is not status:
                assert " ".join(note.said.split()) in shown, note.id
        assert " ".join(said.split()) in shown
        assert isinstance(status, StatusLine) and status.parent is form  # not in the scroll
        # The cursor is in the first field at fault, at its end: a key mends it, not replaces it.
        api_url = form.query_one("#api_url", Input)
        assert form.focused is api_url
        await pilot.press("]")
        assert api_url.value == "https://[x]"
