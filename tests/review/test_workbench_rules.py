"""The workbench: an account's rules and their audit, and a possible duplicate side by side."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from cli import WorkerRuntime
from models.review import ReviewItem
from models.services import Services
from tests.ingest.conftest import make_alias
from tests.pdfs import invoice_pdf, scanned_pdf
from tests.pipeline.conftest import drain, worker  # noqa: F401 (fixture)
from tests.pipeline.test_pipeline import deliver
from tests.review.test_workbench import client, login  # noqa: F401 (fixture)


def test_admins_set_rules_and_everyone_reads_the_audit(
    client: TestClient,  # noqa: F811
    services: Services,
) -> None:
    alias = make_alias(services)
    account_id = alias.account_id
    token = login(client, "root@casapay.me")
    form = {
        "csrf_token": token,
        "max_auto_amount": "EUR 1,000.00\nKWD 1.500",
        "allowed_currencies": "EUR, KWD",
        "trusted_senders": f"{alias.id}: billing@northside.example, landlord.example",
        "first_invoice_from_vendor_review": "on",
    }
    r = client.post(f"/workbench/settings/{account_id}/rules", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[-2000:]
    page = client.get(f"/workbench/settings/{account_id}/rules").text
    assert "EUR 1000.00" in page and "KWD 1.500" in page  # 1.5 dinars, three decimals
    audit = page[page.index('id="setting-changes"') :]
    assert "ops_user:" in audit and "max auto amount" in audit, audit[:3000]
    assert "100000" in audit
    bad = client.post(
        f"/workbench/settings/{account_id}/rules",
        data={**form, "max_auto_amount": "EUR lots"},
    )
    assert bad.status_code == 400 and 'id="rules-error"' in bad.text
    client.cookies.clear()
    token = login(client)  # a reviewer reads, but cannot change
    assert "Only admins change rules" in client.get(f"/workbench/settings/{account_id}/rules").text
    r = client.post(f"/workbench/settings/{account_id}/rules", data={**form, "csrf_token": token})
    assert r.status_code == 403


def test_a_possible_duplicate_shows_both_documents(
    client: TestClient,  # noqa: F811
    services: Services,
    worker: WorkerRuntime,  # noqa: F811
) -> None:
    make_alias(services)
    pdf = invoice_pdf()
    (first,) = deliver(services, pdf, message_id="<a@x>")
    drain(services)
    deliver(services, scanned_pdf(pdf), message_id="<b@x>")
    drain(services)
    with services.sessions() as session:
        item = session.scalars(select(ReviewItem)).one()
    login(client)
    page = client.get(f"/workbench/items/{item.id}").text
    assert 'id="duplicate"' in page and f'Possible duplicate of <span class="mono">{first}' in page
    assert f"/workbench/alias_invoices/{first}/pages/1.png" in page
    assert "INV-2026-0042" in page or "INV20260042" in page
    png = client.get(f"/workbench/alias_invoices/{first}/pages/1.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
