"""Never bill twice, never bill the wrong amount: over SMTP, on both stacks (embedded; and
PostgreSQL + Redis + moto S3 with separate api/smtp/worker processes)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.stack import Stack, wait_for
from tests.e2e.test_journeys import alias_invoices, mail_pdf, new_tenant, review_item_for
from tests.pdfs import invoice_pdf, scanned_pdf, with_cii

pytestmark = pytest.mark.e2e


def all_settled(stack: Stack, alias: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """Wait until `count` alias invoices of the alias have left received/processing."""

    def done() -> list[dict[str, Any]] | None:
        rows = alias_invoices(stack, alias)
        if len(rows) == count and all(r["status"] not in {"received", "processing"} for r in rows):
            return rows
        return None

    rows: list[dict[str, Any]] = wait_for(done, 150, "the pipeline", stack.logs)
    return rows


def invoice_of(stack: Stack, ainv: dict[str, Any]) -> dict[str, Any]:
    with stack.client() as api:
        page = api.get("/v1/invoices", params={"customer": ainv["tenant"]}).json()["data"]
    (invoice,) = [i for i in page if i["alias_invoice"] == ainv["id"]]
    return invoice  # type: ignore[no-any-return]


def test_the_same_invoice_mailed_three_times_is_billed_once(stack: Stack) -> None:
    alias = new_tenant(stack)
    pdf = invoice_pdf()
    for subject in ("Invoice INV-2026-0042", "Fwd: Invoice INV-2026-0042", "Reminder"):
        mail_pdf(stack, alias, pdf, subject=subject)
    rows = all_settled(stack, alias, 3)
    (billed,) = [r for r in rows if r["status"] == "processed"]
    copies = [r for r in rows if r["status"] == "failed"]
    assert len(copies) == 2
    for copy in copies:
        assert copy["error"]["code"] == "duplicate_invoice"
        dup = copy["error"]["duplicate_of"]
        assert dup["alias_invoice"] == billed["id"] and dup["certainty"] == "certain"
        assert dup["state"].startswith("payment requested on ") and "file" in dup["matched"]
        assert copy["duplicate_of"] == dup and copy["payment_request"] is None
    with stack.client() as api:
        page = api.get("/v1/invoices", params={"customer": alias["customer"]}).json()
    assert len(page["data"]) == 1


def test_a_rescanned_copy_goes_to_review_as_possible_duplicate(stack: Stack) -> None:
    alias = new_tenant(stack)
    pdf = invoice_pdf()
    mail_pdf(stack, alias, pdf)
    (first,) = all_settled(stack, alias, 1)
    assert first["status"] == "processed"
    mail_pdf(stack, alias, scanned_pdf(pdf), subject="scan")
    rows = all_settled(stack, alias, 2)
    rescan = next(r for r in rows if r["id"] != first["id"])
    assert rescan["status"] == "requires_review", rescan
    assert rescan["duplicate_of"]["alias_invoice"] == first["id"]
    assert rescan["duplicate_of"]["certainty"] == "probable"
    item = review_item_for(stack, rescan["id"])
    (reason,) = [r for r in item["reasons"] if r["code"] == "possible_duplicate"]
    assert reason["duplicate_of"] == first["id"] and "amount" in reason["matched"]


def test_two_months_of_the_same_rent_are_both_billed(stack: Stack) -> None:
    alias = new_tenant(stack)
    mail_pdf(stack, alias, invoice_pdf())
    all_settled(stack, alias, 1)
    february = invoice_pdf(
        reference="INV-2026-0043", issue_date="05/02/2026", due_date="01/03/2026"
    )
    mail_pdf(stack, alias, february, subject="Invoice INV-2026-0043 - February rent")
    rows = all_settled(stack, alias, 2)
    assert [r["status"] for r in rows] == ["processed", "processed"]
    assert all(r["duplicate_of"] is None for r in rows)
    assert {r["payment_request"]["amount"] for r in rows} == {125000}


def test_a_clp_e_invoice_and_an_isk_invoice_bill_the_right_amounts(stack: Stack) -> None:
    clp_alias = new_tenant(stack)
    visible = invoice_pdf(
        lines=(("Arriendo depto 302", "450.000"), ("Gastos comunes", "50.000")),
        total="500.000",
        currency_symbol="CLP",
    )
    clp = with_cii(
        visible,
        currency="CLP",
        total="500000",
        lines=(("Arriendo depto 302", "450000"), ("Gastos comunes", "50000")),
    )
    mail_pdf(stack, clp_alias, clp)
    isk_alias = new_tenant(stack)
    isk = invoice_pdf(
        lines=(("Monthly rent - Unit 4B", "150.000"), ("Parking space", "5.000")),
        total="155.000",
        currency_symbol="ISK",
    )
    mail_pdf(stack, isk_alias, isk)
    (clp_row,) = all_settled(stack, clp_alias, 1)
    (isk_row,) = all_settled(stack, isk_alias, 1)
    assert clp_row["status"] == "processed", clp_row
    assert (clp_row["payment_request"]["amount"], clp_row["payment_request"]["currency"]) == (
        500000,  # 500,000 pesos: CLP has no minor unit
        "clp",
    )
    assert isk_row["status"] == "processed", isk_row
    assert (isk_row["payment_request"]["amount"], isk_row["payment_request"]["currency"]) == (
        15500000,  # 155,000 krónur; ISK stays two-decimal on the wire, as in Stripe's API
        "isk",
    )
    page = httpx.get(invoice_of(stack, clp_row)["hosted_invoice_url"], timeout=30).text
    assert "500,000 CLP" in page
    page = httpx.get(invoice_of(stack, isk_row)["hosted_invoice_url"], timeout=30).text
    assert "155,000 ISK" in page


def test_printed_tax_is_the_invoice_tax_with_no_tax_line(stack: Stack) -> None:
    alias = new_tenant(stack)
    pdf = invoice_pdf(
        lines=(("Monthly rent - Unit 4B", "1,000.00"), ("Parking space", "50.00")),
        summary=(("Subtotal", "1,050.00"), ("VAT 19%", "199.50")),
        total="1,249.50",
    )
    mail_pdf(stack, alias, pdf)
    (row,) = all_settled(stack, alias, 1)
    assert row["status"] == "processed", row
    invoice = invoice_of(stack, row)
    assert (invoice["tax"], invoice["subtotal"], invoice["total"]) == (19950, 105000, 124950)
    assert [li["description"] for li in invoice["line_items"]] == [
        "Monthly rent - Unit 4B",
        "Parking space",
    ]
    assert invoice["vendor_reference"] == "INV-2026-0042"


def test_an_amount_over_the_account_limit_waits_for_review(stack: Stack) -> None:
    alias = new_tenant(stack)
    with stack.client() as api:
        r = api.post("/v1/account/settings", data={"max_auto_amount[gbp]": "50000"})
        assert r.status_code == 200, r.text
    mail_pdf(stack, alias, invoice_pdf(currency_symbol="GBP"))
    (row,) = all_settled(stack, alias, 1)
    assert row["status"] == "requires_review", row
    item = review_item_for(stack, row["id"])
    (reason,) = [r for r in item["reasons"] if r["code"] == "over_auto_amount_limit"]
    assert "1,250.00 GBP is over the account's limit of 500.00 GBP" in reason["message"]
    with stack.client() as api:
        changes = api.get("/v1/account/settings/changes").json()["data"]
    assert changes[0]["setting"] == "max_auto_amount" and changes[0]["to"] == {"gbp": 50000}
