"""A forwarded receipt or credit note is never billed: it waits for a person, saying why."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from cli import WorkerRuntime
from models.invoices import Invoice
from models.review import ReviewItem
from models.services import Services
from tests.ingest.conftest import make_alias
from tests.pipeline.conftest import drain
from tests.pipeline.test_pipeline import deliver, row

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pdfs"


@pytest.mark.parametrize("name", ["trap_paid_receipt.pdf", "text_nl_credit_note.pdf"])
def test_a_forwarded_receipt_or_credit_note_waits_for_a_person(
    services: Services, worker: WorkerRuntime, name: str
) -> None:
    make_alias(services)
    (ainv,) = deliver(services, (FIXTURES / name).read_bytes())
    drain(services)
    assert row(services, ainv).status == "requires_review"
    with services.sessions() as session:
        item = session.scalars(select(ReviewItem)).one()
        assert session.scalars(select(Invoice)).first() is None
    assert "not_payable" in {r["code"] for r in item.reasons}
