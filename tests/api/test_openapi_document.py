"""The API describes itself: every object is a component schema, auth schemes are declared, and
/docs and /redoc work without internet."""

from __future__ import annotations

import re

from sqlalchemy import update

from models.alias_invoices import AliasInvoice
from models.db import transaction
from models.services import Services
from tests.api.test_invoices_hosted import forwarded_invoice
from tests.conftest import Api

OBJECTS = {
    "Customer",
    "EmailAlias",
    "AliasInvoice",
    "ExtractedData",
    "PaymentRequest",
    "Invoice",
    "InvoiceItem",
    "TaxRate",
    "PaymentIntent",
    "ReviewItem",
    "AccountSettings",
    "Deleted",
    "Error",
}
LISTS = {"CustomerList", "EmailAliasList", "AliasInvoiceList", "InvoiceList", "InvoiceItemList"}


def test_component_schemas_cover_every_object_and_list(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert OBJECTS | LISTS | {"TaxRateList", "ReviewItemList"} <= set(schemas)
    alias_invoice = schemas["AliasInvoice"]
    assert alias_invoice["additionalProperties"] is False
    for field in ("extracted_data", "payment_request", "pdf_url", "status", "error"):
        assert field in alias_invoice["required"]
    extracted = schemas["ExtractedData"]["properties"]
    assert {"total_amount", "currency", "due_date", "line_items", "confidence_score"} <= set(
        extracted
    )


def test_every_v1_operation_has_a_typed_reply_errors_and_auth(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["basicAuth"]["scheme"] == "basic"
    operations = 0
    for path, item in document["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in item.items():
            operations += 1
            ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
            refs = [ok] if "$ref" in ok else ok.get("anyOf", [])  # a customer or its deleted stub
            assert refs and all("$ref" in r for r in refs), f"{method} {path}: untyped {ok}"
            assert {"bearerAuth": []} in operation["security"]
            error = operation["responses"]["404"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/Error"}
            assert "422" not in operation["responses"]
    assert operations >= 30


def test_an_alias_invoice_with_its_payment_request_matches_its_schema(
    api: Api, services: Services
) -> None:
    """FastAPI validates every reply against the response model: a 200 is conformance."""
    alias_invoice_id, pr_id = forwarded_invoice(api, services)
    seed = {
        "total_amount": 125000,
        "currency": "eur",
        "due_date": "2026-02-01",
        "reference": "R-1",
        "line_items": [{"description": "Rent", "amount": 125000}],
        "tax_amount": 0,
        "confidence_score": 0.95,
    }
    with transaction(services.sessions) as session:
        session.execute(
            update(AliasInvoice)
            .where(AliasInvoice.id == alias_invoice_id)
            .values(extracted_data=seed)
        )
    got = api.get(f"/v1/alias_invoices/{alias_invoice_id}")
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["payment_request"]["id"] == pr_id
    assert body["extracted_data"] == seed
    listed = api.get("/v1/alias_invoices", params={"limit": 100}).json()
    assert [a["id"] for a in listed["data"]] == [alias_invoice_id]


def test_docs_pages_reference_no_external_host(api: Api) -> None:
    for page in ("/docs", "/redoc"):
        response = api.client.get(page)
        assert response.status_code == 200
        html = response.text
        assert "http://" not in html and "https://" not in html and "//" not in html
        references = re.findall(r'(?:src|href|spec-url)="([^"]+)"', html)
        assert references
        for reference in references:
            assert reference.startswith("/"), reference
            asset = api.client.get(reference)
            assert asset.status_code == 200, reference
            assert len(asset.content) > 100
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    init = api.client.get("/static/swagger-init.js").text
    assert "validatorUrl: null" in init and "http" not in init
