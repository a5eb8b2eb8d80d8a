"""The yardstick for start-up: a bare Textual app with a Header, one Static and a Footer."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class MinimalApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Choose a connection profile")
        yield Footer()


if __name__ == "__main__":
    MinimalApp().run()
