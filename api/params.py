"""Request parameters the way Stripe clients send them.

Query string, form bodies in Rack bracket notation (`line_items[0][amount]=5`) and JSON bodies all
become one dict, validated by a pydantic model: strictly for JSON (false is not 0), with string
coercion for form and query values, which can only be strings.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from api.decoding import decode_body, decode_query
from api.errors import ApiError

M = TypeVar("M", bound=BaseModel)

# Bodies larger than this are decoded on a worker thread, so the event loop keeps serving.
OFF_LOOP_BYTES = 64 * 1024


async def read_params(request: Request) -> tuple[dict[str, Any], bool]:
    """All parameters of the request, and whether they came as strings (query/form)."""
    params = decode_query(request.url.query)
    stringly = True
    if request.method in {"POST", "PUT", "PATCH"}:
        body, stringly = await read_body(request)
        params.update(body)
    _reject_nul(params, "")
    return params, stringly


async def read_body(request: Request) -> tuple[dict[str, Any], bool]:
    raw = await request.body()
    content_type = request.headers.get("content-type", "")
    if len(raw) > OFF_LOOP_BYTES:
        return await run_in_threadpool(decode_body, raw, content_type)
    return decode_body(raw, content_type)


def _reject_nul(node: Any, name: str) -> None:
    """PostgreSQL text cannot hold NUL: refuse it here as a 400 instead of failing as a 500."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{name}[{key}]" if name else str(key)
            if "\x00" in str(key):
                raise ApiError(
                    400, "Parameter names cannot contain NUL characters.", code="parameter_invalid"
                )
            _reject_nul(value, child)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _reject_nul(value, f"{name}[{index}]")
    elif isinstance(node, str) and "\x00" in node:
        raise ApiError(
            400,
            f"Invalid {name}: NUL characters are not allowed.",
            code="parameter_invalid",
            param=name,
        )


def Params(model: type[M]) -> Any:
    """A dependency that decodes the request's parameters into `model`:
    `params: Annotated[CustomerCreate, Params(CustomerCreate)]`. Declare it after `ctx: Auth`,
    so a request without a valid key gets its 401 before any 400 about its parameters."""

    async def dependency(request: Request) -> M:
        raw, stringly = await read_params(request)
        return parse_model(model, raw, stringly=stringly)

    return Depends(dependency)


def parse_model(model: type[M], params: dict[str, Any], *, stringly: bool) -> M:
    params = {k: v for k, v in params.items() if k != "expand" or "expand" in model.model_fields}
    try:
        return model.model_validate(params, strict=not stringly)
    except ValidationError as exc:
        raise _to_api_error(exc) from exc


def _param_name(loc: tuple[int | str, ...]) -> str:
    if not loc:
        return ""
    head, *rest = (str(p) for p in loc)
    return head + "".join(f"[{p}]" for p in rest)


def _is_schema_step(step: str) -> bool:
    return "[" in step or "-" in step or step in {"str", "int", "bool", "list", "dict"}


# pydantic error type prefix → Stripe's code and what the parameter must be.
_TYPE_ERRORS = {
    "int_": ("parameter_invalid_integer", "an integer"),
    "bool_": ("parameter_invalid_boolean", "a boolean"),
    "string_type": ("parameter_invalid_string", "a string"),
}


def _to_api_error(exc: ValidationError) -> ApiError:
    error = exc.errors()[0]
    # Unions and validators add their own steps to `loc` (`metadata.dict[str,str]`,
    # `function-after[...]`); keep only the user-facing path.
    loc = tuple(p for p in error["loc"] if isinstance(p, int) or not _is_schema_step(p))
    param = _param_name(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        return ApiError(
            400, f"Received unknown parameter: {param}", code="parameter_unknown", param=param
        )
    if kind == "missing":
        return ApiError(
            400, f"Missing required param: {param}.", code="parameter_missing", param=param
        )
    for prefix, (code, expected) in _TYPE_ERRORS.items():
        if kind.startswith(prefix):
            return ApiError(400, f"Invalid {param}: must be {expected}.", code=code, param=param)
    message = error["msg"].removeprefix("Value error, ")
    return ApiError(400, f"Invalid {param}: {message}", code="parameter_invalid", param=param)
