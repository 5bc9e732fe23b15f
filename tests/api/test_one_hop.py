"""A request gives its database connection back before its response goes out: the route that ran
the handler closes what the handler opened, on the same worker thread (api.one_hop)."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.app import create_app
from api.context import authenticate
from api.http_metrics import all_routes
from api.one_hop import OneHopRoute
from models.services import Services
from tests.conftest import Api


def _calls(dependant: Dependant) -> Iterator[object]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def test_every_route_behind_an_api_key_closes_its_session(services: Services) -> None:
    """Only a OneHopRoute closes the session `authenticate` hands out: a route behind an API key
    on any other route class would leak a connection per request."""
    keyed = [
        route
        for route in all_routes(create_app(services).router)
        if isinstance(route, APIRoute) and authenticate in _calls(route.dependant)
    ]
    assert len(keyed) > 30
    assert [r.path for r in keyed if not isinstance(r, OneHopRoute)] == []


def test_reads_writes_and_errors_leave_no_connection_checked_out(
    api: Api, services: Services
) -> None:
    pool = services.engine.pool
    customer = api.post("/v1/customers", json={"name": "Jane"})
    assert customer.status_code == 200
    assert pool.checkedout() == 0  # type: ignore[attr-defined]
    replies = [
        api.get("/v1/alias_invoices"),
        api.get(f"/v1/customers/{customer.json()['id']}"),
        api.get("/v1/alias_invoices/ainv_missing"),
        api.get("/v1/alias_invoices", params={"starting_after": "ainv_missing"}),
        api.get("/v1/alias_invoices", params={"limit": "0"}),
    ]
    assert [r.status_code for r in replies] == [200, 200, 404, 400, 400]
    assert pool.checkedout() == 0  # type: ignore[attr-defined]


def test_a_reply_is_the_response_model_s_json(api: Api) -> None:
    """Validated and written by the response model on the handler's thread, as FastAPI would:
    declared fields in order, nulls included."""
    customer = api.post("/v1/customers", json={"name": "Jane"}).json()
    listed = api.get("/v1/customers").json()
    assert list(listed) == ["object", "url", "has_more", "data"]
    assert listed["data"] == [customer]
    assert list(customer)[:2] == ["id", "object"]
