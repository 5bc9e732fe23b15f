"""Metrics and logs of the real processes: a mail sent over SMTP moves the counters of the
receiver, the worker and the API (scraped over HTTP), and the JSON logs of all three carry the
ids that follow it (request_id, message_id, alias_invoice_id)."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import free_port
from tests.e2e.conftest import running_real_stack
from tests.e2e.stack import Stack, base_env, casapay, wait_for
from tests.e2e.test_journeys import new_tenant, review_item_for, settled
from tests.mail import crlf, mail_with_pdfs
from tests.metrics import Scrape, scrape
from tests.pdfs import invoice_pdf

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def observed(tmp_path_factory: pytest.TempPathFactory, s3_endpoint: str) -> Iterator[Stack]:
    with running_real_stack(
        tmp_path_factory.mktemp("observed"),
        s3_endpoint,
        CASAPAY_LOG_FORMAT="json",
        CASAPAY_SMTP_METRICS_PORT=str(free_port()),
        CASAPAY_WORKER_METRICS_PORT=str(free_port()),
    ) as stack:
        for port in ("CASAPAY_SMTP_METRICS_PORT", "CASAPAY_WORKER_METRICS_PORT"):
            url = metrics_url(stack, port)
            wait_for(lambda u=url: _answers(u), 120, f"metrics at {url}", stack.logs)
        yield stack


def metrics_url(stack: Stack, port_variable: str) -> str:
    return f"http://127.0.0.1:{stack.env[port_variable]}/metrics"


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def scrapes(stack: Stack) -> dict[str, Scrape]:
    return {
        "smtp": scrape(metrics_url(stack, "CASAPAY_SMTP_METRICS_PORT")),
        "worker": scrape(metrics_url(stack, "CASAPAY_WORKER_METRICS_PORT")),
        "api": scrape(f"{stack.api_url}/metrics"),
    }


def mail(stack: Stack, alias: dict[str, Any], pdf: bytes, message_id: str) -> str:
    """Send one invoice mail; returns the id the receiver queued it as (`msg_…`)."""
    raw = crlf(bytes(mail_with_pdfs(alias["email"], [("invoice.pdf", pdf)], message_id=message_id)))
    with smtplib.SMTP("127.0.0.1", stack.smtp_port, timeout=30) as client:
        client.ehlo()
        assert client.mail("billing@northside.example")[0] == 250
        assert client.rcpt(alias["email"])[0] == 250
        code, reply = client.data(raw)
    assert code == 250, reply
    return reply.decode().rsplit(" ", 1)[-1]


def delta(after: Scrape, before: Scrape, name: str, **labels: str) -> float:
    return after.value(name, **labels) - before.value(name, **labels)


def test_counters_move_when_a_mail_goes_through_the_real_pipeline(observed: Stack) -> None:
    alias = new_tenant(observed)
    before = scrapes(observed)
    mail(observed, alias, invoice_pdf(), "<metrics-1@northside.example>")
    ainv = settled(observed, alias)
    assert ainv["status"] == "processed", ainv
    # The tenant's email is sent by the notify stage after the invoice is processed.
    wait_for(
        lambda: (
            scrapes(observed)["worker"].value("casapay_email_attempts_total", result="sent")
            > before["worker"].value("casapay_email_attempts_total", result="sent")
        ),
        60,
        "the tenant email",
        observed.logs,
    )
    after = scrapes(observed)
    smtp, worker, api = after["smtp"], after["worker"], after["api"]

    # SMTP: EHLO, MAIL, RCPT and DATA answered 250; one accept timed.
    assert delta(smtp, before["smtp"], "casapay_smtp_replies_total", code="250") >= 4
    assert delta(smtp, before["smtp"], "casapay_smtp_replies_total", code="354") == 1
    count = "casapay_smtp_accept_seconds_count"
    assert delta(smtp, before["smtp"], count, outcome="accepted") == 1
    assert (
        delta(smtp, before["smtp"], "casapay_alias_invoice_transitions_total", status="received")
        == 1
    )

    # Worker: one text extraction, billed straight through, each stage timed.
    assert delta(worker, before["worker"], "casapay_extraction_seconds_count", source="text") == 1
    assert worker.value("casapay_extraction_seconds_sum", source="text") > 0
    assert delta(worker, before["worker"], "casapay_routed_total", outcome="billed") == 1
    assert delta(worker, before["worker"], "casapay_routed_total", outcome="review") == 0
    for status in ("processing", "processed"):
        transitions = "casapay_alias_invoice_transitions_total"
        assert delta(worker, before["worker"], transitions, status=status) == 1
    for stage in ("extract", "route", "notify"):
        stage_count = "casapay_stage_seconds_count"
        assert delta(worker, before["worker"], stage_count, stage=stage, outcome="ok") >= 1

    # API: its requests by route template; the pipeline's state read from the rows and Redis.
    listed = {"method": "GET", "route": "/v1/alias_invoices", "status": "200"}
    assert delta(api, before["api"], "casapay_http_request_seconds_count", **listed) >= 1
    assert api.value("casapay_pipeline_state_up") == 1
    assert api.value("casapay_pipeline_items", stage="extract") == 0
    assert api.value("casapay_pipeline_items", stage="route") == 0
    assert api.has("casapay_broker_messages", queue="extract")


def test_review_routing_shows_in_the_share_and_the_review_queue(observed: Stack) -> None:
    alias = new_tenant(observed)
    before = scrapes(observed)
    unsure = invoice_pdf(currency_symbol="", due_date="")
    mail(observed, alias, unsure, "<metrics-2@northside.example>")
    assert settled(observed, alias)["status"] == "requires_review"
    after = scrapes(observed)
    assert delta(after["worker"], before["worker"], "casapay_routed_total", outcome="review") == 1
    assert after["api"].value("casapay_review_queue_items") >= 1
    assert after["api"].has("casapay_review_queue_oldest_age_seconds")


def json_lines(path: Path) -> list[dict[str, Any]]:
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    assert lines, f"{path.name} is empty"
    return [json.loads(line) for line in lines]  # every line is one JSON object


def test_json_logs_follow_one_invoice_across_the_processes(observed: Stack) -> None:
    alias = new_tenant(observed)
    unsure = invoice_pdf(currency_symbol="", due_date="", reference="INV-LOG-1")
    msg = mail(observed, alias, unsure, "<logs-1@northside.example>")
    ainv = settled(observed, alias)
    assert msg.startswith("msg_") and ainv["status"] == "requires_review"
    item = review_item_for(observed, ainv["id"])
    with observed.client() as api:
        approved = api.post(
            f"/v1/review_items/{item['id']}/approve",
            data={"total_amount": "125000", "currency": "eur", "due_date": "2026-02-01"},
        )
        assert approved.status_code == 200, approved.text
    request_id = approved.headers["Request-Id"]
    ids = {"message_id": msg, "alias_invoice_id": ainv["id"]}

    def ours(process: str, **wanted: str) -> list[dict[str, Any]]:
        entries = json_lines(observed.logs / f"{process}.log")
        assert all(e["process"] == process and e["level"] and e["time"] for e in entries)
        return [e for e in entries if all(e.get(k) == v for k, v in wanted.items())]

    # The receiver: the accepted message, and the alias invoice it made.
    assert any(msg in e["message"] for e in ours("smtp", message_id=msg))
    assert ours("smtp", **ids)
    # The worker: the extract stage and the transitions carry both ids (the message id travelled
    # with the queue message).
    worker = ours("worker", **ids)
    assert {"extract.actors", "models.lifecycle"} <= {e["logger"] for e in worker}
    assert any(e["message"].endswith("is requires_review") for e in worker)
    # The API: the reviewer's approval names its request and the invoice.
    assert any(
        e["message"].endswith("is processed") for e in ours("api", request_id=request_id, **ids)
    )
    # The worker again: the tenant's email, queued by that request, carries all three ids.
    wait_for(
        lambda: any(
            e["logger"] == "billing.actors" for e in ours("worker", request_id=request_id, **ids)
        ),
        30,
        "the worker's email line",
        observed.logs,
    )


def test_serve_exposes_one_registry_for_api_smtp_and_worker(embedded_stack: Stack) -> None:
    alias = new_tenant(embedded_stack)
    before = scrape(f"{embedded_stack.api_url}/metrics")
    mail(embedded_stack, alias, invoice_pdf(), "<serve-1@northside.example>")
    ainv = settled(embedded_stack, alias)
    assert ainv["status"] == "processed", ainv
    after = scrape(f"{embedded_stack.api_url}/metrics")
    assert delta(after, before, "casapay_smtp_accept_seconds_count", outcome="accepted") == 1
    assert delta(after, before, "casapay_extraction_seconds_count", source="text") == 1
    assert delta(after, before, "casapay_routed_total", outcome="billed") == 1
    assert after.value("casapay_http_request_seconds_count", route="/v1/alias_invoices") >= 1
    assert after.value("casapay_pipeline_state_up") == 1
    # Readable logs by default: the ids close the line.
    text = (embedded_stack.logs / "serve.log").read_text()
    assert "is processed [message_id=msg_" in text and f"alias_invoice_id={ainv['id']}]" in text


def test_several_api_processes_share_one_view_of_their_metrics(tmp_path: Path) -> None:
    env = base_env(tmp_path, CASAPAY_API_WORKERS="2", CASAPAY_LOG_FORMAT="json")
    casapay("migrate", env=env)
    stack = Stack(env=env, logs=tmp_path)
    stack.start("api", "api")
    try:
        wait_for(lambda: _answers(f"{stack.api_url}/healthz"), 120, "the API", tmp_path)
        parent = stack.procs["api"].pid

        def workers() -> set[int]:  # their lines are JSON too
            return {e["pid"] for e in json_lines(tmp_path / "api.log")} - {parent}

        wait_for(lambda: len(workers()) == 2, 60, "two API worker processes", tmp_path)
        (shared,) = {_environ(pid)["PROMETHEUS_MULTIPROC_DIR"] for pid in workers()}

        def wrote() -> set[str]:
            return {f.stem.rsplit("_", 1)[1] for f in Path(shared).glob("histogram_*.db")}

        # The kernel hands each connection to whichever process accepts first, and a fast one
        # may take a whole burst: concurrent bursts until both have served (a bounded number).
        sent = 1  # the probe above
        for _ in range(20):
            with ThreadPoolExecutor(8) as pool:
                codes = list(pool.map(lambda _: _health(stack), range(40)))
            assert codes == [200] * 40
            sent += 40
            if len(wrote()) == 2:
                break
        health = {"method": "GET", "route": "/healthz", "status": "200"}
        counts = [
            scrape(f"{stack.api_url}/metrics").value("casapay_http_request_seconds_count", **health)
            for _ in range(6)
        ]
        # Both worker processes served requests and wrote their samples to the shared directory.
        assert wrote() == {str(pid) for pid in workers()}
        # So whichever process answers a scrape, it sums both.
        assert min(counts) >= sent, counts
    finally:
        stack.stop()
    assert not Path(shared).exists()  # removed when the API stops


def _health(stack: Stack) -> int:
    return httpx.get(f"{stack.api_url}/healthz", timeout=30).status_code


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)
