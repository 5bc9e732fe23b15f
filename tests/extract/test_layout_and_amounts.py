"""Lines, segments, label geometry and the consistency-driven amount resolver."""

from decimal import Decimal

from extract.amounts import resolve_amounts
from extract.candidates import collect, label_index
from extract.layout import PageLayout, Word, build_lines


def _page(rows: list[list[tuple[float, str]]]) -> PageLayout:
    words = []
    for i, row in enumerate(rows):
        top = 100 + 20 * i
        for x, text in row:
            for k, part in enumerate(text.split(" ")):
                x0 = x + 30 * k
                words.append(Word(part, x0, top, x0 + 6 * len(part), top + 10, 1))
    return PageLayout(1, 595, 842, "text", build_lines(words, 1))


def test_big_gaps_split_segments_small_gaps_do_not() -> None:
    page = _page([[(50, "Total TTC"), (400, "120,00")]])
    assert [s.text for s in page.lines[0].segments] == ["Total TTC", "120,00"]


def test_value_below_a_column_header() -> None:
    page = _page(
        [
            [(300, "TOTAL HT"), (400, "TOTAL TVA"), (500, "TOTAL TTC")],
            [(300, "100,00"), (400, "20,00"), (500, "120,00")],
        ]
    )
    cands = collect(label_index([page]), "DMY", ("fra",))
    got = {(c.label, c.value) for c in cands}
    assert ("subtotal", Decimal("100.00")) in got
    assert ("tax", Decimal("20.00")) in got
    assert ("total", Decimal("120.00")) in got


def test_consistent_reading_wins_and_prepayment_explains_due() -> None:
    page = _page(
        [
            [(50, "Description"), (400, "Total")],
            [(50, "Rent"), (400, "999,00")],
            [(300, "Subtotal"), (450, "1.000,00")],
            [(300, "VAT"), (450, "190,00")],
            [(300, "Total"), (450, "1.190,00")],
            [(300, "Deposit paid"), (450, "190,00")],
            [(300, "Balance due"), (450, "1.000,00")],
        ]
    )
    result = resolve_amounts(collect(label_index([page]), "DMY", ("eng",)))
    assert result.gross is not None and result.gross.value == Decimal("1190.00")
    assert result.total is not None and result.total.value == Decimal("1000.00")
    assert result.tax is not None and result.tax.value == Decimal("190.00")
    assert result.consistent_net_tax and result.due_explained
