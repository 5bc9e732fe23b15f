"""Both blob-store backends behind one interface; S3 against a real S3-compatible server."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from models.blobstore import BlobNotFound, BlobStore, BlobStoreError, LocalBlobStore, S3BlobStore
from tests.conftest import free_port
from tests.e2e.stack import wait_for


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(url, timeout=1).status_code < 500
        except httpx.HTTPError:
            return False

    try:
        wait_for(up, 30, "moto")
        yield url
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture(params=["local", "s3"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs", "http://files.test", "secret")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    s3 = S3BlobStore(request.getfixturevalue("moto_url"), f"bucket-{free_port()}")
    s3.ensure_bucket()
    return s3


def test_put_get_roundtrip_and_missing_key(store: BlobStore) -> None:
    store.put("pdfs/a.pdf", b"%PDF-1.7 hello", "application/pdf")
    assert store.get("pdfs/a.pdf") == b"%PDF-1.7 hello"
    with pytest.raises(BlobNotFound):
        store.get("pdfs/missing.pdf")
    store.ping()


def test_s3_presigned_url_serves_the_object(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    s3 = S3BlobStore(moto_url, "presign-test")
    s3.ensure_bucket()
    s3.put("pdfs/b.pdf", b"%PDF-b", "application/pdf")
    url = s3.signed_url("pdfs/b.pdf", 60, "Rechnung März.pdf")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
    assert httpx.get(url).content == b"%PDF-b"


def test_unreachable_s3_is_a_blob_store_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    dead = S3BlobStore(f"http://127.0.0.1:{free_port()}", "nowhere")
    with pytest.raises(BlobStoreError):
        dead.put("x", b"y", "text/plain")
    with pytest.raises(BlobStoreError):
        dead.ping()


def test_local_keys_cannot_escape_the_root(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs", "http://files.test", "secret")
    with pytest.raises(BlobNotFound):
        store.get("../../etc/passwd")


def test_local_signed_urls_expire_and_resist_tampering(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs", "http://files.test", "secret")
    url = httpx.URL(store.signed_url("pdfs/c.pdf", 60))
    expires = int(url.params["expires"])
    signature = url.params["signature"]
    assert store.verify("pdfs/c.pdf", expires, signature, now=expires)
    assert not store.verify("pdfs/c.pdf", expires, signature, now=expires + 1)
    assert not store.verify("pdfs/other.pdf", expires, signature, now=expires)
    assert not store.verify("pdfs/c.pdf", expires + 3600, signature, now=expires)
