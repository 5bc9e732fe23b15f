"""Invoice money math: pure functions on integer minor units, no database, no clock.

Tax is rounded once per line and per rate, half up (away from zero, so a credit line mirrors the
matching debit line exactly). Percentages are exact decimals, never binary floats, so 7.7 % of
1000 is 77 and not 76.99999.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

MAX_QUANTITY = 1_000_000


def round_half_up(value: Fraction) -> int:
    """Nearest integer; exact halves go away from zero."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole, rest = divmod(magnitude.numerator, magnitude.denominator)
    if 2 * rest >= magnitude.denominator:
        whole += 1
    return sign * whole


def percentage(value: float | str | Decimal) -> Fraction:
    """An exact fraction from a stored percentage; floats go through their shortest repr."""
    if isinstance(value, float):
        value = repr(value)
    return Fraction(Decimal(value))


@dataclass(frozen=True)
class Rate:
    id: str
    percentage: Fraction
    inclusive: bool


@dataclass(frozen=True)
class TaxAmount:
    tax_rate: str
    amount: int
    inclusive: bool


@dataclass(frozen=True)
class Line:
    unit_amount: int
    quantity: int
    rates: tuple[Rate, ...] = ()

    @property
    def amount(self) -> int:
        return line_amount(self.unit_amount, self.quantity)


@dataclass(frozen=True)
class PrintedFigures:
    """An invoice made from a forwarded document carries the document's own figures: its tax
    (no rate: the vendor computed it), and a prepayment or rounding between total and due."""

    tax: int | None = None
    tax_inclusive: bool = False
    prepaid: int = 0
    rounding: int = 0


@dataclass(frozen=True)
class Totals:
    subtotal: int
    tax: int
    exclusive_tax: int
    inclusive_tax: int
    total: int
    amount_due: int
    amount_paid: int
    amount_remaining: int
    line_taxes: tuple[tuple[TaxAmount, ...], ...]


def line_amount(unit_amount: int, quantity: int = 1) -> int:
    return unit_amount * quantity


def line_taxes(amount: int, rates: Sequence[Rate]) -> tuple[TaxAmount, ...]:
    """Taxes of one line. Inclusive rates are carved out of the amount (sharing one gross base);
    exclusive rates are added on top of the net amount (the line without its inclusive tax)."""
    inclusive_total = sum((r.percentage for r in rates if r.inclusive), Fraction(0))
    taxes: list[TaxAmount] = []
    carved = 0
    for rate in rates:
        if rate.inclusive:
            tax = round_half_up(amount * rate.percentage / (100 + inclusive_total))
            carved += tax
            taxes.append(TaxAmount(rate.id, tax, True))
    net = amount - carved
    for rate in rates:
        if not rate.inclusive:
            taxes.append(TaxAmount(rate.id, round_half_up(net * rate.percentage / 100), False))
    order = {rate.id: i for i, rate in enumerate(rates)}
    return tuple(sorted(taxes, key=lambda t: order[t.tax_rate]))


def compute_totals(
    lines: Iterable[Line], amount_paid: int = 0, printed: PrintedFigures | None = None
) -> Totals:
    """subtotal = sum of lines; total = subtotal + exclusive tax; amount_due = total, less what
    a document says was prepaid, plus its rounding."""
    per_line: list[tuple[TaxAmount, ...]] = []
    subtotal = exclusive = inclusive = 0
    for line in lines:
        amount = line.amount
        taxes = line_taxes(amount, line.rates)
        per_line.append(taxes)
        subtotal += amount
        exclusive += sum(t.amount for t in taxes if not t.inclusive)
        inclusive += sum(t.amount for t in taxes if t.inclusive)
    amount_due_offset = 0
    if printed is not None:
        if printed.tax is not None:
            exclusive, inclusive = (0, printed.tax) if printed.tax_inclusive else (printed.tax, 0)
        amount_due_offset = printed.rounding - printed.prepaid
    total = subtotal + exclusive
    amount_due = total + amount_due_offset
    return Totals(
        subtotal=subtotal,
        tax=exclusive + inclusive,
        exclusive_tax=exclusive,
        inclusive_tax=inclusive,
        total=total,
        amount_due=amount_due,
        amount_paid=amount_paid,
        amount_remaining=amount_due - amount_paid,
        line_taxes=tuple(per_line),
    )


def check_percentage(value: float) -> float:
    """Tax percentages are 0..100 with at most four decimals, like Stripe's."""
    if not 0 <= value <= 100:
        raise ValueError("percentage must be between 0 and 100")
    exact = Decimal(repr(float(value)))
    if exact != exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP):
        raise ValueError("percentage can have at most four decimal places")
    return float(value)
