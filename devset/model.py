"""What one generated document says (the numbers, dates and traps) and the truth it implies.

Layouts only draw a `Doc`; all arithmetic lives here, so every family prints the same truth.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from devset.formats import DateFormat, MoneyFormat
from devset.phrases import Bank


@dataclass(frozen=True)
class Item:
    description: str
    quantity: int
    unit: int  # minor units
    rate: int  # VAT percent

    @property
    def amount(self) -> int:
        return self.quantity * self.unit


@dataclass(frozen=True)
class Party:
    name: str
    lines: tuple[str, ...]
    vat_id: str = ""
    iban: str = ""


@dataclass
class Doc:
    """One invoice (or credit note) with every choice the sampler made."""

    lang: str
    bank: Bank
    money: MoneyFormat
    date: DateFormat
    currency: str  # ISO, lower case
    currency_style: str  # symbol_after | symbol_before | code_after | code_before | header
    seller: Party
    buyer: Party
    reference: str
    issue: datetime.date
    items: list[Item]
    due: datetime.date | None = None
    due_mode: str = "label"  # label | sentence | terms | receipt | none | nodate
    terms_days: int = 0
    kind: str = "invoice"  # invoice | credit_note
    negative: bool = False  # credit note printed with minus signs
    customer_no: str | None = None
    order_no: str | None = None
    account_no: str | None = None
    vat: str = "single"  # single | multi | exempt
    rounding: int = 0
    prepaid: int = 0
    paid: bool = False
    hedge_date: datetime.date | None = None
    exempt_note: str = ""
    levy_sentence_amount: int = 0
    capital: int = 0
    deposit_held: int = 0
    hours: bool = False
    glued: bool = False  # labels glued to their values ("Datum:05.03.2025")
    due_date_format: DateFormat | None = None  # e.g. a compact YYYYMMDD due date
    wrap_due: bool = False  # the due date wraps onto the next line
    headings: list[tuple[int, str]] = field(default_factory=list)  # (before item i, text)
    notes: list[tuple[int, str]] = field(default_factory=list)
    picks: dict[str, str] = field(default_factory=dict)  # chosen label wording per concept
    traps: list[str] = field(default_factory=list)

    # -- arithmetic ---------------------------------------------------------------------------
    @property
    def sign(self) -> int:
        return -1 if self.negative else 1

    @property
    def net(self) -> int:
        return sum(i.amount for i in self.items)

    def tax_lines(self) -> list[tuple[int, int, int]]:
        """(rate, base, tax) per VAT rate, in rate order."""
        if self.vat == "exempt":
            return []
        rates = sorted({i.rate for i in self.items})
        out = []
        for rate in rates:
            base = sum(i.amount for i in self.items if i.rate == rate)
            out.append((rate, base, round(base * rate / 100)))
        return out

    @property
    def tax(self) -> int:
        return sum(t for _, _, t in self.tax_lines())

    @property
    def gross(self) -> int:
        return self.net + self.tax + self.rounding

    @property
    def amount_due(self) -> int:
        if self.paid:
            return 0
        return self.gross - self.prepaid

    # -- printing helpers -----------------------------------------------------------------------
    def label(self, concept: str) -> str:
        return self.picks[concept]

    def amount(self, cents: int, with_currency: bool = True) -> str:
        text = self.money(cents * self.sign)
        if not with_currency or self.currency_style == "header":
            return text
        symbol = {"eur": "€", "gbp": "£", "usd": "$", "chf": "CHF"}[self.currency]
        code = self.currency.upper()
        style = self.currency_style
        if style == "symbol_after":
            return f"{text} {symbol}"
        if style == "symbol_before":
            return (
                f"{symbol} {text}" if len(symbol) > 1 or self.currency == "eur" else symbol + text
            )
        if style == "code_before":
            return f"{code} {text}"
        return f"{text} {code}"

    def due_text(self) -> str:
        assert self.due is not None
        return (self.due_date_format or self.date)(self.due)

    def truth(self) -> dict[str, object]:
        """The `*.truth.json` body `casapay eval` scores against."""
        due = self.due.isoformat() if self.due and self.due_mode != "nodate" else None
        # Credit notes state positive amounts (as CII/UBL do), whatever sign the page prints.
        sign = 1 if self.kind == "credit_note" else self.sign
        gross = self.gross * sign
        amount_due = self.amount_due * sign
        return {
            "total_amount": gross,
            "amount_due": amount_due if amount_due != gross else None,
            "currency": self.currency,
            "due_date": due,
            "issue_date": self.issue.isoformat(),
            "reference": self.reference,
            "tax_amount": self.tax * sign,
            "vendor": self.seller.name,
            "iban": self.seller.iban.replace(" ", "") or None,
            "line_items": [
                {
                    "description": i.description,
                    "amount": i.amount * sign,
                    "quantity": i.quantity,
                }
                for i in self.items
            ],
            "document_type": self.kind,
            "language": self.lang,
            "traps": sorted(set(self.traps + (["glued_labels"] if self.glued else []))),
            "truth_by": "devset generator (the values the page was drawn from)",
        }
