"""Scoring rules v1: stage coverage, gated stages, reality gap, roadmap, risk exposure, warnings."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from typing import Any

from .answers import AnswerSet
from .model import NOT_APPLICABLE, Framework, Practice, Stage, practice_url

RESULT_FORMAT = "maturity-playbook/result@1"
# Coverage is a float sum; this keeps "exactly at the threshold" reached despite rounding.
EPSILON = 1e-9
NA_WARNING_SHARE = 0.25
UNANSWERED_WARNING_SHARE = 0.10


def _stage_ref(stage: Stage | None) -> dict[str, Any] | None:
    if stage is None:
        return None
    return {"id": stage.id, "level": stage.level, "title": stage.title}


def practice_score(framework: Framework, answer: str | None) -> float | None:
    """Credit for one answer: None for not applicable, 0 for missing."""
    if answer == NOT_APPLICABLE:
        return None
    for option in framework.answer_scale:
        if option.id == answer:
            return option.score
    return 0.0


def stage_table(
    framework: Framework, practices: Iterable[Practice], scores: Mapping[str, float | None]
) -> list[dict[str, Any]]:
    """Coverage and reached flag for every stage, over the given practices."""
    by_stage: dict[str, list[Practice]] = {s.id: [] for s in framework.stages}
    for p in practices:
        by_stage[p.stage].append(p)
    rows = []
    below_reached = True
    for stage in framework.stages:
        members = by_stage[stage.id]
        applicable = [p for p in members if scores[p.id] is not None]
        total_weight = sum(p.weight for p in applicable)
        earned = sum(p.weight * (scores[p.id] or 0.0) for p in applicable)
        coverage = earned / total_weight if total_weight > 0 else 1.0
        reached = below_reached and (
            stage.level == 0 or coverage >= framework.stage_threshold - EPSILON
        )
        below_reached = reached
        rows.append(
            {
                "id": stage.id,
                "level": stage.level,
                "title": stage.title,
                "coverage": round(coverage, 4),
                "reached": reached,
                "practices": len(members),
                "applicable": len(applicable),
            }
        )
    return rows


def highest_reached(framework: Framework, rows: list[dict[str, Any]]) -> Stage:
    """The evidenced stage: the highest stage whose row is reached."""
    reached = [s for s, row in zip(framework.stages, rows, strict=True) if row["reached"]]
    return reached[-1]


def roadmap(
    framework: Framework,
    answers: Mapping[str, str],
    scores: Mapping[str, float | None],
) -> list[dict[str, Any]]:
    """Open practices by stage, then dependencies first, then weight (high first), then id."""
    capability_of = {p.id: c for c in framework.capabilities for p in c.practices}
    level = {s.id: s.level for s in framework.stages}
    open_practices = [p for p in framework.practices if (s := scores[p.id]) is not None and s < 1]
    entries: list[dict[str, Any]] = []
    for stage in framework.stages:
        members = {p.id: p for p in open_practices if p.stage == stage.id}
        # Kahn's algorithm with a priority queue: dependencies first, then weight, then id.
        waiting = {pid: {d for d in p.depends_on if d in members} for pid, p in members.items()}
        dependants: dict[str, list[str]] = {pid: [] for pid in members}
        for pid, deps in waiting.items():
            for dep in deps:
                dependants[dep].append(pid)
        ready = [(-members[pid].weight, pid) for pid, deps in waiting.items() if not deps]
        heapq.heapify(ready)
        while ready:
            _, pid = heapq.heappop(ready)
            p = members[pid]
            entries.append(
                {
                    "practice": p.id,
                    "title": p.title,
                    "capability": capability_of[p.id].id,
                    "stage": p.stage,
                    "stage_level": level[p.stage],
                    "weight": p.weight,
                    "answer": answers.get(p.id),
                    "score": scores[p.id],
                    "url": practice_url(p.id),
                }
            )
            for nxt in dependants[pid]:
                waiting[nxt].discard(pid)
                if not waiting[nxt]:
                    heapq.heappush(ready, (-members[nxt].weight, nxt))
    return entries


def risk_exposure(
    framework: Framework, evidenced: Stage, scores: Mapping[str, float | None]
) -> list[dict[str, Any]]:
    """Per risk: weighted share of applicable practices up to the next stage not fully in place."""
    top = framework.stages[-1].level
    horizon = min(evidenced.level + 1, top)
    level = {s.id: s.level for s in framework.stages}
    rows = []
    for risk in framework.risks:
        considered = [
            p
            for p in framework.practices
            if risk.id in p.risks and level[p.stage] <= horizon and scores[p.id] is not None
        ]
        total = sum(p.weight for p in considered)
        gaps = [p for p in considered if (scores[p.id] or 0.0) < 1]
        exposure = sum(p.weight for p in gaps) / total if total > 0 else 0.0
        rows.append(
            {
                "id": risk.id,
                "title": risk.title,
                "exposure": round(exposure, 4),
                "open_practices": [p.id for p in gaps],
            }
        )
    return rows


def gap_statement(self_estimate: Stage | None, evidenced: Stage, gap: int | None) -> str:
    """The reality gap in one plain sentence."""
    supports = f"your evidence supports stage {evidenced.level} ({evidenced.title})"
    if self_estimate is None or gap is None:
        return (
            f"No self-estimate given: {supports}. Say which stage you believe your team is at "
            f"to see the reality gap."
        )
    believe = f"You believe stage {self_estimate.level} ({self_estimate.title})"
    if gap > 0:
        plural = "stage" if gap == 1 else "stages"
        return f"{believe}; {supports}: you overestimate by {gap} {plural}."
    if gap < 0:
        plural = "stage" if -gap == 1 else "stages"
        return f"{believe}; {supports}: you underestimate by {-gap} {plural}."
    return f"{believe}; {supports}: your estimate matches your evidence."


def score(fw: Framework, answer_set: AnswerSet) -> dict[str, Any]:
    """Score an answer set against a framework. Returns plain data (the result contract)."""
    known = {p.id for p in fw.practices}
    given = {pid: a for pid, a in answer_set.answers.items() if pid in known}
    scores = {p.id: practice_score(fw, given.get(p.id)) for p in fw.practices}
    rows = stage_table(fw, fw.practices, scores)
    evidenced = highest_reached(fw, rows)
    stages_by_id = {s.id: s for s in fw.stages}
    estimate = stages_by_id.get(answer_set.self_estimate or "")
    gap = estimate.level - evidenced.level if estimate is not None else None
    capabilities = []
    for cap in fw.capabilities:
        cap_rows = stage_table(fw, cap.practices, scores)
        cap_stage = highest_reached(fw, cap_rows)
        capabilities.append(
            {
                "id": cap.id,
                "title": cap.title,
                "stage": _stage_ref(cap_stage),
                "stages": [
                    {"id": r["id"], "coverage": r["coverage"], "reached": r["reached"],
                     "applicable": r["applicable"]}
                    for r in cap_rows
                ],
            }
        )  # fmt: skip
    total = len(fw.practices)
    na = sum(1 for p in fw.practices if given.get(p.id) == NOT_APPLICABLE)
    unanswered = [p.id for p in fw.practices if p.id not in given]
    warnings = []
    if total and na / total > NA_WARNING_SHARE:
        warnings.append(
            {
                "code": "many-not-applicable",
                "message": f"{na} of {total} practices ({na / total:.0%}) are marked not "
                f"applicable: check that each really does not apply to your team.",
            }
        )
    if total and len(unanswered) / total > UNANSWERED_WARNING_SHARE:
        warnings.append(
            {
                "code": "many-unanswered",
                "message": f"{len(unanswered)} of {total} practices "
                f"({len(unanswered) / total:.0%}) are unanswered and count as 'no'.",
            }
        )
    unknown = {pid: a for pid, a in answer_set.answers.items() if pid not in known}
    if unknown:
        warnings.append(
            {
                "code": "unknown-practices",
                "message": f"{len(unknown)} answer(s) name practices this framework does not "
                f"have: {', '.join(sorted(unknown))}. They are kept but not scored.",
            }
        )
    return {
        "format": RESULT_FORMAT,
        "framework": {"id": fw.id, "version": fw.version, "title": fw.title},
        "evidenced_stage": _stage_ref(evidenced),
        "self_estimate": _stage_ref(estimate),
        "reality_gap": gap,
        "gap_statement": gap_statement(estimate, evidenced, gap),
        "stages": rows,
        "capabilities": capabilities,
        "roadmap": roadmap(fw, given, scores),
        "risks": risk_exposure(fw, evidenced, scores),
        "counts": {
            "practices": total,
            "answered": total - len(unanswered),
            "unanswered": len(unanswered),
            "not_applicable": na,
        },
        "unanswered": unanswered,
        "unknown_answers": dict(sorted(unknown.items())),
        "migrated": dict(answer_set.migrated),
        "warnings": warnings,
    }
