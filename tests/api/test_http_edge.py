"""The HTTP edge holds against hostile bodies: size, key count and nesting all have a ceiling.

The server tests run a real uvicorn server on a loopback port: what matters is that the event
loop keeps answering other clients while a hostile request is handled.
"""

from __future__ import annotations

import json
import select
import socket
import threading
from urllib.parse import urlsplit

import httpx
import pytest

from api.decoding import MAX_DEPTH, MAX_PARAMS, decode_body, rack_parse
from api.errors import ApiError
from models.services import Services
from tests.conftest import Api, new_account

FORM = "application/x-www-form-urlencoded"
HOSTILE_FORM = "&".join(["a[]=1"] * 40_000).encode()


def test_forty_thousand_form_keys_get_400_while_healthz_keeps_answering(
    server_url: str, services: Services
) -> None:
    _, key, _ = new_account(services)
    results: dict[str, httpx.Response] = {}

    def hostile(path: str, n: int) -> None:
        with httpx.Client(timeout=20) as client:
            results[f"{path} {n}"] = client.post(
                server_url + path,
                content=HOSTILE_FORM,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Authorization": f"Bearer {key}",
                    "Idempotency-Key": f"hostile-{n}",
                },
            )

    threads = [
        threading.Thread(target=hostile, args=(path, n))
        for n, path in enumerate(("/workbench/login", "/v1/customers", "/v1/customers"))
    ]
    for thread in threads:
        thread.start()
    health = []
    with httpx.Client(timeout=20) as client:
        while any(t.is_alive() for t in threads) or len(health) < 5:
            health.append(client.get(server_url + "/healthz").status_code)
    for thread in threads:
        thread.join()
    assert set(health) == {200}
    for response in results.values():
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "parameters_too_complex"


def test_form_decoding_is_linear_and_bounded() -> None:
    appended = rack_parse([("a[]", str(i)) for i in range(MAX_PARAMS)])
    assert appended["a"] == [str(i) for i in range(MAX_PARAMS)]
    with pytest.raises(ApiError) as err:
        decode_body(HOSTILE_FORM, "application/x-www-form-urlencoded")
    assert err.value.status == 400 and err.value.code == "parameters_too_complex"
    mixed = rack_parse([("a[0]", "x"), ("a[]", "y"), ("a[]", "z")])
    assert mixed == {"a": ["x", "y", "z"]}
    assert rack_parse([("0", "a"), ("1", "b")]) == {"0": "a", "1": "b"}  # names, not a list


def test_huge_array_indexes_and_odd_digits_are_refused_or_kept_as_keys() -> None:
    with pytest.raises(ApiError):
        rack_parse([("a[" + "9" * 5000 + "]", "x")])  # would overflow int() parsing
    assert rack_parse([("a[²]", "x")]) == {"a": {"²": "x"}}


def _raw_request(url: str, head: bytes) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=20)
    sock.sendall(head)
    return sock


def _read_response(sock: socket.socket) -> tuple[int, dict[str, object]]:
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body)


def test_a_50_mb_body_is_refused_with_413_before_it_is_read(server_url: str) -> None:
    head = (
        b"POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 52428800\r\n\r\n"
    )
    sock = _raw_request(server_url, head + b" " * 65536)
    status, body = _read_response(sock)
    sock.close()
    assert status == 413
    assert body["error"]["code"] == "request_too_large"  # type: ignore[index]


def test_a_chunked_50_mb_body_is_cut_off_at_the_limit(server_url: str, services: Services) -> None:
    _, key, _ = new_account(services)
    sock = _raw_request(
        server_url,
        b"POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Authorization: Bearer " + key.encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\n",
    )
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
    sent = 0
    while sent < 50 * 1024 * 1024 and not select.select([sock], [], [], 0)[0]:
        try:
            sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += 65536
    status, body = _read_response(sock)
    sock.close()
    assert status == 413 and body["error"]["code"] == "request_too_large"  # type: ignore[index]
    assert sent < 10 * 1024 * 1024


def test_deeply_nested_form_and_json_bodies_get_400(api: Api) -> None:
    deep_key = "a" + "[b]" * 50
    for response in (
        api.post("/v1/customers", data={deep_key: "x"}),
        api.post("/v1/customers", content=b"[" * 100_000, headers=_json()),
        api.post("/v1/customers", content=_nested_json(MAX_DEPTH + 1), headers=_json()),
        api.get("/v1/customers?" + deep_key + "=x"),
    ):
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "parameters_too_complex"
    ok = api.post("/v1/customers", json={"name": "Jane", "metadata": {"unit": "4B"}})
    assert ok.status_code == 200


def test_json_with_too_many_values_gets_400(api: Api) -> None:
    body = json.dumps({"name": "x", "expand": ["customer"] * (MAX_PARAMS + 1)})
    r = api.post("/v1/customers", content=body.encode(), headers=_json())
    assert r.status_code == 400 and r.json()["error"]["code"] == "parameters_too_complex"


def _json() -> dict[str, str]:
    return {"Content-Type": "application/json"}


def _nested_json(depth: int) -> bytes:
    return ('{"metadata":' * depth + '"x"' + "}" * depth).encode()


def test_pages_carry_the_security_headers(api: Api) -> None:
    cus = api.post("/v1/customers", json={"name": "Jane"}).json()["id"]
    line = {"description": "Rent", "amount": 1000, "currency": "eur"}
    inv = api.post("/v1/invoices", json={"customer": cus, "line_items": [line]}).json()["id"]
    assert api.post(f"/v1/invoices/{inv}/finalize").status_code == 200
    for path in (f"/i/{inv}", "/workbench/login", "/v1/customers", "/i/in_nothing"):
        headers = api.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "'unsafe-inline'" not in csp.split("style-src")[1].split(";")[0]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Request-Id"].startswith("req_")


def test_numeric_parameter_names_get_a_clear_400(api: Api) -> None:
    """Found by schemathesis: `?0=a` once made the parameters a list, and a 500."""
    for response in (
        api.get("/v1/customers?0=a&1=b"),
        api.post("/v1/customers", content=b"0=a", headers={"Content-Type": FORM}),
    ):
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "parameter_unknown"
