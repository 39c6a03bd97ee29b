"""Scoring rules v2: stages gated by must-haves, honest N/A, evidence, blockers, roadmap, risks."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .answers import AnswerSet
from .contracts import (
    CapabilityRow,
    NextStage,
    Result,
    RiskRow,
    RoadmapEntry,
    StageRef,
    StageRow,
    Warning,
)
from .model import NOT_APPLICABLE, Framework, Practice, Stage, practice_url

RESULT_FORMAT = "maturity-playbook/result@2"
# Coverage is a float sum; this keeps "exactly at the threshold" reached despite rounding.
EPSILON = 1e-9
NA_WARNING_SHARE = 0.25
UNANSWERED_WARNING_SHARE = 0.10


@dataclass(frozen=True)
class Scored:
    """Each practice's effective credit, and why it differs from its answer."""

    scores: dict[str, float | None]  # None: not applicable (out of every denominator)
    unevidenced: list[str]  # top answers without evidence, scored one option lower
    refused_na: list[str]  # "na" where it is not accepted: kept, scored 0
    na_without_reason: list[str]  # accepted "na" with neither a note nor evidence


def _stage_ref(stage: Stage) -> StageRef:
    return {"id": stage.id, "level": stage.level, "title": stage.title}


def option_score(framework: Framework, practice: Practice, answer: str | None) -> float:
    """Credit of an answer on the practice's own scale (0 for missing or unknown)."""
    for option in framework.scale_of(practice):
        if option.id == answer:
            return option.score
    return 0.0


def _one_lower(framework: Framework, practice: Practice, credit: float) -> float:
    """The score of the option just below `credit` on the practice's scale."""
    lower = [o.score for o in framework.scale_of(practice) if o.score < credit]
    return max(lower) if lower else 0.0


def effective_scores(framework: Framework, answer_set: AnswerSet) -> Scored:
    """Every practice's credit under the v2 rules (N/A policy, evidence rule)."""
    scores: dict[str, float | None] = {}
    unevidenced: list[str] = []
    refused: list[str] = []
    no_reason: list[str] = []
    for practice in framework.practices:
        answer = answer_set.answers.get(practice.id)
        if answer == NOT_APPLICABLE:
            if framework.accepts_not_applicable(practice):
                scores[practice.id] = None
                if not answer_set.notes.get(
                    practice.id, ""
                ).strip() and not answer_set.has_evidence(practice.id):
                    no_reason.append(practice.id)
            else:
                scores[practice.id] = 0.0
                refused.append(practice.id)
            continue
        credit = option_score(framework, practice, answer)
        if credit >= 1 and framework.evidence_required and not answer_set.has_evidence(practice.id):
            credit = _one_lower(framework, practice, credit)
            unevidenced.append(practice.id)
        scores[practice.id] = credit
    return Scored(scores, unevidenced, refused, no_reason)


def stage_table(
    framework: Framework, practices: Iterable[Practice], scores: Mapping[str, float | None]
) -> list[StageRow]:
    """Coverage, open must-haves and the reached flag of every stage, over the given practices."""
    by_stage: dict[str, list[Practice]] = {s.id: [] for s in framework.stages}
    for p in practices:
        by_stage[p.stage].append(p)
    rows: list[StageRow] = []
    below_reached = True
    for stage in framework.stages:
        members = by_stage[stage.id]
        applicable = [p for p in members if scores[p.id] is not None]
        total_weight = sum(p.weight for p in applicable)
        earned = sum(p.weight * (scores[p.id] or 0.0) for p in applicable)
        coverage = earned / total_weight if total_weight > 0 else 1.0
        required_open = [p.id for p in members if p.required and (scores[p.id] or 0.0) < 1]
        reached = below_reached and (
            stage.level == 0
            or (coverage >= framework.stage_threshold - EPSILON and not required_open)
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
                "required_open": required_open,
            }
        )
    return rows


def highest_reached(framework: Framework, rows: list[StageRow]) -> Stage:
    """The evidenced stage: the highest stage whose row is reached."""
    reached = [s for s, row in zip(framework.stages, rows, strict=True) if row["reached"]]
    return reached[-1]


