"""The tenant's side: the hosted invoice page, paying there, the PDF, and the emailed invoice."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from sqlalchemy import select

from billing.actors import run_notify
from models.alias_invoices import AliasInvoice, InboundMessage
from models.payments import Notification, PaymentIntent, PaymentRequest
from models.queue import NOTIFY
from models.services import Services
from models.unit_of_work import unit_of_work
from review.billing_path import bill_alias_invoice
from tests.api.test_invoices import act, customer, invoice
from tests.conftest import Api


def forwarded_invoice(api: Api, services: Services) -> tuple[str, str]:
    """An alias invoice billed by the results stage's own path: (alias invoice id, pr id)."""
    cus = customer(api)
    alias = api.post("/v1/email_aliases", json={"customer": cus}).json()
    now = services.clock()
    with unit_of_work(services) as session:
        message = InboundMessage(
            id="msg_1",
            sha256="0" * 64,
            message_id=None,
            raw_blob_key="raw/1.eml",
            mail_from="landlord@example.com",
            sender_email="landlord@example.com",
            subject="Rent",
            size=10,
            pdf_count=1,
            received_at=now,
        )
        row = AliasInvoice(
            id="ainv_1",
            account_id=api.account_id,
            livemode=False,
            email_alias_id=alias["id"],
            alias_email=alias["email"],
            customer_id=cus,
            inbound_message_id=message.id,
            attachment_index=0,
            pdf_blob_key="pdf/1.pdf",
            pdf_filename="rent.pdf",
            status="processed",
            metadata_={},
            attempts=1,
            received_at=now,
            created=now,
        )
        session.add_all([message])
        session.flush()
        session.add(row)
        session.flush()
        data = {
            "total_amount": 125000,
            "currency": "eur",
            "reference": "R-1",
            "due_date": "2026-02-01",
            "line_items": [],
        }
        pr = bill_alias_invoice(session, row, data, public_url="http://testserver", now=now)
        row.payment_request_id = pr.id
        return row.id, pr.id


def test_paying_the_hosted_page_pays_the_alias_invoice(api: Api, services: Services) -> None:
    alias_invoice_id, pr_id = forwarded_invoice(api, services)
    link = api.client.get(f"/pay/{pr_id}", follow_redirects=False)
    assert link.status_code == 303
    page_url = link.headers["location"]
    page = api.client.get(page_url)
    assert page.status_code == 200 and 'id="pay"' in page.text and "1,250.00 EUR" in page.text
    services.clock.advance(3600)  # type: ignore[attr-defined]
    paid = api.client.post(f"{page_url}/pay", follow_redirects=False)
    assert paid.status_code == 303
    after = api.client.get(page_url)
    assert 'id="paid"' in after.text and 'id="pay"' not in after.text
    with services.sessions() as session:
        row = session.get(AliasInvoice, alias_invoice_id)
        assert row is not None
        assert row.status == "paid" and row.paid_at == services.clock()
        intent = session.scalar(select(PaymentIntent))
        assert intent is not None and row.payment_intent == intent.id
        assert intent.amount == 125000 and intent.source == "hosted_page"
        pr = session.get(PaymentRequest, pr_id)
        assert pr is not None and pr.status == "paid"
    inv_id = page_url.rsplit("/", 1)[1]
    body = api.get(f"/v1/invoices/{inv_id}").json()
    assert body["status"] == "paid" and body["payment_intent"] == row.payment_intent
    # A second click does not pay twice.
    api.client.post(f"{page_url}/pay", follow_redirects=False)
    with services.sessions() as session:
        assert len(session.scalars(select(PaymentIntent)).all()) == 1
    alias = api.get(f"/v1/alias_invoices/{alias_invoice_id}").json()
    assert alias["status"] == "paid"


def test_pay_endpoint_also_settles_the_alias_invoice(api: Api, services: Services) -> None:
    alias_invoice_id, _ = forwarded_invoice(api, services)
    with services.sessions() as session:
        row = session.get(AliasInvoice, alias_invoice_id)
        assert row is not None
    inv_id = api.get("/v1/invoices").json()["data"][0]["id"]
    body = act(api, inv_id, "pay", json={"paid_out_of_band": True}).json()
    assert body["status"] == "paid"
    with services.sessions() as session:
        row = session.get(AliasInvoice, alias_invoice_id)
        assert row is not None and row.status == "paid" and row.payment_intent is None


def test_drafts_have_no_page_and_unknown_links_404(api: Api) -> None:
    inv = invoice(api)
    assert api.client.get(f"/i/{inv['id']}").status_code == 404
    assert api.client.get("/pay/pr_nope", follow_redirects=False).status_code == 404


def test_tenants_following_a_bad_link_read_a_page_not_json(api: Api) -> None:
    for path, status, words in [
        ("/i/in_nope", 404, "was not found"),
        ("/i/in_nope/pdf", 404, "was not found"),
        ("/pay/pr_nope", 404, "was not found"),
        ("/i/bad$id", 400, "not valid"),
        ("/files/pdfs/x.pdf?expires=1&signature=forged", 403, "has expired"),
    ]:
        page = api.client.get(path, follow_redirects=False)
        assert page.status_code == status, (path, page.text)
        assert page.headers["content-type"].startswith("text/html")
        assert words in page.text and "<h1>" in page.text and '"error"' not in page.text
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert api.get("/v1/invoices/in_nope").headers["content-type"] == "application/json"


def test_pdf_is_rendered_and_served(api: Api) -> None:
    inv = invoice(api)
    body = act(api, inv["id"], "finalize").json()
    r = api.client.get(body["pdf_url"].removeprefix("http://testserver"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    again = api.client.get(body["pdf_url"].removeprefix("http://testserver"))
    assert again.content == r.content


def test_send_mails_the_pdf_and_the_link(api: Api, services: Services, tmp_path: Path) -> None:
    inv = invoice(api, description="January rent")
    r = act(api, inv["id"], "send")
    assert r.status_code == 400 and r.json()["error"]["code"] == "status_transition_invalid"
    act(api, inv["id"], "finalize")
    services.queue.broker.declare_queue(NOTIFY)
    sent = act(api, inv["id"], "send")
    assert sent.status_code == 200 and sent.json()["status"] == "open"
    queued = services.queue.broker.queues.get(NOTIFY)  # type: ignore[attr-defined]
    assert queued is not None and queued.qsize() == 1
    outbox = services.settings.outbox_dir
    with services.sessions() as session:
        row = session.scalar(select(Notification).where(Notification.subject_id == inv["id"]))
        assert row is not None and row.kind == "invoice_sent"
    run_notify(services, row.id)
    (eml,) = outbox.glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert isinstance(message, EmailMessage)
    assert message["To"] == "jane@example.com"
    text = message.get_body(("plain",))
    assert text is not None and f"http://testserver/i/{inv['id']}" in text.get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == f"{inv['id']}.pdf"
    assert attachment.get_content().startswith(b"%PDF")


def test_send_needs_a_customer_email(api: Api) -> None:
    cus = api.post("/v1/customers", json={"name": "No Mail"}).json()["id"]
    inv = invoice(api, cus)
    act(api, inv["id"], "finalize")
    r = act(api, inv["id"], "send")
    assert r.status_code == 400 and r.json()["error"]["code"] == "customer_email_missing"
