"""Automation rules through /v1/account/settings, their audit, and what routing does with them."""

from __future__ import annotations

from sqlalchemy import select

from cli import WorkerRuntime
from ingest.receiver import accept_message
from models.review import ReviewItem
from models.services import Services
from tests.conftest import Api
from tests.mail import crlf, mail_with_pdfs
from tests.pdfs import invoice_pdf
from tests.pipeline.conftest import approve_as_ops, drain, worker  # noqa: F401 (fixture)
from tests.pipeline.test_pipeline import TO, deliver, row


def alias_for(api: Api) -> dict[str, str]:
    customer = api.post("/v1/customers", data={"name": "Jane Doe", "email": "j@x.example"}).json()
    alias = api.post(
        "/v1/email_aliases", data={"customer": customer["id"], "local_part": TO.split("@")[0]}
    )
    assert alias.status_code == 200, alias.text
    return alias.json()  # type: ignore[no-any-return]


def test_rules_are_set_read_and_audited(api: Api, services: Services) -> None:
    alias = alias_for(api)
    r = api.post(
        "/v1/account/settings",
        data={
            "max_auto_amount[eur]": "100000",
            "max_auto_amount[JPY]": "50000",
            "allowed_currencies[]": ["eur", "CHF"],
            f"trusted_senders[{alias['id']}][]": ["northside.example", "Jo@Other.example"],
            "first_invoice_from_vendor_review": "true",
            "first_time_sender_review": "true",
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["max_auto_amount"] == {"eur": 100000, "jpy": 50000}
    assert body["allowed_currencies"] == ["eur", "chf"]
    assert body["trusted_senders"] == {alias["id"]: ["northside.example", "jo@other.example"]}
    assert body["first_invoice_from_vendor_review"] is True
    assert body["first_time_sender_review"] is True
    services.clock.advance(60)  # type: ignore[attr-defined]
    api.post(
        "/v1/account/settings", data={"max_auto_amount[eur]": "200000", "review_threshold": "0.8"}
    )
    changes = api.get("/v1/account/settings/changes").json()["data"]
    latest = {c["setting"]: c for c in changes[:2]}
    assert latest["max_auto_amount"]["from"] == {"eur": 100000, "jpy": 50000}
    assert latest["max_auto_amount"]["to"] == {"eur": 200000}
    assert latest["review_threshold"]["from"] is None and latest["review_threshold"]["to"] == 0.8
    assert all(c["actor"].startswith("api_key:key_") for c in changes)
    assert {c["setting"] for c in changes} == {
        "max_auto_amount",
        "allowed_currencies",
        "trusted_senders",
        "first_invoice_from_vendor_review",
        "first_time_sender_review",
        "review_threshold",
    }
    assert changes[0]["created"] > changes[-1]["created"]


def test_bad_rules_are_400_naming_the_parameter(api: Api) -> None:
    for data, param in (
        ({"max_auto_amount[xyz]": "5"}, "max_auto_amount[xyz]"),
        ({"max_auto_amount[eur]": "-5"}, "max_auto_amount[eur]"),
        ({"allowed_currencies[]": ["eur", "zzz"]}, "allowed_currencies[1]"),
        ({"trusted_senders[alias_nope][]": "a.example"}, "trusted_senders[alias_nope]"),
        ({"first_time_sender_review": "maybe"}, "first_time_sender_review"),
    ):
        r = api.post("/v1/account/settings", data=data)
        assert r.status_code == 400, (data, r.text)
        assert r.json()["error"]["param"] == param
    assert api.get("/v1/account/settings/changes").json()["data"] == []


def test_an_amount_over_the_limit_waits_for_review_with_the_rule(
    api: Api,
    services: Services,
    worker: WorkerRuntime,  # noqa: F811
) -> None:
    alias_for(api)
    api.post("/v1/account/settings", data={"max_auto_amount[eur]": "100000"})
    (ainv,) = deliver(services, invoice_pdf())  # 1,250.00 EUR
    drain(services)
    assert row(services, ainv).status == "requires_review"
    with services.sessions() as session:
        item = session.scalars(select(ReviewItem)).one()
    assert [r["code"] for r in item.reasons] == ["over_auto_amount_limit"]
    assert "limit of 1,000.00 EUR" in item.reasons[0]["message"]


def test_an_untrusted_sender_waits_for_review(
    api: Api,
    services: Services,
    worker: WorkerRuntime,  # noqa: F811
) -> None:
    alias = alias_for(api)
    api.post("/v1/account/settings", data={f"trusted_senders[{alias['id']}][]": "landlord.example"})
    (ainv,) = deliver(services, invoice_pdf())  # from billing@northside.example
    drain(services)
    assert row(services, ainv).status == "requires_review"
    with services.sessions() as session:
        item = session.scalars(select(ReviewItem)).one()
    assert [r["code"] for r in item.reasons] == ["sender_not_trusted"]


def test_a_first_time_sender_waits_once_then_bills_go_through(
    api: Api,
    services: Services,
    worker: WorkerRuntime,  # noqa: F811
) -> None:
    alias_for(api)
    api.post("/v1/account/settings", data={"first_time_sender_review": "true"})
    (first,) = deliver(services, invoice_pdf())  # from billing@northside.example
    drain(services)
    assert row(services, first).status == "requires_review"
    with services.sessions() as session:
        item = session.scalars(select(ReviewItem)).one()
    assert [r["code"] for r in item.reasons] == ["first_time_sender"]
    assert "billing@northside.example" in item.reasons[0]["message"]
    approve_as_ops(services, item.id)
    # Next month's bill from the same address is billed without a person; the same bill
    # from a stranger's address waits.
    february = invoice_pdf(
        reference="INV-2026-0043", issue_date="05/02/2026", due_date="01/03/2026"
    )
    (known,) = deliver(services, february, message_id="<feb@x>")
    drain(services)
    assert row(services, known).status == "processed", reasons(services)
    march = invoice_pdf(reference="INV-2026-0044", issue_date="05/03/2026", due_date="01/04/2026")
    raw = mail_with_pdfs(TO, [("m.pdf", march)], sender="pay@other.example", message_id="<m@x>")
    (stranger,) = accept_message(services, "pay@other.example", [TO], crlf(bytes(raw))).created
    drain(services)
    assert row(services, stranger).status == "requires_review"
    assert reasons(services)[stranger] == ["first_time_sender"]


def reasons(services: Services) -> dict[str, list[str]]:
    with services.sessions() as session:
        items = session.scalars(select(ReviewItem))
        return {item.alias_invoice_id: [r["code"] for r in item.reasons] for item in items}
