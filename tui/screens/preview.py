"""Step 3: exactly what will be sent, four ways; masked until revealed; each one copyable.

Nothing here wraps: a token cut in two at the window's edge can be neither read nor compared, and a
wrapped shell line reads as a command of its own. What is wider than the window scrolls, and the
screen says so.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.widgets import Footer, Label, TabbedContent, TabPane

from tui.core.request import (
    SecretDraft,
    create_body,
    curl_command,
    docker_config_text,
    masked_body,
    patch_body,
    pretty_body,
)
from tui.core.snippets import body_curl_command
from tui.screens.base import AppScreen
from tui.widgets.code_view import CodeView
from tui.widgets.plain import PlainLabel
from tui.widgets.status_line import StatusLine

TABS = (
    ("body", "Body as sent", "json"),
    ("config", "Docker config", "json"),
    ("curl", "curl", "bash"),
    ("shell", "curl, shell only", "bash"),
)

#: Above both curl tabs: when to use which (each claim is what tests/core/test_curl.py runs).
WHICH_CURL = (
    "“curl” needs regsecret where you run it, and it asks for the password itself. “curl, "
    "shell only” needs just bash or zsh, curl and base64, and reads the password from "
    "$REGISTRY_PASSWORD. Neither puts a secret in an argument or in shell history."
)
WIDE_HINT = "Wider than the window: ← → scroll it."


def tab_hint(tab: str, *, revealed: bool) -> str:
    """The line under the code: what this tab holds and what c copies from it, each said once.

    Only the body and the docker config carry a secret; the body is copied exactly as sent, the
    config as shown here, decoded (what is sent is that text escaped inside the body).
    """
    if tab in ("curl", "shell"):
        return "No secret in this command: c copies all of it."
    mask = (
        "Secrets SHOWN: ctrl+r masks them again."
        if revealed
        else "Secrets are masked: ctrl+r reveals them."
    )
    if tab == "body":
        return f"{mask} c copies the body exactly as sent."
    return f"{mask} c copies it, decoded and unmasked."


#: The tab keys share one footer entry: "1234 Tabs".
_TABS = Binding.Group("Tabs", compact=True)


class PreviewScreen(AppScreen["str | None"]):
    TITLE = "Preview"
    # Its own rules, read when it first opens: app.tcss is read before the first frame.
    DEFAULT_CSS = """
    /* Where the request goes, on one line; where it is cut, an ellipsis says so (the curl tabs
       have the whole address). */
    #preview-title {
        width: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }

    #preview-tabs {
        height: 1fr;
    }

    .which-curl {
        width: 100%;
        height: auto;
    }

    .code-scroll {
        height: 1fr;
        padding: 0 1;
        border-left: blank;
    }

    /* The focus bar belongs to the window onto the code, not to the code: on the code it
       scrolled off with ← →. Drawn here, it stays at the left edge however far it scrolls. */
    .code-scroll:focus-within {
        border-left: outer $accent;
    }

    .code-scroll CodeView:focus {
        border-left: none;
    }
    """
    HELP = (
        "The request body exactly as AI Core receives it (the docker config is a JSON string "
        "inside JSON, escaped), the same docker config decoded, and two curl commands that are "
        "safe to paste: one that lets regsecret build the body, one for a shell alone. No secret "
        "is inside either. Nothing wraps: what is wider than the window scrolls with ← →. "
        "ctrl+r reveals the secrets, c copies the tab you see."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("ctrl+s", "submit", "Register", id="register"),
        Binding("ctrl+s", "submit_update", "Update", id="update"),
        # ctrl+r as in the forms.
        Binding("ctrl+r", "reveal", "Reveal/mask", id="reveal"),
        Binding("c", "copy", "Copy tab", id="copy-tab"),
        Binding("1", "tab('body')", "Body tab", id="tab-body", group=_TABS),
        Binding("2", "tab('config')", "Config tab", id="tab-config", group=_TABS),
        Binding("3", "tab('curl')", "curl tab", id="tab-curl", group=_TABS),
        Binding("4", "tab('shell')", "Shell-only curl tab", id="tab-shell", group=_TABS),
    ]

    def __init__(self, draft: SecretDraft, api_url: str, *, patch: bool = False) -> None:
        super().__init__()
        self.draft = draft
        self.api_url = api_url
        self.patch = patch
        self.revealed = False

    def compose(self) -> ComposeResult:
        method = "PATCH" if self.patch else "POST"
        yield PlainLabel(
            f"{method} {self.api_url}/v2/admin/dockerRegistrySecrets"
            + (f"/{self.draft.name}" if self.patch else ""),
            classes="screen-title",
            id="preview-title",
        )
        with TabbedContent(id="preview-tabs"):
            for tab_id, title, lexer in TABS:
                with TabPane(title, id=tab_id):
                    if tab_id in ("curl", "shell"):
                        yield Label(WHICH_CURL, classes="hint which-curl", markup=False)
                    # One focus stop, the code: the window around it scrolls it (its keys
                    # are bindings along the focus chain) and draws the focus bar.
                    with ScrollableContainer(
                        classes="code-scroll", id=f"{tab_id}-scroll", can_focus=False
                    ):
                        yield CodeView(self.text(tab_id, masked=True), lexer, id=f"{tab_id}-code")
        yield Label("", id="wide-hint", classes="hint")
        yield Label("", id="mask-state", classes="hint")
        yield StatusLine(id="preview-status")  # where a copy landed, what becomes of a secret
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._render_state()
        self._focus_code()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._focus_code()
        self._say_what_copies()
        self.call_after_refresh(self._say_if_wide)

    def on_resize(self) -> None:
        self.call_after_refresh(self._say_if_wide)

    def _say_if_wide(self) -> None:
        """Say so when the tab shown is wider than the window, so nothing is cut silently."""
        # Called after a refresh: by then the screen may have closed and its parts be gone.
        tabs = self.query(TabbedContent)
        if not tabs:
            return
        tab = tabs.first().active or "body"
        code = self.query_one(f"#{tab}-code", CodeView)
        room = self.query_one(f"#{tab}-scroll", ScrollableContainer).scrollable_content_region
        wide = code.outer_size.width > room.width
        self.query_one("#wide-hint", Label).update(WIDE_HINT if wide else "")
        self.query_one("#wide-hint", Label).display = wide

    def _focus_code(self) -> None:
        # The code has focus, so page up/down and the arrows scroll it straight away.
        tab = self.query_one(TabbedContent).active or "body"
        self.query_one(f"#{tab}-code", CodeView).focus()

    def text(self, tab: str, *, masked: bool) -> str:
        if tab == "body":
            if masked:
                return masked_body(self.draft, patch=self.patch, pretty=True)
            body = patch_body(self.draft) if self.patch else create_body(self.draft)
            return body.reveal()
        if tab == "config":
            return docker_config_text(self.draft, masked=masked)
        if tab == "curl":
            draft = self.draft
            return body_curl_command(
                draft.name, draft.registry, draft.username, draft.email, self.api_url,
                patch=self.patch,
            )  # fmt: skip
        return curl_command(self.draft, self.api_url, patch=self.patch, masked=masked)

    def _render_state(self) -> None:
        for tab_id, _title, _lexer in TABS:
            self.query_one(f"#{tab_id}-code", CodeView).show(
                self.shown(tab_id, masked=not self.revealed)
            )
        self._say_what_copies()

    def _say_what_copies(self) -> None:
        tab = self.query_one(TabbedContent).active or "body"
        self.query_one("#mask-state", Label).update(tab_hint(tab, revealed=self.revealed))

    def shown(self, tab: str, *, masked: bool) -> str:
        """What the tab displays: the body indented whether masked or not, so the layout holds."""
        if tab == "body" and not masked:
            return pretty_body(self.draft, patch=self.patch).reveal()
        return self.text(tab, masked=masked)

    def action_reveal(self) -> None:
        self.revealed = not self.revealed
        self._render_state()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_copy(self) -> None:
        tab = self.query_one(TabbedContent).active or "body"
        real = self.text(tab, masked=False)
        secret = real != self.text(tab, masked=True)
        names = {
            "body": "the request body",
            "config": "the docker config",
            "curl": "the curl command",
            "shell": "the shell-only curl command",
        }
        self.rapp.copy_text(real, names[tab], contains_secret=secret)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # One key, two names: "Update" when the preview is of a PATCH.
        if action == "submit":
            return not self.patch
        if action == "submit_update":
            return self.patch
        return True

    def action_submit(self) -> None:
        self.dismiss("submit")

    def action_submit_update(self) -> None:
        self.dismiss("submit")

    def action_back(self) -> None:
        self.dismiss(None)
