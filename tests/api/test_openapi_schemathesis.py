"""Schemathesis fuzzes every /v1 operation against our own OpenAPI document.

It must find no 5xx and no response that breaks the documented schema. One deliberate setting:
positive (schema-valid) data may be answered 400, because Stripe's convention answers business
rules with 400 (a state transition that is not allowed, a customer id that does not exist), and
a schema cannot express those.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode

from api.app import create_app
from models.services import Services
from tests.conftest import new_account

MAX_EXAMPLES = 30


@pytest.fixture
def app_and_key(services: Services) -> Iterator[tuple[FastAPI, str]]:
    _, test_key, _ = new_account(services, "Fuzz")
    app = create_app(services)
    # A few real objects, so that not every generated id is unknown.
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {test_key}"}
        cus = client.post(
            "/v1/customers", json={"name": "Fuzz", "email": "f@example.com"}, headers=auth
        ).json()["id"]
        client.post(
            "/v1/tax_rates",
            json={"display_name": "VAT", "percentage": 19, "inclusive": False},
            headers=auth,
        )
        client.post(
            "/v1/invoices",
            json={
                "customer": cus,
                "line_items": [{"description": "Rent", "amount": 1000, "currency": "eur"}],
            },
            headers=auth,
        )
    yield app, test_key


@pytest.fixture
def api_schema(app_and_key: tuple[FastAPI, str]) -> schemathesis.BaseSchema:
    app, _ = app_and_key
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.generation.update(max_examples=MAX_EXAMPLES)
    schema.config.checks.positive_data_acceptance.expected_statuses = [
        "2xx",
        "400",
        "401",
        "403",
        "404",
        "409",
    ]
    return schema.include(path_regex="^/v1/")


def test_api_conforms_to_its_openapi_document(
    api_schema: schemathesis.BaseSchema, app_and_key: tuple[FastAPI, str]
) -> None:
    """Each operation, positive and negative data; all failures are collected, then reported."""
    _, key = app_and_key
    headers = {"Authorization": f"Bearer {key}"}
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: schemathesis.Case) -> None:
                try:
                    response = case.call(headers=headers)
                except (TypeError, AttributeError, ValueError):
                    # Negative data the test client cannot put on the wire (a query parameter
                    # or form body that is not a mapping): nothing reaches the server.
                    return
                case.validate_response(response, headers=headers)

            try:
                run()
            except Unsatisfiable:
                # Only a free-form path id: there is no invalid value to generate.
                assert mode is GenerationMode.NEGATIVE
            except BaseException as exc:  # every operation's failure, not just the first
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failures.append(f"{operation.label} [{mode}]: {exc}")
    assert not failures, "\n\n".join(failures)


def test_every_v1_operation_is_documented(app_and_key: tuple[FastAPI, str]) -> None:
    app, _ = app_and_key
    paths = app.openapi()["paths"]
    operations = {(m.upper(), p) for p, item in paths.items() for m in item if p.startswith("/v1")}
    for expected in [
        ("POST", "/v1/invoices"),
        ("GET", "/v1/invoices"),
        ("GET", "/v1/invoices/{invoice_id}"),
        ("POST", "/v1/invoices/{invoice_id}"),
        ("DELETE", "/v1/invoices/{invoice_id}"),
        ("POST", "/v1/invoices/{invoice_id}/finalize"),
        ("POST", "/v1/invoices/{invoice_id}/send"),
        ("POST", "/v1/invoices/{invoice_id}/void"),
        ("POST", "/v1/invoices/{invoice_id}/pay"),
        ("POST", "/v1/invoices/{invoice_id}/mark_uncollectible"),
        ("POST", "/v1/invoice_items"),
        ("GET", "/v1/invoice_items"),
        ("GET", "/v1/invoice_items/{item_id}"),
        ("POST", "/v1/invoice_items/{item_id}"),
        ("DELETE", "/v1/invoice_items/{item_id}"),
        ("POST", "/v1/tax_rates"),
        ("GET", "/v1/tax_rates"),
        ("GET", "/v1/tax_rates/{rate_id}"),
    ]:
        assert expected in operations
