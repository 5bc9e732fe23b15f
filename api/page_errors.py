"""Errors on the pages a tenant opens (hosted invoice, payment link, signed file links) are pages
too: a person who follows a stale or mistyped link reads a sentence, not a JSON error object."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

PAGE_PREFIXES = ("/i/", "/pay/", "/files/")
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
_TITLES = {
    400: "This link is not valid",
    402: "This invoice cannot be paid online",
    403: "This link has expired",
    404: "Nothing here",
}
_ADVICE = {
    403: "Open the invoice again from your email to get a fresh link.",
    404: "The invoice or payment link was not found. Check the link in your email, or ask the "
    "sender for a new one.",
}


def wants_page(request: Request) -> bool:
    return request.url.path.startswith(PAGE_PREFIXES)


def error_page(status: int, message: str, code: str | None) -> HTMLResponse:
    html = _templates.get_template("error.html").render(
        title=_TITLES.get(status, "Something went wrong"),
        message=_ADVICE.get(status, message),
        status=status,
        code=code,
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
