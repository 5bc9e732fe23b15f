"""Who is calling: the account and mode of the secret key, resolved once per request."""

from __future__ import annotations

import base64
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from api.errors import ApiError
from models.accounts import ApiKey
from models.keys import find_key
from models.services import Services
from models.unit_of_work import RequestInfo, unit_of_work


@dataclass(frozen=True)
class Ctx:
    account_id: str
    livemode: bool
    services: Services
    key_id: str | None = None  # recorded where a decision must name its caller (review items)
    request: RequestInfo = field(default_factory=RequestInfo)

    def unit_of_work(self) -> AbstractContextManager[Session]:
        """A transaction whose events name this request and whose messages follow the commit."""
        return unit_of_work(self.services, self.request)


def request_info(request: Request) -> RequestInfo:
    """The request id (set by the app's middleware) and Idempotency-Key, for events."""
    return RequestInfo(
        id=getattr(request.state, "request_id", None),
        idempotency_key=request.headers.get("idempotency-key"),
    )


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


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


def api_key_for(services: Services, secret: str) -> ApiKey | None:
    """The unrevoked key behind a secret, if any; shared by auth and the idempotency middleware."""
    if not secret.startswith(("sk_test_", "sk_live_")):
        return None
    with services.sessions() as session:
        return find_key(session, secret)


def authenticate(request: Request) -> Ctx:
    services = services_of(request)
    secret = secret_from_header(request.headers.get("authorization"))
    key = api_key_for(services, secret)
    if key is None:
        masked = secret[:8] + "*" * 4 + secret[-4:] if len(secret) > 12 else "****"
        raise ApiError(401, f"Invalid API Key provided: {masked}", code="api_key_invalid")
    return Ctx(
        account_id=key.account_id,
        livemode=key.livemode,
        services=services,
        key_id=key.id,
        request=request_info(request),
    )


Auth = Annotated[Ctx, Depends(authenticate)]
