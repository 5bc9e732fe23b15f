"""Who is calling, and the database session that serves the request.

`Auth` resolves the secret key to its account and mode (a key seen in the last seconds comes from
an in-process cache), and gives the request its session. Handlers are plain `def`s on a
`OneHopRoute` (they run on the threadpool, so the event loop never waits for the database, and the
route closes the session on the same thread); they read through
`ctx.session` (or, to answer with one statement, `ctx.reader`) and write inside
`with ctx.unit_of_work() as session:`, which commits at the end of
the block and sends the queue messages the change enqueued after the commit.
The busiest GETs are `async def` instead and await their one statement with `ctx.rows`, on the
event loop (models.loop_reads).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Connection
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from models.accounts import ApiKey
from models.db import AnySelect
from models.keys import find_key, hash_key
from models.loop_reads import LoopReads
from models.services import Services
from models.unit_of_work import RequestInfo, work_in


@dataclass(frozen=True)
class Ctx:
    account_id: str
    livemode: bool
    services: Services
    loop_reads: LoopReads
    key_id: str | None = None  # recorded where a decision must name its caller (review items)
    request: RequestInfo = field(default_factory=RequestInfo)

    # What the handler opened, closed by close(). (Not functools.cached_property: on Python
    # 3.11 it holds one lock for every instance, which serialised the requests' checkouts.)
    _opened: dict[str, Session | Connection] = field(default_factory=dict, repr=False)

    @property
    def session(self) -> Session:
        """The request's ORM session, opened on first use."""
        session = self._opened.get("session")
        if not isinstance(session, Session):
            session = self._opened["session"] = self.services.sessions()
        return session

    @property
    def reader(self) -> Connection:
        """An autocommit connection for a handler that answers with one statement: no BEGIN and
        no ROLLBACK round trip around it (one statement sees one snapshot either way)."""
        reader = self._opened.get("reader")
        if not isinstance(reader, Connection):
            engine = self.services.engine
            reader = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._opened["reader"] = reader
        return reader

    async def rows(self, stmt: AnySelect, values: Mapping[str, Any]) -> Sequence[Any]:
        """One statement's rows, awaited on the event loop: for `async def` handlers."""
        return await self.loop_reads.rows(stmt, values)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A transaction on the request's session whose events name this request and whose
        queue messages follow the commit."""
        with work_in(self.session, self.services, self.request) as session:
            yield session

    def close(self) -> None:
        """Give back what the handler opened; called on the thread that ran it."""
        while self._opened:
            self._opened.popitem()[1].close()


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def request_info(request: Request) -> RequestInfo:
    """The Request-Id this request's response carries (set by api.edge) and its
    Idempotency-Key: the events a change writes name the request that made it."""
    value = request.scope.get("state", {}).get("request_id")
    return RequestInfo(
        id=value if isinstance(value, str) else None,
        idempotency_key=request.headers.get("idempotency-key"),
    )


def secret_from_header(header: str | None) -> str:
    if not header:
        raise ApiError(
            401,
            "You did not provide an API key. Provide it in the Authorization header, "
            "e.g. 'Authorization: Bearer sk_test_...'.",
            type_="invalid_request_error",
            code="api_key_missing",
        )
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer":
        return value.strip()
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except ValueError as exc:
            raise ApiError(401, "Malformed Basic credentials.", code="api_key_invalid") from exc
        return decoded.partition(":")[0]
    raise ApiError(401, "Use Bearer or Basic authorization.", code="api_key_invalid")


def _usable(secret: str) -> bool:
    return secret.startswith(("sk_test_", "sk_live_"))


def api_key_for(services: Services, secret: str) -> ApiKey | None:
    """The unrevoked key behind a secret, if any; shared by auth and the idempotency middleware."""
    if not _usable(secret):
        return None
    with services.sessions() as session:
        return find_key(session, secret)


@dataclass(frozen=True)
class KeyOwner:
    account_id: str
    livemode: bool
    key_id: str


class KeyCache:
    """Recently seen keys, so a busy client costs no key lookup per request. A revoked key stops
    working within TTL seconds; unknown secrets are never cached (each costs a lookup)."""

    TTL = 10.0
    MAX = 10_000

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, KeyOwner]] = {}

    def get(self, secret_hash: str) -> KeyOwner | None:
        entry = self._entries.get(secret_hash)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, secret_hash: str, owner: KeyOwner) -> None:
        if len(self._entries) >= self.MAX:
            self._entries.clear()
        self._entries[secret_hash] = (time.monotonic() + self.TTL, owner)


def _lookup(services: Services, secret: str) -> KeyOwner | None:
    key = api_key_for(services, secret)
    return KeyOwner(key.account_id, key.livemode, key.id) if key else None


async def authenticate(request: Request) -> Ctx:
    """Resolve the key (from the cache, else on a worker thread). The handler opens what it
    needs on its thread, and its route (api.one_hop) closes it there: one threadpool hop."""
    services = services_of(request)
    secret = secret_from_header(request.headers.get("authorization"))
    cache: KeyCache = request.app.state.key_cache
    digest = hash_key(secret)
    owner = cache.get(digest)
    if owner is None:
        owner = await run_in_threadpool(_lookup, services, secret)
        if owner is not None:
            cache.put(digest, owner)
    if owner is None:
        masked = secret[:8] + "*" * 4 + secret[-4:] if len(secret) > 12 else "****"
        raise ApiError(401, f"Invalid API Key provided: {masked}", code="api_key_invalid")
    return Ctx(
        account_id=owner.account_id,
        livemode=owner.livemode,
        services=services,
        key_id=owner.key_id,
        request=request_info(request),
        loop_reads=request.app.state.loop_reads,
    )


Auth = Annotated[Ctx, Depends(authenticate)]
