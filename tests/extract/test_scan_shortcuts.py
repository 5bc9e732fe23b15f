"""The engine's shortcuts give the answers of the plain rules they stand in for: the fold table,
the per-document memo of the text scanners, the matcher's pre-check, the SimHash sums, the
composed labels' gate, the receipt wording read per line, the trie-shaped needles, a Word's
own __init__, the year, currency and paid gates, the legal forms read token by token,
the reference patterns' digit gate."""

import dataclasses
import datetime
import hashlib
import inspect
import itertools
import re
import unicodedata
from collections import Counter
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import ExtractConfig, nlp
from extract.composed import composed_labels, composed_labels_ungated
from extract.currency import currency_marks, currency_marks_ungated
from extract.dates import find_dates, find_dates_ungated
from extract.deadlines import _RECEIPT_RE, _VERB_RE, _sentences, due_on_receipt
from extract.fingerprint import BITS, simhash
from extract.guard import failure_boundary
from extract.layout import PageLayout, Word
from extract.lexicon import DOC_WORDS, LABELS, fold
from extract.lexicon.amounts import LEVY_SUBJECTS, LEVY_WORDS, NET_QUALIFIERS, TAX_WORDS
from extract.lexicon.dates import DEADLINE_VERBS, ON_RECEIPT
from extract.lexicon.identifiers import DOCUMENT_SUBJECTS, ID_MARKERS, OTHER_SUBJECTS
from extract.literals import alternation
from extract.memo import one_document, per_document
from extract.reading import open_source, read_layouts
from extract.result import ExtractionFailed
from extract.settlement import _PAID_RE, paid_statement
from extract.textfields import _REF_HASH_RE, _REF_STRUCT_RE, _REF_TITLE_RE, may_hold_reference
from tests.extract.extract_testkit import FIXTURES, page_of_rows


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
    many = [f"w{i % 37}" for i in range(500)] + [f"t{i * i % 101}" for i in range(300)]
    for words in ([], ["ab"], ["ab", "cd"], ["ab", "ab", "cd"], many, many[::7]):
        assert simhash(words) == _simhash_token_by_token(words)


@cache
def _fixture_pages() -> list[list[PageLayout]]:
    """Every fixture's text pages as the engine lays them out (OCR skipped: a scan's text
    layer is empty, and these tests are about what rules read, not how pages were read)."""
    config = ExtractConfig(reference_date=datetime.date(2025, 6, 1))
    documents = []
    for path in sorted(FIXTURES.glob("*.pdf")):
        try:
            with failure_boundary():
                source = open_source(path.read_bytes(), config)
        except ExtractionFailed:
            continue  # the damaged and locked fixtures have no pages to lay out
        try:
            documents.append(read_layouts(source, skip_ocr=True)[0])
        finally:
            source.close()
    return documents


_PIECES = sorted(
    {
        *DOCUMENT_SUBJECTS,
        *OTHER_SUBJECTS,
        *ID_MARKERS,
        *NET_QUALIFIERS,
        *TAX_WORDS,
        *LEVY_SUBJECTS,
        *LEVY_WORDS,
        *(fold(p) for phrases in LABELS.values() for p in phrases),
        *("de ", "of ", "your ", "l'", "huur", "kd.-", "ref.", "rif.", ":", " : ", ".", "-"),
        *(" ", "  ", "x", "12", "2024-17", "datum", "date", "fecha", "n° ", "#", "(", "é"),
    }
)


def _composed_texts() -> list[str]:
    segments = [s.folded for pages in _fixture_pages() for page in pages for s in page.segments()]
    pairs = [a + b for a, b in itertools.product((*ID_MARKERS, "", " "), _PIECES)]
    pairs += [a + " " + b for a, b in itertools.product(_PIECES, ID_MARKERS)]
    return segments + _PIECES + pairs


