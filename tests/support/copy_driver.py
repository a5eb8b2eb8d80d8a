"""The real app, copying one text half a second after it starts: for tests in a real terminal.

``python -m tests.support.copy_driver``: the text comes from COPY_TEXT (never an argument: argv is
visible in ``ps``), COPY_SECRET=1 copies it as a secret, CLEAR_AFTER sets the clear delay.
"""

from __future__ import annotations

import os
from pathlib import Path

import tui.app
from tui.app import RegsecretApp
from tui.core import clipboard


class CopyingApp(RegsecretApp):
    # Textual looks for the stylesheet beside the module of the class: point it at the app's.
    CSS_PATH = str(Path(tui.app.__file__).with_name("app.tcss"))

    def on_mount(self) -> None:
        secret = os.environ.get("COPY_SECRET") == "1"
        text = os.environ["COPY_TEXT"]
        self.set_timer(0.5, lambda: self.copy_text(text, "the test text", contains_secret=secret))


if __name__ == "__main__":
    clipboard.CLEAR_AFTER_SECONDS = float(os.environ.get("CLEAR_AFTER", "45"))
    CopyingApp().run()
