"""A small immutable value class: equality, hash, repr and ``replace`` from its ``__slots__``.

What ``@dataclass(frozen=True)`` gives, for the values on the path of ``regsecret body``, of
``regsecret yaml`` and of the app's first frame. Importing dataclasses pulls in inspect, ast, dis
and tokenize, about 10 ms of a one-shot command that should take well under 100; and each
``@dataclass`` writes and compiles its methods as the class is made: ~4.5 M instructions for a
frozen class of six fields, ~0.2 M for this one (the ten on the path of the credentials form
were a fifth of what that form's first frame cost over a bare Textual app's).

Subclasses list their fields in order in ``_fields`` (and set ``__slots__ = _fields``), write a
typed ``__init__`` that calls :meth:`Record._init`, and are frozen. ``_compared`` names the
fields equality and the hash look at, when not all of them (``field(compare=False)``).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs a one-shot command 3 ms
if TYPE_CHECKING:
    from typing import Self


class Record:
    __slots__ = ()
    #: The fields, in the order of ``__init__`` and of the repr.
    _fields: tuple[str, ...] = ()
    #: The fields that equality and the hash compare; empty: all of ``_fields``.
    _compared: tuple[str, ...] = ()

    def _init(self, *values: object) -> None:
        for name, value in zip(self._fields, values, strict=True):
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._compared or self._fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use replace()")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def replace(self, **changes: object) -> Self:
        """A copy with some fields changed, like ``dataclasses.replace``: made by ``__init__``,
        so what it checks or cleans (a SourceProblem's foreign text) holds for the copy too."""
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        return type(self)(*(changes.get(name, getattr(self, name)) for name in self._fields))

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        # copy, deepcopy and pickle remake a Record through __init__ (their default sets each
        # slot with setattr, which a frozen Record refuses).
        return type(self), tuple(getattr(self, name) for name in self._fields)
