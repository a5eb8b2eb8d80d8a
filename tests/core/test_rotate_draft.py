"""What the rotate form keeps when it is left unsent: what was typed, by the secret it was opened
for, never the password; and nothing when nothing was typed, so the ledger's values come first."""

from __future__ import annotations

from tui.core.rotate_draft import RotateDraft, keep_draft
from tui.core.rotation import rotate_discard_question
from tui.core.workflows import Ask

FRESH = RotateDraft("ghcr", "ghcr.io", "octo", "", "ghcr", ("dev",))


def test_what_was_typed_is_kept_by_the_secret_the_form_was_opened_for() -> None:
    kept: dict[str, RotateDraft] = {}
    typed = RotateDraft("ghcr-2", "ghcr.io", "octo", "ops@example.com", "ghcr", ("dev", "test"))
    keep_draft(kept, "ghcr", typed, FRESH)
    assert kept == {"ghcr": typed}
    other = RotateDraft("quay", "quay.io", "", "", "quay", ())
    keep_draft(kept, "quay", other, other)  # opened and left as it came: nothing to keep
    assert kept == {"ghcr": typed}
    # Typed back to what a fresh form holds: nothing is kept, the ledger's next values win.
    keep_draft(kept, "ghcr", FRESH, FRESH)
    assert kept == {}


def test_a_kept_draft_has_no_password_field() -> None:
    assert "password" not in RotateDraft.__dataclass_fields__


def test_the_discard_question_says_what_goes_and_what_stays() -> None:
    question = rotate_discard_question("ghcr\x1b[31m")
    assert question.kind is Ask.DISCARD and (question.yes, question.no) == (
        "Discard",
        "Keep editing",
    )
    assert "never kept" in question.body and "“ghcr" in question.body
    assert "\x1b" not in question.body  # a name AI Core listed is foreign text
    assert "rotate a new secret" in rotate_discard_question("").body
