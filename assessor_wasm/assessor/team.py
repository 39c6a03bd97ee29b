"""Team calibration: each member's answers side by side, where they disagree, and a consensus.

The consensus takes, per practice, the lowest-scoring answer anyone gave (the room settles on what
everyone could show); `na` only when everyone who answered said `na`; unanswered when nobody
answered. Evidence and notes are merged and attributed ("Priya: ..."), within the limits of an
answers file (what does not fit is listed in `shortened`; the team result keeps every person's own
text). Answers to ids this framework does not have are left out of the consensus. DESIGN section 13.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from .aggregate import AnswersFile, Rejected, saved_at_key, split, unique_names
from .aggregate_contracts import TeamPractice, TeamRespondent, TeamResult
from .answers import (
    _SCRIPT_SCHEME,
    _URL_IGNORED,
    MAX_EVIDENCE_CHARS,
    MAX_EVIDENCE_ITEMS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    AnswerSet,
    dump_answers,
)
from .model import NOT_APPLICABLE, Framework, Practice, practice_url
from .report import _escape as escape
from .score import score

TEAM_FORMAT = "maturity-playbook/team@1"
# Answers this far apart (in score, on the practice's own scale) are worth discussing.
DISAGREEMENT = 0.5
EPSILON = 1e-9
ELLIPSIS = "…"


def _shorten(text: str, limit: int) -> tuple[str, bool]:
    return (text, False) if len(text) <= limit else (text[: limit - 1] + ELLIPSIS, True)


def _lowest(framework: Framework, practice: Practice, given: list[str]) -> str | None:
    """The lowest-scoring scale answer among `given` (the earlier option on a tie), else None."""
    options = [o for o in framework.scale_of(practice) if o.id in given]
    if not options:
        return None
    return min(options, key=lambda o: o.score).id


def _attributed(names: list[str], item: str) -> str:
    """'Priya, Omar: item'. A name such as "Data" would make that read as a `data:` link, which
    answers files refuse (by the same test as here), so such names go in brackets."""
    label = ", ".join(names)
    text = f"{label}: {item}"
    if _SCRIPT_SCHEME.match(_URL_IGNORED.sub("", text[:100])):
        return f"[{label}]: {item}"
    return text


class _Merge:
    """Evidence and notes of one practice, merged across respondents and attributed."""

    def __init__(self) -> None:
        self.items: dict[str, list[str]] = {}  # item -> names that gave it, in order
        self.notes: list[str] = []

    def add(self, name: str, evidence: Iterable[str], note: str) -> None:
        for item in evidence:
            self.items.setdefault(item.strip(), []).append(name)
        if note.strip():
            self.notes.append(f"{name}: {note.strip()}")

    def result(self) -> tuple[list[str], str, bool]:
        """(evidence, note, shortened) within the answers file's limits."""
        attributed = [_attributed(names, item) for item, names in self.items.items()]
        kept, extra = attributed[:MAX_EVIDENCE_ITEMS], attributed[MAX_EVIDENCE_ITEMS:]
        notes = [*self.notes, *(f"More evidence: {item}" for item in extra)]
        shortened = False
        evidence: list[str] = []
        for item in kept:
            text, cut = _shorten(item, MAX_EVIDENCE_CHARS)
            evidence.append(text)
            shortened = shortened or cut
        note, cut = _shorten("\n".join(notes), MAX_NOTE_CHARS)
        return evidence, note, shortened or cut


def _consensus_estimate(framework: Framework, estimates: list[str | None]) -> str | None:
    """The lowest self-estimate anyone gave (the same rule as the answers)."""
    levels = {s.id: s.level for s in framework.stages}
    given = [e for e in estimates if e is not None]
    return min(given, key=lambda e: levels[e]) if given else None


def _latest_saved_at(files: list[AnswersFile]) -> str | None:
    dated = [(key, f.answers.saved_at) for f in files if (key := saved_at_key(f.answers.saved_at))]
    return max(dated)[1] if dated else None


def _respondent(framework: Framework, name: str, f: AnswersFile) -> TeamRespondent:
    result = score(framework, f.answers)
    return {
        "name": name,
        "file": f.file,
        "self_estimate": f.answers.self_estimate,
        "evidenced_stage": result["evidenced_stage"]["id"],
        "reality_gap": result["reality_gap"],
    }


def _practice(
    framework: Framework, p: Practice, capability: str, members: list[tuple[str, AnswerSet]]
) -> tuple[TeamPractice, _Merge]:
    """One practice across the members, and their merged evidence and notes."""
    given = {name: a.answers.get(p.id) for name, a in members}
    scale = {o.id: o.score for o in framework.scale_of(p)}
    scores = [scale[answer] for answer in given.values() if answer in scale]
    spread = round(max(scores) - min(scores), 4) if scores else 0.0
    consensus = _lowest(framework, p, [answer for answer in given.values() if answer is not None])
    if consensus is None and NOT_APPLICABLE in given.values():
        consensus = NOT_APPLICABLE
    merge = _Merge()
    evidence: dict[str, list[str]] = {}
    notes: dict[str, str] = {}
    for name, a in members:
        items = [item for item in a.evidence.get(p.id, ()) if item.strip()]
        note = a.notes.get(p.id, "")
        merge.add(name, items, note)
        if items:
            evidence[name] = items
        if note.strip():
            notes[name] = note
    row: TeamPractice = {
        "practice": p.id,
        "title": p.title,
        "capability": capability,
        "required": p.required,
        "weight": p.weight,
        "answers": given,
        "spread": spread,
        "disagreement": spread >= DISAGREEMENT - EPSILON,
        "consensus": consensus,
        "evidence": evidence,
        "notes": notes,
        "url": practice_url(p.id),
    }
    return row, merge


