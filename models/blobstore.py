"""Durable storage for raw messages, PDFs and rendered invoices: a local directory or S3."""

from __future__ import annotations

import hmac
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from models.clock import Clock, system_clock


class BlobStoreError(Exception):
    """The store could not be reached or refused the operation (transient from our side)."""

    code = "blob_store_unavailable"


class BlobNotFound(BlobStoreError):
    code = "blob_not_found"


# What a key's extension holds, for stores that keep no content type of their own (local files).
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "eml": "message/rfc822",
    "jpg": "image/jpeg",
    "png": "image/png",
    "heic": "image/heic",
    "tiff": "image/tiff",
    "webp": "image/webp",
}


def media_type(key: str) -> str:
    return MEDIA_TYPES.get(key.rpartition(".")[2].lower(), "application/octet-stream")


class BlobStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def get(self, key: str) -> bytes: ...
    def signed_url(self, key: str, expires_in: int, filename: str | None = None) -> str: ...
    def ping(self) -> None: ...


def sign_blob_url(secret: str, key: str, expires: int) -> str:
    message = f"{key}\n{expires}".encode()
    return hmac.digest(secret.encode(), message, "sha256").hex()  # one-shot: no HMAC object


class LocalBlobStore:
    """Files under a directory; URLs are HMAC-signed and served by the API (`/files/...`)."""

    def __init__(
        self, root: Path, public_url: str, secret: str, clock: Clock = system_clock
    ) -> None:
        self.root = root
        self.public_url = public_url
        self.secret = secret
        self.clock = clock

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise BlobNotFound(key)
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write, fsync, rename: a crash never leaves a half-written blob under the key.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            raise BlobStoreError(f"cannot write {key}: {exc.strerror}") from exc

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise BlobNotFound(key) from exc
        except OSError as exc:
            raise BlobStoreError(f"cannot read {key}: {exc.strerror}") from exc

    def signed_url(self, key: str, expires_in: int, filename: str | None = None) -> str:
        expires = self.clock() + expires_in
        signature = sign_blob_url(self.secret, key, expires)  # hex digits: nothing to escape
        return f"{self.public_url}/files/{quote(key)}?expires={expires}&signature={signature}"

    def verify(self, key: str, expires: int, signature: str, now: int) -> bool:
        expected = sign_blob_url(self.secret, key, expires)
        return now <= expires and hmac.compare_digest(expected, signature)

    def ping(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise BlobStoreError(f"{self.root} is not writable")


class S3BlobStore:
    """An S3-compatible bucket through boto3; URLs are S3 presigned GETs."""

    def __init__(self, endpoint_url: str | None, bucket: str, client: Any = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self._errors: tuple[type[Exception], ...]
        from botocore.exceptions import BotoCoreError, ClientError

        self._errors = (BotoCoreError, ClientError)
        self._client_error = ClientError
        self.client = client or boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            config=Config(
                signature_version="s3v4",
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    def put(self, key: str, data: bytes, content_type: str) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)
        except self._errors as exc:
            raise BlobStoreError(f"cannot store {key}: {exc}") from exc

    def get(self, key: str) -> bytes:
        try:
            body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self._client_error as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise BlobNotFound(key) from exc
            raise BlobStoreError(f"cannot read {key}: {exc}") from exc
        except self._errors as exc:
            raise BlobStoreError(f"cannot read {key}: {exc}") from exc
        return body

    def signed_url(self, key: str, expires_in: int, filename: str | None = None) -> str:
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        if filename:
            params["ResponseContentDisposition"] = f'inline; filename="{quote(filename)}"'
        url: str = self.client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expires_in
        )
        return url

    def ping(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except self._errors as exc:
            raise BlobStoreError(f"bucket {self.bucket} unreachable: {exc}") from exc

    def ensure_bucket(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except self._client_error:
            self.client.create_bucket(Bucket=self.bucket)
