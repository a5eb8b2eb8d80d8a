"""Step 5: the secret is registered; here is the YAML that uses it, one key to copy each form."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label

from tui.core.snippets import serving_snippet, workflow_snippet
from tui.screens.base import BaseScreen
from tui.widgets.code_view import CodeView
from tui.widgets.plain import PlainLabel, PlainStatic
from tui.widgets.status_line import StatusLine


class ResultScreen(BaseScreen):
    TITLE = "Registered"
    # Its own rules, read when it first opens: app.tcss is read before the first frame.
    DEFAULT_CSS = """
    .snippet-title {
        text-style: bold;
        padding: 1 1 0 1;
    }

    #result-scroll {
        height: 1fr;
    }

    #result-message {
        height: auto;
        padding: 0 1;
        color: $text-success;
        text-style: bold;
    }
    """
    HELP = (
        "Paste the first snippet under spec: of a workflow template (Argo WorkflowTemplate), the "
        "second into the predictor of a serving template. The name must match exactly."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "copy_workflow", "Copy workflow YAML", id="copy-workflow-yaml"),
        Binding("s", "copy_serving", "Copy serving YAML", id="copy-serving-yaml"),
        Binding("n", "new", "New", id="new"),
        Binding("m", "manage", "Manage", id="manage"),
    ]

    def __init__(self, name: str, message: str, *, updated: bool = False) -> None:
        super().__init__()
        self.secret_name = name
        self.message = message
        self.updated = updated

    def compose(self) -> ComposeResult:
        verb = "updated" if self.updated else "registered"
        yield PlainLabel(
            f"“{self.secret_name}” {verb} in {self.rapp.state.tenant_label()}",
            id="result-message",
        )
        if self.message:
            yield PlainStatic(f"AI Core says: {self.message}", classes="hint")
        with VerticalScroll(id="result-scroll"):
            yield Label("Workflow template, under spec: (w copies)", classes="snippet-title")
            yield CodeView(workflow_snippet(self.secret_name), "yaml", id="workflow")
            yield Label(
                "Serving template, inside the predictor (s copies)", classes="snippet-title"
            )
            yield CodeView(serving_snippet(self.secret_name), "yaml", id="serving")
        yield StatusLine(id="result-status")  # where a copy landed
        yield Footer(compact=True)

    def action_copy_workflow(self) -> None:
        self.rapp.copy_text(workflow_snippet(self.secret_name), "the workflow-template YAML")

    def action_copy_serving(self) -> None:
        self.rapp.copy_text(serving_snippet(self.secret_name), "the serving-template YAML")

    def action_back(self) -> None:
        self.rapp.nav.leave_result()

    def action_new(self) -> None:
        self.rapp.nav.leave_result()  # back on the form, made ready for the next one
        self.rapp.nav.new_secret()

    def action_manage(self) -> None:
        self.rapp.nav.leave_result()
        self.rapp.nav.manage()
