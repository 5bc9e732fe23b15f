"""Stripe-shaped error bodies: every non-2xx answer is {"error": {type, code, message, param}}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.page_errors import error_page, wants_page
from models.errors import Conflict, DomainError, InvalidRequest, InvalidTransition, NotFound

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        type_: str = "invalid_request_error",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param
        self.type = type_
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        doc = (
            f"https://docs.casapay.me/error-codes#{self.code.replace('_', '-')}"
            if self.code
            else None
        )
        return {
            "error": {
                "type": self.type,
                "code": self.code,
                "message": self.message,
                "param": self.param,
                "doc_url": doc,
            }
        }

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def from_domain(exc: DomainError) -> ApiError:
    status = 400
    if isinstance(exc, NotFound):
        status = 404
    elif isinstance(exc, Conflict):
        status = 409
    elif isinstance(exc, InvalidTransition | InvalidRequest):
        status = 400
    return ApiError(status, exc.message, code=exc.code, param=exc.param)


def reply(request: Request, error: ApiError) -> Response:
    """The error as Stripe's JSON, or as a page on the paths tenants open in a browser."""
    if wants_page(request):
        page = error_page(error.status, error.message, error.code)
        page.headers.update(error.headers)
        return page
    return error.response()


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return reply(request, exc)

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> Response:
        return reply(request, from_domain(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            message = f"Unrecognized request URL ({request.method}: {request.url.path})."
            error = ApiError(404, message, code="resource_missing")
        else:
            code = "method_not_allowed" if exc.status_code == 405 else None
            error = ApiError(exc.status_code, str(exc.detail), code=code)
        error.headers = dict(exc.headers or {})
        return reply(request, error)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        param = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        message = f"Invalid value for {param}: {first.get('msg', 'invalid')}."
        return reply(request, ApiError(400, message, code="parameter_invalid", param=param))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        error = ApiError(500, "An unexpected error occurred on our side.", type_="api_error")
        return reply(request, error)
