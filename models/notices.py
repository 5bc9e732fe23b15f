"""What the tenant is told, and when: one outbox email per event that concerns them.

Events fan out here in the transaction of the change, so a tenant email exists exactly when its
change committed. Only the decision and the facts are stored (a template name, a locale, the
context); billing renders the multipart text + HTML mail when it sends it (billing/emails.py).
Every email about an alias invoice carries the reply-to-fix address.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.accounts import Account
from models.alias_invoices import AliasInvoice, Extraction
from models.customers import Customer
from models.ids import new_id
from models.payments import Notification
from models.queue import NOTIFY
from models.replies import reply_address
from models.review import ReviewItem
from models.unit_of_work import enqueue_after_commit

if TYPE_CHECKING:
    from models.events import Event

LOCALES = ("en", "de", "fr", "nl", "es", "it")
# What the extractor reports (tesseract's codes) → the tenant email's locale.
_DOCUMENT_LANGUAGES = {"eng": "en", "deu": "de", "fra": "fr", "nld": "nl", "spa": "es", "ita": "it"}
DEFAULT_REMINDER_OFFSETS = (-3, 0, 3)
# Failures the tenant cannot act on (ours to fix): no email.
SILENT_FAILURES = frozenset({"pdf_missing"})
# Review reasons the tenant can act on: they are told why their invoice waits.
TENANT_REVIEW_REASONS = frozenset({"sender_not_authenticated"})


def tenant_locale(session: Session, customer: Customer, alias_invoice: AliasInvoice | None) -> str:
    """The customer's locale, else the document's language, else English."""
    if customer.locale in LOCALES:
        return str(customer.locale)
    if alias_invoice is not None:
        result = session.scalars(
            select(Extraction.result)
            .where(Extraction.alias_invoice_id == alias_invoice.id)
            .order_by(Extraction.attempt.desc())
            .limit(1)
        ).first()
        languages = (result or {}).get("languages") or []
        for language in languages:
            if language in _DOCUMENT_LANGUAGES:
                return _DOCUMENT_LANGUAGES[language]
    return "en"


def queue_tenant_email(
    session: Session,
    *,
    kind: str,
    customer: Customer,
    subject_id: str,
    context: dict[str, Any],
    alias_invoice: AliasInvoice | None = None,
    attachments: Sequence[tuple[str, str, str]] = (),
    now: int,
) -> Notification | None:
    """An outbox email to the tenant, sent after commit; None when the tenant has no address.
    attachments: (blob key, filename, content type)."""
    if not customer.email:
        return None
    payload: dict[str, Any] = {
        "template": kind,
        "to": customer.email,
        "name": customer.name,
        "locale": tenant_locale(session, customer, alias_invoice),
        "reply_to": (
            reply_address(alias_invoice.alias_email, alias_invoice.id) if alias_invoice else None
        ),
        "context": context,
        "attachments": [list(a) for a in attachments],
    }
    row = Notification(
        id=new_id("ntf"),
        account_id=customer.account_id,
        customer_id=customer.id,
        channel="email",
        kind=kind,
        subject_id=subject_id,
        payload=payload,
        status="pending",
        attempts=0,
        created=now,
    )
    session.add(row)
    session.flush()
    enqueue_after_commit(session, NOTIFY, row.id)
    return row


def alias_invoice_context(row: AliasInvoice) -> dict[str, Any]:
    """The facts every email about an alias invoice can use."""
    return {
        "alias_invoice": row.id,
        "alias_email": row.alias_email,
        "document": row.pdf_filename or row.subject,
        "sender": row.sender_email,
        "subject": row.subject,
        "received_at": row.received_at,
    }


def for_event(session: Session, event: Event) -> None:
    """The tenant email an event calls for, if any."""
    handler = _HANDLERS.get(event.type)
    if handler is not None:
        handler(session, event)


def _alias_invoice_of(session: Session, event: Event) -> tuple[AliasInvoice, Customer]:
    row = session.get_one(AliasInvoice, event.object_["id"])
    return row, session.get_one(Customer, row.customer_id)


def _received(session: Session, event: Event) -> None:
    row, customer = _alias_invoice_of(session, event)
    account = session.get_one(Account, row.account_id)
    if account.acknowledge_receipts:
        queue_tenant_email(
            session,
            kind="received",
            customer=customer,
            subject_id=row.id,
            context=alias_invoice_context(row),
            alias_invoice=row,
            now=event.created,
        )


def _failed(session: Session, event: Event) -> None:
    row, customer = _alias_invoice_of(session, event)
    if row.error_code in SILENT_FAILURES:
        return
    context = alias_invoice_context(row) | {
        "code": row.error_code,
        "message": row.error_message,
        "reason": _rejection_reason(session, row.id),
    }
    queue_tenant_email(
        session,
        kind="failed",
        customer=customer,
        subject_id=row.id,
        context=context,
        alias_invoice=row,
        now=event.created,
    )


def _rejection_reason(session: Session, alias_invoice_id: str) -> str | None:
    return session.scalars(
        select(ReviewItem.rejection_reason)
        .where(ReviewItem.alias_invoice_id == alias_invoice_id, ReviewItem.status == "rejected")
        .order_by(ReviewItem.decided_at.desc())
        .limit(1)
    ).first()


def _held_for_review(session: Session, event: Event) -> None:
    """Held for a reason the tenant can act on (e.g. an unauthenticated sender): say why."""
    codes = [r.get("code") for r in event.object_.get("reasons") or [] if isinstance(r, dict)]
    actionable = [c for c in codes if c in TENANT_REVIEW_REASONS]
    if not actionable:
        return
    row = session.get_one(AliasInvoice, event.object_["alias_invoice"])
    customer = session.get_one(Customer, row.customer_id)
    queue_tenant_email(
        session,
        kind="held",
        customer=customer,
        subject_id=row.id,
        context=alias_invoice_context(row) | {"reasons": actionable},
        alias_invoice=row,
        now=event.created,
    )


def _receipt(session: Session, event: Event) -> None:
    invoice = event.object_
    customer = session.get_one(Customer, invoice["customer"])
    alias_invoice = (
        session.get(AliasInvoice, invoice["alias_invoice"])
        if invoice.get("alias_invoice")
        else None
    )
    queue_tenant_email(
        session,
        kind="receipt",
        customer=customer,
        subject_id=invoice["id"],
        context={
            "invoice": invoice["id"],
            "amount": invoice["amount_paid"],
            "currency": invoice["currency"],
            "description": invoice.get("description"),
            "payment_intent": invoice.get("payment_intent"),
            "paid_at": invoice.get("paid_at"),
            "hosted_invoice_url": invoice.get("hosted_invoice_url"),
        },
        alias_invoice=alias_invoice,
        now=event.created,
    )


_HANDLERS = {
    "alias_invoice.received": _received,
    "alias_invoice.failed": _failed,
    "review_item.created": _held_for_review,
    "invoice.paid": _receipt,
}


def reminder_offsets(account: Account) -> list[int]:
    offsets = account.reminder_offsets
    if offsets is None:
        return list(DEFAULT_REMINDER_OFFSETS)
    return sorted(int(o) for o in offsets)