def roadmap(
    framework: Framework,
    answers: Mapping[str, str],
    scores: Mapping[str, float | None],
    unevidenced: Iterable[str] = (),
) -> list[RoadmapEntry]:
    """Open practices by stage, then dependencies first, then must-haves (and what they need),
    weight, id."""
    capability_of = {p.id: c for c in framework.capabilities for p in c.practices}
    level = {s.id: s.level for s in framework.stages}
    lacking = set(unevidenced)
    open_practices = [p for p in framework.practices if (s := scores[p.id]) is not None and s < 1]
    entries: list[RoadmapEntry] = []
    for stage in framework.stages:
        members = {p.id: p for p in open_practices if p.stage == stage.id}

        urgent = _required_with_dependencies(members)
        rank = {pid: (pid not in urgent, -p.weight, pid) for pid, p in members.items()}

        # Kahn's algorithm with a priority queue: dependencies first, then the rank above.
        waiting = {pid: {d for d in p.depends_on if d in members} for pid, p in members.items()}
        dependants: dict[str, list[str]] = {pid: [] for pid in members}
        for pid, deps in waiting.items():
            for dep in deps:
                dependants[dep].append(pid)
        ready = [rank[pid] for pid, deps in waiting.items() if not deps]
        heapq.heapify(ready)
        while ready:
            pid = heapq.heappop(ready)[2]
            p = members[pid]
            entries.append(
                {
                    "practice": p.id,
                    "title": p.title,
                    "capability": capability_of[p.id].id,
                    "stage": p.stage,
                    "stage_level": level[p.stage],
                    "weight": p.weight,
                    "required": p.required,
                    "answer": answers.get(p.id),
                    "score": scores[p.id],
                    "unevidenced": p.id in lacking,
                    "url": practice_url(p.id),
                }
            )
            for nxt in dependants[pid]:
                waiting[nxt].discard(pid)
                if not waiting[nxt]:
                    heapq.heappush(ready, rank[nxt])
    return entries


def _required_with_dependencies(members: Mapping[str, Practice]) -> set[str]:
    """The open must-haves of a stage and, transitively, the open practices they depend on.

    They come first in the stage's part of the roadmap, so a must-have is never queued behind
    optional work that it does not need.
    """
    urgent: set[str] = set()
    todo = [pid for pid, p in members.items() if p.required]
    while todo:
        pid = todo.pop()
        if pid not in urgent:
            urgent.add(pid)
            todo.extend(d for d in members[pid].depends_on if d in members)
    return urgent


def next_stage(
    framework: Framework,
    evidenced: Stage,
    rows: list[StageRow],
    entries: list[RoadmapEntry],
    scores: Mapping[str, float | None],
) -> NextStage | None:
    """What blocks the stage above the evidenced one: open must-haves and the shortest list."""
    index = framework.stages.index(evidenced) + 1
    if index >= len(framework.stages):
        return None
    stage, row = framework.stages[index], rows[index]
    weight = {p.id: p.weight for p in framework.practices if p.stage == stage.id}
    applicable = [pid for pid in weight if scores[pid] is not None]
    total = sum(weight[pid] for pid in applicable)
    earned = sum(weight[pid] * (scores[pid] or 0.0) for pid in applicable)
    threshold = framework.stage_threshold
    required = set(row["required_open"])
    taken: list[str] = []
    for entry in (e for e in entries if e["stage"] == stage.id):
        if not required and (total <= 0 or earned / total >= threshold - EPSILON):
            break
        taken.append(entry["practice"])
        required.discard(entry["practice"])
        earned += weight[entry["practice"]] * (1 - (entry["score"] or 0.0))
    return {
        **_stage_ref(stage),
        "coverage": row["coverage"],
        "threshold": threshold,
        "required_open": list(row["required_open"]),
        "reachable_by": taken,
    }


