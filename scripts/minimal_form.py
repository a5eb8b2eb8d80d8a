"""The yardstick for typing: a bare Textual app with two Inputs, the second masked."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Input, Static


class MinimalForm(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Registry credentials")
        yield Input(id="name")
        yield Input(id="password", password=True)
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.screen.focus_next()


if __name__ == "__main__":
    MinimalForm().run()
