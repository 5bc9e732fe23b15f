"""Workbench login state: the session cookie, CSRF checks, and page rendering.

Pages are server-rendered; a strict Content-Security-Policy (no inline script or style) is
why every bit of behaviour lives in static/workbench.js.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.context import services_of
from api.params import rack_parse
from api.workbench.formatting import FILTERS
from models.ops import OpsUser
from models.services import Services
from review.ops_users import resolve_session

SESSION_COOKIE = "casapay_ops"
LOGIN_CSRF_COOKIE = "casapay_login_csrf"
HERE = Path(__file__).parent

templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters.update(FILTERS)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Ops:
    """A logged-in ops user on this request."""

    user: OpsUser
    csrf_token: str
    services: Services

    @property
    def decider_name(self) -> str:
        return f"ops:{self.user.email}"

    @property
    def via(self) -> str:
        return f"ops_user:{self.user.id}"


def _login_redirect(request: Request) -> HTTPException:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"/workbench/login?next={quote(target, safe='')}"
    return HTTPException(status_code=303, detail="Log in first.", headers={"Location": location})


def require_ops(request: Request) -> Ops:
    """Every workbench page and action needs a live session; browsers are sent to log in."""
    services = services_of(request)
    with services.sessions() as session:
        logged_in = resolve_session(session, request.cookies.get(SESSION_COOKIE), services.clock())
    if logged_in is None:
        raise _login_redirect(request)
    return Ops(user=logged_in.user, csrf_token=logged_in.csrf_token, services=services)


OpsUserDep = Annotated[Ops, Depends(require_ops)]


async def read_form(request: Request) -> dict[str, Any]:
    """The urlencoded form as nested dicts (line_items[0][amount]), like the API's bodies."""
    from urllib.parse import parse_qsl

    body = (await request.body()).decode("utf-8", errors="replace")
    return rack_parse(parse_qsl(body, keep_blank_values=True))


def check_csrf(form: dict[str, Any], expected: str) -> None:
    """Double check on every state change: the token from the page must match the session's."""
    sent = form.get("csrf_token")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(
            status_code=403, detail="The form expired or came from elsewhere; reload the page."
        )


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


def render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = templates.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=dict(SECURITY_HEADERS))


def secure_cookies(services: Services) -> bool:
    return services.settings.public_url.startswith("https://")
