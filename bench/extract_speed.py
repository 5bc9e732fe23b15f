"""Extraction speed and memory: medians of several runs on one core.

Usage: OMP_THREAD_LIMIT=1 python bench/extract_speed.py [--runs N] [--skip-memory]
Targets (issue 4): 1-page text PDF <= 150 ms; OCR page <= 3 s at 300 dpi; peak memory
<= 500 MB for a 20-page scan (measured in a fresh child process, tesseract included).
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extract import ExtractConfig, extract_pdf  # noqa: E402

FIXTURES = REPO / "fixtures" / "pdfs"
CONFIG = ExtractConfig(reference_date=datetime.date(2025, 6, 1))


def timed(data: bytes, runs: int) -> list[float]:
    extract_pdf(data, CONFIG)  # warm-up: lazy imports, spaCy rules, dateparser languages
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        extract_pdf(data, CONFIG)
        out.append(time.perf_counter() - start)
    return out


def twenty_page_scan() -> bytes:
    from pypdf import PdfReader, PdfWriter

    page = PdfReader(FIXTURES / "scan_de_rent_prepayment.pdf").pages[0]
    writer = PdfWriter()
    for _ in range(20):
        writer.add_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def memory_child() -> None:
    """Runs in a fresh process: extract the 20-page scan, print peak RSS figures (MB)."""
    data = twenty_page_scan()
    start = time.perf_counter()
    result = extract_pdf(data, CONFIG)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "pages": result.pages,
                "ocr_pages": result.ocr_pages,
                "seconds": round(seconds, 2),
                "python_peak_mb": round(own, 1),
                "tesseract_peak_mb": round(children, 1),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child()
        return 0
    text_file = FIXTURES / "text_de_rent_prepayment.pdf"
    ocr_file = FIXTURES / "scan_es_invoice.pdf"
    text_times = timed(text_file.read_bytes(), args.runs)
    ocr_times = timed(ocr_file.read_bytes(), max(3, args.runs // 3))
    report: dict[str, object] = {
        "omp_thread_limit": os.environ.get("OMP_THREAD_LIMIT"),
        "text_1page_median_ms": round(statistics.median(text_times) * 1000, 1),
        "text_1page_runs_ms": [round(t * 1000, 1) for t in text_times],
        "ocr_1page_median_s": round(statistics.median(ocr_times), 2),
        "ocr_1page_runs_s": [round(t, 2) for t in ocr_times],
    }
    corpus = (
        REPO
        / ".."
        / "shared"
        / "corpus"
        / "invoices"
        / "fnfe-facturx-fr-examples"
        / "Facture_F20260025-LE_FOURNISSEUR-POUR-LE_CLIENT_EN_16931.pdf"
    )
    if corpus.exists():  # a busy real 1-page invoice, embedded XML ignored
        no_xml = ExtractConfig(reference_date=CONFIG.reference_date, use_embedded_xml=False)
        extract_pdf(corpus.read_bytes(), no_xml)
        real = []
        for _ in range(args.runs):
            start = time.perf_counter()
            extract_pdf(corpus.read_bytes(), no_xml)
            real.append(time.perf_counter() - start)
        report["text_1page_real_invoice_median_ms"] = round(statistics.median(real) * 1000, 1)
    if not args.skip_memory:
        child = subprocess.run(
            [sys.executable, __file__, "--memory-child"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
        report["scan_20_pages"] = json.loads(child.stdout.strip().splitlines()[-1])
    print(json.dumps(report, indent=2))
    ok = (
        max(
            report["text_1page_median_ms"],  # type: ignore[type-var]
            report.get("text_1page_real_invoice_median_ms", 0),
        )
        <= 150
        and report["ocr_1page_median_s"] <= 3.0
    )  # type: ignore[operator]
    if "scan_20_pages" in report:
        mem = report["scan_20_pages"]
        assert isinstance(mem, dict)
        ok = ok and max(mem["python_peak_mb"], mem["tesseract_peak_mb"]) <= 500
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
