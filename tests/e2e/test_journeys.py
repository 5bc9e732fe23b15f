"""User journeys over real sockets: an integrator sets up a tenant over HTTP, the tenant's
landlord mails a PDF over SMTP, the worker runs, the API shows the outcome."""

from __future__ import annotations

import secrets
import smtplib
from typing import Any

import httpx
import pytest

from tests.e2e.stack import Stack, wait_for
from tests.mail import mail_with_pdfs, send
from tests.pdfs import invoice_pdf

pytestmark = pytest.mark.e2e


def new_tenant(stack: Stack, email: str | None = "jane@example.com") -> dict[str, Any]:
    with stack.client() as api:
        customer = api.post("/v1/customers", data={"name": "Jane Doe", "email": email or ""})
        assert customer.status_code == 200, customer.text
        local = f"jane.{secrets.token_hex(3)}"
        alias = api.post(
            "/v1/email_aliases", data={"customer": customer.json()["id"], "local_part": local}
        )
        assert alias.status_code == 200, alias.text
        return alias.json()


def mail_pdf(stack: Stack, alias: dict[str, Any], pdf: bytes | None, **kw: Any) -> None:
    pdfs = [("invoice.pdf", pdf)] if pdf is not None else []
    message_id = f"<{secrets.token_hex(8)}@northside.example>"
    refused = send(
        stack.smtp_port,
        mail_with_pdfs(alias["email"], pdfs, message_id=message_id, **kw),
        [alias["email"]],
    )
    assert refused == {}


def alias_invoices(stack: Stack, alias: dict[str, Any]) -> list[dict[str, Any]]:
    with stack.client() as api:
        page = api.get("/v1/alias_invoices", params={"email_alias": alias["id"]})
        assert page.status_code == 200, page.text
        return page.json()["data"]  # type: ignore[no-any-return]


def settled(stack: Stack, alias: dict[str, Any], timeout: float = 90) -> dict[str, Any]:
    """Wait until the alias's newest alias invoice leaves received/processing."""

    def done() -> dict[str, Any] | None:
        rows = alias_invoices(stack, alias)
        if rows and rows[0]["status"] not in {"received", "processing"}:
            return rows[0]
        return None

    result: dict[str, Any] = wait_for(done, timeout, "the pipeline", stack.logs)
    return result


def test_forwarded_invoice_becomes_a_payment_request(stack: Stack) -> None:
    alias = new_tenant(stack)
    pdf = invoice_pdf()
    mail_pdf(stack, alias, pdf, subject="Invoice INV-2026-0042 - January rent")
    ainv = settled(stack, alias)
    assert ainv["status"] == "processed", ainv
    assert ainv["id"].startswith("ainv_") and ainv["alias_email"] == alias["email"]
    assert ainv["tenant"] == alias["customer"] and ainv["email_alias"] == alias["id"]
    assert ainv["sender_email"] == "billing@northside.example"
    assert ainv["subject"] == "Invoice INV-2026-0042 - January rent"
    data = ainv["extracted_data"]
    assert (data["total_amount"], data["currency"], data["due_date"]) == (
        125000,
        "eur",
        "2026-02-01",
    )
    assert data["reference"] == "INV-2026-0042" and data["confidence_score"] >= 0.7
    pr = ainv["payment_request"]
    assert pr["id"].startswith("pr_") and pr["payment_link"].endswith(f"/pay/{pr['id']}")
    assert (pr["amount"], pr["currency"]) == (125000, "eur")
    assert ainv["processed_at"] and ainv["error"] is None
    with stack.client() as api:
        same = api.get(f"/v1/alias_invoices/{ainv['id']}").json()
    assert same["payment_request"]["id"] == pr["id"]
    # The signed PDF URL serves the original bytes (HMAC URL locally, presigned URL on S3).
    assert httpx.get(same["pdf_url"], timeout=30).content == pdf
    # The tenant was told: an email with the link (outbox folder, no relay configured).
    wait_for(lambda: pr_mail(stack, pr["id"]), 30, "the payment request email", stack.logs)


def pr_mail(stack: Stack, pr_id: str) -> bool:
    outbox = stack.data_dir / "outbox"
    return any(pr_id in p.read_text(errors="replace") for p in outbox.glob("*.eml"))


