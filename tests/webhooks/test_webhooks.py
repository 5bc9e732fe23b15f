"""Webhook endpoints: CRUD, Stripe-compatible signatures, delivery at least once with backoff to
a real HTTP receiver, attempts visible through the API, and disabling after three days."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from cli import WorkerRuntime, start_worker
from models.services import Services
from tests.api.test_invoices import act, invoice
from tests.conftest import Api, FakeClock, free_port
from tests.webhooks.receiver import Receiver
from webhooks.actors import send_due
from webhooks.delivery import RETRY_WINDOW_SECONDS


@pytest.fixture
def worker(services: Services) -> Iterator[WorkerRuntime]:
    runtime = start_worker(services)
    yield runtime
    runtime.stop()


def drain_webhooks(services: Services) -> None:
    services.queue.broker.join("webhook", fail_fast=True)  # type: ignore[attr-defined]


def endpoint(api: Api, url: str, events: list[str] | None = None, **kw: Any) -> dict[str, Any]:
    r = api.post(
        "/v1/webhook_endpoints", json={"url": url, "enabled_events": events or ["*"], **kw}
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def paid_invoice(api: Api) -> str:
    inv = invoice(api)
    act(api, inv["id"], "finalize")
    assert act(api, inv["id"], "pay").status_code == 200
    return str(inv["id"])


def retry_until_delivered(services: Services, clock: FakeClock, receiver: Receiver, n: int) -> None:
    """Let the schedule run: advance the clock past each backoff and send what is due."""
    for _ in range(20):
        drain_webhooks(services)
        if len(receiver.received) >= n:
            return
        clock.advance(3600)
        send_due(services)
    raise AssertionError(f"only {len(receiver.received)} of {n} events arrived")


def test_endpoint_crud_and_the_secret_is_shown_once(api: Api) -> None:
    made = endpoint(api, "https://example.com/hooks", ["invoice.*"], description="ERP")
    assert made["id"].startswith("we_") and made["object"] == "webhook_endpoint"
    assert made["secret"].startswith("whsec_") and made["status"] == "enabled"
    assert made["enabled_events"] == ["invoice.*"] and made["description"] == "ERP"
    got = api.get(f"/v1/webhook_endpoints/{made['id']}").json()
    assert "secret" not in got and got["url"] == "https://example.com/hooks"
    updated = api.post(
        f"/v1/webhook_endpoints/{made['id']}",
        data={"disabled": "true", "enabled_events[0]": "*", "metadata[team]": "ops"},
    ).json()
    assert (updated["status"], updated["enabled_events"]) == ("disabled", ["*"])
    assert updated["metadata"] == {"team": "ops"}
    listed = api.get("/v1/webhook_endpoints").json()
    assert [e["id"] for e in listed["data"]] == [made["id"]]
    gone = api.delete(f"/v1/webhook_endpoints/{made['id']}")
    assert gone.json() == {"id": made["id"], "object": "webhook_endpoint", "deleted": True}
    assert api.get(f"/v1/webhook_endpoints/{made['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"url": "ftp://example.com", "enabled_events": ["*"]}, "url"),
        ({"url": "https://example.com", "enabled_events": ["invoice.exploded"]}, "enabled_events"),
        ({"url": "https://example.com", "enabled_events": []}, "enabled_events"),
    ],
)
def test_bad_endpoints_are_refused_with_the_parameter(
    api: Api, body: dict[str, Any], param: str
) -> None:
    r = api.post("/v1/webhook_endpoints", json=body)
    assert r.status_code == 400 and r.json()["error"]["param"] == param


def test_a_receiver_that_fails_then_recovers_gets_every_event_signed(
    api: Api, services: Services, clock: FakeClock, worker: WorkerRuntime
) -> None:
    with Receiver(fail_first=3) as receiver:
        hook = endpoint(api, receiver.url)
        paid_invoice(api)
        sent = api.get("/v1/events").json()["data"]
        retry_until_delivered(services, clock, receiver, len(sent))
    assert sorted(r.event["id"] for r in receiver.received) == sorted(e["id"] for e in sent)
    for got in receiver.received:
        header = got.headers["CasaPay-Signature"]
        stripe.WebhookSignature.verify_header(got.body, header, hook["secret"])
        assert got.headers["Content-Type"].startswith("application/json")
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.WebhookSignature.verify_header(got.body + b" ", header, hook["secret"])
    first = receiver.received[0]
    event = stripe.Webhook.construct_event(  # signed at the fake clock's time, hence no tolerance
        first.body, first.headers["CasaPay-Signature"], hook["secret"], tolerance=None
    )
    assert event.type.startswith("invoice.")
    attempts = api.get(f"/v1/webhook_endpoints/{hook['id']}/attempts", params={"limit": 100})
    rows = attempts.json()["data"]
    failed = [a for a in rows if not a["succeeded"]]
    assert len(failed) == 3 and all(a["status_code"] == 500 for a in failed)
    assert all(a["error"] == "HTTP 500" and a["duration_ms"] >= 0 for a in failed)
    assert sum(a["succeeded"] for a in rows) == len(sent)
    assert all(e["pending_webhooks"] == 0 for e in api.get("/v1/events").json()["data"])


def test_only_enabled_event_types_are_delivered(
    api: Api, services: Services, worker: WorkerRuntime
) -> None:
    with Receiver() as receiver:
        endpoint(api, receiver.url, ["invoice.paid"])
        paid_invoice(api)
        drain_webhooks(services)
    assert [r.event["type"] for r in receiver.received] == ["invoice.paid"]


def test_an_endpoint_failing_for_three_days_is_disabled_with_an_event(
    api: Api, services: Services, clock: FakeClock, worker: WorkerRuntime
) -> None:
    hook = endpoint(api, f"http://127.0.0.1:{free_port()}/down", ["invoice.created"])
    invoice(api)
    start = clock.now
    while clock.now - start <= RETRY_WINDOW_SECONDS + 12 * 3600:
        drain_webhooks(services)
        clock.advance(3600)
        send_due(services)
    drain_webhooks(services)
    got = api.get(f"/v1/webhook_endpoints/{hook['id']}").json()
    assert got["status"] == "disabled" and "3 days" in got["disabled_reason"]
    (disabled,) = api.get("/v1/events", params={"type": "webhook_endpoint.disabled"}).json()["data"]
    assert disabled["data"]["object"]["id"] == hook["id"]
    attempts = api.get(f"/v1/webhook_endpoints/{hook['id']}/attempts", params={"limit": 100})
    rows = attempts.json()["data"]
    assert rows and all(a["status_code"] is None and "ConnectError" in a["error"] for a in rows)
    count = len(rows)
    clock.advance(86400)
    send_due(services)
    drain_webhooks(services)
    after = api.get(f"/v1/webhook_endpoints/{hook['id']}/attempts", params={"limit": 100})
    assert len(after.json()["data"]) == count  # a disabled endpoint gets nothing more
