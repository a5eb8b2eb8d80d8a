"""Record: the dataclass stand-in of the one-shot path keeps a frozen dataclass's promises."""

from __future__ import annotations

import pytest

from tui.core.request import Problem, SecretDraft
from tui.core.secret import Secret


def test_equality_hash_repr_and_replace() -> None:
    draft = SecretDraft("my-reg", "ghcr.io", "octo", Secret("tok"), "me@x.io")
    same = SecretDraft(name="my-reg", registry="ghcr.io", username="octo", password=Secret("tok"),
                       email="me@x.io")  # fmt: skip
    assert draft == same and hash(draft) == hash(same)
    assert draft != SecretDraft("my-reg", "ghcr.io", "octo", Secret("other"), "me@x.io")
    assert draft != ("my-reg", "ghcr.io", "octo", Secret("tok"), "me@x.io")
    assert repr(draft) == (
        "SecretDraft(name='my-reg', registry='ghcr.io', username='octo', "
        "password=Secret('********'), email='me@x.io')"
    )
    emptied = draft.replace(password=Secret(""))
    assert (emptied.name, emptied.password.reveal()) == ("my-reg", "")
    assert draft.password.reveal() == "tok"
    with pytest.raises(TypeError, match="no field colour"):
        draft.replace(colour="red")
    assert SecretDraft().password.reveal() == "" and SecretDraft().name == ""
    assert Problem("name", "x") == Problem("name", "x", warning=False)


def test_frozen() -> None:
    problem = Problem("name", "too long")
    with pytest.raises(AttributeError):
        problem.message = "changed"
    with pytest.raises(AttributeError):
        del problem.field
    with pytest.raises(AttributeError):
        problem.colour = "red"


def test_compared_fields_alone_decide_equality_and_hash() -> None:
    from pathlib import Path

    from tui.core.profile_model import Profile, Source

    plain = Profile("dev", "https://api.example.com", "https://auth/oauth/token", "sb-dev")
    carrying = plain.replace(inline_secret=Secret("s"), ledger_dir=Path("/tmp/x"))
    # The same profile, whatever secret it carries and wherever its ledger is...
    assert plain == carrying and hash(plain) == hash(carrying)
    # ...but not under another name or source.
    assert plain != plain.replace(name="prod")
    assert plain != plain.replace(source=Source.SDK)
    assert carrying.inline_secret is not None and carrying.inline_secret.reveal() == "s"
    assert "inline_secret=Secret('********')" in repr(carrying)


def test_replace_runs_the_checks_of_init() -> None:
    # dataclasses.replace ran __post_init__: a SourceProblem's path and message, quoted from
    # files and the environment, were made displayable however the problem was made.
    from tui.core.profile_model import Source, SourceProblem

    problem = SourceProblem(Source.SDK, "/home/a/.aicore/config_dev.json", 1, "broken")
    message = "bad \x1b[2J\u202e" + "m" * 5000
    hostile = problem.replace(path="/tmp/\x1b]0;owned\x07x", message=message)
    assert "\x1b" not in hostile.path and "\x1b" not in hostile.message
    assert "\u202e" not in hostile.message and len(hostile.message) <= 2000
    assert (hostile.source, hostile.line) == (Source.SDK, 1)


def test_copy_and_pickle_as_a_frozen_dataclass_did() -> None:
    import copy
    import pickle

    from tui.core.profile_model import Profile, Source
    from tui.core.web_address import parse_web_address

    address = parse_web_address("https://api.example.com:8443/v2", "AI API URL")
    assert pickle.loads(pickle.dumps(address)) == address
    assert copy.deepcopy(address) == address
    profile = Profile("dev", "https://api", "https://auth", "sb", source=Source.SDK,
                      inline_secret=Secret("s"))  # fmt: skip
    shallow = copy.copy(profile)
    assert shallow == profile and shallow.inline_secret is profile.inline_secret
    # A Secret inside still refuses to be written anywhere, as it did in a dataclass.
    with pytest.raises(TypeError, match="Secret cannot be pickled"):
        pickle.dumps(profile)


def test_every_record_takes_its_fields_in_order() -> None:
    # replace(), copy and pickle remake a Record as type(self)(*fields): an __init__ whose
    # parameters differ from _fields would quietly swap values.
    import inspect
    import pkgutil
    from importlib import import_module

    import tui
    from tui.core.record import Record

    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        if not module.name.endswith(("__main__", "demo_serve")):  # those run when imported
            import_module(module.name)

    def subclasses(cls: type[Record]) -> list[type[Record]]:
        return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

    records = subclasses(Record)
    assert len(records) >= 8, "the walk found too few Records to mean anything"
    for record in records:
        parameters = tuple(inspect.signature(record.__init__).parameters)[1:]
        assert parameters == record._fields, record.__qualname__