def test_low_confidence_invoice_requires_review(stack: Stack) -> None:
    alias = new_tenant(stack)
    mail_pdf(stack, alias, invoice_pdf(currency_symbol="", due_date=""))
    ainv = settled(stack, alias)
    assert ainv["status"] == "requires_review" and ainv["payment_request"] is None
    assert ainv["extracted_data"]["confidence_score"] < 0.7


def test_mail_without_pdf_ends_failed(stack: Stack) -> None:
    alias = new_tenant(stack)
    mail_pdf(stack, alias, None)
    (ainv,) = alias_invoices(stack, alias)
    assert ainv["status"] == "failed" and ainv["error"]["code"] == "no_pdf_attachment"
    with stack.client() as api:
        r = api.post(f"/v1/alias_invoices/{ainv['id']}/retry")
    assert r.status_code == 400 and r.json()["error"]["code"] == "alias_invoice_not_retryable"


def test_unknown_alias_is_refused_at_rcpt(stack: Stack) -> None:
    with smtplib.SMTP("127.0.0.1", stack.smtp_port) as client:
        client.ehlo()
        client.mail("billing@northside.example")
        code, text = client.rcpt("no.such.tenant@casapay.me")
    assert (code, text[:5]) == (550, b"5.1.1")


def test_retry_processes_a_failed_alias_invoice_again(stack: Stack) -> None:
    alias = new_tenant(stack)
    mail_pdf(stack, alias, b"%PDF-1.7\n% damaged in transit")
    first = settled(stack, alias)
    assert first["status"] == "failed" and first["error"]["code"] == "pdf_unreadable"
    with stack.client() as api:
        processed_once = api.post(f"/v1/alias_invoices/{first['id']}/retry")
        assert processed_once.status_code == 200, processed_once.text
        assert processed_once.json()["status"] in {"received", "processing", "failed"}
        again = settled(stack, alias)
        assert again["status"] == "failed" and again["error"]["code"] == "pdf_unreadable"
        # Retrying a processed one is refused with the Stripe-style transition error.
        ok_alias = new_tenant(stack)
        mail_pdf(stack, ok_alias, invoice_pdf())
        ok = settled(stack, ok_alias)
        r = api.post(f"/v1/alias_invoices/{ok['id']}/retry")
        assert r.status_code == 400
        assert r.json()["error"]["code"] == "status_transition_invalid"
        assert "status is processed" in r.json()["error"]["message"]


def review_item_for(stack: Stack, alias_invoice_id: str) -> dict[str, Any]:
    with stack.client() as api:
        page = api.get(
            "/v1/review_items", params={"alias_invoice": alias_invoice_id, "status": "pending"}
        )
        assert page.status_code == 200, page.text
        (item,) = page.json()["data"]
        return item  # type: ignore[no-any-return]


def test_review_approve_bills_the_corrected_amount(stack: Stack) -> None:
    alias = new_tenant(stack)
    mail_pdf(stack, alias, invoice_pdf(currency_symbol="", due_date=""))
    ainv = settled(stack, alias)
    assert ainv["status"] == "requires_review"
    item = review_item_for(stack, ainv["id"])
    with stack.client() as api:
        r = api.post(
            f"/v1/review_items/{item['id']}/approve",
            data={"total_amount": "131000", "currency": "eur", "due_date": "2026-02-15"},
        )
        assert r.status_code == 200, r.text
        done = api.get(f"/v1/alias_invoices/{ainv['id']}").json()
    assert done["status"] == "processed"
    assert (done["payment_request"]["amount"], done["payment_request"]["currency"]) == (
        131000,
        "eur",
    )


def test_rejected_invoice_can_be_retried_and_is_processed_again(stack: Stack) -> None:
    alias = new_tenant(stack)
    mail_pdf(stack, alias, invoice_pdf(currency_symbol="", due_date=""))
    ainv = settled(stack, alias)
    item = review_item_for(stack, ainv["id"])
    with stack.client() as api:
        r = api.post(f"/v1/review_items/{item['id']}/reject", data={"reason": "wrong tenant"})
        assert r.status_code == 200, r.text
        failed = api.get(f"/v1/alias_invoices/{ainv['id']}").json()
        assert failed["status"] == "failed"
        assert failed["error"]["code"] == "rejected_in_review"
        retried = api.post(f"/v1/alias_invoices/{ainv['id']}/retry")
        assert retried.status_code == 200, retried.text
        assert retried.json()["error"] is None
    again = settled(stack, alias)
    assert again["status"] == "requires_review"  # processed again, back in front of a person
    assert review_item_for(stack, ainv["id"])["id"] != item["id"]
