"""Embedded e-invoice XML: Factur-X / ZUGFeRD (1.0 and 2.x) / XRechnung CII, and UBL.

Structured data is exact, so when it is present its values win (source "xml"). Elements are
matched on local names, which covers every CII/UBL namespace version with one code path.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from extract.dates import find_dates, parse_date
from extract.iban import iban_checksum_ok
from extract.numbers import to_minor

_EMPTY = ET.Element("empty")  # stands in for a missing element so lookups return nothing
CREDIT_CODES = {"381", "261", "262", "296", "308", "396", "420", "458", "532", "81", "83"}


@dataclass
class EInvoice:
    """Values read from an e-invoice XML, already normalised (minor units, ISO dates)."""

    syntax: str
    values: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _path(el: ET.Element | None, *names: str) -> list[ET.Element]:
    """Elements reached by a path of local names (each step among direct children)."""
    current = [el] if el is not None else []
    for name in names:
        alternatives = name.split("|")
        current = [c for e in current for c in e if _local(c.tag) in alternatives]
    return current


def _first_text(el: ET.Element | None, *names: str) -> str | None:
    found = _path(el, *names)
    for f in found:
        if f.text and f.text.strip():
            return f.text.strip()
    return None


def _descendant(el: ET.Element, name: str) -> ET.Element | None:
    for d in el.iter():
        if _local(d.tag) == name:
            return d
    return None


def _amount(text: str | None, currency: str | None) -> int | None:
    if text is None:
        return None
    try:
        return to_minor(Decimal(text.strip()), currency)
    except InvalidOperation:
        return None


def _date102(text: str | None) -> str | None:
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    try:
        if len(digits) == 8:
            return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
        return datetime.date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        return None


def parse_einvoice(blob: bytes) -> EInvoice | None:
    """Parse CII or UBL; None when the XML is neither (or is not XML at all)."""
    try:
        root = ET.fromstring(blob)
    except ET.ParseError:
        return None
    name = _local(root.tag)
    if name in ("CrossIndustryInvoice", "CrossIndustryDocument"):
        return _parse_cii(root)
    if name in ("Invoice", "CreditNote"):
        return _parse_ubl(root)
    return None


def _parse_cii(root: ET.Element) -> EInvoice:
    inv = EInvoice("cii")
    v = inv.values
    doc = (_path(root, "ExchangedDocument|HeaderExchangedDocument") or [_EMPTY])[0]
    tx = (
        _path(root, "SupplyChainTradeTransaction|SpecifiedSupplyChainTradeTransaction") or [root]
    )[0]
    agreement = (
        _path(tx, "ApplicableHeaderTradeAgreement|ApplicableSupplyChainTradeAgreement") or [_EMPTY]
    )[0]
    settlement = (
        _path(tx, "ApplicableHeaderTradeSettlement|ApplicableSupplyChainTradeSettlement")
        or [_EMPTY]
    )[0]
    v["reference"] = _first_text(doc, "ID")
    type_code = _first_text(doc, "TypeCode") or "380"
    v["document_type"] = "credit_note" if type_code in CREDIT_CODES else "invoice"
    inv.notes.append(f"type_code:{type_code}")
    v["issue_date"] = _date102(_first_text(doc, "IssueDateTime", "DateTimeString"))
    v["vendor"] = _first_text(agreement, "SellerTradeParty", "Name")
    currency = (_first_text(settlement, "InvoiceCurrencyCode") or "").lower() or None
    v["currency"] = currency
    summation = (
        _path(
            settlement,
            "SpecifiedTradeSettlementHeaderMonetarySummation|"
            "SpecifiedTradeSettlementMonetarySummation",
        )
        or [_EMPTY]
    )[0]
    grand = _amount(_first_text(summation, "GrandTotalAmount"), currency)
    due = _amount(_first_text(summation, "DuePayableAmount"), currency)
    v["subtotal_amount"] = _amount(_first_text(summation, "TaxBasisTotalAmount"), currency)
    v["gross_amount"] = grand
    v["prepaid_amount"] = _amount(_first_text(summation, "TotalPrepaidAmount"), currency)
    v["total_amount"] = due if due is not None else grand
    tax: int | None = None
    for el in _path(summation, "TaxTotalAmount"):
        cur = (el.get("currencyID") or "").lower()
        if not cur or cur == currency:
            tax = _amount(el.text, currency)
            break
    v["tax_amount"] = tax
    terms = _path(settlement, "SpecifiedTradePaymentTerms")
    due_date = None
    terms_text = None
    for t in terms:
        due_date = due_date or _date102(_first_text(t, "DueDateDateTime", "DateTimeString"))
        terms_text = terms_text or _first_text(t, "Description")
    if due_date is None and terms_text:
        due_date = _date_in_terms(terms_text)
        if due_date:
            inv.notes.append("due_date_from_payment_terms_text")
    v["due_date"] = due_date
    for means in _path(settlement, "SpecifiedTradeSettlementPaymentMeans"):
        iban = _first_text(means, "PayeePartyCreditorFinancialAccount", "IBANID")
        if iban and iban_checksum_ok(iban):
            v["iban"] = iban.replace(" ", "").upper()
            break
    items = []
    for line in tx.iter():
        if _local(line.tag) not in (
            "IncludedSupplyChainTradeLineItem",
            "SpecifiedSupplyChainTradeLineItem",
        ):
            continue
        desc = _first_text(line, "SpecifiedTradeProduct", "Name")
        line_settlement = _descendant(
            line, "SpecifiedTradeSettlementLineMonetarySummation"
        ) or _descendant(line, "SpecifiedTradeSettlementMonetarySummation")
        amount = _amount(_first_text(line_settlement, "LineTotalAmount"), currency)
        if desc is not None and amount is not None:
            items.append({"description": desc, "amount": amount})
    v["line_items"] = items or None
    return inv


def _date_in_terms(text: str) -> str | None:
    """A single explicit date in the payment-terms text ('zahlbar bis 04.04.2018')."""
    dates = [d for d in find_dates(text)]
    if not dates:
        return None
    parsed = parse_date(dates[-1] if len(dates) == 1 else dates[0], "DMY", ("deu", "fra", "eng"))
    return parsed.isoformat() if parsed else None


def _parse_ubl(root: ET.Element) -> EInvoice:
    inv = EInvoice("ubl")
    v = inv.values
    is_credit = _local(root.tag) == "CreditNote"
    v["reference"] = _first_text(root, "ID")
    type_code = _first_text(root, "InvoiceTypeCode") or _first_text(root, "CreditNoteTypeCode")
    v["document_type"] = (
        "credit_note" if is_credit or (type_code or "") in CREDIT_CODES else "invoice"
    )
    v["issue_date"] = _date102(_first_text(root, "IssueDate"))
    due = _first_text(root, "DueDate") or _first_text(root, "PaymentMeans", "PaymentDueDate")
    v["due_date"] = _date102(due)
    currency = (_first_text(root, "DocumentCurrencyCode") or "").lower() or None
    v["currency"] = currency
    supplier = (_path(root, "AccountingSupplierParty", "Party") or [_EMPTY])[0]
    v["vendor"] = _first_text(supplier, "PartyName", "Name") or _first_text(
        supplier, "PartyLegalEntity", "RegistrationName"
    )
    totals = (_path(root, "LegalMonetaryTotal") or [_EMPTY])[0]
    payable = _amount(_first_text(totals, "PayableAmount"), currency)
    gross = _amount(_first_text(totals, "TaxInclusiveAmount"), currency)
    v["gross_amount"] = gross
    v["subtotal_amount"] = _amount(_first_text(totals, "TaxExclusiveAmount"), currency)
    v["prepaid_amount"] = _amount(_first_text(totals, "PrepaidAmount"), currency)
    v["total_amount"] = payable if payable is not None else gross
    tax = None
    for el in _path(root, "TaxTotal", "TaxAmount"):
        cur = (el.get("currencyID") or "").lower()
        if not cur or cur == currency:
            tax = _amount(el.text, currency)
            break
    v["tax_amount"] = tax
    for acct in _path(root, "PaymentMeans", "PayeeFinancialAccount"):
        iban = _first_text(acct, "ID")
        if iban and iban_checksum_ok(iban):
            v["iban"] = iban.replace(" ", "").upper()
            break
    items = []
    for line in _path(root, "InvoiceLine|CreditNoteLine"):
        desc = _first_text(line, "Item", "Name")
        amount = _amount(_first_text(line, "LineExtensionAmount"), currency)
        if desc is not None and amount is not None:
            items.append({"description": desc, "amount": amount})
    v["line_items"] = items or None
    return inv
