"""Extraction speed and memory, each figure next to its floor measured in the same run.

Usage: OMP_THREAD_LIMIT=1 python bench/extract_speed.py [--runs N] [--skip-memory]

- text page: the whole engine (`extract_document`, embedded XML ignored) against bare pypdfium2
  reading every character with its box; typical (a fixture) and dense (a busy real invoice);
- OCR page: the engine on the generated scans (one per language) against bare tesseract on the
  same 300 dpi render as a BMP: the binary with all six packs (what every page was read with
  before the language was decided first) and with the page's one pack, and the engine loaded
  once with six packs (tesserocr); medians per page, then over the pages;
- photo page: the engine on a phone photo (perspective, shadow) against bare tesseract on the
  photo as it is;
- 20-page scan: peak memory of a fresh process (Python) and of its tesseract.
Targets (issues 8, 13): text <= 4x its floor, OCR page <= 1 s, photo page <= 3 s (medians of
CPU time, i.e. one quiet core; wall time is printed beside it).
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
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.report import row  # noqa: E402
from extract import ExtractConfig, extract_document  # noqa: E402
from extract.config import DEFAULT_LANGUAGES  # noqa: E402

FIXTURES = REPO / "fixtures" / "pdfs"
DENSE = (
    REPO
    / ".."
    / "shared"
    / "corpus"
    / "invoices"
    / "fnfe-facturx-fr-examples"
    / "Facture_F20260025-LE_FOURNISSEUR-POUR-LE_CLIENT_EN_16931.pdf"
)
CONFIG = ExtractConfig(reference_date=datetime.date(2025, 6, 1), use_embedded_xml=False)


def median_ms(fn: Callable[[], object], runs: int) -> dict[str, float]:
    """Median wall time and median CPU time (this process and its children) in ms.

    CPU time is what the work costs one quiet core; wall time on a shared machine also counts
    the other processes' turns.
    """
    fn()  # warm-up: lazy imports, spaCy rules, dateparser languages, loaded OCR engine
    walls, cpus = [], []
    for _ in range(runs):
        cpu = _cpu()
        start = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return {
        "wall": round(statistics.median(walls) * 1000, 1),
        "cpu": round(statistics.median(cpus) * 1000, 1),
    }


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def pdfium_floor(data: bytes) -> None:
    """Every character of every page with its box, the plainest way pypdfium2 offers."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    for page in pdf:
        textpage = page.get_textpage()
        textpage.get_text_bounded()
        for i in range(textpage.count_chars()):
            textpage.get_charbox(i)
    pdf.close()


def render(data: bytes, dpi: int = 300) -> object:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    image = pdf[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    pdf.close()
    return image


def bare_tesseract(
    image: object, languages: tuple[str, ...] = DEFAULT_LANGUAGES
) -> Callable[[], object]:
    """The tesseract binary on a BMP of the page, --dpi 300 (the measured settings), with the
    packs given: all six (what every page cost before the language was decided first) or one."""
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "page.bmp")
    image.save(path)  # type: ignore[attr-defined]
    command = ["tesseract", path, "-", "--dpi", "300", "-l", "+".join(languages)]
    return lambda: subprocess.run(command, capture_output=True, check=True)


def loaded_tesseract(image: object) -> Callable[[], object]:
    from extract.tesseract import recognise

    return lambda: recognise(image, DEFAULT_LANGUAGES, 300)


def text_figures(runs: int) -> dict[str, object]:
    out: dict[str, object] = {}
    pages = {"typical": FIXTURES / "text_de_rent_prepayment.pdf"}
    if DENSE.exists():
        pages["dense"] = DENSE
    for name, path in pages.items():
        data = path.read_bytes()
        project = median_ms(lambda d=data: extract_document(d, CONFIG), runs)
        floor = median_ms(lambda d=data: pdfium_floor(d), runs)
        out[f"text_{name}_ms"] = {
            "project": project,
            "pypdfium2_floor": floor,
            "ratio_cpu": round(project["cpu"] / max(floor["cpu"], 0.1), 1),
            "ratio_wall": round(project["wall"] / max(floor["wall"], 0.1), 1),
        }
    return out


SCANS = (  # the generated scans, one per language: the OCR page figure is their median
    "scan_de_rent_prepayment",
    "scan_en_us_terms_within",
    "scan_es_invoice",
    "scan_fr_ambiguous_dates_deposit",
    "scan_it_invoice_deposit",
    "scan_nl_credit_note",
)


