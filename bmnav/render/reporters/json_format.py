"""A stable JSON shape (documented in docs/validate.md)."""

from __future__ import annotations

import json

from bmnav.checking.problems import Report

SHAPE_VERSION = 1


def as_dict(report: Report, strict: bool = False) -> dict[str, object]:
    problems = report.sorted()
    return {
        "version": SHAPE_VERSION,
        "ok": report.ok(strict=strict),
        "strict": strict,
        "exit_code": report.exit_code(strict=strict),
        "summary": {"files": len(report.files), "errors": report.errors, "warnings": report.warnings},
        "files": [
            {
                "path": path,
                "ok": not any(p.level.value == "error" or strict for p in probs),
                "problems": [p.as_dict() for p in probs],
            }
            for path, probs in report.by_file()
        ],
        "problems": [p.as_dict() for p in problems],
    }


def render(report: Report, strict: bool = False) -> str:
    return json.dumps(as_dict(report, strict), indent=2, ensure_ascii=False) + "\n"
