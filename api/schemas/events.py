"""Events (what happened, Stripe's event object) and the webhook endpoints they are posted to."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from api.schemas.common import ApiObject, Metadata, Timestamp


class EventData(ApiObject):
    object: dict[str, Any] = Field(description="The object as GET returns it, at the event.")
    previous_attributes: dict[str, Any] | None = None


class EventRequest(ApiObject):
    id: str | None
    idempotency_key: str | None


class Event(ApiObject):
    id: str
    object: Literal["event"]
    type: str
    data: EventData
    created: Timestamp
    livemode: bool
    pending_webhooks: int
    request: EventRequest


class WebhookEndpoint(ApiObject):
    id: str
    object: Literal["webhook_endpoint"]
    url: str
    enabled_events: list[str]
    status: str
    description: str | None
    metadata: Metadata
    disabled_reason: str | None
    created: Timestamp
    livemode: bool


class WebhookEndpointWithSecret(WebhookEndpoint):
    """Only the reply to create shows the signing secret."""

    secret: str


class WebhookAttempt(ApiObject):
    id: str
    object: Literal["webhook_attempt"]
    webhook_endpoint: str
    event: str
    url: str
    status_code: int | None
    duration_ms: int | None
    error: str | None
    succeeded: bool
    created: Timestamp