def team(
    framework: Framework, loaded: Iterable[AnswersFile | Rejected], saved_at: str | None = None
) -> TeamResult:
    """Calibrate a team's answers files; the consensus is saved at `saved_at` (default: the
    latest `saved_at` of the members' files, else now)."""
    files, rejected = split(loaded)
    names = unique_names([f.answers.respondent or f.stem for f in files], [f.file for f in files])
    members = [(name, f.answers) for name, f in zip(names, files, strict=True)]
    practices: list[TeamPractice] = []
    answers: dict[str, str] = {}
    evidence: dict[str, tuple[str, ...]] = {}
    notes: dict[str, str] = {}
    shortened: list[str] = []
    for capability in framework.capabilities:
        for p in capability.practices:
            row, merge = _practice(framework, p, capability.id, members)
            practices.append(row)
            merged_evidence, merged_note, cut = merge.result()
            if row["consensus"] is not None:
                answers[p.id] = row["consensus"]
            if merged_evidence:
                evidence[p.id] = tuple(merged_evidence)
            if merged_note:
                notes[p.id] = merged_note
            if cut:
                shortened.append(p.id)
    teams = {f.answers.team for f in files if f.answers.team is not None}
    plural = "respondent" if len(files) == 1 else "respondents"
    consensus = AnswerSet(
        framework_id=framework.id,
        framework_version=framework.version,
        self_estimate=_consensus_estimate(framework, [f.answers.self_estimate for f in files]),
        answers=answers,
        notes=notes,
        evidence=evidence,
        respondent=f"Team consensus ({len(files)} {plural})"[:MAX_NAME_CHARS],
        team=teams.pop() if len(teams) == 1 else None,
    )
    stamp = saved_at or _latest_saved_at(files) or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    discuss = [row for row in practices if row["disagreement"]]
    discuss.sort(key=lambda row: (not row["required"], -row["weight"], row["practice"]))
    return {
        "format": TEAM_FORMAT,
        "framework": {"id": framework.id, "version": framework.version, "title": framework.title},
        "stages": [{"id": s.id, "level": s.level, "title": s.title} for s in framework.stages],
        "respondents": [_respondent(framework, n, f) for n, f in zip(names, files, strict=True)],
        "practices": practices,
        "discuss_first": [row["practice"] for row in discuss],
        "consensus": dump_answers(framework, consensus, stamp),
        "consensus_stage": score(framework, consensus)["evidenced_stage"]["id"],
        "shortened": shortened,
        "rejected": [r.as_dict() for r in rejected],
    }


def _stage_label(result: TeamResult, stage_id: str | None) -> str:
    if stage_id is None:
        return "not given"
    stage = next(s for s in result["stages"] if s["id"] == stage_id)
    return f"{stage['level']} ({stage['title']})"


def _gap(gap: int | None) -> str:
    return "" if gap is None else f"{gap:+d}" if gap else "0"


def render_team_markdown(result: TeamResult) -> str:
    """The meeting's summary: who estimated what, what to discuss first, every answer."""
    names = [r["name"] for r in result["respondents"]]
    by_id = {row["practice"]: row for row in result["practices"]}
    lines = [
        f"# {result['framework']['title']}: team calibration",
        "",
        f"{len(names)} respondent{'s' if len(names) != 1 else ''}; the consensus answers reach "
        f"stage {_stage_label(result, result['consensus_stage'])}.",
        "",
        "| Respondent | File | Self-estimate | Evidenced stage | Reality gap |",
        "| --- | --- | --- | --- | ---: |",
    ]
    for r in result["respondents"]:
        lines.append(
            f"| {escape(r['name'])} | {escape(r['file'])} | "
            f"{_stage_label(result, r['self_estimate'])} | "
            f"{_stage_label(result, r['evidenced_stage'])} | {_gap(r['reality_gap'])} |"
        )
    lines += ["", "## Discuss first", ""]
    if not result["discuss_first"]:
        lines.append("No disagreements: every practice's answers are less than 0.5 apart.")
    for i, pid in enumerate(result["discuss_first"], start=1):
        row = by_id[pid]
        said = "; ".join(f"{escape(n)}: {a or 'unanswered'}" for n, a in row["answers"].items())
        must = ", must-have" if row["required"] else ""
        lines.append(
            f"{i}. {escape(row['title'])} (`{pid}`{must}): {said}. Spread {row['spread']:g}."
        )
    header = " | ".join(escape(n) for n in names)
    lines += [
        "",
        "## Answers",
        "",
        f"| Practice | {header} | Spread | Consensus |",
        f"| --- | {' | '.join('---' for _ in names)} | ---: | --- |",
    ]
    for row in result["practices"]:
        cells = " | ".join(a or "-" for a in row["answers"].values())
        flag = " (disagreement)" if row["disagreement"] else ""
        lines.append(
            f"| `{row['practice']}` | {cells} | {row['spread']:g} | "
            f"{row['consensus'] or 'unanswered'}{flag} |"
        )
    with_text = [row for row in result["practices"] if row["evidence"] or row["notes"]]
    if with_text:
        lines += ["", "## Evidence and notes", ""]
    for row in with_text:
        lines.append(f"- `{row['practice']}`:")
        for name, items in row["evidence"].items():
            lines.append(f"    - {escape(name)}, evidence: " + "; ".join(map(escape, items)))
        for name, note in row["notes"].items():
            lines.append(f"    - {escape(name)}, note: {escape(note)}")
    if result["rejected"]:
        lines += ["", "## Files left out", ""]
        lines += [f"- {escape(r['file'])}: {escape(r['message'])}" for r in result["rejected"]]
    return "\n".join(lines) + "\n"
