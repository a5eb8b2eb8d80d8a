"""Which profile a command uses: named, AICORE_PROFILE, the only one, else a sentence."""

from __future__ import annotations

import json
from pathlib import Path

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
    # An empty --profile '' is no name, as it always was: AICORE_PROFILE, else the only one.
    assert choose_profile("", result=_result("only"), env={}).name == "only"
    assert choose_profile("", result=both, env={"AICORE_PROFILE": "dev"}).name == "dev"


def test_sentences_list_the_names() -> None:
    both = _result("dev", "prod")
    assert explain(None, result=both, env={}) == (
        "There are 2 profiles: dev, prod. Say which with --profile NAME (or set AICORE_PROFILE)."
    )
    assert "no profile named “qa” (--profile). Profiles: dev, prod." in explain(
        "qa", result=both, env={}
    )
    assert "(AICORE_PROFILE)" in explain(None, result=both, env={"AICORE_PROFILE": "qa"})
    assert "no connection profiles yet" in explain(None, result=_result(), env={})


def test_aicore_profile_is_the_sdk_profile_even_when_one_of_ours_has_its_name(
    tmp_path: Path,
) -> None:
    # AICORE_PROFILE names an SDK file (config_dev.json); one of ours called "dev" renames that
    # SDK profile "dev (AI Core SDK)", and `regsecret profiles` marks that one as the default: a
    # command must work on the same tenant, not on ours.
    from tui.core.profile_store import ProfileStore

    store = ProfileStore(tmp_path / "config")
    store.add(Profile("dev", "https://api.ours.example.com", "https://auth.ours/oauth/token", "o"))
    sdk = tmp_path / "home" / ".aicore"
    sdk.mkdir(parents=True)
    (sdk / "config_dev.json").write_text(json.dumps({
        "AICORE_AUTH_URL": "https://auth.sdk.example.com", "AICORE_CLIENT_ID": "sb",
        "AICORE_CLIENT_SECRET": "s", "AICORE_BASE_URL": "https://api.sdk.example.com/v2",
    }))  # fmt: skip
    env = {"AICORE_PROFILE": "dev"}
    chosen = choose_profile(None, env=env, home=tmp_path / "home", store=store)
    assert (chosen.name, chosen.source) == ("dev (AI Core SDK)", Source.SDK)
    assert chosen.api_url == "https://api.sdk.example.com"
    # --profile dev is still ours, and AICORE_PROFILE still finds one of ours without an SDK file.
    assert choose_profile("dev", env=env, home=tmp_path / "home", store=store).source is Source.OURS
    (sdk / "config_dev.json").unlink()
    assert choose_profile(None, env=env, home=tmp_path / "home", store=store).source is Source.OURS
