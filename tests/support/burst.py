"""Keys as a terminal delivers a burst (a fast typist, a paste of keystrokes, a password manager's
auto-type): all in the app's queue at once, no waiting between them; and a CPU burner to make the
app slow while it takes them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from textual import events
from textual.keys import _get_unicode_name_from_key

BURN_SECONDS_MAX = 300.0


def _character(key: str) -> str | None:
    import unicodedata

    if len(key) == 1:
        return key
    try:
        return unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        return None


def send_burst(app: Any, keys: list[str]) -> None:
    """Every key into the app's queue before the app handles the first."""
    driver = app._driver
    for key in keys:
        event = events.Key(key, _character(key))
        event.set_sender(app)
        driver.send_message(event)


@contextmanager
def cpu_burner(seconds: float = 120.0) -> Iterator[subprocess.Popen[bytes]]:
    """A process spinning on one core for at most ``seconds``; ended when the block ends."""
    seconds = min(seconds, BURN_SECONDS_MAX)
    code = f"import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass\n"
    burner = subprocess.Popen([sys.executable, "-c", code])
    try:
        yield burner
    finally:
        burner.kill()
        burner.wait(10)


async def handed_out(pilot: Any, app: Any, before: int, count: int, tries: int = 500) -> None:
    """Until the app's type-ahead gate has handed out ``count`` keys more than ``before`` (its
    ``handed_out`` when they were sent) and the last of them is done with."""
    from tests.support.app import until

    gate = app.type_ahead
    await until(pilot, lambda: gate.handed_out >= before + count and gate.idle, tries)
    await pilot.pause()


async def burst_taken(pilot: Any, app: Any, keys: list[str]) -> None:
    """The keys as one burst (:func:`send_burst`); back once the app has taken every one."""
    before = app.type_ahead.handed_out
    send_burst(app, keys)
    await handed_out(pilot, app, before, len(keys))
