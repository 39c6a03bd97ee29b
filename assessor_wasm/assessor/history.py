"""A team's history: several dated exports as a timeline, and what changed between neighbours.

Files are ordered by `saved_at`, whatever order they were given in. A file without a `saved_at`
(or with one that is not an ISO 8601 date) cannot be placed in time: such files come after the
dated ones, ordered by file name, and are flagged (`dated: false` and an `undated` warning).
DESIGN section 13.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from .aggregate import AnswersFile, Rejected, base_name, saved_at_key, split
from .aggregate_contracts import HistoryChange, HistoryEntry, HistoryResult, HistoryWarning
from .answer_compare import compare
from .model import Framework
from .report import _escape as escape
from .score import score

HISTORY_FORMAT = "maturity-playbook/history@1"


def _order(files: list[AnswersFile]) -> list[AnswersFile]:
    """Dated files by date (then file name), then undated files by file name."""
    dated = [(key, f) for f in files if (key := saved_at_key(f.answers.saved_at)) is not None]
    undated = [f for f in files if saved_at_key(f.answers.saved_at) is None]
    dated.sort(key=lambda pair: (pair[0], base_name(pair[1].file), pair[1].file))
    undated.sort(key=lambda f: (base_name(f.file), f.file))
    return [f for _, f in dated] + undated


def history(framework: Framework, loaded: Iterable[AnswersFile | Rejected]) -> HistoryResult:
    """The timeline of a team's exports and the changes between consecutive ones."""
    files, rejected = split(loaded)
    ordered = _order(files)
    timeline: list[HistoryEntry] = []
    for f in ordered:
        result = score(framework, f.answers)
        timeline.append(
            {
                "file": f.file,
                "saved_at": f.answers.saved_at,
                "dated": saved_at_key(f.answers.saved_at) is not None,
                "team": f.answers.team,
                "respondent": f.answers.respondent,
                "evidenced_stage": result["evidenced_stage"]["id"],
                "self_estimate": f.answers.self_estimate,
                "reality_gap": result["reality_gap"],
                "coverage": {row["id"]: row["coverage"] for row in result["stages"]},
                "answered": result["counts"]["answered"],
            }
        )
    changes: list[HistoryChange] = [
        {
            "earlier": before.file,
            "current": after.file,
            "comparison": compare(framework, before.answers, after.answers),
        }
        for before, after in pairwise(ordered)
    ]
    warnings: list[HistoryWarning] = []
    undated = [entry["file"] for entry in timeline if not entry["dated"]]
    if undated:
        warnings.append(
            {
                "code": "undated",
                "message": f"{len(undated)} file(s) have no saved_at date, so they are placed "
                f"after the dated ones, by file name: {', '.join(undated)}.",
            }
        )
    teams = sorted({f.answers.team for f in ordered if f.answers.team is not None})
    if len(teams) > 1:
        warnings.append(
            {
                "code": "several-teams",
                "message": f"The files name {len(teams)} different teams ({', '.join(teams)}): "
                f"a history compares exports of one team.",
            }
        )
    return {
        "format": HISTORY_FORMAT,
        "framework": {"id": framework.id, "version": framework.version, "title": framework.title},
        "stages": [{"id": s.id, "level": s.level, "title": s.title} for s in framework.stages],
        "timeline": timeline,
        "changes": changes,
        "warnings": warnings,
        "rejected": [r.as_dict() for r in rejected],
    }


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def render_history_markdown(result: HistoryResult) -> str:
    """The timeline as a table, then what improved and regressed between consecutive files."""
    stages = result["stages"]
    level = {s["id"]: s["level"] for s in stages}
    lines = [
        f"# {result['framework']['title']}: history",
        "",
        f"{len(result['timeline'])} export(s), oldest first. Stages are levels; coverage per "
        "stage in percent.",
        "",
        "| Saved at | File | Evidenced | Self-estimate | "
        + " | ".join(escape(s["title"]) for s in stages) + " |",
        "| --- | --- | ---: | ---: | " + " | ".join("---:" for _ in stages) + " |",
    ]  # fmt: skip
    for entry in result["timeline"]:
        saved = escape(entry["saved_at"] or "") + ("" if entry["dated"] else " (undated)")
        estimate = entry["self_estimate"]
        lines.append(
            f"| {saved.strip()} | {escape(entry['file'])} | {level[entry['evidenced_stage']]} | "
            f"{'-' if estimate is None else level[estimate]} | "
            + " | ".join(_percent(entry["coverage"][s["id"]]) for s in stages)
            + " |"
        )
    for warning in result["warnings"]:
        lines += ["", f"Note: {escape(warning['message'])}"]
    for change in result["changes"]:
        comparison = change["comparison"]
        overall = comparison["overall"]
        practices = comparison["practices"]
        lines += [
            "",
            f"## {escape(change['earlier'])} → {escape(change['current'])}",
            "",
            f"Evidenced stage {overall['earlier']['level']} → {overall['current']['level']} "
            f"({overall['direction']}).",
        ]
        for direction in ("improved", "regressed", "changed"):
            if practices[direction]:
                moved = ", ".join(
                    f"`{p['practice']}` ({p['earlier'] or 'unanswered'} → "
                    f"{p['current'] or 'unanswered'})"
                    for p in practices[direction]
                )
                lines.append(f"- {direction.capitalize()}: {moved}")
    if result["rejected"]:
        lines += ["", "## Files left out", ""]
        lines += [f"- {escape(r['file'])}: {escape(r['message'])}" for r in result["rejected"]]
    return "\n".join(lines) + "\n"
