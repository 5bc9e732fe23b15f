"""`GET /metrics` on the API: HTTP latency by route template, and the pipeline's state read from
the database (backlog per stage, age of its oldest item, the review queue, the broker)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from extract.actors import run_extract
from ingest.receiver import accept_message
from models.services import Services, build_services
from review.actors import run_route
from tests.conftest import Api, FakeClock, make_settings
from tests.ingest.conftest import make_alias
from tests.mail import crlf, mail_with_pdfs
from tests.metrics import Scrape
from tests.pdfs import invoice_pdf

TO = "jane.doe@casapay.me"


def scrape(api: Api) -> Scrape:
    response = api.client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return Scrape(response.text)


def deliver(services: Services, pdf: bytes, message_id: str) -> str:
    raw = crlf(bytes(mail_with_pdfs(TO, [("invoice.pdf", pdf)], message_id=message_id)))
    (created,) = accept_message(services, "billing@northside.example", [TO], raw).created
    return created


def test_http_latency_is_labelled_by_route_template_not_raw_path(api: Api) -> None:
    series = {"method": "GET", "route": "/v1/customers/{customer_id}", "status": "404"}
    before = scrape(api).value("casapay_http_request_seconds_count", **series)
    for customer in ("cus_first", "cus_second", "cus_third"):
        assert api.get(f"/v1/customers/{customer}").status_code == 404
    after = scrape(api)
    assert after.value("casapay_http_request_seconds_count", **series) == before + 3
    assert not any("cus_first" in str(labels) for _, labels, _ in after.samples)


def test_unrouted_paths_and_odd_methods_share_bounded_series(api: Api) -> None:
    unmatched = {"route": "unmatched", "status": "404"}
    before = scrape(api)
    for path in ("/no/such/page", "/another/unknown/path"):
        assert api.client.get(path).status_code == 404
    assert api.client.request("BREW", "/v1/customers").status_code == 405
    after = scrape(api)
    count = "casapay_http_request_seconds_count"
    assert after.value(count, **unmatched) == before.value(count, **unmatched) + 2
    odd = {"method": "OTHER", "route": "/v1/customers"}
    assert after.value(count, **odd) == before.value(count, **odd) + 1


def test_an_idempotent_replay_is_counted_under_its_route(api: Api) -> None:
    series = {"method": "POST", "route": "/v1/customers", "status": "200"}
    before = scrape(api).value("casapay_http_request_seconds_count", **series)
    for _ in range(2):
        created = api.post("/v1/customers", data={"name": "A"}, headers={"Idempotency-Key": "k1"})
        assert created.status_code == 200
    after = scrape(api).value("casapay_http_request_seconds_count", **series)
    assert after == before + 2


def test_backlog_and_oldest_age_per_stage_come_from_the_rows(
    api: Api, services: Services, clock: FakeClock
) -> None:
    make_alias(services)
    empty = scrape(api)
    assert empty.value("casapay_pipeline_state_up") == 1
    assert empty.value("casapay_pipeline_items", stage="extract") == 0
    assert empty.value("casapay_pipeline_oldest_item_age_seconds", stage="extract") == 0

    deliver(services, invoice_pdf(), "<m1@example>")
    clock.advance(90)
    deliver(services, invoice_pdf(reference="INV-2"), "<m2@example>")
    clock.advance(30)
    waiting = scrape(api)
    assert waiting.value("casapay_pipeline_items", stage="extract", state="waiting") == 2
    assert waiting.value("casapay_pipeline_items", stage="extract", state="running") == 0
    assert waiting.value("casapay_pipeline_oldest_item_age_seconds", stage="extract") == 120
    assert waiting.value("casapay_broker_messages", queue="extract") == 2


def test_review_queue_size_and_oldest_age(api: Api, services: Services, clock: FakeClock) -> None:
    make_alias(services)
    ainv = deliver(services, invoice_pdf(currency_symbol="", due_date=""), "<m3@example>")
    run_extract(services, ainv)
    routed = scrape(api)
    assert routed.value("casapay_pipeline_items", stage="route", state="waiting") == 1
    run_route(services, ainv)
    clock.advance(45)
    reviewed = scrape(api)
    assert reviewed.value("casapay_pipeline_items", stage="route") == 0
    assert reviewed.value("casapay_review_queue_items") == 1
    assert reviewed.value("casapay_review_queue_oldest_age_seconds") == 45


@pytest.fixture
def guarded(pg_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, DATABASE_URL=pg_url, CASAPAY_METRICS_TOKEN="s3cret")
    services = build_services(settings, clock=clock)
    with TestClient(create_app(services)) as client:
        yield client
    services.engine.dispose()


def test_metrics_token_when_configured(guarded: TestClient) -> None:
    assert guarded.get("/metrics").status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = guarded.get("/metrics", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and "casapay_pipeline_state_up 1.0" in ok.text
