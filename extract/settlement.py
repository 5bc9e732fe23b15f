"""What is owed beyond the totals block: VAT exemption wording (the tax is 0, not unknown) and
statements that the invoice is already paid (nothing is payable now)."""

from __future__ import annotations

import re

from extract.layout import PageLayout
from extract.lexicon import fold
from extract.literals import alternation
from extract.numbers import find_amounts
from extract.result import FieldValue

# VAT exemption and reverse charge, as printed under the totals (accent-folded stems).
_EXEMPT_RE = re.compile(
    r"(?<!\w)(?:vat exempt|exempt from vat|no vat charged|not subject to vat|reverse charge|"
    r"steuerfrei|umsatzsteuerfrei|§ ?19 ustg|kleinunternehmer|steuerschuldnerschaft des "
    r"leistungsempfangers|tva non applicable|exoneration de tva|exonere de tva|"
    r"autoliquidation|vrijgesteld van btw|btw verlegd|verlegd naar|geen btw|exento de iva|"
    r"exenta de iva|operacion exenta|inversion del sujeto pasivo|esente iva|"
    r"operazione esente|inversione contabile|fuori campo iva|vat exempt supply)"
)
# "Already paid" statements: an adverb of completion near a verb of paying, on a line that
# prints no amount (a line "bereits bezahlt 50,00" is a prepayment, not a statement).
_DONE = r"(?:already|bereits|schon|deja|reeds|ya|gia|dankend|in full)"
_PAID = (
    r"(?:paid|settled|bezahlt|beglichen|erhalten|gezahlt|paye|payee|reglee?|acquittee?|betaald|"
    r"voldaan|pagad[ao]|abonad[ao]|pagat[ao]|saldat[ao])"
)
_MEANS = r"(?:by|via|per|par|with|met|mediante|con|tramite|through)"
_PAID_RE = re.compile(
    r"\b" + _DONE + r"\b(?:\s+\S+){0,4}?\s+" + _PAID + r"\b|\b" + _PAID + r"\s+" + _DONE + r"\b"
    r"|\b(?:invoice|bill|rechnung|facture|factuur|factura|fattura)\s+" + _PAID + r"\b"
    r"|\bfacture acquittee\b|\bno payment is required\b|\bnothing further to pay\b"
    # A statement opening with the paid participle and the means it was paid by ("Paid by
    # card", "Betaald via automatische incasso"); "to be paid by <date>" is no statement.
    r"|(?:^|[.!]\s)\s*" + _PAID + r"\s+" + _MEANS + r"\b(?!\s*:)"
    # Nothing left to do or pay ("u hoeft niets te doen", "rien à payer", "nichts zu tun").
    r"|\b(?:nothing|niets|nichts|rien|nada|niente|nulla)\b(?:\s+\S+){0,2}?\s+"
    r"(?:to pay|to do|te betalen|te doen|zu zahlen|zu tun|a payer|a faire|que pagar|"
    r"que hacer|da pagare|da fare)\b"
)


# Every branch of _PAID_RE holds one of these (a paid participle's stem, the fixed phrase
# without one, or a word of "nothing to pay"): a line without any states nothing paid.
_PAID_GATE_RE = re.compile(
    alternation(
        (
            *("paid", "settled", "bezahlt", "beglichen", "erhalten", "gezahlt", "paye"),
            *("regle", "acquitte", "betaald", "voldaan", "pagad", "abonad", "pagat", "saldat"),
            *("no payment is required", "nothing", "niets", "nichts", "rien", "nada"),
            *("niente", "nulla"),
        )
    )
)


def paid_statement(folded: str) -> re.Match[str] | None:
    """_PAID_RE's first match in a folded line, past the gate."""
    if not _PAID_GATE_RE.search(folded):
        return None
    return _PAID_RE.search(folded)


def _lines(pages: list[PageLayout]) -> list[str]:
    return [" ".join(s.text for s in line.segments) for page in pages for line in page.lines]


def vat_exempt(pages: list[PageLayout]) -> bool:
    """The document states that no VAT is charged (exemption or reverse charge)."""
    return any(_EXEMPT_RE.search(fold(text)) for text in _lines(pages))


_CONDITIONAL_RE = re.compile(r"\b(?:if|unless|wenn|falls|sofern|si|als|indien|se|in case)\b")


def already_paid(pages: list[PageLayout]) -> bool:
    """The document says it has been paid: a statement that carries no amount and is not a
    condition ("Wenn bereits bezahlt, ..." / "If you have already paid, ...")."""
    for text in _lines(pages):
        folded = fold(text)
        m = paid_statement(folded)
        if m is None or any(a.decimals == 2 for a in find_amounts(text)):
            continue
        if _CONDITIONAL_RE.search(folded[: m.start()]):
            continue
        if folded.rstrip().endswith(":"):
            continue  # "Montant déjà payé :" is a label awaiting its value, not a statement
        return True
    return False


def settle(fields: dict[str, FieldValue], pages: list[PageLayout], paid_in_full: bool) -> None:
    """Exempt documents owe 0 tax; paid ones owe nothing now (the grand total stays as gross)."""
    tax = fields.get("tax_amount")
    unconfirmed = tax is None or tax.confidence < 0.9 or tax.value == 0
    if unconfirmed and "total_amount" in fields and vat_exempt(pages):
        # Exemption wording beats any tax reading the arithmetic did not confirm.
        fields["tax_amount"] = FieldValue(0, 0.85, "text", None, None, ("tax_zero_vat_exempt",))
    total = fields.get("total_amount")
    if total is None or not isinstance(total.value, int) or total.value <= 0:
        return
    prepaid, gross = fields.get("prepaid_amount"), fields.get("gross_amount")
    # "Already paid" that heads a prepayment the arithmetic subtracted (gross - prepaid = the
    # amount due) names that part payment; the rest is still owed.
    balance = (
        prepaid is not None
        and gross is not None
        and isinstance(prepaid.value, int)
        and isinstance(gross.value, int)
        and 0 < prepaid.value < gross.value
        and gross.value - prepaid.value == total.value
    )
    if paid_in_full or (already_paid(pages) and not balance):
        fields.setdefault("gross_amount", total)
        fields["total_amount"] = FieldValue(
            0, total.confidence, total.source, total.page, total.bbox,
            (*total.reasons, "document_already_paid_nothing_payable"),
        )  # fmt: skip
