"""The Markdown report of a scored assessment: the same text from the CLI and the browser."""

from __future__ import annotations

from .answers import AnswerSet
from .contracts import Result


def _escape(text: str) -> str:
    """Neutralise Markdown/HTML in untrusted text (notes) so a report cannot inject markup."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _answer_label(answer: str | None) -> str:
    return "unanswered" if answer is None else answer


def render_markdown(result: Result, answer_set: AnswerSet | None = None, base_url: str = "") -> str:
    """A readable Markdown report: stage, reality gap, capabilities, roadmap, risks, warnings."""
    fw = result["framework"]
    evidenced = result["evidenced_stage"]
    lines = [
        f"# {fw['title']}: assessment report",
        "",
        f"Framework `{fw['id']}` version {fw['version']}.",
        "",
        f"**Evidenced stage: {evidenced['level']} ({evidenced['title']})**",
        "",
        result["gap_statement"],
        "",
        *_blockers(result, base_url),
        "## Stages",
        "",
        "| Level | Stage | Coverage | Reached |",
        "| ---: | --- | ---: | --- |",
    ]
    for row in result["stages"]:
        reached = "yes" if row["reached"] else "no"
        lines.append(
            f"| {row['level']} | {row['title']} | {_percent(row['coverage'])} | {reached} |"
        )
    lines += ["", "## Capabilities", "", "| Capability | Stage |", "| --- | --- |"]
    for cap in result["capabilities"]:
        lines.append(f"| {cap['title']} | {cap['stage']['level']} ({cap['stage']['title']}) |")
    lines += ["", "## Roadmap", ""]
    if not result["roadmap"]:
        lines.append("Nothing left to do: every applicable practice is fully in place.")
    for i, entry in enumerate(result["roadmap"], start=1):
        url = base_url + entry["url"]
        lines.append(
            f"{i}. [{entry['title']}]({url}): stage {entry['stage_level']}, "
            f"answer: {_answer_label(entry['answer'])}"
        )
    lines += [
        "",
        "## Risk exposure",
        "",
        "| Risk | Exposure | Open practices |",
        "| --- | ---: | ---: |",
    ]
    for risk in result["risks"]:
        lines.append(
            f"| {risk['title']} | {_percent(risk['exposure'])} | {len(risk['open_practices'])} |"
        )
    counts = result["counts"]
    lines += [
        "",
        "## Answers",
        "",
        f"{counts['answered']} of {counts['practices']} practices answered, "
        f"{counts['not_applicable']} not applicable, {counts['unanswered']} unanswered.",
    ]
    if result["warnings"]:
        lines += ["", "## Warnings", ""]
        lines += [f"- {_escape(w['message'])}" for w in result["warnings"]]
    if result["unevidenced"]:
        lines += ["", "## Top answers without evidence", ""]
        lines.append("They count one step lower until evidence is added:")
        lines += [f"- `{pid}`" for pid in result["unevidenced"]]
    if result["not_applicable_refused"]:
        lines += ["", "## Not applicable, refused", ""]
        lines.append("These practices cannot be marked not applicable here; they count as 'no':")
        lines += [f"- `{pid}`" for pid in result["not_applicable_refused"]]
    if answer_set is not None and answer_set.evidence:
        lines += ["", "## Evidence", ""]
        for pid, items in sorted(answer_set.evidence.items()):
            shown = [_escape(item) for item in items if item.strip()]
            if shown:
                lines.append(f"- `{pid}`: " + "; ".join(shown))
    if answer_set is not None and answer_set.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- `{pid}`: {_escape(note)}" for pid, note in sorted(answer_set.notes.items())]
    return "\n".join(lines) + "\n"


def _blockers(result: Result, base_url: str) -> list[str]:
    """'What blocks the next stage': the open must-haves and the shortest list to finish."""
    nxt = result["next_stage"]
    if nxt is None:
        return ["Every stage is reached: nothing blocks a higher stage.", ""]
    titles = {e["practice"]: e["title"] for e in result["roadmap"]}
    urls = {e["practice"]: base_url + e["url"] for e in result["roadmap"]}

    def item(pid: str) -> str:
        return f"- [{_escape(titles.get(pid, pid))}]({urls.get(pid, '')})"

    lines = [
        f"## To reach stage {nxt['level']} ({nxt['title']})",
        "",
        f"Coverage {_percent(nxt['coverage'])} of the {_percent(nxt['threshold'])} needed.",
        "",
    ]
    if nxt["required_open"]:
        lines += ["Must-haves still open:", "", *map(item, nxt["required_open"]), ""]
    lines += ["The shortest list that reaches it:", "", *map(item, nxt["reachable_by"]), ""]
    return lines
