"""Payment requests: what the tenant is asked to pay. Their JSON (with the pay link) lives in
models/objects.py, because an alias invoice and its events carry it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from models import events
from models.events import EventType
from models.objects import payment_request_json
from models.payments import PaymentRequest
from models.unit_of_work import current


def mark_sent(session: Session, request_id: str, *, now: int) -> bool:
    """pending → sent (its email went out, or it had only the wallet), with its event."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(PaymentRequest)
        .where(PaymentRequest.id == request_id, PaymentRequest.status == "pending")
        .values(status="sent", sent_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    pr = session.get_one(PaymentRequest, request_id, populate_existing=True)
    obj = payment_request_json(pr, current(session).public_url)
    events.emit(
        session,
        EventType.PAYMENT_REQUEST_SENT,
        obj,
        account_id=pr.account_id,
        livemode=pr.livemode,
    )
    return True
