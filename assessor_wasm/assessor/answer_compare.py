"""Compare two answer sets of one framework: overall, per capability and per practice."""

from __future__ import annotations

from .answers import AnswerSet
from .contracts import (
    CapabilityChange,
    Comparison,
    CoverageChange,
    Direction,
    PracticeChanges,
    StageChange,
    StageRef,
    Trend,
)
from .model import Framework, practice_url
from .score import effective_scores, score

COMPARISON_FORMAT = "maturity-playbook/comparison@1"


def _direction(change: float) -> Trend:
    if change > 0:
        return "improved"
    if change < 0:
        return "regressed"
    return "unchanged"


def _stage_change(earlier: StageRef, current: StageRef) -> StageChange:
    change = current["level"] - earlier["level"]
    return {
        "earlier": earlier,
        "current": current,
        "change": change,
        "direction": _direction(change),
    }


def practice_direction(
    earlier: str | None, current: str | None, before: float | None, after: float | None
) -> Direction:
    """How one practice moved: improved, regressed, changed (same credit) or unchanged.

    `before` and `after` are its effective credits (None: not applicable), so adding evidence to
    a "yes" is an improvement even though the answer stays the same.
    """
    if earlier == current and before == after:
        return "unchanged"
    if before is None or after is None:
        # Leaving or entering "not applicable" changes the denominator, not the credit.
        return "changed"
    direction = _direction(after - before)
    return "changed" if direction == "unchanged" else direction


def compare(framework: Framework, earlier: AnswerSet, current: AnswerSet) -> Comparison:
    """What improved and what regressed between an earlier and the current answer set."""
    before = score(framework, earlier)
    after = score(framework, current)
    capability_of = {p.id: c for c in framework.capabilities for p in c.practices}
    practices: PracticeChanges = {"improved": [], "regressed": [], "changed": []}
    credit_before = effective_scores(framework, earlier).scores
    credit_after = effective_scores(framework, current).scores
    for practice in framework.practices:
        was = earlier.answers.get(practice.id)
        now = current.answers.get(practice.id)
        pid = practice.id
        direction = practice_direction(was, now, credit_before[pid], credit_after[pid])
        if direction == "unchanged":
            continue
        practices[direction].append(
            {
                "practice": practice.id,
                "title": practice.title,
                "capability": capability_of[practice.id].id,
                "earlier": was,
                "current": now,
                "url": practice_url(practice.id),
            }
        )
    capabilities: list[CapabilityChange] = []
    for cap_before, cap_after in zip(before["capabilities"], after["capabilities"], strict=True):
        capabilities.append(
            {
                "id": cap_after["id"],
                "title": cap_after["title"],
                **_stage_change(cap_before["stage"], cap_after["stage"]),
            }
        )
    coverage: list[CoverageChange] = [
        {
            "id": row_after["id"],
            "level": row_after["level"],
            "title": row_after["title"],
            "earlier": row_before["coverage"],
            "current": row_after["coverage"],
            "direction": _direction(row_after["coverage"] - row_before["coverage"]),
        }
        for row_before, row_after in zip(before["stages"], after["stages"], strict=True)
    ]
    return {
        "format": COMPARISON_FORMAT,
        "framework": after["framework"],
        "earlier": {
            "framework_version": earlier.framework_version,
            "saved_at": earlier.saved_at,
            "answered": before["counts"]["answered"],
        },
        "current": {"saved_at": current.saved_at, "answered": after["counts"]["answered"]},
        "overall": _stage_change(before["evidenced_stage"], after["evidenced_stage"]),
        "stages": coverage,
        "capabilities": capabilities,
        "practices": practices,
        "summary": {
            "capabilities_improved": sum(c["direction"] == "improved" for c in capabilities),
            "capabilities_regressed": sum(c["direction"] == "regressed" for c in capabilities),
            "practices_improved": len(practices["improved"]),
            "practices_regressed": len(practices["regressed"]),
            "practices_changed": len(practices["changed"]),
        },
    }
