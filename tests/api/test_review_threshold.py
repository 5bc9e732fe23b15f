"""The account's review threshold through the API, and what the results stage reads."""

from __future__ import annotations

from models.services import Services
from review.thresholds import threshold_for
from tests.conftest import Api


def test_default_threshold_is_the_installation_default(api: Api) -> None:
    body = api.get("/v1/account/settings").json()
    assert body == {
        "object": "account_settings",
        "account": api.account_id,
        "review_threshold": 0.7,
        "review_threshold_source": "default",
        "default_review_threshold": 0.7,
        "max_auto_amount": {},
        "allowed_currencies": [],
        "trusted_senders": {},
        "first_invoice_from_vendor_review": False,
        "first_time_sender_review": False,
        "acknowledge_receipts": False,
        "reminder_days_before": [3],
        "reminder_on_due_date": True,
        "reminder_days_after": [3],
    }


def test_changed_threshold_is_what_the_results_stage_reads(api: Api, services: Services) -> None:
    r = api.post("/v1/account/settings", data={"review_threshold": "0.85"})
    assert r.status_code == 200, r.text
    assert r.json()["review_threshold"] == 0.85
    assert r.json()["review_threshold_source"] == "account"
    with services.sessions() as session:
        assert threshold_for(session, api.account_id, services.settings.review_threshold) == 0.85
    assert api.get("/v1/account/settings").json()["review_threshold"] == 0.85
    # JSON too, and an empty value returns to the default.
    assert (
        api.post("/v1/account/settings", json={"review_threshold": 0.5}).json()["review_threshold"]
        == 0.5
    )
    reset = api.post("/v1/account/settings", data={"review_threshold": ""}).json()
    assert reset["review_threshold"] == 0.7 and reset["review_threshold_source"] == "default"


def test_threshold_out_of_range_or_mistyped_is_400(api: Api) -> None:
    for body in (
        {"review_threshold": 1.5},
        {"review_threshold": -0.1},
        {"review_threshold": "high"},
        {"review_threshold": True},
        {"threshold": 0.5},
    ):
        r = api.post("/v1/account/settings", json=body)
        assert r.status_code == 400, (body, r.text)
    assert api.post("/v1/account/settings", data={"review_threshold": "nan"}).status_code == 400
    assert api.get("/v1/account/settings").json()["review_threshold"] == 0.7
