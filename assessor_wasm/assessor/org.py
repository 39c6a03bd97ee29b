"""Organisation roll-up: one row per team, the spread of stages, the reality gap, common blockers.

Built for thousands of files: the framework's tables are prepared once, each file is scored once
with only the parts of the scoring rules a row needs (the same functions `score` uses, so a row's
stages always equal `score`'s), and nothing is compared pairwise. DESIGN section 13.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .aggregate import AnswersFile, Rejected, unique_names
from .aggregate_contracts import Blocker, GapStats, OrgResult, OrgTeam
from .answers import AnswerSet
from .model import Framework, Practice, Stage, practice_url
from .report import _escape as escape
from .score import (
    EPSILON,
    effective_scores,
    highest_reached,
    next_stage,
    roadmap,
    stage_table,
)

ORG_FORMAT = "maturity-playbook/org@1"
COMMON_BLOCKERS = 10
CSV_COLUMNS = ("team", "file", "evidenced_stage", "self_estimate", "reality_gap")
# A spreadsheet runs a cell that starts with one of these as a formula; team names and file names
# come from untrusted files, so such a cell gets a leading apostrophe (OWASP's advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class _Tables:
    """What every row needs from the framework, computed once."""

    practices: tuple[Practice, ...]
    # (practice id, capability index, stage index, weight, required), in framework order
    cells: tuple[tuple[str, int, int, float, bool], ...]
    capability_ids: tuple[str, ...]
    stages: tuple[Stage, ...]
    stage_of: dict[str, str]
    levels: dict[str, int]

    @classmethod
    def of(cls, framework: Framework) -> _Tables:
        stage_index = {s.id: i for i, s in enumerate(framework.stages)}
        return cls(
            practices=framework.practices,
            cells=tuple(
                (p.id, ci, stage_index[p.stage], p.weight, p.required)
                for ci, c in enumerate(framework.capabilities)
                for p in c.practices
            ),
            capability_ids=tuple(c.id for c in framework.capabilities),
            stages=framework.stages,
            stage_of={p.id: p.stage for p in framework.practices},
            levels={s.id: s.level for s in framework.stages},
        )


def capability_stages(
    framework: Framework, tables: _Tables, scores: Mapping[str, float | None]
) -> dict[str, str]:
    """Each capability's stage: `score.stage_table`'s rule over one capability's practices.

    Restated as one pass over the practices instead of one `stage_table` per capability, because
    this is most of a row's cost at 10,000 files. It adds the same numbers in the same order, so
    it gives the same stages; test_aggregate holds it equal to `score` on random answer sets.
    """
    width = len(tables.stages)
    total = [[0.0] * width for _ in tables.capability_ids]
    earned = [[0.0] * width for _ in tables.capability_ids]
    open_required = [[False] * width for _ in tables.capability_ids]
    for pid, ci, si, weight, required in tables.cells:
        credit = scores[pid]
        if credit is not None:
            total[ci][si] += weight
            earned[ci][si] += weight * credit
        if required and (credit or 0.0) < 1:
            open_required[ci][si] = True
    threshold = framework.stage_threshold - EPSILON
    out: dict[str, str] = {}
    for ci, cid in enumerate(tables.capability_ids):
        reached = tables.stages[0]
        for si in range(1, width):
            coverage = earned[ci][si] / total[ci][si] if total[ci][si] > 0 else 1.0
            if coverage < threshold or open_required[ci][si]:
                break
            reached = tables.stages[si]
        out[cid] = reached.id
    return out


@dataclass(frozen=True)
class TeamRow:
    """One team's row and the practices that block its next stage."""

    team: OrgTeam
    blockers: frozenset[str]


