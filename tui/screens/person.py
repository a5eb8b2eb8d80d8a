"""The workflows' :class:`~tui.core.workflows.Person`, answered with this app's dialogs and toasts.

Questions become a yes/no dialog (or, for a delete, a dialog where the name is typed), progress a
busy dialog that swallows every key but escape (stop) so nothing is sent twice, notices toasts,
failures the app's one error dialog. Call the workflows from a worker: a dialog is awaited there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

from tui.core.workflows import Ask, Interrupted, Notice, Question
from tui.screens.modals import BusyModal, CarefulConfirmModal, ConfirmModal, TypedConfirmModal

if TYPE_CHECKING:
    from tui.core.workflows import InFlight
    from tui.screens.base import AppScreen

T = TypeVar("T")


class ScreenPerson:
    def __init__(self, screen: AppScreen[Any], *, busy_dialog: bool = True) -> None:
        self._screen = screen
        # False where the screen shows its own progress (the secrets list's loading indicator).
        self._busy_dialog = busy_dialog

    async def confirm(self, question: Question) -> bool:
        app = self._screen.app
        if question.typed is not None:
            typed = TypedConfirmModal(question.title, question.body, question.typed)
            typed_yes: bool = await app.push_screen_wait(typed)
            return typed_yes
        # Where yes is the risky answer, no is highlighted.
        careful = question.kind is Ask.LOGIN_REFUSED or question.kind is Ask.DISCARD
        kind = CarefulConfirmModal if careful else ConfirmModal
        dialog = kind(question.title, question.body, yes=question.yes, no=question.no)
        yes: bool = await app.push_screen_wait(dialog)
        return yes

    async def working(self, message: str, job: Awaitable[T], request: InFlight | None = None) -> T:
        if not self._busy_dialog:
            return await job
        app = self._screen.app
        task = asyncio.ensure_future(job)
        busy = BusyModal(message, task, request)
        await app.push_screen(busy)
        try:
            try:
                value = await task
            finally:
                # Asked whether to quit, the person answers before anything else is asked or
                # sent: a y typed for that question must not land on the next one.
                if busy.asking and task.done() and not task.cancelled():
                    await busy.settle()
            return value
        except asyncio.CancelledError:
            # Escape cancelled the job, not someone this worker (quitting, a newer worker):
            # the workflow says what that left behind.
            current = asyncio.current_task()
            if busy.stopped and (current is None or not current.cancelling()):
                raise Interrupted from None
            raise
        finally:
            if app.screen is busy:
                app.pop_screen()
            elif busy in app.screen_stack:
                busy.dismiss()

    def tell(self, notice: Notice) -> None:
        # On the screen's status line if it has one, else a toast (see StatusLine).
        self._screen.rapp.report(
            self._screen, notice.sentence, title=notice.title, severity=notice.severity
        )

    def error(self, title: str, error: BaseException) -> None:
        self._screen.rapp.show_error(title, error)
