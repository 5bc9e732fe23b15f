"""Who is calling, and the one database session that serves the request.

`Auth` resolves the secret key to its account and mode, and opens the request's session: the key
lookup and the handler's queries share one connection checkout. Handlers are plain `def`s (they
run on the threadpool, so the event loop never waits for the database); they read through
`ctx.session` and write inside `with ctx.unit_of_work() as session:`, which commits at the end of
the block and sends the queue messages the change enqueued after the commit.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from api.errors import ApiError
from models.accounts import ApiKey
from models.keys import find_key
from models.services import Services
from models.unit_of_work import RequestInfo, work_in


@dataclass(frozen=True)
class Ctx:
    account_id: str
    livemode: bool
    services: Services
    session: Session
    key_id: str | None = None  # recorded where a decision must name its caller (review items)
    request: RequestInfo = field(default_factory=RequestInfo)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A transaction on the request's session whose events name this request and whose
        queue messages follow the commit."""
        with work_in(self.session, self.services, self.request) as session:
            yield session


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def request_info(request: Request) -> RequestInfo:
    """The Request-Id this request's response carries (set by api.response_headers) and its
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


def authenticate(request: Request) -> Iterator[Ctx]:
    services = services_of(request)
    secret = secret_from_header(request.headers.get("authorization"))
    with services.sessions() as session:
        key = find_key(session, secret) if _usable(secret) else None
        if key is None:
            masked = secret[:8] + "*" * 4 + secret[-4:] if len(secret) > 12 else "****"
            raise ApiError(401, f"Invalid API Key provided: {masked}", code="api_key_invalid")
        yield Ctx(
            account_id=key.account_id,
            livemode=key.livemode,
            services=services,
            session=session,
            key_id=key.id,
            request=request_info(request),
        )


Auth = Annotated[Ctx, Depends(authenticate)]