def ocr_figures(runs: int) -> dict[str, object]:
    """Per scan page: the engine, bare tesseract with six packs and with the page's one pack,
    and the engine loaded once with six packs; each the median of `runs`; then the median
    over the pages (one per language)."""
    per_page: dict[str, list[dict[str, float]]] = {
        "project": [],
        "bare_tesseract_binary": [],
        "bare_tesseract_binary_one_pack": [],
        "tesseract_engine_loaded_once": [],
    }
    languages: dict[str, str] = {}
    for name in SCANS:
        scan = (FIXTURES / f"{name}.pdf").read_bytes()
        image = render(scan)
        result = extract_document(scan, CONFIG)
        # "page1:ocr_languages:<packs read>:<how>[:<language found>]"
        chosen = next(r for r in result.reasons if ":ocr_languages:" in r).split(":")[-1]
        languages[name] = chosen
        one_pack = (chosen.split("+")[0],)
        per_page["project"].append(median_ms(partial(extract_document, scan, CONFIG), runs))
        per_page["bare_tesseract_binary"].append(median_ms(bare_tesseract(image), runs))
        per_page["bare_tesseract_binary_one_pack"].append(
            median_ms(bare_tesseract(image, one_pack), runs)
        )
        per_page["tesseract_engine_loaded_once"].append(median_ms(loaded_tesseract(image), runs))
    figures: dict[str, object] = {
        key: {
            "wall": round(statistics.median(f["wall"] for f in values), 1),
            "cpu": round(statistics.median(f["cpu"] for f in values), 1),
        }
        for key, values in per_page.items()
    }
    # A three-page scan of each: the first page is read with every pack and finds the language,
    # the next two are read with that pack alone (per page, median over the languages).
    from tests.pdfs import scanned_pdf

    per_page_of_three = []
    for name in SCANS:
        three = scanned_pdf((FIXTURES / f"{name}.pdf").read_bytes(), pages=3, dpi=300)
        spent = median_ms(partial(extract_document, three, CONFIG), runs)
        per_page_of_three.append({k: v / 3 for k, v in spent.items()})
    figures["project_three_page_scan_per_page"] = {
        key: round(statistics.median(f[key] for f in per_page_of_three), 1)
        for key in ("wall", "cpu")
    }
    figures["pages"] = len(SCANS)
    figures["languages_read"] = languages
    figures["project_cpu_per_page"] = [f["cpu"] for f in per_page["project"]]
    return {"ocr_page_ms": figures}


def photo_figures(runs: int) -> dict[str, object]:
    from tests.pdfs import invoice_pdf
    from tests.photos import encode, photo_of

    picture = photo_of(invoice_pdf())
    data = encode(picture, "JPEG", quality=85)
    result = extract_document(data, CONFIG)
    return {
        "photo_page_ms": {
            "project": median_ms(lambda: extract_document(data, CONFIG), runs),
            "bare_tesseract_binary_on_the_photo": median_ms(
                bare_tesseract(picture.convert("L")), runs
            ),
            "total_read": result.value("total_amount"),
        }
    }


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
    result = extract_document(data, CONFIG)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = {
        "pages": result.pages,
        "ocr_pages": result.ocr_pages,
        "seconds": round(seconds, 2),
        "python_peak_mb": round(own, 1),  # tesseract runs in this process (tesserocr)
        "subprocess_peak_mb": round(children, 1),
    }
    print(json.dumps(report))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child()
        return 0
    slow_runs = max(3, args.runs // 3)
    report: dict[str, object] = {"omp_thread_limit": os.environ.get("OMP_THREAD_LIMIT")}
    report.update(text_figures(args.runs))
    report.update(ocr_figures(slow_runs))
    report.update(photo_figures(slow_runs))
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
    ratios = [v["ratio_cpu"] for k, v in report.items() if k.startswith("text_")]  # type: ignore[index]
    ok = (
        all(r <= 4 for r in ratios)
        and report["ocr_page_ms"]["project"]["cpu"] <= 1000  # type: ignore[index]
        and report["photo_page_ms"]["project"]["cpu"] <= 3000  # type: ignore[index]
    )
    table_rows(report)
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


def table_rows(report: dict[str, Any]) -> None:
    """The combined bench table's rows (make bench): CPU medians, wall time beside."""

    def ms(figure: dict[str, float]) -> str:
        return f"{figure['cpu']:.0f} ms CPU ({figure['wall']:.0f} wall)"

    for key, text in report.items():
        if key.startswith("text_"):
            name = key.removeprefix("text_").removesuffix("_ms")
            row(
                f"text page, {name} (median)",
                ms(text["project"]),
                ms(text["pypdfium2_floor"]) + " pypdfium2",
                text["ratio_cpu"],
                "≤ 4× floor",
                text["ratio_cpu"] <= 4,
            )
    for key, label, floor_key, floor_name, limit in (
        (
            "ocr_page_ms",
            "OCR page, 300 dpi (median of 6 languages)",
            "bare_tesseract_binary",
            " bare tesseract, 6 packs",
            1000,
        ),
        (
            "ocr_page_ms",
            "OCR page, 300 dpi (median of 6 languages)",
            "bare_tesseract_binary_one_pack",
            " bare tesseract, the page's 1 pack",
            1000,
        ),
        (
            "ocr_page_ms",
            "OCR page of a 3-page scan, 300 dpi (median of 6 languages)",
            "bare_tesseract_binary",
            " bare tesseract, 6 packs",
            1000,
        ),
        (
            "photo_page_ms",
            "photo page (median)",
            "bare_tesseract_binary_on_the_photo",
            " bare tesseract",
            3000,
        ),
    ):
        project, floor = report[key]["project"], report[key][floor_key]
        if "3-page" in label:
            project = report[key]["project_three_page_scan_per_page"]
        row(
            label,
            ms(project),
            ms(floor) + floor_name,
            project["cpu"] / max(floor["cpu"], 0.1),
            f"≤ {limit / 1000:.0f} s",
            project["cpu"] <= limit,
        )


if __name__ == "__main__":
    sys.exit(main())
