"""`casapay extract` and `casapay eval`: thin wrappers that print what the engine returns."""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from extract.config import ExtractConfig
from extract.engine import extract_pdf
from extract.evaluate import TARGETS, run
from extract.result import ExtractionFailed


def run_extract(paths: Sequence[str], as_json: bool, use_xml: bool = True) -> int:
    """Print one JSON object (or a short summary) per PDF; exit 1 if any file failed."""
    config = ExtractConfig(reference_date=datetime.date.today(), use_embedded_xml=use_xml)
    status = 0
    for path in paths:
        try:
            data = Path(path).read_bytes()
            result = extract_pdf(data, config)
        except OSError as exc:
            status = 1
            out: dict[str, object] = {
                "file": path,
                "error": {"code": "file_unreadable", "message": str(exc)},
            }
        except ExtractionFailed as exc:
            status = 1
            out = {"file": path, "error": {"code": exc.code, "message": exc.message}}
        else:
            out = {"file": path, **result.to_json()}
        if as_json:
            print(json.dumps(out, ensure_ascii=False, default=str))
        else:
            _print_human(out)
    return status


def _print_human(out: dict[str, object]) -> None:
    print(f"== {out['file']}")
    if "error" in out:
        print(f"   FAILED {out['error']}")
        return
    for key in (
        "document_type",
        "total_amount",
        "currency",
        "due_date",
        "issue_date",
        "reference",
        "tax_amount",
        "vendor",
        "iban",
        "confidence_score",
    ):
        print(f"   {key:17} {out.get(key)}")
    reasons = out.get("reasons")
    if isinstance(reasons, list) and reasons:
        print(f"   reasons           {', '.join(str(r) for r in reasons)}")


def run_eval(directory: str, as_json: bool, use_xml: str = "both", threshold: float = 0.7) -> int:
    """Score the extractor on DIR's truth files; exit 0 when every target is met."""
    from tqdm import tqdm

    modes = {
        "both": (True, False),
        "yes": (True,),
        "no": (False,),
        "true": (True,),
        "false": (False,),
    }.get(str(use_xml).lower(), (True, False))
    root = Path(directory)
    if not root.is_dir():
        print(f"not a directory: {directory}", file=sys.stderr)
        return 2
    reports = run(
        root,
        modes,
        datetime.date.today(),
        progress=lambda jobs: tqdm(list(jobs), file=sys.stderr, unit="pdf", desc="eval"),
    )
    result: dict[str, object] = {"directory": str(root), "threshold": threshold}
    ok = True
    if True in reports:
        result["with_xml"] = reports[True].summary(threshold)
        result["with_xml_on_xml_files"] = reports[True].summary(threshold, only_xml=True)
    if False in reports:
        summary = reports[False].summary(threshold)
        result["without_xml"] = summary
        fields = summary["fields"]
        assert isinstance(fields, dict)
        for name, target in TARGETS.items():
            acc = fields[name]["accuracy"]
            ok = ok and acc is not None and acc >= target
        precision = summary["auto_approve_precision"]
        straight = summary["straight_through"]
        ok = ok and isinstance(precision, float) and precision >= 0.98
        ok = ok and isinstance(straight, float) and straight >= 0.60
    result["targets_met"] = ok
    if as_json:
        print(json.dumps(result, indent=2, default=str))
    else:
        _print_eval(result)
    return 0 if ok else 1


def _print_eval(result: dict[str, object]) -> None:
    for key in ("with_xml", "with_xml_on_xml_files", "without_xml"):
        summary = result.get(key)
        if not isinstance(summary, dict):
            continue
        print(f"\n{key.replace('_', ' ')}  ({summary['documents']} documents)")
        for name, row in summary["fields"].items():
            acc = row["accuracy"]
            pct = f"{acc * 100:5.1f}%" if acc is not None else "   n/a"
            target = TARGETS.get(name)
            tgt = f"  (target {target * 100:.0f}%)" if target and key == "without_xml" else ""
            print(f"  {name:14} {pct}  {row['correct']}/{row['scored']}{tgt}")
        prec = summary["auto_approve_precision"]
        print(
            f"  straight-through        {summary['straight_through']}"
            f"  ({summary['auto_approved']} auto-approved)"
        )
        print(
            f"  auto-approve precision  {prec}"
            f"  (strict, every null due date scored: {summary['auto_approve_precision_strict']})"
        )
        print(
            f"  pages/s text {summary['pages_per_second']['text']}"
            f"  ocr {summary['pages_per_second']['ocr']}"
        )
        if summary["auto_approve_wrong"]:
            print(f"  wrong among auto-approved: {summary['auto_approve_wrong']}")
        if summary["failed"]:
            print(f"  failed: {summary['failed']}")
    print(f"\ntargets met: {result['targets_met']}")
