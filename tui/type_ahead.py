"""Type-ahead: every key goes where it was meant, however fast it follows the one before.

Textual hands a key to ``app.screen.focused`` the moment the app takes it from its queue. But a
key bound above the focused widget (f3 on the form, escape, enter on a list, / in the manage
table) runs its action only once it has bubbled up to the app, one queue at a time; a pushed
screen composes, mounts and chooses its focus later still (``AUTO_FOCUS``, ``on_mount``, and
``widget.focus()``, which goes through the app's queue); and an action may start a worker that
pushes the next screen (choosing a profile). Keys typed in one burst behind such a key (a fast
typist, tmux send-keys, a password manager's auto-type) were handed out before any of that had
happened: "f3 / g h" on the form typed "gh" into the form's name field under the manage screen.

The gate here holds the next key (or paste) until the one before it is done with: its bubbling
and actions are over, the screen on top is mounted, every queue that decides where keys go (the
app's, the screen's and its widgets') has been worked through, and a worker the key started has
finished or changed the screen. Then the keys are handed out one at a time, in the order typed,
through Textual's own path, to whatever has the focus by then. A key never waits more than
:data:`HOLD_LIMIT` seconds (a handler that never lets go, a worker that runs for minutes): then it
goes on. A key typed on its own finds the app settled and is handed out at once, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker

from tui.widgets.visible_input import type_over

#: Longest a key waits for the one before it before it is handed out anyway.
HOLD_LIMIT = 3.0
#: Checks made turn after turn of the loop before checking every millisecond.
_QUICK_CHECKS = 50

Typed = events.Key | events.Paste


def _pump_idle(pump: MessagePump) -> bool:
    """Nothing is queued for ``pump``. (Whether it is still busy with the last message, no flag
    says: :meth:`TypeAhead._every_loop_once` finds out.)"""
    return not pump._message_queue.values and not pump._next_callbacks


def _only_raw_input(app: App[Any]) -> bool:
    """The app's queue holds only keys and pastes from the terminal (the gate takes those in
    turn): no key coming back up for its binding, no deferred focus, no callback."""
    waiting: deque[Message | None] = app._message_queue.values
    return not app._next_callbacks and all(
        isinstance(message, Typed) and not message.is_forwarded for message in waiting
    )


def plain_text(app: App[Any], event: Typed) -> bool:
    """Text for the field being typed in: a letter no key binding claims, or a paste, with an
    Input focused. It can change neither the screen nor the focus, and Textual hands such keys
    to the field in the order typed, so it needs no gate: typing (a token, auto-typed by a
    password manager) stays as fast as in a bare Input, and keys typed at start-up go into the
    first field one after another once it has the focus."""
    if not isinstance(app.focused, Input):
        return False
    if isinstance(event, events.Paste):
        return True
    return event.is_printable and event.key not in app.screen.active_bindings


def settled(app: App[Any]) -> bool:
    """Would a key handed out now reach what the person sees, with its focus in place?"""
    try:
        screen = app.screen
    except Exception:  # no screen yet, or the app is closing: nothing to wait for
        return True
    if not screen.is_mounted or screen._callbacks or not _only_raw_input(app):
        return False
    return all(node.is_mounted and _pump_idle(node) for node in screen.walk_children(Widget))


class _Sent:
    """What was there when a key was handed out: the screens and the workers running."""

    __slots__ = ("stack", "workers")

    def __init__(self, stack: tuple[Screen[Any], ...], workers: frozenset[Worker[Any]]) -> None:
        self.stack = stack
        self.workers = workers

    def working(self, app: App[Any]) -> bool:
        """A worker goes on because of the key, and it has not moved to another screen yet: one
        the key started, or (the key closed a dialog) one that waited for that answer."""
        try:
            screen = app.screen
        except Exception:
            return False
        if not self.stack:
            return False
        if screen is self.stack[-1]:
            return any(not w.is_finished and w not in self.workers for w in app.workers)
        if screen not in self.stack:
            return False  # a new screen: it takes the keys
        # The key closed what was on top. A worker that awaited it (push_screen_wait) goes on
        # from where the person now is; it belongs to this screen or to the app.
        return any(
            not w.is_finished and (w not in self.workers or _belongs(w, screen, app))
            for w in app.workers
        )


def _belongs(worker: Worker[Any], screen: Screen[Any], app: App[Any]) -> bool:
    node = worker.node
    if node is app or node is screen:
        return True
    try:
        return isinstance(node, Widget) and node.screen is screen
    except Exception:  # a widget no longer on any screen
        return False


class TypeAhead:
    """Holds keys typed while the previous key is at work; hands them out in order."""

    def __init__(self, app: App[Any], dispatch: Callable[[Typed], Awaitable[None]]) -> None:
        self._app = app
        self._dispatch = dispatch
        self._held: deque[Typed] = deque()
        self._watcher: asyncio.Task[None] | None = None
        self._sent: _Sent | None = None
        #: Keys (and pastes) handed out so far, at once or after waiting.
        self.handed_out = 0

    @property
    def idle(self) -> bool:
        """No key waits, and the last one handed out is done with."""
        return not self._held and self._watcher is None

    def hold(self, event: Typed) -> bool:
        """Called as the app takes ``event`` from its queue: True if it must wait (it is kept,
        and handed out later), False if the app hands it out now."""
        if not self._held and self._watcher is None:
            if plain_text(self._app, event):
                self.handed_out += 1
                return False  # nothing to wait for, now or for the next key
            if settled(self._app):
                self._note_sent()
                self.handed_out += 1
                # Even a key handed out at once is watched: the next one waits until it is done.
                self._watcher = asyncio.create_task(self._hand_out())
                return False
        self._held.append(event)
        if self._watcher is None:
            self._watcher = asyncio.create_task(self._hand_out())
        return True

    def type_into(self, field: Input) -> None:
        """Give ``field`` the text held for it: a screen calls this once its on_mount has
        focused the field, so the frame being drawn shows what was typed before it (at start-up,
        the first frame; handed out by the gate, a later one).

        Typed through the field's own queue, behind the Focus it was just sent: Textual's focus
        selects the field's value (select_on_focus), and text put in before that was selected
        with it, so the next key typed replaced it. Keys typed later queue behind this.
        """
        text: list[str] = []
        while self._held and self._app.focused is field:
            event = self._held[0]
            if not isinstance(event, events.Key) or not plain_text(self._app, event):
                break
            self._held.popleft()
            self.handed_out += 1
            text.append(event.character or "")
        if text:
            field.call_later(type_over, field, "".join(text))

    def close(self) -> None:
        """The app is going: keys still held have no one left to take them."""
        self._held.clear()
        if self._watcher is not None:
            self._watcher.cancel()

    def _note_sent(self) -> None:
        app = self._app
        self._sent = _Sent(tuple(app.screen_stack), frozenset(app.workers))

    async def _hand_out(self) -> None:
        app = self._app
        text_before = False
        try:
            while True:
                # Text behind text for the same field goes on at once (see plain_text).
                if not (text_before and self._held and plain_text(app, self._held[0])):
                    await self._until_done()
                if not self._held:
                    return
                event = self._held.popleft()
                text_before = plain_text(app, event)
                done = asyncio.get_running_loop().create_future()
                # In the app's own loop, as Textual hands out keys.
                if not app.call_later(self._release, event, done):
                    return  # the app is closing
                await done
        finally:
            self._watcher = None

    async def _release(self, event: Typed, done: asyncio.Future[None]) -> None:
        self._note_sent()
        self.handed_out += 1
        try:
            await self._dispatch(event)
        finally:
            if not done.done():
                done.set_result(None)

    def _quiet(self) -> bool:
        sent = self._sent
        return settled(self._app) and not (sent is not None and sent.working(self._app))

    async def _until_done(self) -> None:
        """Until the key handed out last is done with (or :data:`HOLD_LIMIT` has passed)."""
        deadline = time.monotonic() + HOLD_LIMIT
        checks = 0
        while time.monotonic() < deadline:
            # Empty queues are not enough: a widget may be between messages (running the
            # callbacks it does when idle). One more message through every loop proves it.
            if self._quiet() and await self._every_loop_once(deadline) and self._quiet():
                return
            checks += 1
            await asyncio.sleep(0 if checks < _QUICK_CHECKS else 0.001)

    async def _every_loop_once(self, deadline: float) -> bool:
        """A callback through the app's and every widget's queue; True once all have run."""
        app = self._app
        try:
            pumps: list[MessagePump] = [app, *app.screen.walk_children(Widget, with_self=True)]
        except Exception:
            return True
        left = 0
        all_ran = asyncio.get_running_loop().create_future()

        def ran() -> None:
            nonlocal left
            left -= 1
            if left == 0 and not all_ran.done():
                all_ran.set_result(None)

        for pump in pumps:
            if pump.call_later(ran):
                left += 1
        if not left:
            return True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_ran, max(0.0, deadline - time.monotonic()))
        return all_ran.done()