def test_the_composed_gate_never_hides_a_composed_label() -> None:
    texts = _composed_texts()
    assert sum(bool(composed_labels_ungated(t)) for t in texts) > 1000  # the rule does fire
    for text in texts:
        assert composed_labels(text) == composed_labels_ungated(text), text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6))
def test_the_composed_gate_agrees_on_joined_vocabulary(pieces: list[str]) -> None:
    for sep in ("", " "):
        text = sep.join(pieces)
        assert composed_labels(text) == composed_labels_ungated(text)


def _due_on_receipt_by_sentences(pages: list[PageLayout]) -> bool:
    """The rule as first written: a sentence's own line holds receipt wording and a verb."""
    return any(
        _RECEIPT_RE.search(s.folded[: s.own]) and _VERB_RE.search(s.folded[: s.own])
        for s in _sentences(pages)
    )


def test_due_on_receipt_per_line_gives_the_sentence_rule() -> None:
    documents = list(_fixture_pages())
    # Receipt wording and a paying verb on one line, on two lines, and in accented text.
    verb, receipt = DEADLINE_VERBS[0], ON_RECEIPT[0]
    for rows in (
        [[(50.0, f"{verb.title()} {receipt}")]],
        [[(50.0, verb)], [(50.0, receipt)]],
        [[(50.0, verb), (300.0, receipt)]],  # two segments of one line
        [[(50.0, "Zahlbar sofort"), (300.0, "Échéance à réception")]],
        [[(50.0, f"{receipt} {verb}")], [(50.0, "Betrag 12,00")]],
    ):
        documents.append([page_of_rows(rows)])
    assert any(_due_on_receipt_by_sentences(pages) for pages in documents)
    for pages in documents:
        assert due_on_receipt(pages) == _due_on_receipt_by_sentences(pages)


_ALPHABET = "abnr.° \\(|?*"  # few letters (strings share prefixes) and regex syntax


@settings(max_examples=500, deadline=None)
@given(
    st.sets(st.text(_ALPHABET, min_size=1, max_size=6), min_size=1, max_size=12),
    st.lists(st.text(_ALPHABET, max_size=20), max_size=8),
)
def test_a_trie_alternation_finds_a_string_exactly_where_one_occurs(
    words: set[str], texts: list[str]
) -> None:
    pattern = re.compile(alternation(words))
    for word in words:
        assert pattern.fullmatch(word)
    for text in [*texts, *words, *(w + w for w in words)]:
        assert bool(pattern.search(text)) == any(w in text for w in words)
        assert bool(pattern.fullmatch(text)) == (text in words)


def test_the_legal_form_needle_is_the_substring_rule() -> None:
    r = nlp.rules()
    texts = [*_composed_texts(), "ACME GmbH", "Foo Sdn Bhd", "Smith & Co", "s.a.r.l."]
    forms = {*nlp.LEGAL_FORMS, "&"}
    for text in texts:
        assert bool(r.maybe_org.search(text)) == any(f in text for f in forms)


