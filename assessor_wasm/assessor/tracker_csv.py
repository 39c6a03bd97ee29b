"""The roadmap as CSV for issue trackers (GitHub via `gh`, GitLab and Jira CSV import).

One row per roadmap entry, in roadmap order: `title,description,labels,required,url`. The
description links the practice page, asks its question and lists the evidence to produce (the
practice's `evidence`, when the framework carries it); `labels` holds
`stage:<id> capability:<id>` separated by a space (Jira labels cannot contain one); RFC 4180
quoting, UTF-8, CRLF line ends. DESIGN section 13.
"""

from __future__ import annotations

import csv
import io

from .contracts import Result, RoadmapEntry
from .model import Capability, Framework, Practice, Stage

CSV_COLUMNS = ("title", "description", "labels", "required", "url")


def _description(
    entry: RoadmapEntry, url: str, practice: Practice, stage: Stage, capability: Capability
) -> str:
    answer = entry["answer"] or "unanswered"
    if entry["unevidenced"]:
        answer += " (no evidence given, so it counts one step lower)"
    lines = [
        practice.summary.strip(),
        "",
        f"Practice: {url}",
        f"Stage: {stage.level} ({stage.title}). Capability: {capability.title}."
        + (" A must-have for its stage." if entry["required"] else ""),
        f"Current answer: {answer}.",
        f"Question: {practice.question.strip()}",
        "",
        "Evidence to produce:",
    ]
    # The site's framework.json leaves the evidence lists out (prose the scorer never reads), so
    # in the browser every practice takes this fallback.
    lines += [f"- {item}" for item in practice.evidence] or [
        "- What shows the answer to the question."
    ]
    return "\n".join(lines)


def roadmap_csv(framework: Framework, result: Result, base_url: str = "") -> str:
    """The result's roadmap as CSV text; `base_url` makes the practice links absolute."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    practices = {p.id: p for p in framework.practices}
    stages = {s.id: s for s in framework.stages}
    capabilities = {c.id: c for c in framework.capabilities}
    for entry in result["roadmap"]:
        url = base_url + entry["url"]
        writer.writerow(
            [
                entry["title"],
                _description(
                    entry,
                    url,
                    practices[entry["practice"]],
                    stages[entry["stage"]],
                    capabilities[entry["capability"]],
                ),
                f"stage:{entry['stage']} capability:{entry['capability']}",
                "true" if entry["required"] else "false",
                url,
            ]
        )
    return out.getvalue()
