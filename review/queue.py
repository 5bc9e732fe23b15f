"""The ops review queue across all accounts: filters, oldest first, and "what's next"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from models.accounts import Account
from models.review import ReviewItem
from review.items import ItemView, load_views


@dataclass(frozen=True)
class QueueFilter:
    status: str = "pending"
    account_id: str | None = None
    reason: str | None = None  # a reason code, e.g. low_confidence
    livemode: bool | None = None


def _filtered(f: QueueFilter) -> Select[Any]:
    stmt = select(ReviewItem).where(ReviewItem.status == f.status)
    if f.account_id:
        stmt = stmt.where(ReviewItem.account_id == f.account_id)
    if f.livemode is not None:
        stmt = stmt.where(ReviewItem.livemode == f.livemode)
    return stmt


def _matches_reason(view: ItemView, reason: str | None) -> bool:
    return reason is None or any(
        isinstance(r, dict) and r.get("code") == reason for r in view.item.reasons or []
    )


def list_queue(session: Session, f: QueueFilter, *, limit: int = 100) -> list[ItemView]:
    """Pending items oldest first (decided ones most recent first); reasons filtered in Python
    because they are a JSON list and the queue is short."""
    order = (
        (ReviewItem.created, ReviewItem.id)
        if f.status == "pending"
        else (ReviewItem.decided_at.desc(), ReviewItem.id)
    )
    items = session.scalars(_filtered(f).order_by(*order).limit(limit * 3)).all()
    views = [v for v in load_views(session, items) if _matches_reason(v, f.reason)]
    return views[:limit]


def next_pending(session: Session, after: ReviewItem | None, f: QueueFilter) -> str | None:
    """The next pending item after `after` in queue order, wrapping to the oldest."""
    stmt = _filtered(QueueFilter("pending", f.account_id, None, f.livemode))
    ordered = stmt.order_by(ReviewItem.created, ReviewItem.id)
    if after is not None:
        later = ordered.where(
            or_(
                ReviewItem.created > after.created,
                and_(ReviewItem.created == after.created, ReviewItem.id > after.id),
            )
        )
        for view in load_views(session, session.scalars(later.limit(50)).all()):
            if _matches_reason(view, f.reason):
                return view.item.id
        ordered = ordered.where(ReviewItem.id != after.id)
    for view in load_views(session, session.scalars(ordered.limit(50)).all()):
        if _matches_reason(view, f.reason):
            return view.item.id
    return None


def pending_counts(session: Session) -> dict[str, int]:
    """Pending items per account id, for the account filter."""
    rows = session.execute(
        select(ReviewItem.account_id, func.count())
        .where(ReviewItem.status == "pending")
        .group_by(ReviewItem.account_id)
    ).all()
    return {account_id: count for account_id, count in rows}


def account_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Account.id, Account.name).order_by(Account.name)).all())