def test_a_word_is_built_as_the_generated_frozen_init_builds_it() -> None:
    params = list(inspect.signature(Word.__init__).parameters.values())[1:]
    assert [(p.name, p.default) for p in params] == [
        (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
        for f in dataclasses.fields(Word)
    ]
    word = Word("Betrag:", 1.0, 2.0, 3.0, 4.0, 2)
    assert vars(word) == {
        "text": "Betrag:",
        "x0": 1.0,
        "top": 2.0,
        "x1": 3.0,
        "bottom": 4.0,
        "page": 2,
        "conf": 1.0,
        "source": "text",
    }
    ocr = Word(text="x", x0=0, top=0, x1=1, bottom=1, page=1, conf=0.5, source="ocr")
    assert (ocr.conf, ocr.source) == (0.5, "ocr")
    assert word == Word("Betrag:", 1.0, 2.0, 3.0, 4.0, 2) and hash(word) == hash(
        Word("Betrag:", 1.0, 2.0, 3.0, 4.0, 2)
    )
    assert dataclasses.replace(word, text="x") == Word("x", 1.0, 2.0, 3.0, 4.0, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        word.text = "changed"  # type: ignore[misc]


_DATE_TEXTS = [
    "05.03.2025", "5 March 2025", "March 5, 2025", "2025-03-05", "1.200,00", "12/31/99",
    "Rechnung 2024-17", "mwst. 19%", "1920", "20 mars 2019", "le 3 févr. 2031", "1.2.33",
    "12-05-24", "tel. 020 1234 567", "٠٥.٠٣.٢٠٢٥", "2o25", "1 jan 1899", "dic 31, 2099",
    "5 March 1999", "1987-12-31", "Jan 5, 1990",
]  # fmt: skip


def test_the_year_gate_never_hides_a_date() -> None:
    segments = [s.text for pages in _fixture_pages() for page in pages for s in page.segments()]
    texts = segments + _DATE_TEXTS
    assert sum(bool(find_dates_ungated(t)) for t in texts) > 20
    for text in texts:
        assert find_dates(text) == find_dates_ungated(text), text


@settings(max_examples=400, deadline=None)
@given(st.text("0129 ./-marzoMARdec,º", max_size=24))
def test_the_year_gate_agrees_on_digit_soup(text: str) -> None:
    assert find_dates(text) == find_dates_ungated(text)


_CURRENCY_TEXTS = [
    "1.200,00 €", "US$ 5.00", "EUR 12", "eur", "Euros 3", "RS. 200", "rm 12,00", "INR",
    "dollars", "Dollar", "CHF", "\u212arw 1000", "ſek", "£", "¥", "₹", "S$", "euro-zone",
]  # fmt: skip


def test_the_currency_gate_never_hides_a_mark() -> None:
    segments = [s.text for pages in _fixture_pages() for page in pages for s in page.segments()]
    texts = segments + _CURRENCY_TEXTS
    assert sum(bool(currency_marks_ungated(t)) for t in texts) > 50
    for text in texts:
        assert currency_marks(text) == currency_marks_ungated(text), text


@settings(max_examples=400, deadline=None)
@given(st.text("eurERUsdchfkrwinrmdolaŕ\u212aſ$€ .1", max_size=16))
def test_the_currency_gate_agrees_on_letter_soup(text: str) -> None:
    assert currency_marks(text) == currency_marks_ungated(text)


_COMPANY_PIECES = sorted(
    {*nlp.LEGAL_FORMS, *(f.upper() for f in nlp.LEGAL_FORMS), "&", "& co", "&co", "Co", "Sdn"}
    | {"ACME", "Betrag", "Bhd", "(", ")", ",", "-", "Gmbh&Co", "KG.", "sarl:", "12"}
)


def test_legal_forms_read_token_by_token_give_the_matcher_rule() -> None:
    r = nlp.rules()
    segments = [s.text for pages in _fixture_pages() for page in pages for s in page.segments()]
    pairs = [f"{a} {b}" for a, b in itertools.product(_COMPANY_PIECES, repeat=2)]
    texts = segments + _COMPANY_PIECES + pairs
    assert sum(nlp.has_legal_form(t) for t in texts) > 100
    for text in texts:
        assert nlp.has_legal_form(text) == bool(r.orgs(r.nlp.make_doc(text))), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_COMPANY_PIECES), min_size=1, max_size=5))
def test_legal_forms_agree_with_the_matcher_on_joined_pieces(pieces: list[str]) -> None:
    r = nlp.rules()
    for sep in (" ", "", ", "):
        text = sep.join(pieces)
        assert nlp.has_legal_form(text) == bool(r.orgs(r.nlp.make_doc(text)))


_PAID_PIECES = (
    "already paid", "bereits bezahlt", "Rechnung bezahlt", "facture acquittée", "paid by card",
    "Betaald via incasso", "nothing further to pay", "no payment is required", "u hoeft niets te",
    "doen", "rien à payer", "ya pagado", "payé", "réglée", "if you have", "50,00", ". ", "total",
)  # fmt: skip


