"""A process's own metrics port (SMTP receiver, worker), and the bounded labels of SMTP replies."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest

from models import metrics
from tests.conftest import free_port
from tests.metrics import Scrape


def test_a_metrics_port_serves_this_process_samples() -> None:
    server = metrics.serve_port("127.0.0.1", free_port(), "worker")
    assert server is not None
    try:
        metrics.email_attempt(sent=False)
        text = httpx.get(f"http://127.0.0.1:{server.port}/metrics", timeout=5).text
        assert Scrape(text).value("casapay_email_attempts_total", result="failed") >= 1
    finally:
        server.stop()


def test_a_taken_metrics_port_is_logged_and_the_process_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with caplog.at_level(logging.ERROR, logger="models.metrics"):
            assert metrics.serve_port("127.0.0.1", port, "worker") is None
    assert f"worker metrics not served: cannot listen on 127.0.0.1:{port}" in caplog.text


def test_port_zero_means_no_metrics_port() -> None:
    assert metrics.serve_port("127.0.0.1", 0, "smtp") is None


def test_smtp_replies_count_final_lines_by_code_only() -> None:
    before = Scrape(metrics.exposition().decode())
    for line in ("250-mx.casapay.me", "250-SIZE 26214400", "250 HELP", b"354 End data", "junk"):
        metrics.smtp_reply(line)
    after = Scrape(metrics.exposition().decode())
    count = "casapay_smtp_replies_total"
    assert after.value(count, code="250") == before.value(count, code="250") + 1
    assert after.value(count, code="354") == before.value(count, code="354") + 1
    assert not after.has(count, code="junk")
