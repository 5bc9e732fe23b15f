"""Sliding-window counters kept in the database, so every API process sees the same counts.

A hit is one event worth limiting (a wrong password, an unavailable alias name); a limit is "at
most N hits for this key in the last W seconds". Rows older than any window are pruned as new
hits arrive.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.db import Base

# No window is longer than this; older hits are deleted.
MAX_WINDOW = 24 * 3600


class RateLimitHit(Base):
    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_scope_key_created", "scope", "key", "created"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    scope: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(320))
    created: Mapped[int] = mapped_column(BigInteger)


def retry_after(
    session: Session, scope: str, key: str, *, limit: int, window: int, now: int
) -> int:
    """0 while under the limit; else the seconds until the oldest hit in the window expires."""
    count, oldest = session.execute(
        select(func.count(), func.min(RateLimitHit.created)).where(
            RateLimitHit.scope == scope,
            RateLimitHit.key == key[:320],
            RateLimitHit.created > now - window,
        )
    ).one()
    if count < limit:
        return 0
    return max(1, int(oldest) + window - now)


def record_hit(session: Session, scope: str, key: str, now: int) -> None:
    session.add(RateLimitHit(scope=scope, key=key[:320], created=now))
    session.execute(
        delete(RateLimitHit).where(
            RateLimitHit.scope == scope,
            RateLimitHit.key == key[:320],
            RateLimitHit.created <= now - MAX_WINDOW,
        )
    )
