"""The roadmap as CSV for issue trackers (GitHub via `gh`, GitLab and Jira CSV import).

One row per roadmap entry, in roadmap order: `title,description,labels,required,url`. The
description links the practice page, asks its question and lists the evidence to produce (the
practice's `evidence`, when the framework carries it). The site's `framework.json` leaves that
prose out, so the browser passes the question and evidence list its page shows (`PageText`); the
summary is not on the page and is left out there. `labels` holds
`stage:<id> capability:<id>` separated by a space (Jira labels cannot contain one); RFC 4180
quoting, UTF-8, CRLF line ends. DESIGN section 13.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import NamedTuple

from .contracts import Result, RoadmapEntry
from .model import Capability, Framework, Practice, Stage

CSV_COLUMNS = ("title", "description", "labels", "required", "url")


class PageText(NamedTuple):
    """A practice's question and evidence list as the assessment page shows them."""

    question: str
    evidence: tuple[str, ...]


def _description(
    entry: RoadmapEntry,
    url: str,
    practice: Practice,
    stage: Stage,
    capability: Capability,
    shown: PageText | None,
) -> str:
    answer = entry["answer"] or "unanswered"
    if entry["unevidenced"]:
        answer += " (no evidence given, so it counts one step lower)"
    # The framework's own text wins; the page's fills what framework.json left blank.
    question = practice.question.strip() or (shown.question.strip() if shown else "")
    evidence = practice.evidence or (shown.evidence if shown else ())
    summary = practice.summary.strip()
    lines = [
        *([summary, ""] if summary else []),
        f"Practice: {url}",
        f"Stage: {stage.level} ({stage.title}). Capability: {capability.title}."
        + (" A must-have for its stage." if entry["required"] else ""),
        f"Current answer: {answer}.",
        f"Question: {question}",
        "",
        "Evidence to produce:",
    ]
    # A practice without an evidence list, in the framework and on the page, takes this line.
    lines += [f"- {item}" for item in evidence] or ["- What shows the answer to the question."]
    return "\n".join(lines)


def roadmap_csv(
    framework: Framework,
    result: Result,
    base_url: str = "",
    page_text: Mapping[str, PageText] | None = None,
) -> str:
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
                    (page_text or {}).get(entry["practice"]),
                ),
                f"stage:{entry['stage']} capability:{entry['capability']}",
                "true" if entry["required"] else "false",
                url,
            ]
        )
    return out.getvalue()
