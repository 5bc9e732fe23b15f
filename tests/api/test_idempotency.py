"""Idempotency-Key on every POST: replay for 24 h, mismatch -> 400, in flight -> 409."""

from __future__ import annotations

from api.idempotency import canonical_params
from models.db import transaction
from models.idempotency import IdempotencyKey
from models.services import Services
from tests.conftest import Api


def key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


def test_same_key_replays_the_saved_response(api: Api) -> None:
    first = api.post("/v1/customers", json={"name": "Jane"}, headers=key("k-1"))
    again = api.post("/v1/customers", json={"name": "Jane"}, headers=key("k-1"))
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Idempotency-Key"] == "k-1"
    assert again.headers["Request-Id"].startswith("req_")
    assert first.headers["Request-Id"] != again.headers["Request-Id"]
    assert len(api.get("/v1/customers").json()["data"]) == 1


def test_form_and_json_with_equal_values_are_the_same_request(api: Api) -> None:
    cus = api.post("/v1/customers", json={"name": "Jane"}).json()["id"]
    body = {
        "customer": cus,
        "line_items": [{"description": "Rent", "amount": 5, "currency": "eur"}],
    }
    first = api.post("/v1/invoices", json=body, headers=key("k-2"))
    form = {
        "customer": cus,
        "line_items[0][description]": "Rent",
        "line_items[0][amount]": "5",
        "line_items[0][currency]": "eur",
    }
    again = api.post("/v1/invoices", data=form, headers=key("k-2"))
    assert again.json()["id"] == first.json()["id"]


def test_different_parameters_are_an_idempotency_error(api: Api) -> None:
    api.post("/v1/customers", json={"name": "Jane"}, headers=key("k-3"))
    r = api.post("/v1/customers", json={"name": "Bob"}, headers=key("k-3"))
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "idempotency_error"
    assert "k-3" in r.json()["error"]["message"]
    other_path = api.post("/v1/tax_rates", json={"name": "Jane"}, headers=key("k-3"))
    assert other_path.json()["error"]["type"] == "idempotency_error"


def test_errors_are_replayed_but_validation_failures_are_not_saved(api: Api) -> None:
    cus = api.post("/v1/customers", json={"name": "Jane"}).json()["id"]
    inv = api.post("/v1/invoices", json={"customer": cus}).json()["id"]
    failed = api.post(f"/v1/invoices/{inv}/void", headers=key("k-4"))
    assert failed.status_code == 400
    replay = api.post(f"/v1/invoices/{inv}/void", headers=key("k-4"))
    assert replay.status_code == 400 and replay.headers["Idempotent-Replayed"] == "true"
    bad = api.post("/v1/customers", json={"nmae": "x"}, headers=key("k-5"))
    assert bad.status_code == 400
    fixed = api.post("/v1/customers", json={"nmae": "x"}, headers=key("k-5"))
    assert "Idempotent-Replayed" not in fixed.headers


def test_key_in_flight_is_a_409(api: Api, services: Services) -> None:
    with transaction(services.sessions) as session:
        session.add(
            IdempotencyKey(
                id="idk_1",
                account_id=api.account_id,
                livemode=False,
                key="k-6",
                method="POST",
                path="/v1/customers",
                params_hash=canonical_params(b'{"name": "Jane"}', "application/json", b""),
                state="in_progress",
                created=services.clock(),
            )
        )
    r = api.post("/v1/customers", json={"name": "Jane"}, headers=key("k-6"))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "idempotency_key_in_use"
    assert r.headers["Request-Id"].startswith("req_")


def test_keys_expire_after_24_hours(api: Api, services: Services) -> None:
    first = api.post("/v1/customers", json={"name": "Jane"}, headers=key("k-7")).json()
    services.clock.advance(24 * 3600)  # type: ignore[attr-defined]
    again = api.post("/v1/customers", json={"name": "Jane"}, headers=key("k-7")).json()
    assert again["id"] != first["id"]


def test_keys_are_per_account_and_mode(api: Api) -> None:
    test = api.post("/v1/customers", json={"name": "Jane"}, headers=key("k-8")).json()
    live = api.post("/v1/customers", json={"name": "Jane"}, headers=key("k-8"), key=api.live_key)
    assert live.json()["id"] != test["id"] and live.json()["livemode"] is True


def test_overlong_key_is_rejected(api: Api) -> None:
    r = api.post("/v1/customers", json={"name": "Jane"}, headers=key("x" * 256))
    assert r.status_code == 400 and r.json()["error"]["code"] == "idempotency_key_invalid"


def test_concurrent_requests_with_one_key_create_one_object(
    services: Services, server_url: str
) -> None:
    """Eight clients race with the same key: one object; the others see it or a 409."""
    import threading

    import httpx

    from tests.conftest import new_account

    _, secret, _ = new_account(services, "Racing")
    barrier = threading.Barrier(8)
    replies: list[httpx.Response] = []

    def post() -> None:
        barrier.wait()
        replies.append(
            httpx.post(
                f"{server_url}/v1/customers",
                auth=(secret, ""),
                timeout=30,
                data={"name": "Once"},
                headers={"Idempotency-Key": "race-1"},
            )
        )

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = {r.json()["id"] for r in replies if r.status_code == 200}
    in_flight = [r for r in replies if r.status_code == 409]
    assert len(created) == 1 and len(in_flight) + sum(r.status_code == 200 for r in replies) == 8
    assert all(r.json()["error"]["code"] == "idempotency_key_in_use" for r in in_flight)
    listed = httpx.get(f"{server_url}/v1/customers", auth=(secret, "")).json()["data"]
    assert [c["id"] for c in listed] == list(created)
