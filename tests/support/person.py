"""A scripted person for the core workflows: answers by question kind, records everything shown."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from tui.core.workflows import Ask, InFlight, Interrupted, Notice, Question

T = TypeVar("T")


@dataclass
class ScriptedPerson:
    """Says yes or no as ``answers`` tells it; a question it has no answer for fails the test."""

    answers: Mapping[Ask, bool] = field(default_factory=dict)
    asked: list[Question] = field(default_factory=list)
    progress: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    errors: list[tuple[str, BaseException]] = field(default_factory=list)
    # Press escape during the job whose progress message holds ``stop_during``, once
    # ``stop_once`` holds (at once when it is None).
    stop_during: str | None = None
    stop_once: Callable[[], bool] | None = None

    async def confirm(self, question: Question) -> bool:
        self.asked.append(question)
        if question.kind not in self.answers:
            raise AssertionError(f"unexpected question {question.kind}: {question.title}")
        return self.answers[question.kind]

    async def working(self, message: str, job: Awaitable[T], request: InFlight | None = None) -> T:
        self.progress.append(message)
        if self.stop_during is None or self.stop_during not in message:
            return await job
        task = asyncio.ensure_future(job)
        while self.stop_once is not None and not self.stop_once() and not task.done():
            await asyncio.sleep(0.005)
        task.cancel()
        with contextlib.suppress(BaseException):
            await task
        raise Interrupted

    def tell(self, notice: Notice) -> None:
        self.notices.append(notice)

    def error(self, title: str, error: BaseException) -> None:
        self.errors.append((title, error))

    @property
    def kinds(self) -> list[Ask]:
        return [question.kind for question in self.asked]
