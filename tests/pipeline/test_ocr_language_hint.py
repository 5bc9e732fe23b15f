"""Through the queue: a scan is read first in the language of the tenant it was sent for, and
its page renders are kept in the data directory for a later attempt at the same document."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from cli import WorkerRuntime
from extract.render_cache import document_hash
from ingest.receiver import accept_message
from models.alias_invoices import AliasInvoice, Extraction
from models.customers import Customer
from models.db import transaction
from models.services import Services
from tests.ingest.conftest import make_alias
from tests.mail import crlf, mail_with_pdfs
from tests.pipeline.conftest import drain

TO = "jane.doe@casapay.me"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pdfs"


def deliver(services: Services, pdf: bytes, message_id: str) -> str:
    raw = crlf(bytes(mail_with_pdfs(TO, [("scan.pdf", pdf)], message_id=message_id)))
    (ainv,) = accept_message(services, "billing@northside.example", [TO], raw).created
    return ainv


def ocr_languages(services: Services, alias_invoice_id: str) -> list[str]:
    with services.sessions() as session:
        result = session.scalars(
            select(Extraction.result).where(Extraction.alias_invoice_id == alias_invoice_id)
        ).one()
    return [r for r in result["reasons"] if ":ocr_languages:" in r]


def test_a_scan_is_read_first_in_the_tenants_locale_and_its_render_is_kept(
    services: Services, worker: WorkerRuntime
) -> None:
    alias = make_alias(services)
    with transaction(services.sessions) as session:
        session.get_one(Customer, alias.customer_id).locale = "fr"
    scan = (FIXTURES / "scan_fr_ambiguous_dates_deposit.pdf").read_bytes()
    ainv = deliver(services, scan, "<fr@example>")
    drain(services)
    with services.sessions() as session:
        row = session.get_one(AliasInvoice, ainv)
    assert row.extracted_data and row.extracted_data["total_amount"] == 102060
    assert ocr_languages(services, ainv) == ["page1:ocr_languages:fra:hint"]
    renders = services.settings.data_dir / "cache" / "renders"
    # The render, and the page's OCR reading beside it (its name adds the reading's parameters).
    kept = sorted(renders.iterdir(), key=lambda p: p.suffix)
    assert [p.suffix for p in kept] == [".ocr", ".render"]
    assert kept[1].name == f"{document_hash(scan)}-p0-300dpi.render"
    assert kept[0].name.startswith(f"{document_hash(scan)}-p0-300dpi-")


def test_without_a_locale_the_scan_decides_its_language_itself(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    scan = (FIXTURES / "scan_it_invoice_deposit.pdf").read_bytes()
    ainv = deliver(services, scan, "<it@example>")
    drain(services)
    every_pack = "eng+deu+fra+nld+spa+ita"
    assert ocr_languages(services, ainv) == [f"page1:ocr_languages:{every_pack}:decided:ita"]
