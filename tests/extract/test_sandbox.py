"""The sandbox's hard limits (wall clock, CPU time, address space) end a document, not a worker."""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Iterator

import pytest
from extract_testkit import FIXTURES

from extract import ExtractConfig, ExtractionFailed
from extract.limits import ReadLimits
from extract.sandbox import Sandbox, SandboxLimits
from tests import poison_pdfs

CONFIG = ExtractConfig(reference_date=datetime.date(2025, 6, 1))


@pytest.fixture
def make_sandbox() -> Iterator[type[Sandbox]]:
    made: list[Sandbox] = []

    def build(limits: SandboxLimits) -> Sandbox:
        made.append(Sandbox(limits))
        return made[-1]

    yield build  # type: ignore[misc]
    for sandbox in made:
        sandbox.close()


def children(sandbox: Sandbox) -> list[int]:
    return [child.proc.pid for child in sandbox._children]


def test_a_document_reads_the_same_in_the_sandbox_and_in_process(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    from extract import extract_document

    sandbox = make_sandbox(SandboxLimits(processes=1))
    data = (FIXTURES / "text_nl_invoice.pdf").read_bytes()
    first = sandbox.extract(data, CONFIG)
    (pid,) = children(sandbox)
    assert first.to_json() == extract_document(data, CONFIG).to_json()
    assert sandbox.extract(data, CONFIG).to_json() == first.to_json()
    assert children(sandbox) == [pid]  # the warm child is reused


def test_failures_cross_the_process_boundary_with_their_code(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sandbox = make_sandbox(SandboxLimits(processes=1))
    with pytest.raises(ExtractionFailed) as info:
        sandbox.extract(b"hello world", CONFIG)
    assert info.value.code == "pdf_unreadable"
    assert sandbox.extract((FIXTURES / "text_nl_invoice.pdf").read_bytes(), CONFIG).pages == 1


def test_wall_clock_kill_ends_the_child_and_its_tesseract(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sandbox = make_sandbox(SandboxLimits(processes=1, wall_seconds=0.2))
    with pytest.raises(ExtractionFailed):
        sandbox.extract(b"not a pdf", CONFIG)  # starts the warm child
    (pid,) = children(sandbox)
    with pytest.raises(ExtractionFailed) as info:
        sandbox.extract((FIXTURES / "scan_es_invoice.pdf").read_bytes(), CONFIG)
    assert info.value.code == "pdf_too_complex"
    assert children(sandbox) == []
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)  # nothing of its process group (tesseract included) is left


def test_cpu_limit_is_a_permanent_failure(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sandbox = make_sandbox(SandboxLimits(processes=1, cpu_seconds=1))
    scan = poison_pdfs_scan(8)
    with pytest.raises(ExtractionFailed) as info:
        sandbox.extract(scan, CONFIG)
    assert info.value.code == "pdf_too_complex"


def poison_pdfs_scan(pages: int) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    page = PdfReader(FIXTURES / "scan_de_rent_prepayment.pdf").pages[0]
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_address_space_limit_is_the_backstop_when_a_check_lets_a_document_through(
    make_sandbox,  # type: ignore[no-untyped-def]
) -> None:
    sandbox = make_sandbox(SandboxLimits(processes=1, memory_bytes=900 * 2**20))
    # Checks off: the 144,000 pt page is rendered at 300 dpi (3.6 GB) unless the rlimit stops it.
    off = ReadLimits(max_page_pixels=10**12, max_page_points=10**7, max_total_pixels=10**13)
    lax = dataclasses.replace(CONFIG, limits=off)
    with pytest.raises(ExtractionFailed) as info:
        sandbox.extract(poison_pdfs.huge_user_unit_page(), lax)
    assert info.value.code == "pdf_too_large"
