"""Small dialogs: yes/no, confirm-by-typing-the-name, an error explained, a busy notice."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, LoadingIndicator, OptionList
from textual.widgets.option_list import Option

from tui.core.errors import AlreadyExists, ApiError, explain
from tui.core.exit_codes import EXIT_STOPPED
from tui.core.foreign_text import displayable
from tui.core.secret import Secret
from tui.screens.base import FOCUS_KEYS
from tui.screens.dialog_style import DIALOG_CSS
from tui.widgets.bounded_input import BoundedInput
from tui.widgets.password_input import PasswordInput
from tui.widgets.plain import PlainLabel, PlainStatic, farewell, plain
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.core.workflows import InFlight

T = TypeVar("T")


class DialogScreen(ModalScreen[T]):
    """A dialog that asks for a decision: toasts are cleared so none covers its buttons."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False
    BINDINGS: ClassVar[list[BindingType]] = [*FOCUS_KEYS]

    def on_screen_resume(self) -> None:
        self.app.clear_notifications()


class ConfirmModal(DialogScreen[bool]):
    """A question with y/n; enter presses the highlighted button (yes here), escape means no."""

    # Focused by Textual once mounted; a query in on_mount failed when an answer came first.
    AUTO_FOCUS = "#yes"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="yes"),
        Binding("n,escape", "answer(False)", "No", id="no"),
        # A body taller than the terminal scrolls under the keys while a button has the focus.
        Binding("down", "scroll_body(1)", "Scroll down", show=False, id="scroll-down"),
        Binding("up", "scroll_body(-1)", "Scroll up", show=False, id="scroll-up"),
        Binding("pagedown", "scroll_body(10)", "Page down", show=False, id="page-down"),
        Binding("pageup", "scroll_body(-10)", "Page up", show=False, id="page-up"),
    ]

    def __init__(self, title: str, body: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._body = body
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainLabel(self._title, classes="dialog-title")
            # A confirmation carries every warning: on a short terminal the body scrolls and
            # the buttons stay in sight.
            with VerticalScroll(classes="dialog-scroll", can_focus=False):
                yield PlainStatic(self._body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                careful = self.AUTO_FOCUS == "#no"
                yield Button(
                    f"{self._yes} (y)", id="yes", variant="default" if careful else "primary"
                )
                yield Button(
                    f"{self._no} (n)", id="no", variant="primary" if careful else "default"
                )

    def on_resize(self, event: events.Resize) -> None:
        # CSS has no "auto, but at most what is left": borders, a title of up to two lines
        # and the buttons take 8 rows. A resize can come as the dialog is answered and its
        # parts are already gone (it took the app down once): then there is nothing to fit.
        for scroll in self.query(".dialog-scroll"):
            scroll.styles.max_height = max(3, event.size.height - 8)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_scroll_body(self, lines: int) -> None:
        self.query_one(".dialog-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)


class CarefulConfirmModal(ConfirmModal):
    """Yes is the risky answer (storing a credential the registry refused): no is highlighted,
    so an enter pressed out of habit answers no; y still says yes."""

    AUTO_FOCUS = "#no"


class TypedConfirmModal(DialogScreen[bool]):
    """Deleting cannot be undone: the user types the name to confirm it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, title: str, body: str, expected: str) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._body = body
        # The name as it is shown: a server's name can hold control characters the boundary
        # removes, and the user can only type what they see.
        self._expected = displayable(expected)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainLabel(self._title, classes="dialog-title")
            yield PlainStatic(self._body, classes="dialog-body")
            yield PlainLabel(f"Type {self._expected} and press enter to confirm, escape to cancel.")
            yield BoundedInput(placeholder="type the name here", id="typed")
            yield PlainStatic("", id="typed-problem", classes="problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() == self._expected:
            self.dismiss(True)
        else:
            self.query_one("#typed-problem", PlainStatic).update(
                f"That is not {self._expected}. Type the name exactly, or press escape."
            )

    def action_cancel(self) -> None:
        self.dismiss(False)


def error_details(error: BaseException) -> list[tuple[str, str]]:
    """The facts of an API error worth quoting in a support ticket, as label/value rows."""
    if not isinstance(error, ApiError):
        return []
    rows = []
    if error.status is not None:
        rows.append(("Status", str(error.status)))
    if error.code:
        rows.append(("Code", error.code))
    if error.message:
        rows.append(("Message", error.message))
    if error.request_id:
        rows.append(("Request id", error.request_id))
    return rows


class ErrorModal(ModalScreen[None]):
    """An error in words: what happened, what to do, and the server's facts."""

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False

    AUTO_FOCUS = "#close"

    BINDINGS: ClassVar[list[BindingType]] = [
        *FOCUS_KEYS,
        Binding("escape,enter", "close", "Close", id="close"),
        Binding("c", "copy_details", "Copy details", id="copy-details"),
    ]

    def __init__(self, title: str, error: BaseException) -> None:
        super().__init__(classes="dialog-screen")
        # Every failure the app shows comes through here (App.show_error), and its words may be a
        # server's or a file's: this is where they pass the display boundary, once.
        self._error = error
        self._title = displayable(title)
        # The details rows below hold the request id: the sentence points at them, once.
        self._sentence = displayable(explain(error, details_shown=True), limit=1000)
        self._details = [(label, displayable(value)) for label, value in error_details(error)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield PlainLabel(self._title, classes="dialog-title")
            yield PlainStatic(self._sentence, classes="dialog-body")
            for label, value in self._details:
                with Horizontal(classes="detail-row"):
                    yield Label(f"{label}:", classes="detail-label")
                    yield PlainStatic(value, classes="detail-value")
            yield StatusLine(id="error-status")  # where c copied the details
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close (enter)", id="close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy_details(self) -> None:
        lines = [self._sentence]
        lines += [f"{label}: {value}" for label, value in self._details]
        copy = getattr(self.app, "copy_text", None)
        if copy is not None:
            copy("\n".join(lines), "the error details")


_DONE = {"create": "created", "update": "updated", "delete": "deleted"}


def finished_sentence(request: InFlight | None, job: asyncio.Future[Any]) -> str:
    """What a job that ended while the quit question was up came to, in words true after exit."""
    if request is None:
        # The jobs without a request only read or check (a login, a listing, a token).
        return "Nothing in AI Core was changed."
    name, op, done = request.name, request.op, _DONE[request.op]
    if job.cancelled():
        return request.stopped()
    error = job.exception()
    if error is None:
        return f"AI Core has {done} “{name}”; regsecret's ledger does not note it."
    from tui.core.workflows import reached_server

    if isinstance(error, AlreadyExists):
        return f"AI Core answered that “{name}” already exists there: nothing was changed."
    said = displayable(explain(error), limit=300)
    if isinstance(error, ApiError) and error.status is not None and error.status < 500:
        return f"AI Core answered that it did not {op} “{name}”: {said}"
    if not reached_server(error):
        return f"The request did not reach AI Core, so “{name}” was not {done}: {said}"
    return f"The request failed after it was sent; AI Core may have {done} “{name}”: {said}"


class BusyModal(ModalScreen[None]):
    """Shown while a request runs: nothing else can be pressed, so nothing is sent twice.

    escape stops the request (the workflow then says whether it may have reached AI Core);
    quitting asks here first, saying what is known of the request (see :meth:`ask_to_quit`).
    Once asked, the question is answered before anything else is asked or sent: a job that ends
    while it is up leaves it up (see :meth:`settle`), so a y meant to quit never lands on the
    next confirmation.

    Any other key is refused, and the dialog says so (see :meth:`refuse`): kept for later, a
    letter or an enter would land on whatever comes next (a confirmation, the result), not
    where the person meant it; dropped without a word, it would be lost.
    """

    DEFAULT_CSS = DIALOG_CSS
    SCOPED_CSS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop", "Stop", id="stop"),
        Binding("y", "quit_anyway", "Quit", show=False, id="quit-anyway"),
        Binding("n", "keep_waiting", "Keep waiting", show=False, id="keep-waiting"),
    ]

    def __init__(
        self, message: str, job: asyncio.Future[Any], request: InFlight | None = None
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._message = message
        self._job = job
        self._request = request
        self.stopped = False  # escape cancelled the job
        self.asking = False  # the quit question is shown
        self._following = False  # a timer keeps the question up to date
        self._goes_on: asyncio.Future[None] | None = None  # set by settle(): n resolves it
        self.refused = 0  # keys pressed while it is up that nothing here takes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog busy-dialog"):
            yield PlainStatic(self._message, classes="dialog-body", id="busy-message")
            question = PlainStatic("", classes="dialog-body", id="busy-question")
            question.display = False
            yield question
            refused = PlainStatic("", classes="dialog-body problem", id="busy-refused")
            refused.display = False
            yield refused
            yield LoadingIndicator()
            yield PlainLabel(self._keys(), classes="hint", id="busy-keys")

    def _keys(self) -> str:
        if self._goes_on is not None:
            return "y quits · n goes on"
        if self.asking:
            return "y quits now · n keeps waiting · escape stops the request"
        return "escape stops the request"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # y and n answer the quit question only while it is asked: other letters do nothing.
        if action in ("quit_anyway", "keep_waiting"):
            return self.asking
        if action == "stop":
            return self._goes_on is None  # the job has ended: nothing is left to stop
        return True

    def on_key(self, event: events.Key) -> None:
        # Nothing has the focus here: every key comes to the dialog, then to the bindings.
        active = self.active_bindings.get(event.key)
        if active is None or not active.enabled:
            event.stop()
            self.refuse()

    def refuse(self) -> None:
        """A key that nothing takes while this runs: say so, instead of dropping it unseen.

        The key itself is not shown: it may be part of a password typed ahead.
        """
        self.refused += 1
        self.app.bell()
        if self.refused == 1:
            sentence = "The key pressed while this runs was not typed anywhere"
            again = "press it again"
        else:
            sentence = f"The {self.refused} keys pressed while this runs were not typed anywhere"
            again = "press them again"
        refused = self.query_one("#busy-refused", PlainStatic)
        if self._goes_on is not None:  # it has finished: only the quit question is left
            refused.update(f"{sentence}: answer y or n first, then {again}.")
        else:
            refused.update(f"{sentence}: {again} once it has finished.")
        refused.display = True

    def action_stop(self) -> None:
        # cancel() is False when the answer has just come: then it is shown as any answer.
        if self._job.cancel():
            self.stopped = True

    def ask_to_quit(self) -> None:
        """Quitting with the request in flight: say what is known of it, and let y quit."""
        self.asking = True
        self._show_question()
        if not self._following:
            # The request may go out while the question is read: the words follow it.
            self._following = True
            self.set_interval(0.25, self._show_question)
        self.refresh_bindings()

    async def settle(self) -> None:
        """The job has ended while the quit question is up: keep asking, in the words of what
        is now known, until n (return: the workflow goes on) or y (the app quits)."""
        self._goes_on = asyncio.get_running_loop().create_future()
        self.query_one(LoadingIndicator).display = False
        self._show_question()
        self.refresh_bindings()
        await self._goes_on

    def quit_sentence(self) -> str:
        """What quitting now leaves behind, in words that stay true after the app has gone."""
        request = self._request
        if self._job.done():
            return finished_sentence(request, self._job)
        if request is None:
            return "Quitting stops it; nothing in AI Core changes."
        if request.sent():
            return (
                "The request was sent and its answer has not come back: AI Core may have "
                f"{_DONE[request.op]} “{request.name}” already, whether you quit or not."
            )
        return "The request has not been sent yet: quitting now stops it before AI Core gets it."

    def _show_question(self) -> None:
        if not self.asking:
            return
        question = self.query_one("#busy-question", PlainStatic)
        if self._goes_on is not None:
            question.update(f"It has finished. {self.quit_sentence()} Quit now?")
        else:
            question.update(f"Quit while this runs? {self.quit_sentence()}")
        question.display = True
        self.query_one("#busy-keys", PlainLabel).update(self._keys())

    def action_quit_anyway(self) -> None:
        # Stopped first, so the request cannot go out between the words and the exit; the words
        # are printed once the terminal is back, as plain text (a name is no markup).
        if self._job.done():
            said = f"quit once it had finished. {finished_sentence(self._request, self._job)}"
        elif self._request is not None:
            self._job.cancel()
            said = self._request.stopped()
        else:
            self._job.cancel()
            said = "quit before it finished; nothing in AI Core was changed."
        self.app.exit(return_code=EXIT_STOPPED, message=farewell(said))

    def action_keep_waiting(self) -> None:
        if self._goes_on is not None:
            if not self._goes_on.done():
                self._goes_on.set_result(None)
            return
        self.asking = False
        self.query_one("#busy-question", PlainStatic).display = False
        self.query_one("#busy-keys", PlainLabel).update(self._keys())
        self.refresh_bindings()


class ChoiceModal(DialogScreen["str | None"]):
    """Pick one of a few options with the arrows and enter; escape picks nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, title: str, options: list[tuple[str, str]], note: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._options = options
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainLabel(self._title, classes="dialog-title")
            yield OptionList(
                *[Option(plain(label, multiline=False), id=key) for key, label in self._options],
                id="choices",
            )
            if self._note:
                yield PlainStatic(self._note, classes="hint")

    def on_option_list_option_selected(self, event: object) -> None:
        option = getattr(event, "option", None)
        self.dismiss(getattr(option, "id", None))

    def action_cancel(self) -> None:
        self.dismiss(None)


class SecretPromptModal(DialogScreen["Secret | None"]):
    """Ask for a profile's client secret (or private key) that no keyring holds."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]
    AUTO_FOCUS = "#secret"

    def __init__(self, title: str, body: str) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainLabel(self._title, classes="dialog-title")
            yield PlainStatic(self._body, classes="dialog-body")
            yield PasswordInput(placeholder="paste it here, then enter", id="secret", pem=True)
            yield Label("enter uses it, escape cancels.", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value:
            self.dismiss(Secret(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPromptModal(DialogScreen["str | None"]):
    """Ask for one line that is not a secret (a variable's name, a path, a command)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]
    AUTO_FOCUS = "#answer"

    def __init__(
        self,
        title: str,
        body: str,
        *,
        placeholder: str = "",
        suggester: Suggester | None = None,
        value: str = "",
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._body = body
        self._placeholder = placeholder
        self._suggester = suggester
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainLabel(self._title, classes="dialog-title")
            yield PlainStatic(self._body, classes="dialog-body")
            yield BoundedInput(
                self._value, placeholder=self._placeholder, suggester=self._suggester, id="answer"
            )
            yield Label("enter uses it, escape cancels.", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
