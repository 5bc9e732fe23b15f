"""The shared adapters of one process, built once by its composition root."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

import models.tables  # noqa: F401  (every mapper registered before the first query)
from models.blobstore import BlobStore, LocalBlobStore, S3BlobStore
from models.clock import Clock, system_clock
from models.db import SessionFactory, make_engine, make_session_factory
from models.queue import Queue, make_broker
from models.settings import Settings


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: SessionFactory
    blobs: BlobStore
    queue: Queue
    clock: Clock


def make_blob_store(settings: Settings, clock: Clock = system_clock) -> BlobStore:
    if settings.s3_bucket:
        store = S3BlobStore(settings.s3_endpoint_url, settings.s3_bucket)
        store.ensure_bucket()
        return store
    return LocalBlobStore(settings.data_dir / "blobs", settings.public_url, settings.secret, clock)


def build_services(settings: Settings, clock: Clock = system_clock) -> Services:
    engine = make_engine(settings.database_url)
    return Services(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        blobs=make_blob_store(settings, clock),
        queue=Queue(make_broker(settings.redis_url)),
        clock=clock,
    )
