"""The audit trail of review items: append-only events, newest last."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from models.ids import new_id
from models.review import ReviewEvent


def record(
    session: Session,
    item_id: str,
    kind: str,
    *,
    now: int,
    actor: str | None = None,
    via: str | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    message: str | None = None,
) -> ReviewEvent:
    event = ReviewEvent(
        id=new_id("revev"),
        review_item_id=item_id,
        kind=kind,
        actor=actor,
        via=via,
        field=field,
        old_value=old,
        new_value=new,
        message=message,
        created=now,
    )
    session.add(event)
    return event


def record_corrections(
    session: Session,
    item_id: str,
    changed: Mapping[str, Mapping[str, Any]],
    *,
    now: int,
    actor: str,
    via: str,
) -> None:
    for field, change in changed.items():
        record(
            session,
            item_id,
            "field_corrected",
            now=now,
            actor=actor,
            via=via,
            field=field,
            old=change["from"],
            new=change["to"],
        )


def event_json(event: ReviewEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "object": "review_event",
        "type": event.kind,
        "actor": event.actor,
        "via": event.via,
        "field": event.field,
        "from": event.old_value,
        "to": event.new_value,
        "message": event.message,
        "created": event.created,
    }
