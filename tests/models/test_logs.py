"""Structured logs: the ids of the work in progress go on every line, and a scope forgets them."""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from models import logs


def record(message: str = "hello", **extra: str) -> logging.LogRecord:
    entry = logging.LogRecord("casapay.test", logging.INFO, __file__, 1, message, None, None)
    entry.__dict__.update(extra)
    logs.ContextFilter("worker").filter(entry)
    return entry


def test_a_scope_names_its_work_and_forgets_it_at_the_end() -> None:
    with logs.bind(request_id="req_1"):
        logs.add(alias_invoice_id="ainv_1", unknown="ignored")
        assert logs.current() == {"request_id": "req_1", "alias_invoice_id": "ainv_1"}
        with logs.bind(**logs.ids_of("msg_9")):
            assert logs.current()["message_id"] == "msg_9"
        assert "message_id" not in logs.current()
    assert logs.current() == {}


def test_outside_a_scope_nothing_is_remembered() -> None:
    logs.add(alias_invoice_id="ainv_stray")  # e.g. the sweeper failing a row
    assert "alias_invoice_id" not in logs.current()


def test_a_pooled_thread_does_not_carry_one_jobs_ids_into_the_next() -> None:
    def job(name: str) -> dict[str, str]:
        with logs.bind():
            seen = logs.current()
            logs.add(alias_invoice_id=name)
            return seen

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(job, "ainv_a").result() == {}
        assert pool.submit(job, "ainv_b").result() == {}


def test_json_lines_carry_the_ids_and_explicit_extra_wins() -> None:
    with logs.bind(message_id="msg_ctx", alias_invoice_id="ainv_ctx"):
        entry = record("read %s", alias_invoice_id="ainv_explicit")
    line = json.loads(logs.JsonFormatter().format(entry))
    assert line["message"] == "read %s" and line["level"] == "INFO"
    assert line["process"] == "worker" and line["logger"] == "casapay.test"
    assert line["message_id"] == "msg_ctx" and line["alias_invoice_id"] == "ainv_explicit"
    assert "request_id" not in line and line["time"].endswith("Z")


def test_readable_lines_end_with_the_ids() -> None:
    with logs.bind(request_id="req_7"):
        text = logs.TextFormatter().format(record("GET /v1/customers"))
    assert text.endswith("INFO casapay.test: GET /v1/customers [request_id=req_7]")


def test_an_unknown_format_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="CASAPAY_LOG_FORMAT must be text or json"):
        logs.configure("api", {"CASAPAY_LOG_FORMAT": "xml"})
