"""Issue 11 end to end, over SMTP and real HTTP on both stacks: the tenant is told how to fix a
mail without a document and fixes it by replying; an integrator gets signed webhooks; events
list it all."""

from __future__ import annotations

import smtplib
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
import stripe

from tests.e2e.stack import Stack, wait_for
from tests.e2e.test_journeys import alias_invoices, mail_pdf, new_tenant
from tests.mail import crlf, mail_with_pdfs
from tests.pdfs import invoice_pdf
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.e2e


def tenant_mail(stack: Stack, subject_part: str, alias_invoice_id: str) -> EmailMessage:
    """The tenant's email about one alias invoice, from the stack's outbox folder."""

    def find() -> EmailMessage | None:
        for path in (stack.data_dir / "outbox").glob("*.eml"):
            mail = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(mail, EmailMessage)
            if subject_part in str(mail["Subject"]) and alias_invoice_id in str(mail["Reply-To"]):
                return mail
        return None

    found: EmailMessage = wait_for(find, 60, f"the email '{subject_part}'", stack.logs)
    return found


def status(stack: Stack, alias_invoice_id: str) -> dict[str, Any]:
    with stack.client() as api:
        return dict(api.get(f"/v1/alias_invoices/{alias_invoice_id}").json())


def test_a_mail_without_a_pdf_is_fixed_by_replying_with_the_pdf(stack: Stack) -> None:
    alias = new_tenant(stack)
    mail_pdf(stack, alias, None)
    (ainv,) = alias_invoices(stack, alias)
    assert ainv["status"] == "failed" and ainv["error"]["code"] == "no_pdf_attachment"
    mail = tenant_mail(stack, "could not process", ainv["id"])
    text = mail.get_body(("plain",))
    assert text is not None and "Reply to this email with the invoice" in text.get_content()
    reply_to = str(mail["Reply-To"])
    assert reply_to == alias["email"].replace("@", f"+{ainv['id']}@")
    # The tenant answers from the address the integrator gave the customer, with the PDF.
    answer = mail_with_pdfs(
        reply_to,
        [("invoice.pdf", invoice_pdf(reference="INV-REPLY-1"))],
        sender="jane@example.com",
        subject=f"Re: {mail['Subject']}",
        message_id="<reply-1@example.com>",
    )
    with smtplib.SMTP("127.0.0.1", stack.smtp_port, timeout=30) as client:
        refused = client.sendmail("jane@example.com", [reply_to], crlf(bytes(answer)))
    assert refused == {}
    done = wait_for(
        lambda: (
            (s := status(stack, ainv["id"]))["status"] not in ("failed", "received", "processing")
            and s
        ),
        120,
        "the replied invoice to be processed",
        stack.logs,
    )
    assert done["status"] == "processed" and done["id"] == ainv["id"]
    assert done["extracted_data"]["reference"] == "INV-REPLY-1" and done["error"] is None
    with stack.client() as api:
        page = api.get("/v1/events", params={"type": "alias_invoice.*", "limit": 100}).json()
    mine = [e["type"] for e in page["data"] if e["data"]["object"]["id"] == ainv["id"]]
    assert mine == [
        "alias_invoice.processed",
        "alias_invoice.processing",
        "alias_invoice.received",
        "alias_invoice.failed",
    ]


def test_processed_then_paid_sends_signed_webhooks_and_events_list_it_all(stack: Stack) -> None:
    with Receiver() as receiver, stack.client() as api:
        created = api.post(
            "/v1/webhook_endpoints",
            data={
                "url": receiver.url,
                "enabled_events[0]": "alias_invoice.*",
                "enabled_events[1]": "invoice.paid",
            },
        )
        assert created.status_code == 200, created.text
        hook = created.json()
        alias = new_tenant(stack)
        mail_pdf(stack, alias, invoice_pdf(reference="INV-HOOK-1"))

        def got(event_type: str, object_id: str | None = None) -> dict[str, Any] | None:
            for item in receiver.received:
                event = item.event
                obj = event["data"]["object"]
                if event["type"] == event_type and object_id in (None, obj.get("id")):
                    # Stripe's own verifier, with its default 5-minute tolerance.
                    stripe.WebhookSignature.verify_header(
                        item.body, item.headers["CasaPay-Signature"], hook["secret"]
                    )
                    return event
            return None

        processed = wait_for(
            lambda: got("alias_invoice.processed"), 120, "alias_invoice.processed", stack.logs
        )
        invoice_id = api.get("/v1/invoices", params={"customer": alias["customer"]}).json()["data"][
            0
        ]["id"]
        assert api.post(f"/v1/invoices/{invoice_id}/pay").status_code == 200
        paid = wait_for(lambda: got("invoice.paid", invoice_id), 60, "invoice.paid", stack.logs)
        assert processed["data"]["object"]["payment_request"]["invoice"] == invoice_id
        assert paid["data"]["object"]["status"] == "paid"
        assert paid["request"]["id"] and paid["livemode"] is False
        events = api.get("/v1/events", params={"limit": 100}).json()["data"]
        listed = {e["id"] for e in events}
        assert {processed["id"], paid["id"]} <= listed
        types = [e["type"] for e in events]
        for expected in (
            "alias_invoice.received",
            "alias_invoice.processing",
            "invoice.created",
            "invoice.finalized",
            "alias_invoice.processed",
            "payment_request.sent",
            "invoice.paid",
            "alias_invoice.paid",
        ):
            assert expected in types, expected
        assert types.index("invoice.paid") < types.index("alias_invoice.processed")  # newest first
        assert wait_for(lambda: got("alias_invoice.paid"), 60, "alias_invoice.paid", stack.logs)
        attempts = api.get(f"/v1/webhook_endpoints/{hook['id']}/attempts").json()["data"]
        assert attempts and all(a["status_code"] == 200 for a in attempts)
