"""Read-only, syntax-highlighted text (JSON, YAML, bash) without tree-sitter.

TextArea(language="json") segfaults with tree-sitter 0.26 on this stack, so highlighting goes
through Rich's Syntax (pygments) inside a Static. The ansi themes follow the terminal's own palette,
which keeps the text legible in dark and light themes alike.
"""

from __future__ import annotations

from rich.syntax import Syntax
from textual.widgets import Static


class CodeView(Static, can_focus=True):
    """Highlighted code; focusable so it can scroll and so keys act on it."""

    DEFAULT_CSS = """
    CodeView {
        width: auto;
        min-width: 100%;
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    CodeView:focus {
        background: $boost;
        border-left: outer $accent;
    }
    """

    # Code never wraps: a wrapped shell line reads like a command of its own, and a token cut in
    # two at the window's edge can be neither read nor compared. It is as wide as its longest
    # line; the container around it scrolls.

    def __init__(self, code: str = "", lexer: str = "json", *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._code = code
        self._lexer = lexer

    @property
    def code(self) -> str:
        return self._code

    def on_mount(self) -> None:
        self.show(self._code, self._lexer)
        # Pygments colours are baked into the renderable: redo them when the theme flips.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show(self._code))

    def show(self, code: str, lexer: str | None = None) -> None:
        self._code = code
        if lexer is not None:
            self._lexer = lexer
        dark = self.app.current_theme.dark if self.is_attached else True
        theme = "ansi_dark" if dark else "ansi_light"
        self.update(
            Syntax(
                code,
                self._lexer,
                theme=theme,
                word_wrap=False,
                background_color="default",
            )
        )