def test_the_paid_gate_never_hides_a_paid_statement() -> None:
    lines = [fold(line.text) for pages in _fixture_pages() for page in pages for line in page.lines]
    pairs = [fold(f"{a} {b}") for a, b in itertools.product(_PAID_PIECES, repeat=2)]
    texts = lines + pairs
    assert sum(bool(_PAID_RE.search(t)) for t in texts) > 100
    for text in texts:
        found, plain = paid_statement(text), _PAID_RE.search(text)
        assert (found and found.span()) == (plain and plain.span()), text


_REF_PIECES = (
    "rechnung", "Invoice", "facture", "nr.", "no", "#", "n°", "nº", ":", " ", "-", "/", "ab",
    "x", "Nummer", "K", "\u212a", "é", "credit note", "2024-17", "F12", "٣",
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_REF_PIECES), max_size=8))
def test_the_reference_patterns_find_nothing_where_the_gate_finds_no_digit(
    pieces: list[str],
) -> None:
    for text in ("".join(pieces), " ".join(pieces)):
        for folded in (text, fold(text)):
            found = [
                bool(_REF_STRUCT_RE.search(folded)),
                bool(_REF_TITLE_RE.match(folded)),
                bool(_REF_HASH_RE.match(folded)),
            ]
            if not may_hold_reference(folded):
                assert found == [False, False, False]


def test_the_reference_gate_holds_on_the_fixtures() -> None:
    segments = [s.folded for pages in _fixture_pages() for page in pages for s in page.segments()]
    titles = ["rechnung nr. 2024-17", "invoice # 42", "facture n° f123", "invoice fa-2017-0008"]
    patterns = (_REF_STRUCT_RE.search, _REF_TITLE_RE.match, _REF_HASH_RE.match)
    assert all(any(p(t) for p in patterns) for t in [*titles, "# 2024-17"])
    for text in [*segments, *titles, "# 2024-17"]:
        if not may_hold_reference(text):
            assert not _REF_STRUCT_RE.search(text)
            assert not _REF_TITLE_RE.match(text) and not _REF_HASH_RE.match(text)


# The phrases' pieces (words and marks, near enough to the tokenizer's) to join into texts.
_LABEL_TOKENS = sorted(
    {
        piece
        for phrases in [*LABELS.values(), *DOC_WORDS.values()]
        for phrase in phrases
        for piece in re.findall(r"\w+|[^\w\s]", fold(phrase))
    }
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_LABEL_TOKENS), min_size=1, max_size=5), st.sampled_from(["", " "]))
def test_the_needles_never_hide_a_phrase_of_joined_tokens(tokens: list[str], sep: str) -> None:
    r = nlp.rules()
    text = sep.join(tokens)
    doc = r.nlp.make_doc(text)
    if not r.maybe_labels.search(text):
        assert nlp._spans(r.labels, doc) == []
    if not r.maybe_docwords.search(text):
        assert nlp._spans(r.docwords, doc) == []
    skeleton = nlp.ocr_skeleton(text)
    if not r.maybe_ocr_labels.search(skeleton):
        assert nlp._spans(r.ocr_labels, r.nlp.make_doc(skeleton)) == []


def test_the_needles_never_hide_a_phrase_on_the_fixtures() -> None:
    r = nlp.rules()
    segments = [s.folded for pages in _fixture_pages() for page in pages for s in page.segments()]
    spaced = ["n ° 12", "re - nr . 4", "rg-nr. 5", "n° tva fr12", "inv . no . 7", "cap. soc. 1"]
    found = 0
    for text in segments + spaced:
        spans = nlp._spans(r.labels, r.nlp.make_doc(text))
        found += bool(spans)
        if not r.maybe_labels.search(text):
            assert spans == [], text
    assert found > 50
