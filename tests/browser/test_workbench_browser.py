"""A reviewer's day in headless Chromium: log in, open the oldest item, correct the total,
approve with the keyboard, and the alias invoice is billed at the corrected amount."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models.alias_invoices import AliasInvoice
from models.db import transaction
from models.payments import PaymentRequest
from models.services import Services
from review.items import get_item
from tests.browser.conftest import log_in, shot
from tests.conftest import FakeClock, new_account
from tests.review.factory import make_review_item

pytestmark = pytest.mark.browser


def _alias(services: Services, alias_id: str) -> AliasInvoice:
    with services.sessions() as session:
        row = session.get(AliasInvoice, alias_id)
        assert row is not None
        return row


def test_correct_the_total_and_approve_with_the_keyboard(
    page: Any, services: Services, clock: FakeClock
) -> None:
    harbour, _, _ = new_account(services, "Harbour Lettings")
    canal, _, _ = new_account(services, "Canal Homes")
    clock.advance(-3 * 3600)
    oldest = make_review_item(services, harbour, tenant_name="Jane Doe", total=999)
    clock.advance(2 * 3600)
    second = make_review_item(
        services,
        canal,
        tenant_name="Omar Haddad",
        reasons=[
            {
                "code": "check_failed",
                "message": "Due date is before the issue date",
                "field": "due_date",
            }
        ],
    )
    clock.advance(3600)
    make_review_item(services, harbour, tenant_name="Lena Vogel", livemode=False)

    log_in(page)
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 3
    assert "Jane Doe" in rows.nth(0).inner_text()  # oldest first
    assert "3 h" in rows.nth(0).inner_text()
    shot(page, "01-queue")

    page.keyboard.press("Enter")  # opens the selected (oldest) row
    page.wait_for_url(f"**/workbench/items/{oldest.item_id}")
    page.locator(".page img").first.wait_for()
    page.wait_for_function("document.querySelector('.page img').complete")
    # The least confident field is first, and its box is drawn on the page image.
    assert page.locator(".field").first.get_attribute("data-field") == "total_amount"
    box = page.locator('.box[data-field="total_amount"]')
    assert box.is_visible() and "conf-low" in (box.get_attribute("class") or "")
    shot(page, "02-item")

    page.keyboard.press("e")  # edit the least confident field
    total = page.locator("#f-total_amount")
    assert total.evaluate("el => el === document.activeElement")
    assert "active" in (box.get_attribute("class") or "")  # its evidence is highlighted
    total.fill("1,310.00")
    assert page.locator('.field[data-field="total_amount"] .edited').is_visible()
    assert "1 correction" in page.locator("#approve").inner_text()
    shot(page, "03-item-corrected")

    page.keyboard.press("Control+Enter")  # approve from the field
    page.wait_for_url(f"**/workbench/items/{second.item_id}?*")
    assert "approved" in page.locator("#banner").inner_text()
    shot(page, "04-next-item")

    alias = _alias(services, oldest.alias_invoice_id)
    assert alias.status == "processed" and alias.payment_request_id
    with services.sessions() as session:
        pr = session.get(PaymentRequest, alias.payment_request_id)
        assert pr is not None and pr.amount == 131000 and pr.currency == "eur"
        item = get_item(session, oldest.item_id, None)
        assert item.reviewer == "ops:maria@casapay.me"
        assert item.corrections == {"total_amount": {"from": 999, "to": 131000}}

    # The decided item shows who changed what, from what to what.
    page.goto(f"/workbench/items/{oldest.item_id}")
    trail = page.locator(".trail").inner_text()
    assert "ops:maria@casapay.me" in trail and "9.99 EUR" in trail and "1,310.00 EUR" in trail
    shot(page, "05-item-approved")


def test_reject_with_a_preset_and_skip_with_the_keyboard(
    page: Any, services: Services, clock: FakeClock
) -> None:
    account, _, _ = new_account(services, "Harbour Lettings")
    first = make_review_item(services, account, tenant_name="Jane Doe")
    clock.advance(60)
    second = make_review_item(services, account, tenant_name="Omar Haddad")
    clock.advance(60)
    third = make_review_item(services, account, tenant_name="Lena Vogel")

    log_in(page)
    page.keyboard.press("j")  # select the second row
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/workbench/items/{second.item_id}")
    page.keyboard.press("n")  # skip it
    page.wait_for_url(f"**/workbench/items/{third.item_id}*")
    page.keyboard.press("r")
    assert page.locator("#reject-form").is_visible()
    shot(page, "06-reject")
    page.keyboard.press("1")  # "Not an invoice"
    page.wait_for_url(f"**/workbench/items/{first.item_id}?*")  # wraps to the oldest
    alias = _alias(services, third.alias_invoice_id)
    assert alias.status == "failed" and alias.error_code == "rejected_in_review"
    assert alias.error_message == "Rejected in review: Not an invoice"
    with services.sessions() as session:
        assert session.scalars(select(PaymentRequest)).all() == []


def test_a_bad_correction_is_explained_in_place(page: Any, services: Services) -> None:
    account, _, _ = new_account(services, "Harbour Lettings")
    made = make_review_item(services, account)
    log_in(page)
    page.goto(f"/workbench/items/{made.item_id}")
    page.fill("#f-due_date", "2026-02-28")
    page.fill("#f-currency", "EUX")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    page.wait_for_load_state()
    assert "not an ISO 4217 currency" in page.locator(".field.invalid").inner_text()
    assert page.locator("#f-currency").input_value() == "EUX"
    shot(page, "07-invalid")
    assert _status_pending(services, made.item_id)


def _status_pending(services: Services, item_id: str) -> bool:
    with transaction(services.sessions) as session:
        return get_item(session, item_id, None).status == "pending"
