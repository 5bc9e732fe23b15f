"""Per-client and per-alias rate limits of the SMTP receiver, kept in the receiver's memory.

Answers are temporary (4xx): a legitimate server queues the message and tries again, a flood
slows down. The counts live in one receiver process; run several and each counts its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

TOO_MANY_SESSIONS = "421 4.7.0 Too many connections from your address; try again later"
TOO_MANY_MESSAGES = "450 4.7.1 Too many messages from your address; try again later"
# Per recipient, as large providers answer it: the mailbox receives at a rate it cannot keep up.
ALIAS_TOO_BUSY = "450 4.2.1 This alias is receiving mail too fast; try again later"


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class TokenBuckets:
    """`allow(key)` spends one token of `key`'s bucket; buckets refill at `per_second`."""

    capacity: float
    per_second: float
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        if self.capacity <= 0:
            return True  # 0 configures "no limit"
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) > 100_000:  # forget idle senders rather than grow forever
                self._buckets = {k: b for k, b in self._buckets.items() if b.tokens < self.capacity}
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True


class RateLimits:
    def __init__(
        self,
        *,
        sessions_per_client: int,
        messages_per_client_minute: int,
        messages_per_alias_hour: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions_per_client = sessions_per_client
        self._sessions: dict[str, int] = {}
        self.client_messages = TokenBuckets(
            messages_per_client_minute, messages_per_client_minute / 60, clock
        )
        self.alias_messages = TokenBuckets(
            messages_per_alias_hour, messages_per_alias_hour / 3600, clock
        )

    def open_session(self, client: str) -> bool:
        count = self._sessions.get(client, 0)
        if self.sessions_per_client > 0 and count >= self.sessions_per_client:
            return False
        self._sessions[client] = count + 1
        return True

    def close_session(self, client: str) -> None:
        count = self._sessions.get(client, 0) - 1
        if count > 0:
            self._sessions[client] = count
        else:
            self._sessions.pop(client, None)
