"""spaCy rules (blank multi-language pipeline, works offline) for labels and company names.

No trained pipeline can be installed here, so a blank "xx" tokenizer plus PhraseMatcher/Matcher
rules do the work; the pipeline is built once per process and shared (matching is read-only).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from extract.composed import composed_labels
from extract.lexicon import DOC_WORDS, LABELS, fold

LEGAL_FORMS: tuple[str, ...] = (
    "gmbh",
    "ag",
    "kg",
    "ohg",
    "gbr",
    "ug",
    "e.k.",
    "e.v.",
    "mbh",
    "kgaa",
    "se",
    "sarl",
    "s.a.r.l.",
    "sas",
    "s.a.s.",
    "sa",
    "s.a.",
    "eurl",
    "sasu",
    "sci",
    "bv",
    "b.v.",
    "nv",
    "n.v.",
    "vof",
    "v.o.f.",
    "sl",
    "s.l.",
    "slu",
    "s.l.u.",
    "s.a.u.",
    "srl",
    "s.r.l.",
    "spa",
    "s.p.a.",
    "snc",
    "s.n.c.",
    "sapa",
    "ltd",
    "ltd.",
    "limited",
    "inc",
    "inc.",
    "llc",
    "plc",
    "llp",
    "corp",
    "corp.",
    "co.",
    "bhd",
    "sdn",
    "s/b",
    "pte",
)


@dataclass(frozen=True)
class LabelHit:
    """A label found in a folded string: class name and character span."""

    label: str
    start: int
    end: int


class _Rules:
    def __init__(self) -> None:
        import spacy
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = spacy.blank("xx")
        self.labels = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for name, phrases in LABELS.items():
            self.labels.add(name, [self.nlp.make_doc(fold(p)) for p in set(phrases)])
        self.docwords = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for name, phrases in DOC_WORDS.items():
            self.docwords.add(name, [self.nlp.make_doc(fold(p)) for p in set(phrases)])
        self.orgs = Matcher(self.nlp.vocab)
        self.orgs.add("ORG_FORM", [[{"LOWER": {"IN": list(LEGAL_FORMS)}}]])
        self.orgs.add("ORG_FORM", [[{"LOWER": "sdn"}, {"LOWER": "bhd"}]])
        self.orgs.add("ORG_FORM", [[{"LOWER": "&"}, {"LOWER": "co"}]])


_rules: _Rules | None = None
_lock = threading.Lock()
# Tokenising adds lexemes to the shared Vocab, which is not safe across threads: serialise.
_use_lock = threading.Lock()


def rules() -> _Rules:
    """The per-process spaCy rules, built on first use."""
    global _rules
    if _rules is None:
        with _lock:
            if _rules is None:
                _rules = _Rules()
    return _rules


def _spans(matcher: Any, doc: Any) -> list[LabelHit]:
    import spacy.util

    r = rules()
    matches = [doc[s:e] for _, s, e in matcher(doc)]
    names = {(s, e): r.nlp.vocab.strings[m] for m, s, e in matcher(doc)}
    hits = []
    for span in spacy.util.filter_spans(matches):
        hits.append(LabelHit(names[(span.start, span.end)], span.start_char, span.end_char))
    return sorted(hits, key=lambda h: h.start)


def find_labels(folded: str) -> list[LabelHit]:
    """Longest non-overlapping labels in already-folded text: listed phrases and labels
    composed from word stems (extract/composed.py); on equal length the listed phrase wins."""
    r = rules()
    with _use_lock:
        phrases = _spans(r.labels, r.nlp.make_doc(folded))
    pool = [(h.end - h.start, 1, h) for h in phrases]
    pool += [(e - s, 0, LabelHit(label, s, e)) for label, s, e in composed_labels(folded)]
    chosen: list[LabelHit] = []
    for _length, _listed, hit in sorted(pool, key=lambda t: (-t[0], -t[1], t[2].start)):
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def find_doc_words(folded: str) -> list[LabelHit]:
    """Document-kind words (invoice, credit note, receipt...) in folded text."""
    r = rules()
    with _use_lock:
        return _spans(r.docwords, r.nlp.make_doc(folded))


def has_legal_form(text: str) -> bool:
    """True when the text contains a company legal form (GmbH, B.V., SARL, Ltd...)."""
    r = rules()
    with _use_lock:
        return bool(r.orgs(r.nlp.make_doc(text)))
