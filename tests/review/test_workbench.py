"""The workbench over HTTP: login, CSRF, pages and decisions (the browser tests drive the JS)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from models.alias_invoices import AliasInvoice
from models.db import transaction
from models.payments import PaymentRequest
from models.services import Services
from review.ops_users import create_ops_user
from tests.conftest import new_account
from tests.review.factory import make_review_item

PASSWORD = "correct horse battery"


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with transaction(services.sessions) as session:
        create_ops_user(session, "maria@casapay.me", PASSWORD, "reviewer", services.clock())
        create_ops_user(session, "root@casapay.me", PASSWORD, "admin", services.clock())
    with TestClient(create_app(services), raise_server_exceptions=False) as c:
        yield c


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def login(client: TestClient, email: str = "maria@casapay.me") -> str:
    page = client.get("/workbench/login")
    r = client.post(
        "/workbench/login",
        data={
            "email": email,
            "password": PASSWORD,
            "csrf_token": csrf(page.text),
            "next": "/workbench",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return csrf(client.get("/workbench").text)


def test_every_page_and_action_needs_login(client: TestClient, services: Services) -> None:
    account_id, _, _ = new_account(services)
    made = make_review_item(services, account_id)
    for path in (
        "/workbench",
        f"/workbench/items/{made.item_id}",
        "/workbench/settings",
        f"/workbench/items/{made.item_id}/pages/1.png",
        f"/workbench/items/{made.item_id}/next",
    ):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/workbench/login"), path
    r = client.post(f"/workbench/items/{made.item_id}/approve", data={}, follow_redirects=False)
    assert r.status_code == 303
    assert _status(services, made.alias_invoice_id) == "requires_review"


def _status(services: Services, alias_id: str) -> str:
    with services.sessions() as session:
        row = session.get(AliasInvoice, alias_id)
        assert row is not None
        return row.status


def test_wrong_password_and_missing_login_csrf_are_refused(client: TestClient) -> None:
    page = client.get("/workbench/login")
    r = client.post(
        "/workbench/login",
        data={"email": "maria@casapay.me", "password": "nope", "csrf_token": csrf(page.text)},
    )
    assert r.status_code == 401 and "Wrong email or password" in r.text
    r = client.post(
        "/workbench/login",
        data={"email": "maria@casapay.me", "password": PASSWORD, "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert r.status_code == 403


def attempt(client: TestClient, password: str, email: str = "maria@casapay.me") -> TestClient:
    page = client.get("/workbench/login")
    r = client.post(
        "/workbench/login",
        data={"email": email, "password": password, "csrf_token": csrf(page.text)},
        follow_redirects=False,
    )
    return r


def test_strangers_guessing_passwords_cannot_lock_a_reviewer_out(
    client: TestClient, services: Services
) -> None:
    assert attempt(client, PASSWORD).status_code == 303  # the reviewer's browser, known now
    client.cookies.delete("casapay_ops")
    codes = []
    for n in range(40):  # guesses from many addresses, none of which ever logged in
        with TestClient(create_app(services), client=(f"198.51.100.{n}", 4000)) as stranger:
            codes.append(attempt(stranger, f"guess {n}").status_code)
    assert codes[:10] == [401] * 10 and set(codes[10:]) == {429}
    with TestClient(create_app(services), client=("198.51.100.250", 4000)) as stranger:
        refused = attempt(stranger, PASSWORD)
    # Unknown devices wait, even with the right password; the page says for how long.
    assert refused.status_code == 429 and "Try again in 15 minute" in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 900
    # The reviewer's own browser is limited on its own, so it still gets in.
    assert attempt(client, PASSWORD).status_code == 303
    services.clock.advance(15 * 60)  # type: ignore[attr-defined]
    with TestClient(create_app(services), client=("198.51.100.251", 4000)) as later:
        assert attempt(later, PASSWORD).status_code == 303


def test_one_client_address_is_limited_across_accounts(
    client: TestClient, services: Services
) -> None:
    with TestClient(create_app(services), client=("203.0.113.7", 4000)) as guesser:
        codes = [
            attempt(guesser, "guess", email=f"user{n}@casapay.me").status_code for n in range(21)
        ]
        assert codes[:20] == [401] * 20 and codes[20] == 429
        assert attempt(guesser, PASSWORD).status_code == 429
    assert attempt(client, PASSWORD).status_code == 303  # another address is not affected


def test_a_known_device_guessing_is_limited_too(client: TestClient) -> None:
    assert attempt(client, PASSWORD).status_code == 303
    client.cookies.delete("casapay_ops")
    codes = [attempt(client, "guess").status_code for _ in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429


def test_a_forged_device_cookie_counts_as_an_unknown_device(
    client: TestClient, services: Services
) -> None:
    for n in range(10):
        with TestClient(create_app(services), client=(f"192.0.2.{n}", 4000)) as stranger:
            assert attempt(stranger, "guess").status_code == 401
    client.cookies.set("casapay_ops_device", "opsu_x.device.0000", path="/workbench")
    assert attempt(client, PASSWORD).status_code == 429


def test_login_never_redirects_off_site(client: TestClient) -> None:
    page = client.get("/workbench/login")
    r = client.post(
        "/workbench/login",
        data={
            "email": "maria@casapay.me",
            "password": PASSWORD,
            "csrf_token": csrf(page.text),
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/workbench"


def test_queue_and_item_pages_show_the_work(client: TestClient, services: Services) -> None:
    account_id, _, _ = new_account(services, "Harbour Lettings")
    made = make_review_item(services, account_id, tenant_name="Jane Doe")
    login(client)
    queue = client.get("/workbench")
    assert queue.status_code == 200
    assert "Jane Doe" in queue.text and "Harbour Lettings" in queue.text
    assert "1,250.00 EUR" in queue.text and "Total amount read with confidence 0.42" in queue.text
    assert "default-src 'self'" in queue.headers["content-security-policy"]
    item = client.get(f"/workbench/items/{made.item_id}")
    assert item.status_code == 200
    # Least confident field first: the total (0.42) comes before the reference (0.97).
    assert item.text.index('id="f-total_amount"') < item.text.index('id="f-reference"')
    assert 'class="box conf-low" data-field="total_amount"' in item.text
    png = client.get(f"/workbench/items/{made.item_id}/pages/1.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get(f"/workbench/items/{made.item_id}/pages/2.png").status_code == 404


def test_approve_from_the_form_needs_csrf_and_bills_the_correction(
    client: TestClient, services: Services
) -> None:
    account_id, _, _ = new_account(services)
    made = make_review_item(services, account_id)
    token = login(client)
    form = {
        "total_amount": "1,310.00",
        "currency": "eur",
        "due_date": "2026-02-01",
        "reference": "INV-2026-001",
        "tax_amount": "0.00",
        "line_items[0][description]": "Monthly rent - Unit 4B",
        "line_items[0][amount]": "1200.00",
        "line_items[1][description]": "Parking space",
        "line_items[1][amount]": "50.00",
    }
    forged = client.post(
        f"/workbench/items/{made.item_id}/approve", data={**form, "csrf_token": "x"}
    )
    assert forged.status_code == 403
    r = client.post(
        f"/workbench/items/{made.item_id}/approve",
        data={**form, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/workbench?")
    with services.sessions() as session:
        pr = session.scalars(select(PaymentRequest)).one()
        assert pr.amount == 131000
    page = client.get(f"/workbench/items/{made.item_id}").text
    assert "Approved by ops:maria@casapay.me" in page
    assert (
        "changed <em>total amount</em> from <del>1,250.00 EUR</del> to <ins>1,310.00 EUR</ins>"
        in page
    )


def test_a_kwd_amount_typed_with_three_decimals_bills_one_and_a_half_dinars(
    client: TestClient, services: Services
) -> None:
    """The old workbench table read "1.500" KWD as 1,500 dinars (150000 fils)."""
    account_id, _, _ = new_account(services)
    made = make_review_item(services, account_id)
    token = login(client)
    r = client.post(
        f"/workbench/items/{made.item_id}/approve",
        data={"csrf_token": token, "total_amount": "1.500", "currency": "kwd"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[-2000:]
    with services.sessions() as session:
        pr = session.scalars(select(PaymentRequest)).one()
        assert (pr.amount, pr.currency) == (1500, "kwd")


def test_bad_corrections_come_back_on_the_form(client: TestClient, services: Services) -> None:
    account_id, _, _ = new_account(services)
    made = make_review_item(services, account_id)
    token = login(client)
    r = client.post(
        f"/workbench/items/{made.item_id}/approve",
        data={"csrf_token": token, "total_amount": "12,5,0.999", "currency": "eur"},
    )
    assert r.status_code == 400, r.text[-3000:]
    assert "is not an amount" in r.text
    r = client.post(
        f"/workbench/items/{made.item_id}/approve",
        data={
            "csrf_token": token,
            "total_amount": "10",
            "currency": "eur",
            "due_date": "2026-02-30",
        },
    )
    assert r.status_code == 400 and "not a real date" in r.text
    assert 'value="2026-02-30"' in r.text  # what the reviewer typed stays in the form
    assert _status(services, made.alias_invoice_id) == "requires_review"


def test_reject_then_next_goes_to_the_next_pending_item(
    client: TestClient, services: Services
) -> None:
    account_id, _, _ = new_account(services)
    first = make_review_item(services, account_id)
    services.clock.advance(10)  # type: ignore[attr-defined]
    second = make_review_item(services, account_id)
    token = login(client)
    r = client.post(
        f"/workbench/items/{first.item_id}/reject",
        data={"csrf_token": token, "reason": "Not an invoice"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"/workbench/items/{second.item_id}?"), r.headers
    assert _status(services, first.alias_invoice_id) == "failed"
    again = client.post(
        f"/workbench/items/{first.item_id}/reject", data={"csrf_token": token, "reason": "twice"}
    )
    assert again.status_code == 409 and "already rejected" in again.text


def test_only_admins_change_thresholds(client: TestClient, services: Services) -> None:
    account_id, _, _ = new_account(services)
    token = login(client)
    r = client.post(
        f"/workbench/settings/{account_id}", data={"csrf_token": token, "review_threshold": "0.9"}
    )
    assert r.status_code == 403
    client.cookies.clear()
    token = login(client, "root@casapay.me")
    r = client.post(
        f"/workbench/settings/{account_id}",
        data={"csrf_token": token, "review_threshold": "0.9"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert 'value="0.9"' in client.get("/workbench/settings").text


def test_logout_ends_the_session(client: TestClient) -> None:
    token = login(client)
    r = client.post("/workbench/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/workbench", follow_redirects=False).status_code == 303
