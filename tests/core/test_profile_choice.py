"""Which profile a command uses: named, AICORE_PROFILE, the only one, else a sentence."""

from __future__ import annotations

import pytest

from tui.core.errors import ProfileError
from tui.core.profile_choice import choose_profile
from tui.core.profile_model import LoadResult, Profile, Source


def _result(*names: str) -> LoadResult:
    profiles = [
        Profile(name, "https://api.example.com", "https://auth.example.com/oauth/token", "id",
                source=Source.SDK)
        for name in names
    ]  # fmt: skip
    return LoadResult(profiles, [])


def explain(*args: object, **kwargs: object) -> str:
    with pytest.raises(ProfileError) as refused:
        choose_profile(*args, **kwargs)  # type: ignore[arg-type]
    return refused.value.explanation


def test_named_then_aicore_profile_then_the_only_one() -> None:
    both = _result("dev", "prod")
    assert choose_profile("prod", result=both, env={}).name == "prod"
    assert choose_profile(None, result=both, env={"AICORE_PROFILE": "dev"}).name == "dev"
    assert choose_profile("prod", result=both, env={"AICORE_PROFILE": "dev"}).name == "prod"
    assert choose_profile(None, result=_result("only"), env={}).name == "only"


def test_sentences_list_the_names() -> None:
    both = _result("dev", "prod")
    assert explain(None, result=both, env={}) == (
        "There are 2 profiles: dev, prod. Say which with --profile NAME (or set AICORE_PROFILE)."
    )
    assert "no profile named 'qa' (--profile). Profiles: dev, prod." in explain(
        "qa", result=both, env={}
    )
    assert "(AICORE_PROFILE)" in explain(None, result=both, env={"AICORE_PROFILE": "qa"})
    assert "no connection profiles yet" in explain(None, result=_result(), env={})
