"""The results stage's actor: an extracted alias invoice is billed, or queued for review.

It claims the row like every stage (so a route that keeps failing ends
`processing_attempts_exhausted` instead of being re-sent forever), then decides and writes the
outcome in one transaction: running it twice bills once.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import lifecycle
from models.alias_invoices import AliasInvoice
from models.alias_invoices import Extraction as ExtractionRow
from models.events import EventType
from models.ids import new_id
from models.lifecycle import Claim, Limits, Phase
from models.queue import ROUTE, ActorSpec
from models.review import ReviewItem
from models.services import Services
from models.unit_of_work import unit_of_work
from review.account_rules import rules_for, sender_of
from review.billing_path import bill_alias_invoice
from review.duplicate_lookup import DUPLICATE, compare_with_earlier, duplicate_message
from review.items import emit_item
from review.routing import decide, hold, possible_duplicate, sender_reasons
from review.rules import rule_reasons
from review.thresholds import threshold_for

log = logging.getLogger(__name__)


def run_route(services: Services, alias_invoice_id: str) -> None:
    limits = Limits.of(services.settings)
    with unit_of_work(services) as session:
        claim = lifecycle.claim(
            session, alias_invoice_id, Phase.ROUTE, now=services.clock(), limits=limits
        )
    if claim is None:
        return
    try:
        with unit_of_work(services) as session:
            _route(session, services, claim)
    except lifecycle.Superseded:
        log.info("route for %s superseded by a newer claim", alias_invoice_id)
    except BaseException as exc:  # a database blip, or a bug this document triggers
        with unit_of_work(services) as session:
            spent = lifecycle.release(
                session,
                claim,
                f"{type(exc).__name__}: {exc}"[:1000],
                now=services.clock(),
                limits=limits,
            )
        if not spent:
            raise


def _route(session: Session, services: Services, claim: Claim) -> None:
    row = session.get_one(AliasInvoice, claim.alias_invoice_id)
    extraction = session.scalar(
        select(ExtractionRow).where(
            ExtractionRow.alias_invoice_id == row.id, ExtractionRow.attempt == claim.attempt
        )
    )
    if extraction is None:
        raise LookupError(f"extraction {claim.attempt} of {row.id} is missing")
    threshold = threshold_for(session, row.account_id, services.settings.review_threshold)
    now = services.clock()
    seen = compare_with_earlier(session, row, extraction.result)
    if seen.match is not None:
        row.duplicate_of = seen.match.to_json()
        if seen.match.certain:
            lifecycle.fail(session, claim, DUPLICATE, duplicate_message(seen.match), now=now)
            return
    decision = hold(
        decide(extraction.result, threshold),
        [
            *sender_reasons(row.sender_auth),
            *possible_duplicate(row.duplicate_of),
            *rule_reasons(
                extraction.result,
                rules_for(session, row.account_id),
                sender_of(row),
                vendor_is_new=seen.vendor_is_new,
                sender_is_new=seen.sender_is_new,
            ),
        ],
    )
    if decision.bill:
        pr = bill_alias_invoice(
            session, row, extraction.result, public_url=services.settings.public_url, now=now
        )
        lifecycle.processed(session, claim, payment_request_id=pr.id, now=now)
        return
    lifecycle.to_review(session, claim, now=now)
    item = ReviewItem(
        id=new_id("rev"),
        account_id=row.account_id,
        livemode=row.livemode,
        alias_invoice_id=row.id,
        extraction_id=extraction.id,
        status="pending",
        reasons=list(decision.reasons),
        created=now,
    )
    session.add(item)
    emit_item(session, item.id, EventType.REVIEW_ITEM_CREATED)


ACTORS = (ActorSpec(ROUTE, run_route, time_limit_ms=60_000, max_retries=8),)
