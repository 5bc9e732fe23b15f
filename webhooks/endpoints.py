"""Webhook endpoints: where an account wants its events posted, and which ones.

The signing secret is shown once, in the reply to the creation; after that only its owner's
receiver knows it (we keep it to sign deliveries).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from models import events
from models.errors import InvalidRequest, NotFound
from models.events import EventType
from models.ids import new_id
from models.scoped import get_scoped
from models.webhooks import WebhookAttempt, WebhookEndpoint, matches
from webhooks.signing import new_secret

MAX_EVENT_PATTERNS = 50


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2048:
        raise InvalidRequest(
            f"Invalid URL: {url!r}. Use an absolute http(s) URL of at most 2048 characters.",
            code="url_invalid",
            param="url",
        )
    return url


def check_enabled_events(patterns: list[str]) -> list[str]:
    """Each entry is `*`, an event type, or a pattern such as `invoice.*` that names one."""
    if not patterns or len(patterns) > MAX_EVENT_PATTERNS:
        raise InvalidRequest(
            f"enabled_events needs 1 to {MAX_EVENT_PATTERNS} entries, e.g. ['*'] or "
            "['alias_invoice.*', 'invoice.paid'].",
            param="enabled_events",
        )
    known = [t.value for t in EventType]
    for pattern in patterns:
        if not any(matches([pattern], t) for t in known):
            raise InvalidRequest(
                f"Invalid enabled_events entry {pattern!r}: it names no event type. "
                f"Known types: {', '.join(known)}.",
                param="enabled_events",
            )
    return list(dict.fromkeys(patterns))


def create_endpoint(
    session: Session,
    account_id: str,
    livemode: bool,
    *,
    url: str,
    enabled_events: list[str],
    description: str | None,
    metadata: dict[str, str],
    now: int,
) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(
        id=new_id("we"),
        account_id=account_id,
        livemode=livemode,
        url=check_url(url),
        enabled_events=check_enabled_events(enabled_events),
        status="enabled",
        description=description,
        metadata_=metadata,
        secret=new_secret(),
        deleted=False,
        created=now,
    )
    session.add(endpoint)
    session.flush()
    return endpoint


def get_endpoint(
    session: Session, account_id: str, livemode: bool, endpoint_id: str, *, for_update: bool = False
) -> WebhookEndpoint:
    endpoint = get_scoped(
        session,
        WebhookEndpoint,
        "webhook_endpoint",
        endpoint_id,
        account_id,
        livemode,
        for_update=for_update,
    )
    if endpoint.deleted:
        raise NotFound.for_id("webhook_endpoint", endpoint_id)
    return endpoint


def set_enabled(endpoint: WebhookEndpoint, enabled: bool) -> None:
    """Enabling again starts a fresh failure clock."""
    endpoint.status = "enabled" if enabled else "disabled"
    endpoint.failing_since = None
    endpoint.disabled_reason = None


def disable_for_failures(session: Session, endpoint: WebhookEndpoint, reason: str) -> None:
    """Three days of failed attempts: stop posting, and say so with an event."""
    endpoint.status = "disabled"
    endpoint.disabled_reason = reason
    session.flush()
    events.emit(
        session,
        EventType.WEBHOOK_ENDPOINT_DISABLED,
        webhook_endpoint_json(endpoint),
        account_id=endpoint.account_id,
        livemode=endpoint.livemode,
    )


def delete_endpoint(endpoint: WebhookEndpoint) -> None:
    """Kept as a row (its delivery history refers to it) but gone from the API and deliveries."""
    endpoint.deleted = True
    endpoint.status = "disabled"


def webhook_endpoint_json(
    endpoint: WebhookEndpoint, *, with_secret: bool = False
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": endpoint.id,
        "object": "webhook_endpoint",
        "url": endpoint.url,
        "enabled_events": list(endpoint.enabled_events),
        "status": endpoint.status,
        "description": endpoint.description,
        "metadata": endpoint.metadata_,
        "disabled_reason": endpoint.disabled_reason,
        "created": endpoint.created,
        "livemode": endpoint.livemode,
    }
    if with_secret:
        body["secret"] = endpoint.secret
    return body


def attempt_json(attempt: WebhookAttempt) -> dict[str, Any]:
    return {
        "id": attempt.id,
        "object": "webhook_attempt",
        "webhook_endpoint": attempt.endpoint_id,
        "event": attempt.event_id,
        "url": attempt.url,
        "status_code": attempt.status_code,
        "duration_ms": attempt.duration_ms,
        "error": attempt.error,
        "succeeded": attempt.succeeded,
        "created": attempt.created,
    }
