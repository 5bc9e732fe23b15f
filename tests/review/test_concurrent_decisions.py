"""Two reviewers deciding the same item at the same moment: one wins, the other is told."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from models.alias_invoices import AliasInvoice
from models.errors import Conflict
from models.payments import PaymentRequest
from models.review import ReviewItem
from models.services import Services
from models.unit_of_work import unit_of_work
from review.service import Decider, approve, reject
from tests.conftest import new_account
from tests.review.factory import make_review_item

MARIA = Decider(reviewer="ops:maria@casapay.me", via="ops_user:opsu_maria")
TOM = Decider(reviewer="ops:tom@casapay.me", via="ops_user:opsu_tom")


def test_second_reviewer_gets_a_conflict_naming_the_winner(services: Services) -> None:
    account_id, _, _ = new_account(services)
    made = make_review_item(services, account_id)
    outcome: dict[str, BaseException | None] = {}
    tom_started = threading.Event()

    def tom_rejects() -> None:
        try:
            with unit_of_work(services) as session:
                tom_started.set()
                reject(
                    session,
                    made.item_id,
                    "Looks like spam",
                    scope=None,
                    decider=TOM,
                    now=services.clock(),
                )
            outcome["tom"] = None
        except BaseException as exc:  # handed to the main thread to assert on
            outcome["tom"] = exc

    # Maria's transaction takes the item first and holds it, uncommitted...
    with unit_of_work(services) as session:
        approve(
            session,
            made.item_id,
            {"total_amount": 125000},
            scope=None,
            decider=MARIA,
            public_url="http://testserver",
            now=services.clock(),
        )
        tom = threading.Thread(target=tom_rejects)
        tom.start()
        tom_started.wait(5)
        tom.join(0.5)
        assert tom.is_alive(), "Tom's UPDATE must wait on Maria's row lock"
    # ...then commits; Tom's compare-and-set finds the item decided.
    tom.join(10)
    error = outcome["tom"]
    assert isinstance(error, Conflict)
    assert error.code == "review_item_decided_concurrently"
    assert "approved by ops:maria@casapay.me" in error.message
    with services.sessions() as session:
        item = session.get(ReviewItem, made.item_id)
        alias = session.get(AliasInvoice, made.alias_invoice_id)
        assert item is not None and item.status == "approved" and item.reviewer == MARIA.reviewer
        assert alias is not None and alias.status == "processed"
        assert len(session.scalars(select(PaymentRequest)).all()) == 1


def test_racing_approvals_bill_once(services: Services) -> None:
    account_id, _, _ = new_account(services)
    made = make_review_item(services, account_id)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def decide(decider: Decider) -> None:
        barrier.wait(5)
        try:
            with unit_of_work(services) as session:
                approve(
                    session,
                    made.item_id,
                    {},
                    scope=None,
                    decider=decider,
                    public_url="http://testserver",
                    now=services.clock(),
                )
            results.append("won")
        except Conflict:
            results.append("conflict")
        except Exception as exc:  # an already-decided 400 is fine too if one ran late
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=decide, args=(d,)) for d in (MARIA, TOM)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results.count("won") == 1
    assert sorted(results)[0] in {"conflict", "InvalidTransition"}
    with services.sessions() as session:
        assert len(session.scalars(select(PaymentRequest)).all()) == 1


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_decided_items_cannot_be_decided_again(services: Services, status: str) -> None:
    from models.errors import InvalidTransition

    account_id, _, _ = new_account(services)
    made = make_review_item(services, account_id)
    with unit_of_work(services) as session:
        if status == "approved":
            approve(
                session,
                made.item_id,
                {},
                scope=None,
                decider=MARIA,
                public_url="http://testserver",
                now=services.clock(),
            )
        else:
            reject(session, made.item_id, "Spam", scope=None, decider=MARIA, now=services.clock())
    with unit_of_work(services) as session, pytest.raises(InvalidTransition) as info:
        reject(session, made.item_id, "again", scope=None, decider=TOM, now=services.clock())
    assert f"already {status} by ops:maria@casapay.me" in info.value.message