def risk_exposure(
    framework: Framework, evidenced: Stage, scores: Mapping[str, float | None]
) -> list[RiskRow]:
    """Per risk: weighted share of applicable practices up to the next stage not fully in place."""
    top = framework.stages[-1].level
    horizon = min(evidenced.level + 1, top)
    level = {s.id: s.level for s in framework.stages}
    rows: list[RiskRow] = []
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


def _capabilities(fw: Framework, scores: Mapping[str, float | None]) -> list[CapabilityRow]:
    out: list[CapabilityRow] = []
    for cap in fw.capabilities:
        rows = stage_table(fw, cap.practices, scores)
        out.append(
            {
                "id": cap.id,
                "title": cap.title,
                "group": cap.group,
                "stage": _stage_ref(highest_reached(fw, rows)),
                "stages": [
                    {"id": r["id"], "coverage": r["coverage"], "reached": r["reached"],
                     "applicable": r["applicable"], "required_open": r["required_open"]}
                    for r in rows
                ],
            }
        )  # fmt: skip
    return out


def _warnings(
    fw: Framework, answer_set: AnswerSet, scored: Scored, unanswered: list[str], na: int
) -> list[Warning]:
    total = len(fw.practices)
    known = {p.id for p in fw.practices}
    warnings: list[Warning] = []
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
    if scored.refused_na:
        warnings.append(
            {
                "code": "not-applicable-refused",
                "message": f"{len(scored.refused_na)} practice(s) cannot be marked not "
                f"applicable here (a must-have, or no stated condition), so they count as "
                f"unanswered: {', '.join(scored.refused_na)}.",
            }
        )
    if scored.na_without_reason:
        warnings.append(
            {
                "code": "not-applicable-without-reason",
                "message": f"{len(scored.na_without_reason)} practice(s) are marked not "
                f"applicable without a note or evidence saying why: "
                f"{', '.join(scored.na_without_reason)}.",
            }
        )
    if scored.unevidenced:
        warnings.append(
            {
                "code": "unevidenced",
                "message": f"{len(scored.unevidenced)} top answer(s) have no evidence and count "
                f"one step lower: {', '.join(scored.unevidenced)}.",
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
    return warnings


def score(fw: Framework, answer_set: AnswerSet) -> Result:
    """Score an answer set against a framework. Returns plain data (the result contract)."""
    known = {p.id for p in fw.practices}
    given = {pid: a for pid, a in answer_set.answers.items() if pid in known}
    scored = effective_scores(fw, answer_set)
    scores = scored.scores
    rows = stage_table(fw, fw.practices, scores)
    evidenced = highest_reached(fw, rows)
    stages_by_id = {s.id: s for s in fw.stages}
    estimate = stages_by_id.get(answer_set.self_estimate or "")
    gap = estimate.level - evidenced.level if estimate is not None else None
    total = len(fw.practices)
    na = sum(1 for p in fw.practices if scores[p.id] is None)
    unanswered = [p.id for p in fw.practices if p.id not in given]
    entries = roadmap(fw, given, scores, scored.unevidenced)
    unknown = {pid: a for pid, a in answer_set.answers.items() if pid not in known}
    return {
        "format": RESULT_FORMAT,
        "framework": {"id": fw.id, "version": fw.version, "title": fw.title},
        "evidenced_stage": _stage_ref(evidenced),
        "self_estimate": _stage_ref(estimate) if estimate is not None else None,
        "reality_gap": gap,
        "gap_statement": gap_statement(estimate, evidenced, gap),
        "next_stage": next_stage(fw, evidenced, rows, entries, scores),
        "stages": rows,
        "capabilities": _capabilities(fw, scores),
        "roadmap": entries,
        "risks": risk_exposure(fw, evidenced, scores),
        "counts": {
            "practices": total,
            "answered": total - len(unanswered),
            "unanswered": len(unanswered),
            "not_applicable": na,
        },
        "unanswered": unanswered,
        "unevidenced": list(scored.unevidenced),
        "not_applicable_refused": list(scored.refused_na),
        "unknown_answers": dict(sorted(unknown.items())),
        "migrated": dict(answer_set.migrated),
        "warnings": _warnings(fw, answer_set, scored, unanswered, na),
    }
