"""The local backend's signed PDF URLs, served by the API."""

from __future__ import annotations

import httpx

from models.services import Services
from tests.conftest import Api


def test_signed_url_serves_the_pdf_and_a_tampered_one_is_refused(
    api: Api, services: Services
) -> None:
    services.blobs.put("pdfs/x.pdf", b"%PDF-1.7 x", "application/pdf")
    url = httpx.URL(services.blobs.signed_url("pdfs/x.pdf", 60))
    ok = api.client.get(url.path, params=dict(url.params))
    assert ok.status_code == 200 and ok.content == b"%PDF-1.7 x"
    assert ok.headers["content-type"] == "application/pdf"
    bad = dict(url.params) | {"signature": "0" * 64}
    refused = api.client.get(url.path, params=bad)
    assert refused.status_code == 403
    assert "has expired" in refused.text  # a page: people follow these links in a browser
    services.clock.advance(61)  # type: ignore[attr-defined]
    assert api.client.get(url.path, params=dict(url.params)).status_code == 403
