"""spaCy rules (blank multi-language pipeline, works offline) for labels and company names.

No trained pipeline can be installed here, so a blank "xx" tokenizer plus PhraseMatcher/Matcher
rules do the work; the pipeline is built once per process and shared (matching is read-only).
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass
from typing import Any

from extract.composed import composed_labels
from extract.lexicon import DOC_WORDS, LABELS, fold
from extract.literals import alternation
from extract.memo import per_document

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
        label_docs = []
        for name, phrases in LABELS.items():
            docs = [self.nlp.make_doc(fold(p)) for p in set(phrases)]
            self.labels.add(name, docs)
            label_docs += docs
        self.ocr_labels = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        ocr_docs = []
        for name, phrases in LABELS.items():
            docs = [self.nlp.make_doc(p) for p in {ocr_skeleton(fold(p)) for p in phrases}]
            self.ocr_labels.add(name, docs)
            ocr_docs += docs
        self.docwords = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        word_docs = []
        for name, phrases in DOC_WORDS.items():
            docs = [self.nlp.make_doc(fold(p)) for p in set(phrases)]
            self.docwords.add(name, docs)
            word_docs += docs
        self.maybe_labels = _needles(label_docs)
        self.maybe_ocr_labels = _needles(ocr_docs)
        self.maybe_docwords = _needles(word_docs)
        self.orgs = Matcher(self.nlp.vocab)
        self.orgs.add("ORG_FORM", [[{"LOWER": {"IN": list(LEGAL_FORMS)}}]])
        self.orgs.add("ORG_FORM", [[{"LOWER": "sdn"}, {"LOWER": "bhd"}]])
        self.orgs.add("ORG_FORM", [[{"LOWER": "&"}, {"LOWER": "co"}]])
        # A token's lower case is a piece of the text's lower case: no form there, no match.
        self.maybe_org = re.compile(alternation({*LEGAL_FORMS, "&"}))


def _needles(phrases: list[Any]) -> re.Pattern[str]:
    """Text without a match of this pattern holds none of the phrases, so the matcher (and the
    tokenizer before it) can be skipped: a phrase matches tokens whose texts equal its own, and
    a token's text is a piece of the string, so each of a phrase's tokens is in the string.
    Most segments of a page hold no document word and many no label phrase."""
    needles = {_needle(doc) for doc in phrases if len(doc)}
    return re.compile(alternation(needles))


def _needle(phrase: Any) -> str:
    """The phrase's token least likely to occur by chance: the longest; among equals, one that
    is not all letters ("°" of "n°"), else the last ("nr" of "re-nr."). A one-letter needle
    ("n") would let almost every segment through to the tokenizer."""
    ranked = [(len(t.text), not t.text.isalpha(), i, t.text) for i, t in enumerate(phrase)]
    return max(ranked)[3]


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
    """The longest non-overlapping matches (spacy.util.filter_spans, on token indices rather
    than Span objects: the same choice, the same order, without building a Span per match)."""
    r = rules()
    found = matcher(doc)
    names = {(s, e): r.nlp.vocab.strings[m] for m, s, e in found}
    longest_first = sorted(
        ((s, e) for _, s, e in found), key=lambda t: (t[1] - t[0], -t[0]), reverse=True
    )
    kept: list[tuple[int, int]] = []
    seen: set[int] = set()
    for s, e in longest_first:
        if s not in seen and e - 1 not in seen:
            kept.append((s, e))
            seen.update(range(s, e))
    hits = []
    for s, e in sorted(kept, key=lambda t: t[0]):
        last = doc[e - 1]
        hits.append(LabelHit(names[(s, e)], doc[s].idx, last.idx + len(last.text)))
    return sorted(hits, key=lambda h: h.start)


# Glyphs OCR confuses with the letter i: "Zahibar bis" (Zahlbar), "1.V.A." and "LVA." (I.V.A.).
_LOOKALIKES = str.maketrans({"l": "i", "1": "i", "|": "i", "!": "i"})


def ocr_skeleton(folded: str) -> str:
    """The folded text with OCR look-alikes made one glyph; the same length, so a span found
    in the skeleton is the same span in the text."""
    return folded.translate(_LOOKALIKES)


@per_document
def find_labels(folded: str) -> list[LabelHit]:
    """Longest non-overlapping labels in already-folded text: listed phrases and labels
    composed from word stems (extract/composed.py); on equal length the listed phrase wins."""
    return _find_labels(folded, ocr=False)


@per_document
def find_ocr_labels(folded: str) -> list[LabelHit]:
    """`find_labels` for text read by OCR: listed phrases are also matched on its skeleton
    (look-alike glyphs made one); an exact reading wins over a look-alike one of equal length."""
    return _find_labels(folded, ocr=True)


def _find_labels(folded: str, ocr: bool) -> list[LabelHit]:
    r = rules()
    phrases: list[LabelHit] = []
    lookalike: list[LabelHit] = []
    if r.maybe_labels.search(folded):
        with _use_lock:
            phrases = _spans(r.labels, r.nlp.make_doc(folded))
    skeleton = ocr_skeleton(folded) if ocr else ""
    if ocr and r.maybe_ocr_labels.search(skeleton):
        with _use_lock:
            lookalike = _spans(r.ocr_labels, r.nlp.make_doc(skeleton))
    pool = [(h.end - h.start, 2, h) for h in phrases]
    pool += [(h.end - h.start, 1, h) for h in lookalike]
    pool += [(e - s, 0, LabelHit(label, s, e)) for label, s, e in composed_labels(folded)]
    chosen: list[LabelHit] = []
    for _length, _listed, hit in sorted(pool, key=lambda t: (-t[0], -t[1], t[2].start)):
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


@per_document
def find_doc_words(folded: str) -> list[LabelHit]:
    """Document-kind words (invoice, credit note, receipt...) in folded text."""
    r = rules()
    if not r.maybe_docwords.search(folded):
        return []
    with _use_lock:
        return _spans(r.docwords, r.nlp.make_doc(folded))


def has_legal_form(text: str) -> bool:
    """True when the text contains a company legal form (GmbH, B.V., SARL, Ltd...)."""
    r = rules()
    if not r.maybe_org.search(text.lower()):
        return False
    with _use_lock:
        lowers = [token.lower_ for token in r.nlp.make_doc(text)]
    # The `orgs` rules read token by token (a Matcher call costs more than the tokens): a
    # token that is a legal form ("sdn bhd" holds one), or "&" followed by "co".
    return any(low in _FORMS for low in lowers) or any(
        a == "&" and b == "co" for a, b in itertools.pairwise(lowers)
    )


_FORMS = frozenset(LEGAL_FORMS)
