"""Date candidates, locale order and dateparser restricted to the document's languages."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from extract.dates import decide_date_order, find_dates, parse_date

LANGS = ("deu", "fra", "eng", "nld", "spa", "ita")


def _one(text: str, order: str = "DMY") -> datetime.date | None:
    found = find_dates(text)
    assert len(found) == 1, found
    return parse_date(found[0], order, LANGS)


def test_textual_dates_in_six_languages() -> None:
    assert _one("Rechnungsdatum 15. März 2025") == datetime.date(2025, 3, 15)
    assert _one("Facture du 02 Juillet 2015") == datetime.date(2015, 7, 2)
    assert _one("Invoice Date: August 3, 2014") == datetime.date(2014, 8, 3)
    assert _one("Factuurdatum: 19 april 2014") == datetime.date(2014, 4, 19)
    assert _one("Fecha: 4 de marzo de 2025") == datetime.date(2025, 3, 4)
    assert _one("Data fattura 12 gennaio 2025") == datetime.date(2025, 1, 12)
    assert _one("le 1er juillet 2015") == datetime.date(2015, 7, 1)


def test_numeric_order_follows_document_decision() -> None:
    assert _one("01/02/2025", "DMY") == datetime.date(2025, 2, 1)
    assert _one("01/02/2025", "MDY") == datetime.date(2025, 1, 2)
    assert _one("2024-11-15") == datetime.date(2024, 11, 15)


def test_unambiguous_dates_decide_the_order() -> None:
    dates = find_dates("Invoice 11/03/2017 due 12/13/2017")
    assert decide_date_order(dates, month_first_locale=False)[0] == "MDY"
    dates = find_dates("Rechnung 01.02.2025 fällig 25.02.2025")
    assert decide_date_order(dates, month_first_locale=True)[0] == "DMY"


def test_ambiguous_dates_fall_back_to_locale() -> None:
    dates = find_dates("01/02/2025")
    assert decide_date_order(dates, month_first_locale=True) == ("MDY", "date_order_from_locale")
    assert decide_date_order(dates, month_first_locale=False)[0] == "DMY"


@given(
    st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2089, 12, 31)),
    st.sampled_from([".", "/", "-"]),
)
def test_numeric_round_trip(day: datetime.date, sep: str) -> None:
    text = f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"
    assert _one(f"Datum: {text}", "DMY") == day
