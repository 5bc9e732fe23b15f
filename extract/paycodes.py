"""Payment codes printed on invoices: EPC/GiroCode SEPA QR ("BCD") and the Swiss QR-bill ("SPC").

A code states the IBAN, amount, currency and reference exactly; decoding it (zxing-cpp) is
evidence no reading of the printed text can give. Parsing and merging are pure: payload text
in, a PaymentCode out; codes and text fields in, fields and a check out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from extract.numbers import to_minor
from extract.result import Blocker, Check, FieldValue

_EPC_AMOUNT_RE = re.compile(r"^([A-Z]{3})(\d{1,9}(?:\.\d{1,2})?)$")


@dataclass(frozen=True)
class PaymentCode:
    """What one decoded code states; `bbox` in page points (top-left origin)."""

    kind: str  # "epc" | "swiss_qr"
    iban: str | None
    amount: Decimal | None
    currency: str | None  # ISO 4217, lower case
    reference: str | None
    creditor: str | None
    page: int
    bbox: tuple[float, float, float, float] | None


def parse_payload(
    text: str, page: int, bbox: tuple[float, float, float, float] | None
) -> PaymentCode | None:
    """A payment code from a QR payload, or None when it is not one we know."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head = lines[0].strip() if lines else ""
    if head == "BCD":
        return _epc(lines, page, bbox)
    if head == "SPC":
        return _swiss(lines, page, bbox)
    return None


def _line(lines: list[str], index: int) -> str:
    return lines[index].strip() if index < len(lines) else ""


def _epc(
    lines: list[str], page: int, bbox: tuple[float, float, float, float] | None
) -> PaymentCode | None:
    """EPC069-12: BCD, version, charset, SCT, BIC, name, IBAN, EUR<amount>, purpose, refs."""
    if _line(lines, 3) != "SCT":
        return None
    iban = _line(lines, 6).replace(" ", "").upper() or None
    amount = currency = None
    match = _EPC_AMOUNT_RE.match(_line(lines, 7).replace(" ", ""))
    if match:
        currency = match.group(1).lower()
        amount = _decimal(match.group(2))
    reference = _line(lines, 9) or _line(lines, 10) or None
    return PaymentCode(
        "epc", iban, amount, currency, reference, _line(lines, 5) or None, page, bbox
    )


def _swiss(
    lines: list[str], page: int, bbox: tuple[float, float, float, float] | None
) -> PaymentCode | None:
    """Swiss QR-bill 2.x: IBAN on line 4, creditor 5-11, amount 19, currency 20, ref 28-29."""
    if not _line(lines, 1).startswith("02"):
        return None
    iban = _line(lines, 3).replace(" ", "").upper() or None
    amount = _decimal(_line(lines, 18)) if _line(lines, 18) else None
    currency = _line(lines, 19).lower() or None
    reference = _line(lines, 28) or _line(lines, 29) or None
    return PaymentCode(
        "swiss_qr", iban, amount, currency, reference, _line(lines, 5) or None, page, bbox
    )


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value > 0 else None


def decode(
    image: Any, page: int, scale: float, origin: tuple[float, float] = (0.0, 0.0)
) -> list[PaymentCode]:
    """Payment codes in a grayscale image; `scale` pixels per point, `origin` its page offset."""
    import zxingcpp

    found = []
    for result in zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    ):
        pos = result.position
        xs = [pos.top_left.x, pos.top_right.x, pos.bottom_right.x, pos.bottom_left.x]
        ys = [pos.top_left.y, pos.top_right.y, pos.bottom_right.y, pos.bottom_left.y]
        bbox = (
            origin[0] + min(xs) / scale,
            origin[1] + min(ys) / scale,
            origin[0] + max(xs) / scale,
            origin[1] + max(ys) / scale,
        )
        code = parse_payload(result.text, page, bbox)
        if code is not None:
            found.append(code)
    return found


def payment_evidence(
    codes: list[PaymentCode], fields: dict[str, FieldValue]
) -> tuple[dict[str, FieldValue], list[Check], tuple[Blocker, ...]]:
    """Fields confirmed, completed or contradicted by the first payment code that states an
    amount (else the first one); a check `payment_code_matches_total` says which, and a
    contradiction is the blocker `payment_code_conflict` (the gate's upstream)."""
    if not codes:
        return fields, [], ()
    code = next((c for c in codes if c.amount is not None), codes[0])
    out = dict(fields)
    conflicts: list[str] = []
    agreed: list[str] = []
    evidence = ("payment_code_" + code.kind,)
    if code.iban:
        printed = out.get("iban")
        if printed is None:
            out["iban"] = FieldValue(code.iban, 0.99, "qr", code.page, code.bbox, evidence)
        elif str(printed.value).replace(" ", "").upper() == code.iban:
            out["iban"] = _confirmed(printed)
            agreed.append("iban")
        else:
            conflicts.append(f"IBAN {code.iban} in the code, {printed.value} printed")
    currency = out.get("currency")
    if code.currency:
        if currency is None:
            out["currency"] = FieldValue(code.currency, 0.99, "qr", code.page, code.bbox, evidence)
        elif currency.value == code.currency:
            out["currency"] = _confirmed(currency)
            agreed.append("currency")
        else:
            conflicts.append(f"currency {code.currency} in the code, {currency.value} printed")
    if code.amount is not None:
        amount = to_minor(code.amount, code.currency or _value(currency))
        total = out.get("total_amount")
        if total is None:
            out["total_amount"] = FieldValue(amount, 0.9, "qr", code.page, code.bbox, evidence)
        elif total.value == amount:
            out["total_amount"] = _confirmed(total)
            agreed.append("total")
        else:
            conflicts.append(f"amount {amount} in the code, {total.value} printed")
    if code.reference:
        out["payment_reference"] = FieldValue(
            code.reference, 0.99, "qr", code.page, code.bbox, evidence
        )
    if conflicts:
        detail = "; ".join(conflicts)
        message = f"The printed payment code disagrees with the text: {detail}."
        blocker = Blocker("payment_code_conflict", "total_amount", message)
        return out, [Check("payment_code_matches_total", False, detail)], (blocker,)
    if "total" in agreed:
        detail = f"the {code.kind} code states the same " + ", ".join(agreed)
        return out, [Check("payment_code_matches_total", True, detail)], ()
    return out, [], ()


def _value(field: FieldValue | None) -> str | None:
    return str(field.value) if field is not None and field.value else None


def _confirmed(field: FieldValue) -> FieldValue:
    return FieldValue(
        field.value,
        max(field.confidence, 0.97),
        field.source,
        field.page,
        field.bbox,
        (*field.reasons, "confirmed_by_payment_code"),
    )
