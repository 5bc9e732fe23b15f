"""Writing the development set: `<name>.pdf` + `<name>.truth.json` per document, reproducibly.

Document i gets its own generator seeded by (seed, i), so any single document can be rebuilt
alone and adding documents never changes the earlier ones.
"""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

from devset import degrade
from devset.families import FAMILIES, HELD_OUT_FAMILIES, RULE_FAMILIES, renderer, split_of
from devset.sample import LANGS, sample_doc

RENDERS = (("text", 62), ("scan", 25), ("photo", 13))
TWO_INVOICES_SHARE = 0.03


@dataclass(frozen=True)
class Built:
    name: str
    pdf: bytes
    truth: dict[str, object]


def _concat(first: bytes, second: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in (first, second):
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build_one(seed: int, index: int, renders: tuple[tuple[str, int], ...] = RENDERS) -> Built:
    """Document `index` of the set made with `seed`."""
    rng = random.Random(f"casapay-devset-{seed}-{index}")
    family = FAMILIES[index % len(FAMILIES)]
    lang = LANGS[(index // len(FAMILIES)) % len(LANGS)]
    doc = sample_doc(rng, lang)
    render = renderer(family)
    pdf = render(doc, rng)
    truth = doc.truth()
    if rng.random() < TWO_INVOICES_SHARE:
        second = sample_doc(rng, lang)
        pdf = _concat(pdf, render(second, rng))
        truth["expect_review"] = "multiple_invoices"
        truth["traps"] = [*truth["traps"], "two_invoices_in_one_pdf"]  # type: ignore[misc]
    elif doc.due_mode == "nodate":
        truth["expect_review"] = "deadline_without_date"
    mode = rng.choices([r for r, _ in renders], weights=[w for _, w in renders])[0]
    meta: dict[str, object] = {}
    if mode == "scan":
        pdf, meta = degrade.noisy_scan(pdf, rng)
    elif mode == "photo":
        pdf, meta = degrade.photo(pdf, rng)
    truth.update({"family": family, "split": split_of(family), "render": mode, "render_meta": meta})
    name = f"{index:04d}_{family}_{lang}_{mode}"
    return Built(name, pdf, truth)


def write_set(out: Path, count: int, seed: int, start: int = 0) -> list[Path]:
    """Build documents start..count-1 into `out` (skipping ones already written)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(start, count):
        built = build_one(seed, index)
        pdf_path = out / f"{built.name}.pdf"
        (out / f"{built.name}.truth.json").write_text(
            json.dumps(built.truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        pdf_path.write_bytes(built.pdf)
        written.append(pdf_path)
    manifest = {
        "seed": seed,
        "count": count,
        "rule_families": list(RULE_FAMILIES),
        "held_out_families": list(HELD_OUT_FAMILIES),
        "renders": dict(RENDERS),
    }
    (out / "devset.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return written
