"""Choosing the payable total, tax and subtotal among labelled candidates.

Labels alone are ambiguous ("Total" heads columns, group subtotals repeat), so the resolver
prefers the reading in which the numbers agree: subtotal + tax = total, total - prepaid = due.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from extract.candidates import Candidate
from extract.lexicon import fold

# Generic words: a value next to them is less telling than one next to "Grand total".
WEAK_LABELS = frozenset(
    fold(w)
    for w in (
        "total",
        "summe",
        "gesamt",
        "totaal",
        "totale",
        "net",
        "netto",
        "base",
        "tax",
        "steuer",
        "brutto",
        "balance",
        "paid",
        "betaald",
        "pagado",
        "pagato",
        "paye",
        "bezahlt",
        "gezahlt",
        "avance",
        "to pay",
        "a pagar",
        "a payer",
        "da pagare",
        "payments",
        "taxes",
        "due",
    )
)
TOLERANCE = Decimal("0.015")
_CONDITIONAL = re.compile(
    r"\b(?:if any|falls vorhanden|sofern vorhanden|le cas echeant|indien van toepassing|"
    r"si procede|se presente)\b"
)


@dataclass(frozen=True)
class Pick:
    """A chosen amount, its supporting candidate (None when computed) and why."""

    value: Decimal
    candidate: Candidate | None
    confidence: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AmountResult:
    total: Pick | None
    gross: Pick | None
    subtotal: Pick | None
    tax: Pick | None
    prepaid: Pick | None
    consistent_net_tax: bool
    due_explained: bool | None
    paid_in_full: bool = False
    rounding: Pick | None = None


def _eq(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= TOLERANCE


def _weight(c: Candidate) -> float:
    return c.score * (0.85 if fold(c.label_text).strip(" .:") in WEAK_LABELS else 1.0)


def _best_per_value(cands: Iterable[Candidate]) -> dict[Decimal, tuple[float, Candidate]]:
    """Strongest candidate per distinct value, with a bonus when several labels agree."""
    table: dict[Decimal, tuple[float, Candidate]] = {}
    counts: dict[Decimal, int] = {}
    for c in cands:
        v = c.value
        assert isinstance(v, Decimal)
        counts[v] = counts.get(v, 0) + 1
        w = _weight(c)
        if v not in table or w > table[v][0]:
            table[v] = (w, c)
    return {v: (min(1.0, w + 0.05 * (counts[v] - 1)), c) for v, (w, c) in table.items()}


def resolve_amounts(cands: list[Candidate], loose: Iterable[Candidate] = ()) -> AmountResult:
    """Pick total (amount payable now), gross, subtotal, tax and prepaid amounts."""
    by = {
        k: _best_per_value(c for c in cands if c.label == k)
        for k in ("amount_due", "total", "subtotal", "tax", "prepaid", "rounding")
    }
    # A prepayment is subtracted whatever sign it is printed with ("Less deposit -860.00").
    by["prepaid"] = {abs(v): wc for v, wc in by["prepaid"].items()}
    rounding = [r for r in by["rounding"] if abs(r) < 1] + [Decimal(0)]
    gross_tab, net_tab, tax_tab = by["total"], by["subtotal"], by["tax"]
    tendered = _best_per_value(c for c in cands if c.label == "tendered")
    change = _best_per_value(c for c in cands if c.label == "change")
    # Receipts: cash handed over minus change given back is the total actually paid.
    paid_totals = {t - c for t in tendered for c in change if t > c >= 0}
    due_tab, pre_tab = by["amount_due"], by["prepaid"]
    positive_tax = [t for t in tax_tab if t != 0]

    def consistency(g: Decimal) -> float:
        if any(_eq(n + t + r, g) for n in net_tab for t in tax_tab for r in rounding):
            return 0.35
        if any(_eq(n + t + r, g) for n in net_tab for t in positive_tax for r in rounding):
            return 0.35
        if len(positive_tax) > 1 and any(
            _eq(n + sum(positive_tax, Decimal(0)) + r, g) for n in net_tab for r in rounding
        ):
            return 0.35  # a multi-rate VAT table: the rates' taxes add up
        if any(_eq(n, g) for n in net_tab) and (not positive_tax or 0 in tax_tab):
            return 0.15
        if any(_eq(g - p, d) for p in pre_tab for d in due_tab if p):
            return 0.3
        if any(_eq(g, v) for v in paid_totals):
            return 0.3
        return 0.0

    gross: Pick | None = None
    reasons: tuple[str, ...] = ()
    consistent = False
    if tendered and change:
        # A receipt's total is positive and not more than the cash handed over (with a wide
        # margin, since OCR misreads digits of either).
        most = max(tendered)
        gross_tab = {g: wc for g, wc in gross_tab.items() if 0 < g <= 2 * most}
    if paid_totals and not gross_tab:
        value = max(paid_totals)
        if value > 0:
            gross = Pick(value, None, 0.6, ("total_computed_from_tendered_minus_change",))
            gross_tab = {}
    loose = list(loose)
    if gross is None and not gross_tab and not due_tab and net_tab and positive_tax:
        # No total label at all (a letter asking to "transfer the amount of 135.70"): the one
        # printed amount that net + tax (+ rounding) adds up to is the total, by arithmetic.
        taxes = [t for t in positive_tax if t > 0]
        if len(taxes) > 1:
            taxes.append(sum(taxes, Decimal(0)))
        sums = [n + t + r for n in net_tab for t in taxes for r in rounding if n > 0]
        matched = {
            c.value: c
            for c in loose
            if isinstance(c.value, Decimal) and any(_eq(c.value, v) for v in sums)
        }
        if len(matched) == 1:
            value, cand = next(iter(matched.items()))
            gross = Pick(value, cand, 0.8, ("total_from_net_plus_tax",))
            consistent = True
    if gross_tab:
        max_abs = max(abs(v) for v in gross_tab)
        ranked = sorted(
            gross_tab.items(),
            key=lambda kv: (
                -(
                    kv[1][0]
                    + consistency(kv[0])
                    + (0.1 if abs(kv[0]) == max_abs else 0)
                    + 0.02 * kv[1][1].order[0]
                    + 0.001 * kv[1][1].order[1]
                )
            ),
        )
        value, (w, cand) = ranked[0]
        bonus = consistency(value)
        consistent = bonus >= 0.3
        reasons = () if consistent else ("total_not_confirmed_by_subtotal_and_tax",)
        conf = min(0.99, 0.55 + 0.3 * w + bonus)
        if len(ranked) > 1 and not consistent:
            conf -= 0.1
            reasons += ("several_total_candidates",)
        gross = Pick(value, cand, conf, reasons)

    prepaid: Pick | None = None
    due: Pick | None = None
    explained: bool | None = None
    paid_in_full = False
    if gross is not None and gross.value > 0 and due_tab and all(v == 0 for v in due_tab):
        conditional = all(_CONDITIONAL.search(c.context) for _, c in due_tab.values())
        if conditional:  # "Balance (if any) 0": a form's blank, not a paid statement
            due_tab = {}
    if gross is not None and gross.value > 0 and due_tab and all(v == 0 for v in due_tab):
        # "Balance: 0.00" under a positive total: the document is already paid.
        due_tab, paid_in_full = {}, True
    if due_tab:

        def due_rank(kv: tuple[Decimal, tuple[float, Candidate]]) -> float:
            v, (w, c) = kv
            bonus = 0.0
            if gross and (_eq(v, gross.value) or any(_eq(gross.value - p, v) for p in pre_tab)):
                bonus = 0.3
            return w + bonus + 0.02 * c.order[0] + 0.001 * c.order[1]

        value, (w, cand) = max(due_tab.items(), key=due_rank)
        reasons = ()
        conf = min(0.99, 0.6 + 0.35 * w)
        if gross is not None and not _eq(value, gross.value):
            match = [p for p in pre_tab if _eq(gross.value - p, value)]
            if match:
                explained = True
                pw, pc = pre_tab[match[0]]
                prepaid = Pick(match[0], pc, min(0.95, 0.5 + 0.4 * pw), ())
                reasons += ("amount_due_after_prepayment",)
                conf = min(0.99, conf + 0.1)
            else:
                diff = gross.value - value
                printed = [c for c in loose if isinstance(c.value, Decimal) and _eq(c.value, diff)]
                if printed:
                    # The difference is printed (a payments table without a label we know).
                    explained = True
                    prepaid = Pick(diff, printed[0], 0.7, ("prepayment_matched_by_amount",))
                    reasons += ("amount_due_after_prepayment",)
                else:
                    explained = False
                    reasons += ("amount_due_differs_from_total_unexplained",)
                    conf -= 0.15
        elif gross is not None:
            explained = True
            conf = min(0.99, conf + max(0.0, gross.confidence - 0.6))
        due = Pick(value, cand, conf, reasons)
    elif gross is not None:
        usable = [(p, wc) for p, wc in pre_tab.items() if 0 < p < gross.value]
        if usable:
            p, (pw, pc) = max(usable, key=lambda kv: kv[1][0])
            prepaid = Pick(p, pc, min(0.9, 0.5 + 0.4 * pw), ())
            due = Pick(
                gross.value - p,
                None,
                gross.confidence * 0.75,
                ("amount_due_computed_from_total_minus_prepayment",),
            )
            explained = True
    total = due or gross

    subtotal: Pick | None = None
    tax: Pick | None = None
    # Net + tax is checked against the grand total; where no grand total is labelled ("the
    # total amount due is ..."), against the amount payable, which then is the gross.
    ref = gross if gross is not None else total
    if ref is not None:
        pairs = [
            (n, t)
            for n in net_tab
            for t in tax_tab
            if any(_eq(n + t + r, ref.value) for r in rounding)
        ]
        if pairs:
            n, t = max(pairs, key=lambda nt: net_tab[nt[0]][0] + tax_tab[nt[1]][0])
            subtotal = Pick(n, net_tab[n][1], 0.95, ())
            tax = Pick(t, tax_tab[t][1], 0.95, ())
        else:
            nets = [n for n in net_tab if n <= ref.value or ref.value < 0]
            if nets:
                n = max(nets, key=lambda v: net_tab[v][0])
                subtotal = Pick(n, net_tab[n][1], 0.7, ())
                if _eq(n, ref.value):
                    tax = Pick(Decimal(0), None, 0.75, ("tax_zero_since_net_equals_total",))
                elif not positive_tax and gross is not None:
                    # Only against a printed grand total: an amount due may be net of a
                    # prepayment nobody printed.
                    tax = Pick(ref.value - n, None, 0.7, ("tax_computed_total_minus_net",))
            lines = sorted(positive_tax)
            if (
                subtotal is not None
                and len(lines) > 1
                and any(
                    _eq(sum(lines, Decimal(0)) + r, ref.value - subtotal.value) for r in rounding
                )
            ):
                tax = Pick(sum(lines, Decimal(0)), None, 0.85, ("tax_is_sum_of_rate_lines",))
    plausible = {t: wc for t, wc in tax_tab.items() if gross is None or abs(t) < abs(gross.value)}
    if tax is None and plausible:
        # A printed tax line beats total - subtotal, but never one as large as the total
        # (office hours "9.00" near "btw", a share capital).
        t, (w, c) = max(plausible.items(), key=lambda kv: kv[1][0] + (0.05 if kv[0] else 0))
        tax = Pick(t, c, 0.5 + 0.3 * w, ("tax_not_confirmed",))
    if subtotal is None and net_tab and gross is None:
        n, (w, c) = max(net_tab.items(), key=lambda kv: kv[1][0])
        subtotal = Pick(n, c, 0.5, ())
    if paid_in_full and total is not None:
        total = Pick(
            total.value,
            total.candidate,
            total.confidence,
            (*total.reasons, "amount_due_zero_document_already_paid"),
        )
    rounding_pick = None
    if by["rounding"]:
        r, (w, c) = max(by["rounding"].items(), key=lambda kv: kv[1][0])
        if abs(r) < 1:
            rounding_pick = Pick(r, c, 0.8, ())
    return AmountResult(
        total, gross, subtotal, tax, prepaid, consistent, explained, paid_in_full, rounding_pick
    )
