"""Page renders are kept between attempts at the same document (a bounded local directory):
a retry, in this process or a fresh reader process, reads the kept render instead of rendering."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest
from extract_testkit import SCAN, SCAN_TOTAL, cached_config, failure_after_a_fresh_reader
from PIL import Image

from extract import ExtractionFailed, extract_document
from extract.render_cache import RenderCache, document_hash


def renders(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir() if p.suffix == ".render")


def blank_in_place_of_the_render(cache: Path, data: bytes) -> None:
    """Replace the kept render of page 1 with a blank page of the same size, and drop the
    page's kept OCR words (`extract.ocr_cache`) so the page is read again: a reading that then
    finds nothing can only have come from the render cache."""
    for reading in cache.glob("*.ocr"):
        reading.unlink()
    store = RenderCache(cache)
    kept = store.get(document_hash(data), 0, 300)
    assert kept is not None
    blank = Image.new("L", kept.size, 255)
    blank.info["dpi"] = kept.info["dpi"]
    store.put(document_hash(data), 0, 300, blank)


def test_a_retry_reads_the_render_the_first_attempt_kept(tmp_path: Path) -> None:
    first = extract_document(SCAN, cached_config(tmp_path))
    assert first.value("total_amount") == SCAN_TOTAL
    assert renders(tmp_path) == [f"{document_hash(SCAN)}-p0-300dpi.render"]

    again = extract_document(SCAN, cached_config(tmp_path))
    assert again.to_json()["fields"] == first.to_json()["fields"]

    blank_in_place_of_the_render(tmp_path, SCAN)
    with pytest.raises(ExtractionFailed) as failed:
        extract_document(SCAN, cached_config(tmp_path))
    assert failed.value.code == "no_amount_found"  # it read the blank page it was given


def test_a_retry_in_a_fresh_reader_process_reuses_the_render(tmp_path: Path) -> None:
    def blank_the_render() -> None:
        blank_in_place_of_the_render(tmp_path, SCAN)

    assert failure_after_a_fresh_reader(tmp_path, blank_the_render) == "no_amount_found"


def test_a_damaged_render_file_is_rendered_again(tmp_path: Path) -> None:
    extract_document(SCAN, cached_config(tmp_path))
    (kept,) = tmp_path.glob("*.render")
    kept.write_bytes(b"not a render")
    for reading in tmp_path.glob("*.ocr"):
        reading.unlink()  # the page is read again, from its render
    assert extract_document(SCAN, cached_config(tmp_path)).value("total_amount") == SCAN_TOTAL
    assert RenderCache(tmp_path).get(document_hash(SCAN), 0, 300) is not None


def test_without_a_cache_directory_nothing_is_kept(tmp_path: Path) -> None:
    plain = dataclasses.replace(cached_config(tmp_path), render_cache_dir=None)
    assert extract_document(SCAN, plain).value("total_amount") == SCAN_TOTAL
    assert list(tmp_path.iterdir()) == []


def test_the_cache_keeps_within_its_bound_dropping_the_least_recently_used(
    tmp_path: Path,
) -> None:
    page = Image.effect_noise((400, 400), 64).convert("L")  # noise: it barely compresses
    page.info["dpi"] = (300.0, 300.0)
    RenderCache(tmp_path / "probe").put("probe", 0, 300, page)
    (probe,) = (tmp_path / "probe").iterdir()
    cache = tmp_path / "cache"
    store = RenderCache(cache, max_bytes=int(3.5 * probe.stat().st_size))  # three pages fit
    for index in range(3):
        store.put("doc", index, 300, page)
        past = time.time() - 100 + index
        os.utime(store.path("doc", index, 300), (past, past))
    assert store.get("doc", 0, 300) is not None  # used again: now the most recent
    store.put("doc", 3, 300, page)
    kept = sorted(p.name for p in cache.iterdir())
    assert "doc-p0-300dpi.render" in kept and "doc-p3-300dpi.render" in kept
    assert "doc-p1-300dpi.render" not in kept
    assert sum(p.stat().st_size for p in cache.iterdir()) <= store.max_bytes
