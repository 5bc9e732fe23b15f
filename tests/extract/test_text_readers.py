"""The fast reader (pdfium) and the reference reader (pdfplumber) agree on the corpus.

Known, explained differences (checked below, nothing else may differ):
- pdfplumber glues words whose gap is under 3 pt ("MengeEinheit", "20Stk", "19%UST(S)");
  pdfium splits them at the space it places there. Such a word must be the concatenation of
  pdfium words on the same line.
- pdfium splits a capital kerned away from its word less often ("K lantnummer") and reads
  overprinted text in content order ("prélèvemen2t" in pdfplumber is "prélèvement" + "29.99"):
  the reference word's characters are then all on the fast reader's line.
- pdfplumber keeps a symbol and the word after it together when the font's space is a glyph
  ("📞 +33"); pdfium gives two words.
- A hyphen at a line break is one word with its stem in pdfplumber ("Beamer-"); pdfium marks it
  U+0002, which the fast reader turns back into "-".
Positions: every word both readers give has its box within half a line height.
"""

from __future__ import annotations

import collections

from extract_testkit import CORPUS

from extract.layout import Word
from extract.pdfio import merge_split_capitals, read_text_pages
from extract.pdftext import page_words
from tests.conftest import need_shared


def corpus_pdfs() -> list:  # type: ignore[type-arg]
    return sorted(need_shared(CORPUS).rglob("*.pdf"))


def fast_pages(data: bytes) -> list[list[Word]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            out.append(merge_split_capitals(page_words(page, page.get_textpage(), i + 1)))
        return out
    finally:
        pdf.close()


def explained(missing: str, fast: collections.Counter[str], fast_line: str) -> bool:
    squeezed = fast_line.replace(" ", "")
    glued = missing.replace(" ", "")
    if glued in squeezed or missing.rstrip("-") in fast:
        return True
    # Overprinted text: the same characters on the same line, interleaved differently.
    return collections.Counter(glued) <= collections.Counter(squeezed)


def test_fast_reader_matches_the_reference_reader_on_the_corpus() -> None:
    unexplained: list[str] = []
    compared = 0
    far: list[str] = []
    for path in corpus_pdfs():
        data = path.read_bytes()
        for reference, fast_words in zip(read_text_pages(data, 50), fast_pages(data), strict=True):
            ref = collections.Counter(w.text for w in reference.words)
            fast = collections.Counter(w.text for w in fast_words)
            by_text = collections.defaultdict(list)
            for w in fast_words:
                by_text[w.text].append(w)
            for w in reference.words:
                twins = by_text.get(w.text)
                if not twins:
                    continue
                compared += 1
                best = min(twins, key=lambda t: abs(t.x0 - w.x0) + abs(t.top - w.top))
                off = max(abs(best.x0 - w.x0), abs(best.top - w.top), abs(best.bottom - w.bottom))
                if off > 0.5 * w.height and off > 6:
                    far.append(f"{path.name} p{reference.number} {w.text!r} off by {off:.1f}")
            for text in ref - fast:
                same_line = " ".join(
                    f.text
                    for f in fast_words
                    if any(abs(f.top - r.top) < r.height for r in reference.words if r.text == text)
                )
                if not explained(text, fast, same_line):
                    unexplained.append(f"{path.name} p{reference.number}: {text!r}")
    assert compared > 10_000
    assert not far, far[:20]
    assert not unexplained, unexplained[:20]
