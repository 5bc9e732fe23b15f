"""Labels read by OCR with look-alike glyphs (extract/nlp.py: ocr_skeleton, find_ocr_labels)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.lexicon import LABELS, fold
from extract.nlp import find_labels, find_ocr_labels, ocr_skeleton

_PHRASES = sorted({fold(p) for phrases in LABELS.values() for p in phrases if "i" in fold(p)})


@st.composite
def misread(draw: st.DrawFn) -> tuple[str, str]:
    """A listed label with some of its i's and l's read as another look-alike glyph."""
    phrase = draw(st.sampled_from(_PHRASES))
    glyphs = [draw(st.sampled_from("il1|")) if c in "il" else c for c in phrase]
    return phrase, "".join(glyphs)


@settings(deadline=None)  # the first call builds the spaCy rules
@given(misread())
def test_a_label_with_look_alike_glyphs_is_found_in_ocr_text(case: tuple[str, str]) -> None:
    phrase, text = case
    assert len(ocr_skeleton(text)) == len(text)  # spans stay valid in the text
    exact = find_labels(phrase)
    hits = find_ocr_labels(text)
    # The misread phrase is read as the label its exact spelling is read as.
    assert [(h.label, h.start, h.end) for h in hits] == [(h.label, h.start, h.end) for h in exact]


def test_look_alikes_count_only_in_ocr_text() -> None:
    assert find_labels(fold("Zahibar bis")) == []
    assert [h.label for h in find_ocr_labels(fold("Zahibar bis"))] == ["due_date"]
    assert [h.label for h in find_ocr_labels(fold("1.V.A. 10%"))] == ["tax"]
    assert [h.label for h in find_ocr_labels(fold("Rechnungsdatum"))] == ["issue_date"]
