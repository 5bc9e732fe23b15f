"""Events in Stripe's shape: one per state change, written with the change; listed newest first
with type wildcards, created ranges and cursors; kept 30 days."""

from __future__ import annotations

from typing import Any

from models.events import purge_expired
from models.services import Services
from tests.api.test_invoices import act, invoice
from tests.conftest import Api, FakeClock, new_account


def events(api: Api, **params: Any) -> dict[str, Any]:
    r = api.get("/v1/events", params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def types(page: dict[str, Any]) -> list[str]:
    return [e["type"] for e in page["data"]]


def test_each_state_change_writes_one_event_with_the_object_as_the_api_returns_it(
    api: Api,
) -> None:
    inv = invoice(api)
    finalized = act(api, inv["id"], "finalize")
    paid = act(api, inv["id"], "pay", headers={"Idempotency-Key": "pay-1"})
    assert paid.status_code == 200
    page = events(api)
    assert types(page) == ["invoice.paid", "invoice.finalized", "invoice.created"]
    newest = page["data"][0]
    assert newest["id"].startswith("evt_") and newest["object"] == "event"
    assert set(newest) == {
        "id",
        "object",
        "type",
        "data",
        "created",
        "livemode",
        "pending_webhooks",
        "request",
    }
    assert newest["data"]["object"] == api.get(f"/v1/invoices/{inv['id']}").json()
    assert page["data"][1]["data"]["object"] == finalized.json()
    assert newest["request"] == {"id": paid.headers["Request-Id"], "idempotency_key": "pay-1"}
    assert newest["livemode"] is False and newest["pending_webhooks"] == 0
    assert api.get(f"/v1/events/{newest['id']}").json() == newest


def test_a_change_that_happens_twice_gives_one_event(api: Api) -> None:
    inv = invoice(api)
    act(api, inv["id"], "finalize")
    first = act(api, inv["id"], "pay", headers={"Idempotency-Key": "pay-twice"})
    replay = act(api, inv["id"], "pay", headers={"Idempotency-Key": "pay-twice"})
    again = act(api, inv["id"], "pay")
    assert first.status_code == replay.status_code == 200
    assert again.status_code == 400
    assert types(events(api, type="invoice.paid")).count("invoice.paid") == 1


def test_type_filter_takes_wildcards_and_created_ranges_and_cursors(
    api: Api, clock: FakeClock
) -> None:
    first = invoice(api)
    clock.advance(60)
    second = invoice(api)
    act(api, second["id"], "finalize")
    assert types(events(api, type="invoice.*")) == [
        "invoice.finalized",
        "invoice.created",
        "invoice.created",
    ]
    assert types(events(api, type="*.finalized")) == ["invoice.finalized"]
    assert types(events(api, type="alias_invoice.*")) == []
    assert types(events(api, type="invoice_created")) == []  # `_` is not a wildcard
    recent = events(api, **{"created[gte]": clock.now})
    assert [e["data"]["object"]["id"] for e in recent["data"]] == [second["id"], second["id"]]
    old = events(api, **{"created[lt]": clock.now})
    assert [e["data"]["object"]["id"] for e in old["data"]] == [first["id"]]
    one = events(api, limit=1)
    assert one["has_more"] is True and one["url"] == "/v1/events"
    rest = events(api, limit=5, starting_after=one["data"][0]["id"])
    assert [e["id"] for e in one["data"] + rest["data"]] == [e["id"] for e in events(api)["data"]]
    back = events(api, ending_before=rest["data"][0]["id"])
    assert [e["id"] for e in back["data"]] == [one["data"][0]["id"]]


def test_events_are_scoped_to_the_account_and_mode(api: Api, services: Services) -> None:
    invoice(api)
    (event,) = events(api)["data"]
    assert api.get("/v1/events", key=api.live_key).json()["data"] == []
    _, other_key, _ = new_account(services, "Other")
    r = api.get(f"/v1/events/{event['id']}", key=other_key)
    assert r.status_code == 404 and r.json()["error"]["code"] == "resource_missing"


def test_events_are_kept_thirty_days(api: Api, services: Services, clock: FakeClock) -> None:
    invoice(api)
    clock.advance(29 * 86400)
    invoice(api)
    assert purge_expired(services) == 0
    clock.advance(2 * 86400)
    assert purge_expired(services) == 1
    assert len(events(api)["data"]) == 1
