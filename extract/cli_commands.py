"""`casapay extract` and `casapay eval`: thin wrappers that print what the engine returns."""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from extract.config import ExtractConfig
from extract.engine import extract_pdf
from extract.evaluate import (
    HELD_OUT_PRECISION,
    HELD_OUT_STRAIGHT_THROUGH,
    HELD_OUT_TARGETS,
    TARGETS,
    expected_calibration_error,
    reliability,
    run,
)
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


def run_eval(
    directory: str,
    as_json: bool,
    use_xml: str = "both",
    threshold: float = 0.7,
    calibration: bool = False,
    jobs: int = 1,
) -> int:
    """Score the extractor on DIR's truth files; exit 0 when every target is met.

    A dev set (truths with a `split`) is judged on its held-out families against issue 8's
    targets; any other directory (the corpus) against the original targets.
    """
    from tqdm import tqdm

    modes = {
        "both": (True, False),
        "with": (True,),
        "without": (False,),
    }.get(str(use_xml).lower(), (True, False))
    root = Path(directory)
    if not root.is_dir():
        print(f"not a directory: {directory}", file=sys.stderr)
        return 2
    reports = run(
        root,
        modes,
        datetime.date.today(),
        progress=lambda work: tqdm(list(work), file=sys.stderr, unit="pdf", desc="eval"),
        jobs=jobs,
    )
    result: dict[str, object] = {"directory": str(root), "threshold": threshold}
    ok = True
    if True in reports:
        result["with_xml"] = reports[True].summary(threshold)
        result["with_xml_on_xml_files"] = reports[True].summary(threshold, only_xml=True)
    if False in reports:
        report = reports[False]
        result["without_xml"] = report.summary(threshold)
        splits = report.splits()
        for split in splits:
            result[split] = report.subset(split).summary(threshold)
        judged = report.subset("held_out") if "held_out" in splits else report
        targets = HELD_OUT_TARGETS if "held_out" in splits else TARGETS
        precision_target = HELD_OUT_PRECISION if "held_out" in splits else 0.98
        summary = judged.summary(threshold)
        fields = summary["fields"]
        assert isinstance(fields, dict)
        for name, target in targets.items():
            acc = fields[name]["accuracy"]
            ok = ok and acc is not None and acc >= target
        precision = summary["auto_approve_precision"]
        straight = summary["straight_through"]
        ok = ok and isinstance(precision, float) and precision >= precision_target
        ok = ok and isinstance(straight, float) and straight >= HELD_OUT_STRAIGHT_THROUGH
        result["targets"] = {"fields": targets, "precision": precision_target}
        if calibration:
            result["calibration"] = {
                "on": "held_out" if "held_out" in splits else "all",
                "bins": reliability(judged.docs),
                "expected_calibration_error": expected_calibration_error(judged.docs),
            }
    result["targets_met"] = ok
    if as_json:
        print(json.dumps(result, indent=1, default=str))
    else:
        _print_eval(result)
    return 0 if ok else 1


def _print_eval(result: dict[str, object]) -> None:
    targets = result.get("targets") or {}
    field_targets = targets.get("fields", TARGETS) if isinstance(targets, dict) else TARGETS
    for key in ("with_xml", "with_xml_on_xml_files", "without_xml", "rules", "held_out"):
        summary = result.get(key)
        if not isinstance(summary, dict):
            continue
        title = {"rules": "rule families", "held_out": "HELD-OUT families"}.get(
            key, key.replace("_", " ")
        )
        print(f"\n{title}  ({summary['documents']} documents)")
        judged = key == "held_out" or (key == "without_xml" and "held_out" not in result)
        for name, row in summary["fields"].items():
            acc = row["accuracy"]
            pct = f"{acc * 100:5.1f}%" if acc is not None else "   n/a"
            target = field_targets.get(name)
            tgt = f"  (target {target * 100:.0f}%)" if target and judged else ""
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
        for family, row in summary.get("by_family", {}).items():
            print(
                f"    {family:13} n={row['documents']:<4} total {row['total_amount']}"
                f"  straight-through {row['straight_through']}"
                f"  precision {row['auto_approve_precision']}"
            )
        if summary["auto_approve_wrong"]:
            print(f"  wrong among auto-approved: {summary['auto_approve_wrong']}")
        if summary["failed"]:
            print(f"  failed: {len(summary['failed'])} documents")
    calibration = result.get("calibration")
    if isinstance(calibration, dict):
        print(f"\nreliability ({calibration['on']} documents): confidence bin vs observed accuracy")
        for row in calibration["bins"]:
            if row["documents"]:
                print(
                    f"  {row['bin']}  n={row['documents']:<4} mean confidence "
                    f"{row['mean_confidence']:.3f}  accuracy {row['accuracy']:.3f}"
                )
            else:
                print(f"  {row['bin']}  n=0")
        print(f"  expected calibration error {calibration['expected_calibration_error']}")
    print(f"\ntargets met: {result['targets_met']}")
