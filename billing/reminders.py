"""Payment reminders: N days before the due date, on the day, and after it, per account.

A schedule in the database, run by the worker (Dramatiq has no cron): each step of an invoice's
schedule is recorded once (`invoice_reminders`, unique per invoice and offset) in the same
transaction as its outbox email, so a reminder is sent once even if workers crash or race. The
invoice row is locked while deciding, so a payment committing at the same moment wins cleanly:
paid and void invoices get nothing more. A step whose day has passed (the worker was down, or
the invoice arrived later) is recorded as skipped rather than sent late.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from billing.invoices import hosted_invoice_url
from models.accounts import Account
from models.alias_invoices import AliasInvoice
from models.customers import Customer
from models.errors import InvalidRequest
from models.ids import new_id
from models.invoices import Invoice, InvoiceReminder
from models.notices import queue_tenant_email, reminder_offsets
from models.services import Services
from models.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

DAY = 86400
MAX_DAYS_BEFORE = 30
MAX_DAYS_AFTER = 90
REMINDABLE = ("open", "uncollectible")


def schedule_from(days_before: list[int], on_due_date: bool, days_after: list[int]) -> list[int]:
    """The account settings' three fields → one sorted list of offsets in days."""
    for name, days, limit in (
        ("reminder_days_before", days_before, MAX_DAYS_BEFORE),
        ("reminder_days_after", days_after, MAX_DAYS_AFTER),
    ):
        if any(not 1 <= d <= limit for d in days) or len(days) > 10:
            raise InvalidRequest(
                f"{name} takes up to 10 whole numbers of days between 1 and {limit}.", param=name
            )
    offsets = {-d for d in days_before} | set(days_after) | ({0} if on_due_date else set())
    return sorted(offsets)


def schedule_parts(offsets: list[int]) -> tuple[list[int], bool, list[int]]:
    before = sorted((-o for o in offsets if o < 0), reverse=True)
    return before, 0 in offsets, sorted(o for o in offsets if o > 0)


def send_due_reminders(services: Services) -> int:
    """The worker's periodic task: every reminder whose moment has come, once."""
    now = services.clock()
    with services.sessions() as session:
        candidates = list(
            session.scalars(
                select(Invoice.id).where(
                    Invoice.status.in_(REMINDABLE),
                    Invoice.due_date.is_not(None),
                    Invoice.due_date >= now - (MAX_DAYS_AFTER + 1) * DAY,
                    Invoice.due_date <= now + MAX_DAYS_BEFORE * DAY,
                )
            )
        )
    sent = 0
    for invoice_id in candidates:
        try:
            with unit_of_work(services) as session:
                sent += remind(
                    session, invoice_id, now=now, public_url=services.settings.public_url
                )
        except IntegrityError:
            log.info("reminder for %s recorded by another worker", invoice_id)
    return sent


def remind(session: Session, invoice_id: str, *, now: int, public_url: str) -> int:
    """Record the steps of one invoice's schedule that are due; email the current one."""
    invoice = session.get(Invoice, invoice_id, with_for_update=True, populate_existing=True)
    if invoice is None or invoice.status not in REMINDABLE or invoice.due_date is None:
        return 0
    account = session.get_one(Account, invoice.account_id)
    done = set(
        session.scalars(
            select(InvoiceReminder.offset_days).where(InvoiceReminder.invoice_id == invoice.id)
        )
    )
    due_steps = [
        o for o in reminder_offsets(account) if o not in done and invoice.due_date + o * DAY <= now
    ]
    if not due_steps:
        return 0
    *stale, current = due_steps  # only the latest step is worth an email
    moment = invoice.due_date + current * DAY
    on_time = now - moment < DAY and moment >= (invoice.finalized_at or 0)
    for offset in stale:
        _record(session, invoice, offset, "skipped", None, now)
    notification = _email(session, invoice, current, public_url, now) if on_time else None
    _record(session, invoice, current, "sent" if notification else "skipped", notification, now)
    return 1 if notification else 0


def _email(
    session: Session, invoice: Invoice, offset: int, public_url: str, now: int
) -> str | None:
    customer = session.get_one(Customer, invoice.customer_id)
    source = invoice.alias_invoice_id
    row = queue_tenant_email(
        session,
        kind="reminder",
        customer=customer,
        subject_id=invoice.id,
        context={
            "phase": "before" if offset < 0 else "due" if offset == 0 else "after",
            "offset_days": offset,
            "invoice": invoice.id,
            "amount": invoice.amount_remaining,
            "currency": invoice.currency or "eur",
            "due_date": invoice.due_date,
            "description": invoice.description,
            "link": hosted_invoice_url(public_url, invoice),
        },
        alias_invoice=session.get(AliasInvoice, source) if source else None,
        now=now,
    )
    return row.id if row else None


def _record(
    session: Session, invoice: Invoice, offset: int, status: str, ntf: str | None, now: int
) -> None:
    session.add(
        InvoiceReminder(
            id=new_id("rmd"),
            invoice_id=invoice.id,
            offset_days=offset,
            status=status,
            notification_id=ntf,
            created=now,
        )
    )
    session.flush()
