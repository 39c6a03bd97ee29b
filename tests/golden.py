"""Compare a scoring result with a golden case's hand-worked expectations (stdlib only: it also
runs inside Pyodide)."""

from __future__ import annotations

from typing import Any


def _stage_id(ref: Any) -> Any:
    return ref["id"] if isinstance(ref, dict) else ref


def _next_stage(ref: Any) -> Any:
    if ref is None:
        return None
    return {
        "id": ref["id"],
        "coverage": ref["coverage"],
        "required_open": ref["required_open"],
        "reachable_by": ref["reachable_by"],
    }


def actual_view(result: dict[str, Any], expect: dict[str, Any]) -> dict[str, Any]:
    """The parts of a result that an expectation names, in the expectation's shape."""
    views = {
        "evidenced_stage": lambda: _stage_id(result["evidenced_stage"]),
        "reality_gap": lambda: result["reality_gap"],
        "gap_statement": lambda: result["gap_statement"],
        "coverage": lambda: {s["id"]: s["coverage"] for s in result["stages"]},
        "reached": lambda: [s["id"] for s in result["stages"] if s["reached"]],
        "capability_stages": lambda: {c["id"]: c["stage"]["id"] for c in result["capabilities"]},
        "roadmap": lambda: [e["practice"] for e in result["roadmap"]],
        "roadmap_answers": lambda: [e["answer"] for e in result["roadmap"]],
        "risks": lambda: {r["id"]: r["exposure"] for r in result["risks"]},
        "warnings": lambda: [w["code"] for w in result["warnings"]],
        "counts": lambda: result["counts"],
        "unknown_answers": lambda: result["unknown_answers"],
        "migrated": lambda: result["migrated"],
        "next_stage": lambda: _next_stage(result["next_stage"]),
        "unevidenced": lambda: result["unevidenced"],
        "not_applicable_refused": lambda: result["not_applicable_refused"],
    }
    unknown = set(expect) - set(views)
    if unknown:
        raise KeyError(f"golden case names unknown expectation(s): {sorted(unknown)}")
    return {key: views[key]() for key in expect}


def mismatches(result: dict[str, Any], expect: dict[str, Any]) -> list[str]:
    """One line per expectation the result does not meet."""
    actual = actual_view(result, expect)
    return [
        f"{key}: expected {expect[key]!r}, got {actual[key]!r}"
        for key in expect
        if actual[key] != expect[key]
    ]


def mismatches_json(result_json: str, expect_json: str) -> str:
    """`mismatches` across a JSON boundary (the Node runner passes plain JSON text)."""
    import json

    return json.dumps(mismatches(json.loads(result_json), json.loads(expect_json)))
