"""Coverage per external standard: which of its labels the team has fully in place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypedDict

from .model import Framework

LabelStatus = Literal["in-place", "open", "not-applicable", "uncovered"]
_STATUSES: tuple[LabelStatus, ...] = ("in-place", "open", "not-applicable", "uncovered")


class LabelRow(TypedDict):
    """One label of a standard and the practices mapped to it, in framework order."""

    label: str
    status: LabelStatus
    practices: list[str]
    open: list[str]  # mapped, applicable and below 1: what keeps the label from being in place


class StandardRow(TypedDict):
    """How many of a standard's labels are in place."""

    id: str
    title: str
    url: str
    total: int
    in_place: int
    open: int
    not_applicable: int
    uncovered: int
    labels: list[LabelRow]


def _status(practices: list[str], open_: list[str], applicable: int) -> LabelStatus:
    if not practices:
        return "uncovered"
    if not applicable:
        return "not-applicable"
    return "open" if open_ else "in-place"


def standards_coverage(
    framework: Framework, scores: Mapping[str, float | None]
) -> list[StandardRow]:
    """Per standard: a label is in place when every applicable practice mapped to it scores 1.

    `scores` are the effective scores (`score.effective_scores`: None is an accepted "not
    applicable", unevidenced top answers already one step lower). A label no practice maps to
    is "uncovered"; one whose mapped practices are all not applicable is "not-applicable";
    neither counts as in place. Labels follow the standard's own list when it declares one,
    else the order in which the practices first name them.
    """
    rows: list[StandardRow] = []
    for standard in framework.standards:
        mapped: dict[str, list[str]] = {label: [] for label in standard.labels}
        for practice in framework.practices:
            for label in practice.mappings.get(standard.id, ()):
                mapped.setdefault(label, []).append(practice.id)
        labels: list[LabelRow] = []
        for label, practices in mapped.items():
            applicable = [pid for pid in practices if scores.get(pid) is not None]
            open_ = [pid for pid in applicable if (scores[pid] or 0.0) < 1]
            status = _status(practices, open_, len(applicable))
            labels.append({"label": label, "status": status, "practices": practices, "open": open_})
        count = {s: sum(1 for row in labels if row["status"] == s) for s in _STATUSES}
        rows.append(
            {
                "id": standard.id,
                "title": standard.title,
                "url": standard.url,
                "total": len(labels),
                "in_place": count["in-place"],
                "open": count["open"],
                "not_applicable": count["not-applicable"],
                "uncovered": count["uncovered"],
                "labels": labels,
            }
        )
    return rows