def _row(
    framework: Framework, tables: _Tables, name: str, file: str, answers: AnswerSet
) -> TeamRow:
    """One team's row, by the scoring rules' own functions (see `score.score`)."""
    scores = effective_scores(framework, answers).scores
    rows = stage_table(framework, tables.practices, scores)
    evidenced = highest_reached(framework, rows)
    capabilities = capability_stages(framework, tables, scores)
    estimate = answers.self_estimate
    gap = tables.levels[estimate] - evidenced.level if estimate is not None else None
    blockers: frozenset[str] = frozenset()
    index = framework.stages.index(evidenced) + 1
    if index < len(framework.stages):
        # Only the next stage's roadmap matters here: the other stages' practices are left out
        # (as if not applicable), which keeps the order within that stage as `score` has it.
        upcoming = framework.stages[index].id
        only_next = {
            pid: (credit if tables.stage_of[pid] == upcoming else None)
            for pid, credit in scores.items()
        }
        entries = roadmap(framework, answers.answers, only_next)
        nxt = next_stage(framework, evidenced, rows, entries, scores)
        if nxt is not None:
            blockers = frozenset(nxt["required_open"]) | frozenset(nxt["reachable_by"])
    team: OrgTeam = {
        "team": name,
        "file": file,
        "evidenced_stage": evidenced.id,
        "self_estimate": estimate,
        "reality_gap": gap,
        "capabilities": capabilities,
    }
    return TeamRow(team, blockers)


def _gap_stats(gaps: list[int]) -> GapStats:
    if not gaps:
        return {"mean": None, "median": None, "teams": 0}
    return {
        "mean": round(sum(gaps) / len(gaps), 4),
        "median": float(statistics.median(gaps)),
        "teams": len(gaps),
    }


def team_rows(
    framework: Framework, loaded: Iterable[AnswersFile | Rejected]
) -> tuple[list[TeamRow], list[Rejected]]:
    """Each good file's row (before names are made unique) and the rejected files, in order.

    One pass: a file's answers are dropped once its row is made. Rows are plain, picklable data,
    so the CLI can make them in worker processes and combine them with `org_from_rows`.
    """
    tables = _Tables.of(framework)
    rows: list[TeamRow] = []
    rejected: list[Rejected] = []
    for item in loaded:
        if isinstance(item, Rejected):
            rejected.append(item)
        else:
            name = item.answers.team or item.stem
            rows.append(_row(framework, tables, name, item.file, item.answers))
    return rows, rejected


def org(framework: Framework, loaded: Iterable[AnswersFile | Rejected]) -> OrgResult:
    """Roll many teams' answers files up into one view of the organisation."""
    rows, rejected = team_rows(framework, loaded)
    return org_from_rows(framework, rows, rejected)


