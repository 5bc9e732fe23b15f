"""Setting up a tenant through the API: customers and their email aliases."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.app import create_app
from models.services import Services
from tests.conftest import Api, new_account


def test_create_customer_with_json_and_form_bodies(api: Api) -> None:
    r = api.post("/v1/customers", json={"email": "jane@example.com", "name": "Jane Doe"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"].startswith("cus_") and body["object"] == "customer"
    assert body["livemode"] is False
    r = api.post("/v1/customers", data={"name": "Bob", "metadata[unit]": "4B"})
    assert r.status_code == 200, r.text
    assert r.json()["metadata"] == {"unit": "4B"}


def test_alias_is_derived_from_the_tenant_name_and_unique(api: Api) -> None:
    cus = api.post("/v1/customers", json={"name": "Jane Doe"}).json()
    first = api.post("/v1/email_aliases", json={"customer": cus["id"]}).json()
    # Always a random suffix: a generated address never tells that jane.doe is taken elsewhere.
    assert re.fullmatch(r"jane\.doe\.[0-9a-f]{6}@casapay\.me", first["email"])
    second = api.post("/v1/email_aliases", json={"customer": cus["id"]}).json()
    assert second["email"].startswith("jane.doe.") and second["email"] != first["email"]


def test_explicit_local_part_taken_is_a_clear_400(api: Api) -> None:
    cus = api.post("/v1/customers", json={"name": "Jane"}).json()
    ok = api.post("/v1/email_aliases", json={"customer": cus["id"], "local_part": "Flat-4B"})
    assert ok.json()["email"] == "flat-4b@casapay.me"
    r = api.post("/v1/email_aliases", json={"customer": cus["id"], "local_part": "flat-4b"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "email_alias_taken"
    assert ok.json()["id"] in r.json()["error"]["message"]  # your own alias: named
    bad = api.post("/v1/email_aliases", json={"customer": cus["id"], "local_part": "no spaces"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "local_part"


def test_disable_and_list_aliases(api: Api) -> None:
    cus = api.post("/v1/customers", json={"name": "Jane"}).json()
    alias = api.post("/v1/email_aliases", json={"customer": cus["id"]}).json()
    r = api.post(f"/v1/email_aliases/{alias['id']}/disable")
    assert r.json()["status"] == "disabled"
    listed = api.get("/v1/email_aliases", params={"customer": cus["id"]}).json()
    assert [a["id"] for a in listed["data"]] == [alias["id"]]
    assert listed["object"] == "list" and listed["has_more"] is False


def test_other_accounts_objects_are_invisible(api: Api, services: Services) -> None:
    cus = api.post("/v1/customers", json={"name": "Jane"}).json()
    _, other_key, _ = new_account(services, "Other")
    r = api.get(f"/v1/customers/{cus['id']}", key=other_key)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "resource_missing"
    # Live and test mode are separate worlds too.
    assert api.get(f"/v1/customers/{cus['id']}", key=api.live_key).status_code == 404


def test_auth_errors(services: Services) -> None:
    client = TestClient(create_app(services))
    r = client.get("/v1/customers")
    assert r.status_code == 401 and r.json()["error"]["type"] == "invalid_request_error"
    r = client.get("/v1/customers", headers={"Authorization": "Bearer sk_test_nope"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "api_key_invalid"


def test_basic_auth_and_livemode_from_key(api: Api) -> None:
    r = api.client.post("/v1/customers", auth=(api.live_key, ""), json={"name": "Live"})
    assert r.status_code == 200 and r.json()["livemode"] is True


def test_unknown_and_mistyped_parameters(api: Api) -> None:
    r = api.post("/v1/customers", json={"nmae": "typo"})
    assert r.status_code == 400
    assert r.json()["error"] == {
        "type": "invalid_request_error",
        "code": "parameter_unknown",
        "param": "nmae",
        "message": "Received unknown parameter: nmae",
        "doc_url": "https://docs.casapay.me/error-codes#parameter-unknown",
    }
    r = api.post("/v1/customers", json={"name": False})
    assert r.status_code == 400 and r.json()["error"]["param"] == "name"


def test_list_pagination_both_directions(api: Api, services: Services) -> None:
    ids = []
    for i in range(5):
        services.clock.advance(1)  # type: ignore[attr-defined]
        ids.append(api.post("/v1/customers", json={"name": f"T{i}"}).json()["id"])
    newest_first = list(reversed(ids))
    page1 = api.get("/v1/customers", params={"limit": 2}).json()
    assert [c["id"] for c in page1["data"]] == newest_first[:2] and page1["has_more"]
    page2 = api.get("/v1/customers", params={"limit": 2, "starting_after": newest_first[1]}).json()
    assert [c["id"] for c in page2["data"]] == newest_first[2:4]
    back = api.get("/v1/customers", params={"limit": 2, "ending_before": newest_first[2]}).json()
    assert [c["id"] for c in back["data"]] == newest_first[:2]
    both = api.get("/v1/customers", params={"starting_after": ids[0], "ending_before": ids[1]})
    assert both.status_code == 400 and both.json()["error"]["code"] == "parameters_exclusive"
    assert api.get("/v1/customers", params={"limit": 101}).status_code == 400


def test_every_response_has_a_request_id(api: Api) -> None:
    assert api.get("/v1/customers").headers["Request-Id"].startswith("req_")
    assert api.get("/v1/nothing").headers["Request-Id"].startswith("req_")


def test_addresses_of_other_accounts_cannot_be_enumerated(api: Api, services: Services) -> None:
    cus = api.post("/v1/customers", json={"name": "Jane"}).json()["id"]
    mine = api.post("/v1/email_aliases", json={"customer": cus, "local_part": "jane"})
    assert mine.status_code == 200
    _, other_key, _ = new_account(services, "Prober")
    probe_cus = api.post("/v1/customers", json={"name": "P"}, key=other_key).json()["id"]

    def ask(local_part: str) -> dict[str, object]:
        body = {"customer": probe_cus, "local_part": local_part}
        r = api.post("/v1/email_aliases", json=body, key=other_key)
        return {"status": r.status_code, **r.json().get("error", {"id": r.json().get("id")})}

    taken, reserved = ask("jane"), ask("postmaster")
    assert taken["status"] == reserved["status"] == 400
    assert taken["code"] == reserved["code"] == "email_alias_unavailable"
    assert str(taken["message"]).replace("jane", "X") == str(reserved["message"]).replace(
        "postmaster", "X"
    )
    # Past the hourly limit every explicit name answers the same, free or taken.
    answers = [ask(f"free.{n}") for n in range(40)]
    limited = [a for a in answers if a["status"] == 400]
    assert limited and all(a["code"] == "email_alias_unavailable" for a in limited)
    taken_now, free_now = ask("jane"), ask("never.used.anywhere")
    assert (taken_now["status"], taken_now["code"]) == (free_now["status"], free_now["code"])
    services.clock.advance(3601)  # type: ignore[attr-defined]
    assert ask("now.free")["status"] == 200


def test_customers_update_and_delete_like_stripe(api: Api) -> None:
    cus = api.post("/v1/customers", json={"name": "Jane", "metadata": {"unit": "4B"}}).json()
    alias = api.post("/v1/email_aliases", json={"customer": cus["id"]}).json()
    changed = api.post(
        f"/v1/customers/{cus['id']}", data={"email": "jane@example.com", "metadata[floor]": "2"}
    ).json()
    assert changed["email"] == "jane@example.com" and changed["name"] == "Jane"
    assert changed["metadata"] == {"unit": "4B", "floor": "2"}
    assert api.post(f"/v1/customers/{cus['id']}", data={"phone": "1"}).status_code == 400
    gone = api.delete(f"/v1/customers/{cus['id']}").json()
    assert gone == {"id": cus["id"], "object": "customer", "deleted": True}
    assert api.get(f"/v1/customers/{cus['id']}").json() == gone
    assert api.get("/v1/customers").json()["data"] == []
    assert api.get(f"/v1/email_aliases/{alias['id']}").json()["status"] == "disabled"
    refused = api.post("/v1/invoices", json={"customer": cus["id"]})
    assert refused.status_code in (400, 404)
    assert api.post(f"/v1/customers/{cus['id']}", data={"name": "x"}).status_code == 404


def test_email_alias_update_merges_metadata_and_sets_status(api: Api) -> None:
    cus = api.post("/v1/customers", json={"name": "Jane"}).json()
    alias = api.post("/v1/email_aliases", json={"customer": cus["id"]}).json()
    r = api.post(f"/v1/email_aliases/{alias['id']}", data={"metadata[unit]": "4B"}).json()
    assert r["metadata"] == {"unit": "4B"} and r["status"] == "active"
    r = api.post(f"/v1/email_aliases/{alias['id']}", json={"status": "disabled"}).json()
    assert r["status"] == "disabled" and r["metadata"] == {"unit": "4B"}
    bad = api.post(f"/v1/email_aliases/{alias['id']}", json={"local_part": "x"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "parameter_unknown"
