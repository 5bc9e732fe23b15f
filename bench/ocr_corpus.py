"""OCR robustness: render every text-layer corpus PDF to an image-only PDF ("scan") and score the
extractor on it against the same truth (embedded XML ignored).

Usage: OMP_THREAD_LIMIT=1 python bench/ocr_corpus.py [DIR] [--dpi 200] [--limit N] [--floor]

--floor also runs bare tesseract (the binary, all six packs, as a BMP with --dpi) on every scan
page in the same run, and prints the median CPU per page of both (one core: this process and
its children).
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
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from extract import ExtractConfig, ExtractionFailed, extract_pdf  # noqa: E402
from extract.config import DEFAULT_LANGUAGES  # noqa: E402
from extract.evaluate import FIELDS, compare, truth_files  # noqa: E402


def to_scan(pdf: bytes, dpi: int) -> bytes:
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    doc = pdfium.PdfDocument(pdf)
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    for page in doc:
        img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        w, h = img.size[0] * 72 / dpi, img.size[1] * 72 / dpi
        c.setPageSize((w, h))
        c.drawImage(ImageReader(img), 0, 0, w, h)
        c.showPage()
    c.save()
    return out.getvalue()


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def bare_tesseract_cpu(scan: bytes, dpi: int) -> list[float]:
    """CPU seconds of the tesseract binary (six packs) on each page image of the scan."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(scan)
    spent = []
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "page.bmp")
        for page in doc:
            page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L").save(path)
            command = ["tesseract", path, "-", "--dpi", str(dpi), "-l", "+".join(DEFAULT_LANGUAGES)]
            before = cpu_seconds()
            subprocess.run(command, capture_output=True, check=True)
            spent.append(cpu_seconds() - before)
    doc.close()
    return spent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "directory", nargs="?", default=str(REPO / ".." / "shared" / "corpus" / "invoices")
    )
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--floor", action="store_true", help="bare tesseract per page, same run")
    args = parser.parse_args()
    config = ExtractConfig(reference_date=datetime.date(2026, 1, 1), use_embedded_xml=False)
    right: dict[str, list[bool]] = {f: [] for f in FIELDS}
    auto = auto_ok = docs = pages = 0
    project_cpu: list[float] = []  # per page, each document's CPU shared among its pages
    floor_cpu: list[float] = []
    language_choices: dict[str, int] = {}
    start = time.perf_counter()
    for pdf, truth_path in truth_files(Path(args.directory)):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth.get("pdf_kind") != "text-layer":
            continue
        if args.limit and docs >= args.limit:
            break
        docs += 1
        blocked = False
        scan = to_scan(pdf.read_bytes(), args.dpi)
        before = cpu_seconds()
        try:
            result = extract_pdf(scan, config)
            got, score, pages = result.to_json(), result.confidence_score, pages + result.pages
            blocked = bool(result.blockers)  # the gate: review whatever the score
            # How each page's language packs were chosen (first_pass, hint, undecided...).
            for reason in result.reasons:
                if ":ocr_languages:" in reason:
                    how = reason.split(":ocr_languages:")[1]
                    language_choices[how] = language_choices.get(how, 0) + 1
            spent = cpu_seconds() - before
            project_cpu.extend([spent / result.pages] * result.pages)
        except ExtractionFailed:
            got, score = {}, 0.0
        if args.floor:
            floor_cpu.extend(bare_tesseract_cpu(scan, args.dpi))
        for name, ok in compare(truth, got).items():
            if ok is not None:
                right[name].append(ok)
        if score >= 0.7 and not blocked:
            auto += 1
            due = truth.get("amount_due")
            want = due if due is not None else truth.get("total_amount")
            auto_ok += int(
                got.get("total_amount") == want and got.get("currency") == truth.get("currency")
            )
        verdict = compare(truth, got)
        wrong = [f"{k}={got.get(k)!r}" for k, ok in verdict.items() if ok is False]
        print(f"{pdf.name[:50]:50} {score:.2f} {' '.join(wrong)}", file=sys.stderr)
    seconds = time.perf_counter() - start
    report = {
        "documents": docs,
        "pages": pages,
        "dpi": args.dpi,
        "accuracy": {f: round(sum(v) / len(v), 4) if v else None for f, v in right.items()},
        "straight_through": round(auto / docs, 4) if docs else None,
        "auto_approved_total_and_currency_right": f"{auto_ok}/{auto}",
        "seconds_per_page": round(seconds / pages, 2) if pages else None,
        "cpu_ms_per_page_median": _median_ms(project_cpu),
        "ocr_languages": dict(sorted(language_choices.items(), key=lambda kv: -kv[1])),
    }
    if args.floor:
        report["bare_tesseract_six_packs_cpu_ms_per_page_median"] = _median_ms(floor_cpu)
    print(json.dumps(report, indent=2))
    return 0


def _median_ms(values: list[float]) -> float | None:
    return round(statistics.median(values) * 1000) if values else None


if __name__ == "__main__":
    sys.exit(main())
