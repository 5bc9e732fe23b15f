"""The OpenAPI document: parameters we parse ourselves, Stripe-shaped errors, and auth schemes.

Response bodies come from the routes' `response_model` (api.schemas). Request parameters are
decoded by api.params (form or JSON, Rack brackets), so their models are documented here through
`openapi_extra`. Every /v1 operation documents its error replies with the `Error` schema and
needs a secret key, as HTTP Bearer or Basic (key as the user name, no password).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from api.schemas import Error

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERRORS = {
    "400": "Invalid request, or not allowed in the object's state",
    "401": "No valid API key",
    "402": "The payment could not be made",
    "404": "No such object",
    "409": "Idempotency key in use by a concurrent request",
    "413": "The request body is too large",
    "429": "Too many requests",
    "500": "Our fault; the reply is Stripe-shaped too",
}
SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "A secret key: `Authorization: Bearer sk_test_...`.",
    },
    "basicAuth": {
        "type": "http",
        "scheme": "basic",
        "description": "The secret key as the user name and no password: `curl -u sk_test_...:`.",
    },
}


def openapi_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` documenting a body we parse ourselves (JSON or form)."""
    schema = inline_refs(model.model_json_schema())
    content = {
        "application/json": {"schema": schema},
        "application/x-www-form-urlencoded": {"schema": schema},
    }
    return {"requestBody": {"required": False, "content": content}}


def openapi_query(model: type[BaseModel]) -> dict[str, Any]:
    schema = inline_refs(model.model_json_schema())
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        param: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": prop}
        if prop.get("type") == "object" or "anyOf" in prop:
            param.update(style="deepObject", explode=True)
        parameters.append(param)
    return {"parameters": parameters}


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.removeprefix("#/$defs/")]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


def install_openapi(app: FastAPI) -> None:
    """Finish the generated document once, when it is first asked for."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        components = document.setdefault("components", {})
        components.setdefault("schemas", {})["Error"] = inline_refs(
            Error.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        components["securitySchemes"] = SECURITY_SCHEMES
        for path, item in document.get("paths", {}).items():
            if not path.startswith("/v1/"):
                continue
            for operation in item.values():
                operation["security"] = [{name: []} for name in SECURITY_SCHEMES]
                responses = operation.setdefault("responses", {})
                responses.pop("422", None)  # validation errors are Stripe-shaped 400s
                for status, description in ERRORS.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": ERROR_REF}},
                        },
                    )
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
