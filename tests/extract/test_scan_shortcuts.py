"""The engine's shortcuts give the answers of the plain rules they stand in for: the fold table,
the per-document memo of the text scanners, the matcher's pre-check, the SimHash sums."""

import hashlib
import unicodedata
from collections import Counter

from extract import nlp
from extract.fingerprint import BITS, simhash
from extract.lexicon import DOC_WORDS, LABELS, fold
from extract.memo import one_document, per_document


def _fold_per_character(text: str) -> str:
    """The rule fold implements: each character lower-cased (when that keeps one character)
    and stripped of its combining marks."""
    out = []
    for ch in text:
        low = ch.lower()
        if len(low) != 1:
            low = ch
        base = "".join(
            c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c)
        )
        out.append(base[0] if base else low)
    return "".join(out)


def test_fold_gives_the_per_character_rule_for_every_character() -> None:
    everything = "".join(chr(c) for c in range(0x30000) if not 0xD800 <= c <= 0xDFFF)
    assert fold(everything) == _fold_per_character(everything)
    for text in ("Fälligkeit", "TOTAL TTC", "İstanbul ǅ ẞ ﬁ", "Σ n° Ⅻ", ""):
        assert fold(text) == _fold_per_character(text)


def test_a_scanner_runs_once_per_string_within_one_document_and_each_caller_owns_its_list() -> None:
    calls: list[str] = []

    @per_document
    def scan(text: str) -> list[str]:
        calls.append(text)
        return text.split()

    with one_document():
        first = scan("a b")
        first.append("changed by the caller")
        assert scan("a b") == ["a", "b"]
        assert scan("c") == ["c"]
    assert calls == ["a b", "c"]
    with one_document():  # a new document remembers nothing of the last one
        scan("a b")
    scan("a b")  # outside a document the scanner simply runs
    assert calls == ["a b", "c", "a b", "a b"]


def _phrases_in(texts: list[str]) -> list[str]:
    return texts + [f"{a} {b}" for a, b in zip(texts, reversed(texts), strict=True)]


def test_the_pre_check_never_hides_a_phrase_the_matcher_finds() -> None:
    r = nlp.rules()
    labels = [fold(p) for phrases in LABELS.values() for p in phrases]
    words = [fold(p) for phrases in DOC_WORDS.values() for p in phrases]
    texts = [*_phrases_in(labels + words), "rechnung nr.: 2024-17", "iban de12 3456", "120,00 eur"]
    for text in texts:
        assert nlp.find_doc_words(text) == nlp._spans(r.docwords, r.nlp.make_doc(text))
        if not r.maybe_labels.search(text):  # then find_labels skips the matcher
            assert nlp._spans(r.labels, r.nlp.make_doc(text)) == []
    for text in ("ACME GmbH", "Foo Sdn Bhd", "Smith & Co", "Betrag 12,00", "B.V.", "Rechnung"):
        assert nlp.has_legal_form(text) == bool(r.orgs(r.nlp.make_doc(text)))


def _simhash_token_by_token(words: list[str]) -> str | None:
    counts = Counter(words)
    if not counts:
        return None
    weights = [0] * BITS
    for token, count in counts.items():
        value = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "big")
        for bit in range(BITS):
            weights[bit] += count if value >> bit & 1 else -count
    return f"{sum(1 << bit for bit in range(BITS) if weights[bit] > 0):016x}"


def test_simhash_gives_the_token_by_token_sums() -> None:
    for words in ([], ["ab"], ["ab", "ab", "cd"], [f"w{i % 37}" for i in range(500)]):
        assert simhash(words) == _simhash_token_by_token(words)
