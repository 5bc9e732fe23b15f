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
from api.params import read_body
from api.workbench.formatting import FILTERS
from models.ops import OpsUser
from models.services import Services
from review.ops_users import LoginClient, resolve_session

SESSION_COOKIE = "casapay_ops"
LOGIN_CSRF_COOKIE = "casapay_login_csrf"
# Proof that this browser logged in as a user before: its own login rate limit applies then.
DEVICE_COOKIE = "casapay_ops_device"
DEVICE_TTL = 180 * 24 * 3600
HERE = Path(__file__).parent

templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters.update(FILTERS)

# The security headers (CSP, frame-ancestors, nosniff) come from api.response_headers, added
# by api.edge.
NO_STORE = {"Cache-Control": "no-store"}


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
    """The urlencoded form as nested dicts (line_items[0][amount]), with the API's limits."""
    params, _ = await read_body(request)
    return params


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
    return HTMLResponse(html, status_code=status_code, headers=dict(NO_STORE))


def _device_signature(secret: str, user_id: str, device_id: str) -> str:
    message = f"device:{user_id}:{device_id}".encode()
    return hmac.new(secret.encode(), message, "sha256").hexdigest()[:32]


def device_cookie(services: Services, user_id: str) -> str:
    device_id = secrets.token_urlsafe(16)
    return (
        f"{user_id}.{device_id}.{_device_signature(services.settings.secret, user_id, device_id)}"
    )


def login_client(request: Request, services: Services) -> LoginClient:
    """The client address and, when its device cookie verifies, the user it logged in as."""
    address = request.client.host if request.client else "unknown"
    user_id, _, rest = (request.cookies.get(DEVICE_COOKIE) or "").partition(".")
    device_id, _, signature = rest.partition(".")
    expected = _device_signature(services.settings.secret, user_id, device_id)
    if user_id and device_id and hmac.compare_digest(signature, expected):
        return LoginClient(address, device_user_id=user_id, device_id=device_id)
    return LoginClient(address)


def secure_cookies(services: Services) -> bool:
    return services.settings.public_url.startswith("https://")
