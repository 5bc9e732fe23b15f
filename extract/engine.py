"""PDF bytes -> Extraction: embedded XML first, then the text layer, OCR for image-only pages.

Deterministic and thread-safe: no environment, settings or clock; heavy libraries are loaded
lazily and cached per process.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

from extract.amounts import WEAK_LABELS, AmountResult, Pick, resolve_amounts
from extract.calibration import calibrated
from extract.candidates import Candidate, LabelledSegment, collect, label_index, loose_money
from extract.carry import drop_carried
from extract.config import ExtractConfig
from extract.crop_reread import look_again
from extract.currency import detect_currency
from extract.dates import decide_date_order, find_dates
from extract.deadlines import due_from_days, due_in_sentence, hedged
from extract.einvoice import EInvoice, parse_einvoice
from extract.facts import collect_facts
from extract.fingerprint import text_fingerprint
from extract.gate import Facts, assess, confirmations
from extract.guard import failure_boundary
from extract.layout import PageLayout
from extract.lexicon import fold
from extract.line_items import extract_line_items
from extract.memo import one_document
from extract.numbers import find_amounts, to_minor
from extract.paycodes import payment_evidence
from extract.reading import document_kind, layouts_of, open_source
from extract.result import Check, Extraction, ExtractionFailed, FieldValue
from extract.scoring import run_checks, score
from extract.settlement import settle
from extract.source import DocumentSource
from extract.textfields import (
    Found,
    classify,
    date_value,
    detect_languages,
    resolve_dates,
    resolve_iban,
    resolve_reference,
)
from extract.vendor import resolve_vendor


def extract_document(data: bytes, config: ExtractConfig) -> Extraction:
    """Extract payable fields from one document; raises ExtractionFailed for permanent failures."""
    with failure_boundary(document_kind(data)), one_document():
        source = open_source(data, config)
        try:
            return _extract(source, config)
        finally:
            source.close()


extract_pdf = extract_document  # the name callers knew first


def _extract(source: DocumentSource, config: ExtractConfig) -> Extraction:
    einv: EInvoice | None = None
    if config.use_embedded_xml:
        for _name, blob in source.xml_attachments:
            einv = parse_einvoice(blob)
            if einv is not None:
                break
    skip_ocr = einv is not None and einv.values.get("total_amount") is not None
    read = source.read(skip_ocr)
    pages, ocr_notes = layouts_of(read)

    def assemble(pages: list[PageLayout], notes: list[str]) -> Extraction:
        return _assemble(source, pages, notes, einv, config)

    try:
        first: Extraction | ExtractionFailed = assemble(pages, ocr_notes)
    except ExtractionFailed as failed:
        if failed.code != "no_amount_found":
            raise
        first = failed  # a scan whose amounts went unread may show them when looked at again
    if einv is None and config.crop_reread:
        first = look_again(source, read, pages, first, assemble)
    if isinstance(first, ExtractionFailed):
        raise first
    return first


def _assemble(
    source: DocumentSource,
    pages: list[PageLayout],
    ocr_notes: list[str],
    einv: EInvoice | None,
    config: ExtractConfig,
) -> Extraction:
    """The fields, checks, blockers and score of a document read as `pages`."""
    text_fields, languages, doc_type, type_reasons, facts = _from_text(pages, config)
    if facts.documents > 1:
        # A merged reading of several invoices is nobody's bill: the fields are those of the
        # first invoice (what the reviewer starts from); the count keeps it out of billing.
        first = pages[: facts.first_document_pages]
        text_fields, languages, doc_type, type_reasons, own = _from_text(first, config)
        facts = replace(own, documents=facts.documents)
    fields = dict(text_fields)
    reasons: list[str] = list(type_reasons) + ocr_notes
    if einv is not None:
        fields = _merge_xml(einv, fields)
        doc_type = str(einv.values.get("document_type") or doc_type)
        reasons.append(f"embedded_{einv.syntax}_xml")
        if doc_type == "invoice":
            reasons = [r for r in reasons if not r.startswith(("document_", "no_invoice"))]
    if doc_type == "credit_note" and einv is None:
        fields = _credit_as_positive(fields)
    if "total_amount" not in fields and not any(_has_money(p) for p in pages):
        raise ExtractionFailed("no_amount_found", "no amount could be found in the document")
    fields["document_type"] = FieldValue(
        doc_type,
        0.9 if einv is not None else 0.75,
        "xml" if einv is not None else "text",
        None,
        None,
        tuple(type_reasons),
    )
    fields, code_checks, code_blockers = payment_evidence(source.payment_codes(), fields)
    checks = run_checks(fields) + code_checks
    fields = _confirmed_total(fields, checks, facts)
    blockers = assess(fields, checks, facts, upstream=code_blockers)
    raw, score_reasons = score(fields, checks, doc_type, config.reference_date)
    value = calibrated(raw)
    public = {k: v for k, v in fields.items()}
    return Extraction(
        fields=public,
        confidence_score=round(value, 4),
        raw_score=round(raw, 4),
        document_type=doc_type,
        checks=tuple(checks),
        reasons=tuple(dict.fromkeys(reasons + score_reasons)),
        pages=source.pages,
        text_pages=sum(1 for p in pages if p.source == "text"),
        ocr_pages=sum(1 for p in pages if p.source == "ocr"),
        languages=languages,
        text_fingerprint=text_fingerprint(line.text for p in pages for line in p.lines),
        blockers=blockers,
    )


# What an independently confirmed total is worth, whatever its label (or lack of one) said.
CONFIRMED_TOTAL_CONFIDENCE = 0.9


def _confirmed_total(
    fields: dict[str, FieldValue], checks: list[Check], facts: Facts
) -> dict[str, FieldValue]:
    """A total found without a strong label (the largest amount of a letter) that net + printed
    tax, the line items or a payment code confirm is as sure as a labelled one: the figures
    agree independently of how it was found."""
    total = fields.get("total_amount")
    if total is None or total.confidence >= CONFIRMED_TOTAL_CONFIDENCE:
        return fields
    how = confirmations(fields, checks, facts)
    if not how or how == ["strong_label_without_arithmetic"]:
        return fields
    out = dict(fields)
    out["total_amount"] = FieldValue(
        total.value,
        CONFIRMED_TOTAL_CONFIDENCE,
        total.source,
        total.page,
        total.bbox,
        (*total.reasons, f"total_confirmed_by_{how[0]}"),
    )
    return out


def _credit_as_positive(fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """Credit notes print minus signs; like CII/UBL we state their amounts as positive (an
    invoice's printed minus stays: a negative total is negative)."""
    out = dict(fields)
    for name in ("total_amount", "gross_amount", "subtotal_amount", "tax_amount"):
        fv = out.get(name)
        if fv is not None and isinstance(fv.value, int) and fv.value < 0:
            out[name] = FieldValue(
                -fv.value,
                fv.confidence,
                fv.source,
                fv.page,
                fv.bbox,
                (*fv.reasons, "credit_note_amount_stated_positive"),
            )
    return out


def _has_money(page: PageLayout) -> bool:
    return any(
        a.decimals == 2 for line in page.lines for s in line.segments for a in find_amounts(s.text)
    )


def _tess_to_iso(lang: str) -> str:
    return lang


def _from_text(
    pages: list[PageLayout], config: ExtractConfig
) -> tuple[dict[str, FieldValue], tuple[str, ...], str, tuple[str, ...], Facts]:
    full = "\n".join(line.text for p in pages for line in p.lines)
    detected = tuple(lang for lang in detect_languages(full) if lang in config.languages)
    languages = detected or config.languages[:1]
    labelled = label_index(pages)
    all_dates = [d for ls in labelled for d in find_dates(ls.segment.text)]
    month_first = languages[0] == "eng" and ("$" in full and "€" not in full)
    order, order_reason = decide_date_order(all_dates, month_first)
    cands = drop_carried(_unhedged(collect(labelled, order, languages)), pages)
    amounts = resolve_amounts(cands, loose_money(labelled))
    issue, due = resolve_dates(cands, labelled, order, languages)
    if order_reason == "date_order_from_locale" and any(d.ambiguous for d in all_dates):
        other = "MDY" if order == "DMY" else "DMY"
        i_d, d_d = date_value(issue), date_value(due)
        if i_d and d_d and d_d < i_d:
            alt = drop_carried(_unhedged(collect(labelled, other, languages)), pages)
            a_issue, a_due = resolve_dates(alt, labelled, other, languages)
            ai, ad = date_value(a_issue), date_value(a_due)
            if ai and ad and ad >= ai:
                order, cands, issue, due = other, alt, a_issue, a_due
                order_reason = "date_order_from_consistency"
    if due is None:
        due = due_in_sentence(pages, order, languages) or due_from_days(pages, date_value(issue))
    fields: dict[str, FieldValue] = {}
    total_cand = amounts.total.candidate if amounts.total else None
    iban = resolve_iban(pages)
    currency = detect_currency(
        pages,
        total_cand or (amounts.gross.candidate if amounts.gross else None),
        str(iban.value) if iban else None,
    )
    cur = str(currency.value) if currency else None
    _amount_fields(fields, amounts, cur)
    _flag_unresolved_prepayment(fields, amounts, labelled)
    if "total_amount" not in fields:
        fallback = _fallback_total(labelled, cur)
        if fallback is not None:
            fields["total_amount"] = fallback
    if not receipt_like(cands):
        settle(fields, pages, amounts.paid_in_full)
    if currency is not None:
        fields["currency"] = _fv(currency)
    for name, found in (("issue_date", issue), ("due_date", due)):
        if found is not None:
            d = date_value(found)
            reasons = found.reasons + ((order_reason,) if found.source != "computed" else ())
            fields[name] = FieldValue(
                d.isoformat() if d else None,
                found.confidence,
                found.source,
                found.page,
                found.bbox,
                reasons,
            )
    for name, found in (
        ("reference", resolve_reference(cands, labelled)),
        ("iban", iban),
        ("vendor", resolve_vendor(pages)),
    ):
        if found is not None:
            fields[name] = _fv(found)
    items = extract_line_items(pages, cur)
    if items is not None:
        fields["line_items"] = items
    doc_type, type_reasons, _paid = classify(pages)
    if amounts.paid_in_full and doc_type == "invoice":
        doc_type, type_reasons = "receipt", ("document_already_paid",)
    if pages and all(p.source == "ocr" for p in pages if p.lines):
        for name, fv in list(fields.items()):
            if fv.source == "text":
                fields[name] = FieldValue(
                    fv.value, fv.confidence, "ocr", fv.page, fv.bbox, fv.reasons
                )
    facts = collect_facts(pages, labelled, cands, amounts, fields, order, languages)
    return fields, languages, doc_type, type_reasons, facts


def receipt_like(cands: list[Candidate]) -> bool:
    """A till receipt prints both cash tendered and change; one such word alone ("Cambio de
    cerradura", a lock change) is an item, not a receipt."""
    return all(any(c.label == k for c in cands) for k in ("tendered", "change"))


def _unhedged(cands: list[Candidate]) -> list[Candidate]:
    """A due label in a forecast ("next bill due around ...") does not give this bill's date."""
    return [c for c in cands if not (c.label == "due_date" and hedged(c.context))]


def _flag_unresolved_prepayment(
    fields: dict[str, FieldValue], amounts: AmountResult, labelled: list[LabelledSegment]
) -> None:
    """Deposit/prepayment wording without a readable amount due: the total may not be payable."""
    total = fields.get("total_amount")
    if total is None or amounts.prepaid is not None or amounts.due_explained is not None:
        return
    mentioned = any(
        h.label == "prepaid" and fold(ls.segment.folded[h.start : h.end]) not in WEAK_LABELS
        for ls in labelled
        for h in ls.hits
    )
    if mentioned:
        fields["total_amount"] = FieldValue(
            total.value,
            total.confidence * 0.7,
            total.source,
            total.page,
            total.bbox,
            (*total.reasons, "prepayment_mentioned_but_no_amount_due_found"),
        )


def _fv(found: Found) -> FieldValue:
    value = found.value
    if isinstance(value, datetime.date):
        value = value.isoformat()
    return FieldValue(value, found.confidence, found.source, found.page, found.bbox, found.reasons)


def _pick_fv(pick: Pick, currency: str | None) -> FieldValue:
    c: Candidate | None = pick.candidate
    value = to_minor(pick.value, currency)
    if c is None:
        return FieldValue(value, pick.confidence, "computed", None, None, pick.reasons)
    return FieldValue(value, pick.confidence, c.source, c.page, c.bbox, pick.reasons)


def _amount_fields(
    fields: dict[str, FieldValue], amounts: AmountResult, currency: str | None
) -> None:
    for name, pick in (
        ("total_amount", amounts.total),
        ("gross_amount", amounts.gross),
        ("subtotal_amount", amounts.subtotal),
        ("tax_amount", amounts.tax),
        ("prepaid_amount", amounts.prepaid),
        ("rounding_amount", amounts.rounding),
    ):
        if pick is not None:
            fields[name] = _pick_fv(pick, currency)


def _fallback_total(labelled: list[LabelledSegment], currency: str | None) -> FieldValue | None:
    """No total label: the largest money amount printed beside a currency sign, never one a
    label calls non-payable (share capital, a deposit held) or a prepayment."""
    best: tuple[Decimal, LabelledSegment, int, int] | None = None
    for ls in labelled:
        if any(h.label in ("not_payable", "prepaid", "levy") for h in ls.hits):
            continue
        seg = ls.segment
        for a in find_amounts(seg.text):
            if a.decimals != 2:
                continue
            window = seg.text[max(0, a.start - 4) : a.end + 5]
            if not any(s in window for s in ("€", "$", "£", "EUR", "USD", "₹", "CHF", "GBP")):
                continue
            if best is None or a.value > best[0]:
                best = (a.value, ls, a.start, a.end)
    if best is None:
        return None
    value, ls, s, e = best
    seg = ls.segment
    return FieldValue(
        to_minor(value, currency),
        0.45,
        seg.words[0].source,
        ls.page.number,
        seg.bbox(s, e),
        ("total_unlabelled_largest_amount",),
    )


_XML_FIELDS = (
    "total_amount",
    "currency",
    "due_date",
    "issue_date",
    "reference",
    "tax_amount",
    "vendor",
    "iban",
    "line_items",
    "subtotal_amount",
    "gross_amount",
    "prepaid_amount",
)


def _merge_xml(einv: EInvoice, fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """XML values win; text evidence (page/bbox) is kept when the text shows the same value."""
    merged = dict(fields)
    for name in _XML_FIELDS:
        value = einv.values.get(name)
        if value is None:
            continue
        text_fv = fields.get(name)
        same = text_fv is not None and text_fv.value == value
        reasons: tuple[str, ...] = ()
        if name == "due_date" and "due_date_from_payment_terms_text" in einv.notes:
            reasons = ("due_date_from_payment_terms_text",)
        conf = 0.99 if name != "due_date" or not reasons else 0.9
        if text_fv is not None and not same and name in ("total_amount", "currency"):
            reasons += ("printed_value_differs_from_xml",)
        merged[name] = FieldValue(
            value,
            conf,
            "xml",
            text_fv.page if same and text_fv else None,
            text_fv.bbox if same and text_fv else None,
            reasons,
        )
    return merged
