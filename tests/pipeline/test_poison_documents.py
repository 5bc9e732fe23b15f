"""Hostile PDFs end `failed` with a code through the queue, in bounded memory, never retried."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cli import WorkerRuntime
from extract.sandbox import default_sandbox
from ingest.receiver import accept_message
from models.alias_invoices import AliasInvoice
from models.services import Services
from tests import poison_pdfs
from tests.ingest.conftest import make_alias
from tests.mail import crlf, mail_with_pdfs
from tests.pipeline.conftest import drain

TO = "jane.doe@casapay.me"
GB = 2**30


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (poison_pdfs.nested_page_tree, "pdf_too_complex"),
        (poison_pdfs.huge_user_unit_page, "pdf_too_large"),
        (poison_pdfs.flate_bomb, "pdf_too_large"),
        (poison_pdfs.huge_declared_image, "pdf_too_large"),
    ],
    ids=["page-tree-120-deep", "userunit-14400pt", "flate-1.5GB", "image-40000x40000"],
)
def test_poison_pdf_fails_permanently_with_a_code_in_bounded_memory(
    services: Services, worker: WorkerRuntime, build: Callable[[], bytes], code: str
) -> None:
    _reset_peak_rss()  # this test's peak, not the session's (the worker runs in this process)
    make_alias(services)
    raw = crlf(bytes(mail_with_pdfs(TO, [("invoice.pdf", build())], message_id="<p@x>")))
    (ainv,) = accept_message(services, "billing@northside.example", [TO], raw).created
    drain(services)
    with services.sessions() as session:
        row = session.get_one(AliasInvoice, ainv)
    assert (row.status, row.error_code) == ("failed", code), row.error_message
    assert row.attempts == 1  # a limit is permanent: never handed back to the queue
    assert _peak_rss() <= GB  # the worker
    assert default_sandbox().peak_rss_bytes() <= GB  # the reader process


def _reset_peak_rss() -> None:
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")  # resets VmHWM (Linux >= 4.0)


def _peak_rss() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/self/status")
