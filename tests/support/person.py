"""A scripted person for the core workflows: answers by question kind, records everything shown."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from tui.core.workflows import Ask, Notice, Question

T = TypeVar("T")


@dataclass
class ScriptedPerson:
    """Says yes or no as ``answers`` tells it; a question it has no answer for fails the test."""

    answers: Mapping[Ask, bool] = field(default_factory=dict)
    asked: list[Question] = field(default_factory=list)
    progress: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    errors: list[tuple[str, BaseException]] = field(default_factory=list)

    async def confirm(self, question: Question) -> bool:
        self.asked.append(question)
        if question.kind not in self.answers:
            raise AssertionError(f"unexpected question {question.kind}: {question.title}")
        return self.answers[question.kind]

    async def working(self, message: str, job: Awaitable[T]) -> T:
        self.progress.append(message)
        return await job

    def tell(self, notice: Notice) -> None:
        self.notices.append(notice)

    def error(self, title: str, error: BaseException) -> None:
        self.errors.append((title, error))

    @property
    def kinds(self) -> list[Ask]:
        return [question.kind for question in self.asked]
