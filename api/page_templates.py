"""The Jinja environment of the pages tenants see (hosted invoice, error pages)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
# Pages a tenant reaches from an email or a payment link: errors there are pages, not JSON.
TENANT_PAGE_PREFIXES = ("/i/", "/pay/")
