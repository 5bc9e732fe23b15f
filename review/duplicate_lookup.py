"""Finding what the tenant already sent: the earlier documents a new one is compared with.

The tenant is the customer, across all their aliases. The customer row is locked first, so two
copies of one invoice routed at the same moment are compared one after the other (PostgreSQL;
SQLite serialises writers anyway, and a stale reader's write fails and is retried).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.alias_invoices import AliasInvoice
from models.customers import Customer
from models.lifecycle import AliasInvoiceStatus as S
from review.duplicates import Earlier, Facts, Match, best_match, facts_of

DUPLICATE = "duplicate_invoice"
# Billed, in review, or paid: what a copy would duplicate. Failed or rejected ones are not.
COMPARED = (S.PROCESSED, S.PAID, S.REQUIRES_REVIEW)
# Bounded cost: a tenant's newest documents are where a copy's original is.
MAX_COMPARED = 500
_CONTENT_KEY = re.compile(r"([0-9a-f]{64})\.[A-Za-z0-9]+$")


def content_hash(blob_key: str | None) -> str | None:
    """Stored documents are content-addressed (`pdfs/<sha256>.pdf`): the key names the bytes."""
    found = _CONTENT_KEY.search(blob_key or "")
    return found.group(1) if found else None


def record_facts(row: AliasInvoice, result: dict[str, Any]) -> Facts:
    """Compute this document's facts and keep them on its row for later comparisons."""
    facts = facts_of(result, content_hash(row.pdf_blob_key))
    row.match_facts = facts.to_json()
    return facts


def earlier_documents(session: Session, row: AliasInvoice) -> list[Earlier]:
    session.execute(select(Customer.id).where(Customer.id == row.customer_id).with_for_update())
    rows = session.execute(
        select(
            AliasInvoice.id,
            AliasInvoice.status,
            AliasInvoice.match_facts,
            AliasInvoice.processed_at,
            AliasInvoice.paid_at,
            AliasInvoice.received_at,
        )
        .where(
            AliasInvoice.customer_id == row.customer_id,
            AliasInvoice.account_id == row.account_id,
            AliasInvoice.livemode == row.livemode,
            AliasInvoice.status.in_(COMPARED),
            AliasInvoice.match_facts.is_not(None),
            AliasInvoice.id != row.id,
        )
        .order_by(AliasInvoice.received_at.desc())
        .limit(MAX_COMPARED)
    ).all()
    earlier = []
    for r in rows:
        since = {S.PAID: r.paid_at, S.PROCESSED: r.processed_at}.get(r.status, r.received_at)
        earlier.append(Earlier(r.id, r.status, Facts.from_json(r.match_facts), since))
    return earlier


@dataclass(frozen=True)
class Seen:
    """What the tenant's earlier documents say about a new one."""

    match: Match | None
    vendor_is_new: bool  # no earlier document from this vendor (or none could be read)
    sender_is_new: bool  # no billed document of the tenant came from this address


def compare_with_earlier(session: Session, row: AliasInvoice, result: dict[str, Any]) -> Seen:
    """Record this document's facts, then compare it with the tenant's others."""
    facts = record_facts(row, result)
    earlier = earlier_documents(session, row)
    known_vendor = facts.vendor is not None and any(e.facts.vendor == facts.vendor for e in earlier)
    return Seen(best_match(facts, earlier), not known_vendor, not _known_sender(session, row))


def _known_sender(session: Session, row: AliasInvoice) -> bool:
    """Whether a document of this tenant from the same address was billed before: one a person
    approved or the gate billed, not one still in review or rejected."""
    sender = (row.sender_email or "").strip().lower()
    if not sender:
        return False
    return (
        session.scalar(
            select(AliasInvoice.id)
            .where(
                AliasInvoice.customer_id == row.customer_id,
                AliasInvoice.account_id == row.account_id,
                AliasInvoice.livemode == row.livemode,
                AliasInvoice.status.in_((S.PROCESSED, S.PAID)),
                func.lower(AliasInvoice.sender_email) == sender,
                AliasInvoice.id != row.id,
            )
            .limit(1)
        )
        is not None
    )


def duplicate_message(match: Match) -> str:
    fields = ", ".join(m.replace("_", " ") for m in match.matched)
    return (
        f"The same invoice was already forwarded as {match.earlier.alias_invoice_id} "
        f"({match.to_json()['state']}; same {fields}), so it is not billed again."
    )
