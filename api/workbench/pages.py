"""Workbench pages around the items: login/logout, the queue, thresholds, static files."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.context import services_of
from api.workbench.formatting import age
from api.workbench.session import (
    DEVICE_COOKIE,
    DEVICE_TTL,
    HERE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    OpsUserDep,
    check_csrf,
    device_cookie,
    login_client,
    new_login_csrf,
    read_form,
    render,
    secure_cookies,
)
from models.accounts import Account
from models.db import transaction
from models.errors import InvalidRequest
from models.ops import OpsUser
from models.review import REVIEW_STATUSES
from models.services import Services
from review.account_rules import update_settings
from review.items import ItemView
from review.ops_users import (
    SESSION_TTL,
    LoginClient,
    LoginThrottled,
    authenticate,
    end_session,
    start_session,
)
from review.queue import QueueFilter, account_names, list_queue, pending_counts
from review.thresholds import effective_threshold

router = APIRouter(include_in_schema=False)
STATIC = {p.name: p for p in (HERE / "static").iterdir() if p.suffix in {".css", ".js", ".svg"}}


def _safe_next(target: Any) -> str:
    """Only ever send a freshly logged-in user back into the workbench (no open redirect)."""
    if isinstance(target, str) and target.startswith("/workbench") and "//" not in target:
        return target
    return "/workbench"


@router.get("/workbench/static/{name}")
def static(name: str) -> Response:
    path = STATIC.get(name)
    if path is None:
        raise HTTPException(404)
    media = "text/css" if name.endswith(".css") else "text/javascript"
    return FileResponse(path, media_type=media, headers={"Cache-Control": "max-age=300"})


@router.get("/workbench/login")
def login_page(request: Request) -> Response:
    token = new_login_csrf()
    response = render("login.html", csrf_token=token, next=request.query_params.get("next"))
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/workbench",
        secure=secure_cookies(services_of(request)),
    )
    return response


def _attempt_login(
    services: Services, email: str, password: str, client: LoginClient
) -> tuple[OpsUser | None, str | None]:
    with transaction(services.sessions) as session:
        user = authenticate(session, email, password, services.clock(), client)
        return user, (start_session(session, user, services.clock()) if user else None)


@router.post("/workbench/login")
async def login(request: Request) -> Response:
    services = services_of(request)
    form = await read_form(request)
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    next_url = _safe_next(form.get("next"))
    if not cookie:
        return RedirectResponse("/workbench/login", status_code=303)
    check_csrf(form, cookie)
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    client = login_client(request, services)
    try:
        # scrypt and the database on a worker thread: a login never stalls the event loop.
        user, token = await run_in_threadpool(_attempt_login, services, email, password, client)
    except LoginThrottled as locked:
        page = render(
            "login.html",
            status_code=429,
            csrf_token=cookie,
            next=next_url,
            email=email,
            error=locked.message,
        )
        page.headers["Retry-After"] = str(locked.retry_after)
        return page
    if token is None:
        return render(
            "login.html",
            status_code=401,
            csrf_token=cookie,
            next=next_url,
            email=email,
            error="Wrong email or password.",
        )
    response = RedirectResponse(next_url, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_TTL,
        httponly=True,
        samesite="lax",
        path="/",
        secure=secure_cookies(services),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/workbench")
    if user is not None and client.device_user_id != user.id:
        response.set_cookie(
            DEVICE_COOKIE,
            device_cookie(services, user.id),
            max_age=DEVICE_TTL,
            httponly=True,
            samesite="strict",
            path="/workbench",
            secure=secure_cookies(services),
        )
    return response


@router.post("/workbench/logout")
async def logout(request: Request, ops: OpsUserDep) -> Response:
    check_csrf(await read_form(request), ops.csrf_token)
    with transaction(ops.services.sessions) as session:
        end_session(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/workbench/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def queue_filter(params: Any) -> QueueFilter:
    status = params.get("status") or "pending"
    mode = params.get("mode")
    return QueueFilter(
        status=status if status in REVIEW_STATUSES else "pending",
        account_id=params.get("account") or None,
        reason=params.get("reason_code") or None,
        livemode={"live": True, "test": False}.get(mode or ""),
    )


def queue_row(view: ItemView, names: dict[str, str], now: int) -> dict[str, Any]:
    data = view.extracted
    low = min(
        (c for c in (view.confidence(n) for n in view.evidence) if c is not None), default=None
    )
    return {
        "view": view,
        "account": names.get(view.item.account_id, view.item.account_id),
        "tenant": (view.customer.name or view.customer.email) if view.customer else "—",
        "amount": data.get("total_amount"),
        "currency": data.get("currency"),
        "age": age(view.item.created, now),
        "lowest": low,
        "vendor": view.extraction.result.get("vendor"),
    }


@router.get("/workbench")
def queue_page(request: Request, ops: OpsUserDep) -> Response:
    f = queue_filter(request.query_params)
    now = ops.services.clock()
    with ops.services.sessions() as session:
        views = list_queue(session, f)
        names = account_names(session)
        counts = pending_counts(session)
    codes = {r.get("code") for v in views for r in v.item.reasons or [] if isinstance(r, dict)}
    reasons = sorted({str(c) for c in codes if c} | ({f.reason} if f.reason else set()))
    return render(
        "queue.html",
        ops=ops,
        filter=f,
        mode=request.query_params.get("mode") or "",
        rows=[queue_row(v, names, now) for v in views],
        accounts=names,
        counts=counts,
        total_pending=sum(counts.values()),
        reasons=reasons,
        done=request.query_params.get("done"),
        done_item=request.query_params.get("item"),
    )


@router.get("/workbench/settings")
def settings_page(request: Request, ops: OpsUserDep, error: str | None = None) -> Response:
    default = ops.services.settings.review_threshold
    with ops.services.sessions() as session:
        accounts = session.query(Account).order_by(Account.name).all()
        rows = [
            {"account": a, "threshold": effective_threshold(a.review_threshold, default)}
            for a in accounts
        ]
    return render(
        "settings.html",
        ops=ops,
        rows=rows,
        default=default,
        saved=request.query_params.get("saved"),
        error=error,
    )


@router.post("/workbench/settings/{account_id}")
async def save_threshold(account_id: str, request: Request, ops: OpsUserDep) -> Response:
    form = await read_form(request)
    check_csrf(form, ops.csrf_token)
    if ops.user.role != "admin":
        raise HTTPException(403, "Only admins change review thresholds.")
    text = str(form.get("review_threshold") or "").strip()
    try:
        value = None if text == "" else float(text)
        with transaction(ops.services.sessions) as session:
            update_settings(
                session, account_id, actor=ops.via, now=ops.services.clock(), review_threshold=value
            )
    except (ValueError, InvalidRequest):
        return settings_page(request, ops, error=f"{text!r} is not a threshold between 0 and 1.")
    return RedirectResponse(f"/workbench/settings?saved={account_id}", status_code=303)