def org_from_rows(framework: Framework, rows: list[TeamRow], rejected: list[Rejected]) -> OrgResult:
    """The roll-up of rows made by `team_rows` (in input order)."""
    unique = unique_names([r.team["team"] for r in rows], [r.team["file"] for r in rows])
    teams: list[OrgTeam] = []
    for row, name in zip(rows, unique, strict=True):
        team = row.team.copy()
        team["team"] = name
        teams.append(team)
    teams.sort(key=lambda t: (t["team"].casefold(), t["team"], t["file"]))
    counts = Counter(t["evidenced_stage"] for t in teams)
    blocked = Counter(pid for r in rows for pid in r.blockers)
    practice = {p.id: p for p in framework.practices}
    level = {s.id: s.level for s in framework.stages}

    def rank(pid: str) -> tuple[int, int, bool, float, str]:
        p = practice[pid]
        return (-blocked[pid], level[p.stage], not p.required, -p.weight, pid)

    common: list[Blocker] = [
        {
            "practice": pid,
            "title": practice[pid].title,
            "required": practice[pid].required,
            "teams": blocked[pid],
            "url": practice_url(pid),
        }
        for pid in sorted(blocked, key=rank)[:COMMON_BLOCKERS]
    ]
    gaps = [gap for t in teams if (gap := t["reality_gap"]) is not None]
    return {
        "format": ORG_FORMAT,
        "framework": {"id": framework.id, "version": framework.version, "title": framework.title},
        "stages": [{"id": s.id, "level": s.level, "title": s.title} for s in framework.stages],
        "capabilities": [{"id": c.id, "title": c.title} for c in framework.capabilities],
        "teams": teams,
        "stage_counts": {s.id: counts[s.id] for s in framework.stages},
        "reality_gap": _gap_stats(gaps),
        "common_blockers": common,
        "rejected": [r.as_dict() for r in rejected],
    }


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_org_csv(result: OrgResult) -> str:
    """One row per team: team,file,evidenced_stage,self_estimate,reality_gap,<capability ids>."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    capability_ids = [c["id"] for c in result["capabilities"]]
    writer.writerow([*CSV_COLUMNS, *capability_ids])
    for team in result["teams"]:
        gap = team["reality_gap"]
        writer.writerow(
            [
                _cell(team["team"]),
                _cell(team["file"]),
                team["evidenced_stage"],
                team["self_estimate"] or "",
                "" if gap is None else gap,
                *(team["capabilities"][cid] for cid in capability_ids),
            ]
        )
    return out.getvalue()


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:+g}" if value else "0"


def render_org_markdown(result: OrgResult) -> str:
    """Readable tables: stages, reality gap, common blockers, then one row per team."""
    level = {s["id"]: s["level"] for s in result["stages"]}
    teams = result["teams"]
    lines = [
        f"# {result['framework']['title']}: organisation",
        "",
        f"{len(teams)} team{'s' if len(teams) != 1 else ''}"
        + (f"; {len(result['rejected'])} file(s) left out (listed below)." if result["rejected"]
           else "."),
        "",
        "## Evidenced stages",
        "",
        "| Level | Stage | Teams |",
        "| ---: | --- | ---: |",
    ]  # fmt: skip
    for stage in result["stages"]:
        lines.append(
            f"| {stage['level']} | {stage['title']} | {result['stage_counts'][stage['id']]} |"
        )
    gap = result["reality_gap"]
    lines += ["", "## Reality gap", ""]
    if gap["teams"]:
        lines.append(
            f"Mean {_number(gap['mean'])}, median {_number(gap['median'])} stages, over the "
            f"{gap['teams']} team(s) that gave a self-estimate (positive: the team overestimates)."
        )
    else:
        lines.append("No team gave a self-estimate.")
    lines += ["", "## Common blockers", ""]
    if result["common_blockers"]:
        lines += ["| Practice | Must-have | Teams blocked |", "| --- | --- | ---: |"]
        lines += [
            f"| {escape(b['title'])} (`{b['practice']}`) | {'yes' if b['required'] else 'no'} | "
            f"{b['teams']} |"
            for b in result["common_blockers"]
        ]
    else:
        lines.append("Nothing blocks any team's next stage.")
    caps = result["capabilities"]
    lines += [
        "",
        "## Teams",
        "",
        "Stages by level: "
        + ", ".join(f"{s['level']} = {escape(s['title'])}" for s in result["stages"])
        + "; one column per capability.",
        "",
        "| Team | File | Evidenced | Self-estimate | Gap | " + " | ".join(c["id"] for c in caps)
        + " |",
        "| --- | --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in caps) + " |",
    ]  # fmt: skip
    for team in teams:
        estimate = team["self_estimate"]
        gap_value = team["reality_gap"]
        lines.append(
            f"| {escape(team['team'])} | {escape(team['file'])} | "
            f"{level[team['evidenced_stage']]} | "
            f"{'-' if estimate is None else level[estimate]} | "
            f"{_number(None if gap_value is None else float(gap_value))} | "
            + " | ".join(str(level[team["capabilities"][c["id"]]]) for c in caps)
            + " |"
        )
    if result["rejected"]:
        lines += ["", "## Files left out", ""]
        lines += [f"- {escape(r['file'])}: {escape(r['message'])}" for r in result["rejected"]]
    return "\n".join(lines) + "\n"
