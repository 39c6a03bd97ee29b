"""The team calibration and organisation roll-up pages in the system Chromium, against the CLI.

Same rules as test_browser.py (whose Session and page opener this module reuses): a fresh browser
context per test, files chosen through the real file inputs (or dropped), waits on the page's
state (`data-runs` counts finished runs, `data-state` says whether one is going), never on the
clock; downloads are read back and compared with what `python -m assessor team|org` writes for
the same files; nothing may leave the site's origin.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import test_browser
import test_browser_plugin
from browserfixtures import *  # noqa: F403 (fixtures)
from browserfixtures import ServedSite
from conftest import KITCHEN, PANTRY, ROOT
from hostile import XSS, answers_file, share_fragment
from playwright.sync_api import Browser, Page
from test_browser import LOAD_TIMEOUT, Opener, Session, _axe
from test_browser_honest import SHOWN_EVIDENCE
from test_browser_plugin import PREFIX

from assessor import Framework
from assessor.cpython.load import load_framework

pytestmark = pytest.mark.browser
open_page = test_browser.open_page  # the fixture: a page in a fresh browser context
plugin_site = test_browser_plugin.plugin_site  # the fixture: the kitchen playbook under a prefix

PANTRY_FW = load_framework(PANTRY)
KITCHEN_FW = load_framework(KITCHEN)
V2 = "maturity-playbook/answers@2"
FINISHED = """([id, runs]) => {
  const root = document.getElementById(id);
  return !!root && Number(root.dataset.runs) >= runs
    && !["reading", "scoring"].includes(root.dataset.state);
}"""
TEAM_SHOWN = """() => ({
  respondents: [...document.querySelectorAll("#mp-respondents tbody tr")].map(
    (tr) => [...tr.children].map((cell) => cell.textContent)),
  consensus: document.getElementById("mp-consensus-stage").textContent,
  discuss: [...document.querySelectorAll("#mp-discuss > li")].map((li) => ({
    id: li.dataset.practice, text: li.textContent, href: li.querySelector("a").href})),
  answers: Object.fromEntries([...document.querySelectorAll("#mp-answers tbody tr")].map((tr) => [
    tr.dataset.practice, {
      disagreement: tr.classList.contains("mp-disagree"),
      consensus: tr.querySelector(".mp-consensus").dataset.answer,
      consensus_label: tr.querySelector(".mp-consensus").textContent,
      by: Object.fromEntries([...tr.querySelectorAll("td[data-respondent]")].map((td) => [
        td.dataset.respondent, {
          answer: td.dataset.answer, label: td.querySelector(".mp-answer").textContent,
          evidence: [...td.querySelectorAll(".mp-evidence-items li")].map((li) => li.textContent),
          note: td.querySelector(".mp-note-text")?.textContent ?? null}]))}])),
  leftOut: [...document.querySelectorAll("#mp-left-out li")].map((li) => li.textContent),
  status: document.getElementById("mp-reading-text").textContent,
})"""
ORG_SHOWN = """() => ({
  teams: [...document.querySelectorAll("#mp-heatmap tbody tr")].map((tr) => ({
    team: tr.dataset.team, head: tr.querySelector("th").textContent,
    file: tr.querySelector(".mp-file").textContent,
    evidenced: tr.querySelector("[data-column=evidenced]").dataset.stage,
    evidenced_text: tr.querySelector("[data-column=evidenced]").textContent,
    self: tr.querySelector("[data-column=self-estimate]").dataset.stage,
    gap: tr.querySelector("[data-column=gap]").textContent,
    cells: [...tr.querySelectorAll("td[data-capability]")].map((td) => ({
      capability: td.dataset.capability, stage: td.dataset.stage, text: td.textContent,
      background: getComputedStyle(td).backgroundColor})),
  })),
  columns: [...document.querySelectorAll("#mp-heatmap thead th")].map((th) => th.textContent),
  counts: [...document.querySelectorAll("#mp-stage-counts tbody tr")].map((tr) => [
    tr.dataset.stage, tr.querySelector("th").textContent,
    tr.querySelector(".mp-count").textContent]),
  gap: document.getElementById("mp-org-gap").textContent,
  blockers: [...document.querySelectorAll("#mp-common-blockers > li")].map((li) => ({
    id: li.dataset.practice, text: li.textContent, href: li.querySelector("a").href})),
  legend: [...document.querySelectorAll(".mp-heat-legend li")].map((li) => li.textContent),
  leftOut: [...document.querySelectorAll("#mp-left-out li")].map((li) => li.textContent),
  status: document.getElementById("mp-reading-text").textContent,
})"""
# Records every text the reading status shows (each assignment adds a new text node).
RECORD_READING = """() => {
  window.__reading = [];
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) window.__reading.push(node.textContent);
    }
  }).observe(document.getElementById("mp-reading-text"), {childList: true});
}"""


def _write(folder: Path, name: str, data: bytes | dict[str, Any]) -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode("utf-8"))
    return path


def _cli(folder: Path, *args: str) -> tuple[int, bytes]:
    """`python -m assessor ARGS` in `folder` (so files are named as the browser names them)."""
    proc = subprocess.run(
        [sys.executable, "-m", "assessor", *args],
        capture_output=True,
        cwd=folder,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "assessor_wasm")},
    )
    return proc.returncode, proc.stdout


def _stage_name(framework: Framework, stage_id: str | None) -> str:
    if stage_id is None:
        return "not given"
    stage = next(s for s in framework.stages if s.id == stage_id)
    return f"{stage.level} · {stage.title}"


def _number(value: float) -> str:
    """A number as JavaScript's String() writes it."""
    return str(int(value)) if float(value).is_integer() else repr(value)


def _gap(value: float | None) -> str:
    if value is None:
        return "\u2013"  # an en dash, as the page writes it
    return f"+{_number(value)}" if value > 0 else _number(value)


def _answer_label(framework: Framework, practice_id: str, answer: str | None) -> str:
    if answer is None:
        return "unanswered"
    if answer == "na":
        return "not applicable"
    practice = next(p for p in framework.practices if p.id == practice_id)
    return next(o.label for o in framework.scale_of(practice) if o.id == answer)


def _drop(page: Page, paths: list[Path]) -> None:
    """Drags files or folders from the disk onto the drop zone, as a visitor does (a real drag,
    through Chromium's DevTools protocol: folders arrive as folders)."""
    zone = page.locator("#mp-drop")
    zone.scroll_into_view_if_needed()
    box = zone.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    data = {"items": [], "files": [str(p) for p in paths], "dragOperationsMask": 1}
    cdp = page.context.new_cdp_session(page)
    for kind in ("dragEnter", "dragOver", "drop"):
        cdp.send("Input.dispatchDragEvent", {"type": kind, "x": x, "y": y, "data": data})
    cdp.detach()


def _finished(page: Page, kind: str, runs: int) -> None:
    page.wait_for_function(FINISHED, arg=[f"mp-{kind}", runs], timeout=LOAD_TIMEOUT)


def _open(open_page: Opener, site: ServedSite, path: str) -> Session:
    session = open_page(site, site.page(path))
    kind = "team" if path.startswith("team") else "org"
    session.page.wait_for_selector(
        f"#mp-{kind}[data-scorer=ready]", state="attached", timeout=LOAD_TIMEOUT
    )
    return session


# --- the team page -------------------------------------------------------------------------------

BROKEN = b'{"format": "maturity-playbook/answers@2", "answers": {"shelf-labels": yes}}'
SHELF_PHOTO = "https://photos.example/pantry/shelves"


def _pantry(**fields: Any) -> dict[str, Any]:
    return answers_file("pantry", format=V2, team="north", **fields)


PRIYA = _pantry(
    respondent="Priya",
    self_estimate="managed",
    saved_at="2027-01-10T09:00:00Z",
    answers={
        "shelf-labels": "yes",
        "stock-count": "all",
        "donation-log": "yes",
        "fridge-check": "yes",
        "cold-chain": "yes",
        "expiry-rotation": "yes",
        "pickup-slots": "half",
        "allergen-labels": "na",
        "partner-audit": "no",
        "waste-review": "no",
    },
    evidence={
        "shelf-labels": [SHELF_PHOTO],
        "stock-count": ["count sheet, week 3"],
        "donation-log": ["donation log book"],
        "fridge-check": ["fridge log, January"],
        "cold-chain": ["probe readings at the door"],
        "expiry-rotation": ["shelf photos"],
    },
    notes={"allergen-labels": "We repack nothing.", "pickup-slots": "Only Saturdays are booked."},
)
OMAR = _pantry(
    respondent="Omar",
    self_estimate="stocked",
    saved_at="2027-01-12T10:00:00Z",
    answers={
        "shelf-labels": "partial",
        "stock-count": "some",
        "donation-log": "yes",
        "fridge-check": "partial",
        "cold-chain": "no",
        "expiry-rotation": "partial",
        "pickup-slots": "half",
        "allergen-labels": "partial",
    },
    evidence={"donation-log": ["donation log book"]},
)
LEE = _pantry(
    respondent="Lee",
    self_estimate="managed",
    saved_at="2027-01-11T08:30:00Z",
    answers={
        "shelf-labels": "yes",
        "stock-count": "half",
        "donation-log": "na",
        "fridge-check": "yes",
        "cold-chain": "yes",
        "expiry-rotation": "yes",
        "pickup-slots": "all",
        "allergen-labels": "na",
        "partner-audit": "no",
    },
    evidence={
        "shelf-labels": [SHELF_PHOTO],
        "cold-chain": ["probe readings at the door"],
        "expiry-rotation": ["shelf photos"],
        "pickup-slots": ["booking sheet"],
    },
    notes={"donation-log": "All our food is bought."},
)


def _team_files(folder: Path) -> list[Path]:
    """Two members, a broken file and another playbook's file (chosen), then a third (dropped)."""
    return [
        _write(folder, "priya.json", PRIYA),
        _write(folder, "omar.json", OMAR),
        _write(folder, "broken.json", BROKEN),
        _write(
            folder,
            "kitchen-team.json",
            answers_file(
                "kitchen", format=V2, team="kitchen", answers={"labelled-leftovers": "yes"}
            ),
        ),
        _write(folder, "lee.json", LEE),
    ]


def _expected_team(shown: dict[str, Any], cli: dict[str, Any]) -> dict[str, Any]:
    """What the page must show for the CLI's team result (same keys as TEAM_SHOWN)."""
    fw = PANTRY_FW
    rows = {r["practice"]: r for r in cli["practices"]}
    names = [r["name"] for r in cli["respondents"]]

    def discuss_text(pid: str) -> str:
        row = rows[pid]
        said = "; ".join(f"{n}: {_answer_label(fw, pid, a)}" for n, a in row["answers"].items())
        must = " Must-have" if row["required"] else ""
        return f"{row['title']}{must} — {said}. Spread {_number(row['spread'])}."

    return {
        "respondents": [
            [
                r["name"],
                r["file"],
                _stage_name(fw, r["self_estimate"]),
                _stage_name(fw, r["evidenced_stage"]),
                _gap(r["reality_gap"]),
            ]
            for r in cli["respondents"]
        ],
        "consensus": f"The consensus answers reach stage {_stage_name(fw, cli['consensus_stage'])}"
        ".",
        "discuss": [
            {"id": pid, "text": discuss_text(pid), "href": shown["site"] + rows[pid]["url"]}
            for pid in cli["discuss_first"]
        ],
        "answers": {
            pid: {
                "disagreement": row["disagreement"],
                "consensus": row["consensus"] or "",
                "consensus_label": _answer_label(fw, pid, row["consensus"]),
                "by": {
                    n: {
                        "answer": row["answers"][n] or "",
                        "label": _answer_label(fw, pid, row["answers"][n]),
                        "evidence": row["evidence"].get(n, []),
                        "note": f"Note: {row['notes'][n]}" if n in row["notes"] else None,
                    }
                    for n in names
                },
            }
            for pid, row in rows.items()
        },
        "leftOut": [f"{r['file']}: {r['message']}" for r in cli["rejected"]],
        "status": shown["status"],
    }


def test_team_page_shows_the_members_side_by_side_and_downloads_what_the_cli_writes(
    open_page: Opener, served_pantry: ServedSite, tmp_path: Path
) -> None:
    files = _team_files(tmp_path)
    session = _open(open_page, served_pantry, "team/")
    page = session.page
    page.set_input_files("#mp-files", [str(p) for p in files[:4]])
    _finished(page, "team", 1)
    _drop(page, [files[4]])
    _finished(page, "team", 2)
    names = [p.name for p in files]
    code, out = _cli(
        tmp_path, "team", *names, "--framework", str(PANTRY), "--json", "-o", "consensus.json"
    )
    assert code == 1  # two files left out
    cli = json.loads(out)
    shown = {**page.evaluate(TEAM_SHOWN), "site": served_pantry.url}
    assert shown == {**_expected_team(shown, cli), "site": served_pantry.url}
    assert shown["status"] == "5 files: 3 used, 2 left out."
    assert shown["leftOut"] == [
        "broken.json: line 1: invalid JSON: Expecting value (column 71)",
        "kitchen-team.json: framework.id: these answers are for framework 'kitchen', not 'pantry'",
    ]
    # Must-haves are discussed first, and the members disagree on some.
    required = [
        shown_row["id"] in {p.id for p in PANTRY_FW.practices if p.required}
        for shown_row in shown["discuss"]
    ]
    assert required == sorted(required, reverse=True) and required[0] and not required[-1]
    with page.expect_download() as consensus:
        page.click("[data-action=consensus]")
    assert re.fullmatch(
        r"pantry-team-consensus-\d{4}-\d\d-\d\d\.json", consensus.value.suggested_filename
    )
    saved = tmp_path / "downloaded" / consensus.value.suggested_filename
    consensus.value.save_as(saved)
    assert saved.read_bytes() == (tmp_path / "consensus.json").read_bytes()
    with page.expect_download() as summary:
        page.click("[data-action=summary]")
    assert re.fullmatch(
        r"pantry-team-summary-\d{4}-\d\d-\d\d\.md", summary.value.suggested_filename
    )
    _, markdown = _cli(tmp_path, "team", *names, "--framework", str(PANTRY))
    text = summary.value.path().read_text(encoding="utf-8")
    assert text.encode("utf-8") == markdown
    assert text.startswith("# Community Pantry Playbook: team calibration\n\n3 respondents; ")
    assert "| Priya | priya.json | 2 (Managed) |" in text
    assert "## Discuss first\n\n1. " in text
    assert f"    - Lee, evidence: {SHELF_PHOTO}\n" in text
    assert "## Files left out\n\n- broken.json: line 1: invalid JSON" in text
    # Nothing was sent anywhere: the server saw no request since the page's assets.
    assert [m for m, _, _ in session.served() if m != "GET"] == []

    # The consensus imports on the self-assessment page, reached by instant navigation: the same
    # Python serves both pages.
    page.evaluate("() => { window.__samePage = true; }")
    page.click("article a[href$='assessment/']")
    page.wait_for_url(served_pantry.page())
    session.wait_ready()
    session.choose_file("import", saved)
    page.wait_for_selector(
        f"#mp-messages .mp-message-title:text-is('Answers loaded from the file {saved.name}')"
    )
    session.wait_scored()
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert session.shown()["answers"] == data["answers"]
    assert session.shown()["self_estimate"] == data["self_estimate"] == "stocked"
    assert page.evaluate(SHOWN_EVIDENCE) == data["evidence"]
    score = json.loads(
        _cli(tmp_path, "score", "consensus.json", "--framework", str(PANTRY), "--json")[1]
    )
    assert session.results()["stage"] == score["evidenced_stage"]["id"] == cli["consensus_stage"]
    assert page.evaluate("() => window.__samePage") is True
    wasm = [r for _, r in session.requests if r.url.endswith("/pyodide.asm.wasm")]
    assert len(wasm) == 1, "Python was started more than once"


def test_team_page_takes_share_links_and_keeps_their_text_as_text(
    open_page: Opener, served_pantry: ServedSite, tmp_path: Path
) -> None:
    hostile = _pantry(
        respondent=f"Sam {XSS}",
        answers={"shelf-labels": "no"},
        notes={"shelf-labels": XSS},
        evidence={"shelf-labels": [XSS]},
    )
    links = [
        served_pantry.page("assessment/") + "#" + share_fragment(json.dumps(PRIYA).encode()),
        "#" + share_fragment(json.dumps(hostile).encode()),
        served_pantry.page("assessment/") + "#a=damaged!",
    ]
    session = _open(open_page, served_pantry, "team/")
    page = session.page
    page.fill("#mp-links", "\n".join(links))
    page.click("[data-action=links]")
    _finished(page, "team", 1)
    shown = page.evaluate(TEAM_SHOWN)
    assert [row[:2] for row in shown["respondents"]] == [
        ["Priya", "share link 1"],
        [f"Sam {XSS}", "share link 2"],
    ]
    assert shown["answers"]["shelf-labels"]["by"][f"Sam {XSS}"] == {
        "answer": "no",
        "label": "No",
        "evidence": [XSS],
        "note": f"Note: {XSS}",
    }
    assert shown["leftOut"] == [
        "share link 3: the link is damaged: it has characters a share link never contains"
    ]
    assert page.input_value("#mp-links") == ""
    assert session.injected() == [] and session.pwned() is None
    assert shown["discuss"][0]["id"] == "shelf-labels"


def test_files_stay_across_instant_navigation_and_python_starts_once(
    open_page: Opener, served_kitchen: ServedSite, tmp_path: Path
) -> None:
    one = _write(tmp_path, "kim.json", answers_file("kitchen", respondent="Kim"))
    two = _write(tmp_path, "ana.json", answers_file("kitchen", respondent="Ana"))
    session = _open(open_page, served_kitchen, "team/")
    page = session.page
    page.evaluate("() => { window.__samePage = true; }")
    page.set_input_files("#mp-files", [str(one), str(two)])
    _finished(page, "team", 1)
    team = page.evaluate(TEAM_SHOWN)
    page.click(".md-nav--primary a[href$='organisation/']")
    page.wait_for_selector("#mp-org[data-scorer=ready]", state="attached")
    page.set_input_files("#mp-files", [str(one)])
    _finished(page, "org", 1)
    page.click(".md-nav--primary a[href$='team/']")
    page.wait_for_selector("#mp-team[data-state=done]", state="attached")
    assert page.evaluate(TEAM_SHOWN) == team
    assert page.get_attribute("#mp-team", "data-runs") == "1"
    assert page.evaluate("() => window.__samePage") is True
    assert len([r for _, r in session.requests if r.url.endswith("/pyodide.asm.wasm")]) == 1


def test_when_no_file_can_be_used_the_page_says_why(
    open_page: Opener, served_kitchen: ServedSite, tmp_path: Path
) -> None:
    broken = _write(tmp_path, "broken.json", b"[1, 2]")
    session = _open(open_page, served_kitchen, "team/")
    page = session.page
    page.set_input_files("#mp-files", [str(broken)])
    _finished(page, "team", 1)
    assert page.get_attribute("#mp-team", "data-state") == "failed"
    message = page.locator("#mp-messages .mp-message--error")
    assert message.locator(".mp-message-title").inner_text() == "The file could not be used"
    assert message.locator("li").all_inner_texts() == [
        "1 problem found.",
        "broken.json: (root): expected a JSON object, got list",
    ]
    assert page.is_disabled("[data-action=consensus]") and page.is_enabled("[data-action=clear]")
    assert page.locator("#mp-many-results").is_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_team_page_has_no_serious_accessibility_violation(
    open_page: Opener, served_pantry: ServedSite, tmp_path: Path, scheme: str
) -> None:
    session = _open(open_page, served_pantry, "team/")
    session.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    session.page.set_input_files("#mp-files", [str(p) for p in _team_files(tmp_path)])
    _finished(session.page, "team", 1)
    assert session.page.locator("#mp-answers").is_visible()
    assert _axe(session.page) == []


# --- the organisation page -----------------------------------------------------------------------


def _org_files(folder: Path, count: int = 20, seed: int = 13) -> list[Path]:
    """`count` teams' random kitchen answers, then a broken file, another playbook's file and a
    file of version 0.9 (its renamed practice migrates)."""
    rng = random.Random(seed)
    practices = [p.id for p in KITCHEN_FW.practices]
    estimates = [None, *(s.id for s in KITCHEN_FW.stages)]
    paths = []
    for i in range(count):
        answers = {}
        for pid in practices:
            answer = rng.choice(["no", "partial", "yes", "yes", "yes", "na", None])
            if answer is not None:
                answers[pid] = answer
        team = {0: "bakery", 1: "bakery", 2: "=SUM(A1)", 3: None}.get(i, f"team-{i:02d}")
        data = answers_file(
            "kitchen", format=V2, answers=answers, self_estimate=rng.choice(estimates)
        )
        if team is not None:
            data["team"] = team
        paths.append(_write(folder, f"export-{i:02d}.json", data))
    older = answers_file(
        "kitchen",
        framework={"id": "kitchen", "version": "0.9"},
        team="legacy",
        answers={"first-in-first-out": "yes", "labelled-leftovers": "yes"},
    )
    return [
        *paths,
        _write(folder, "broken.json", b'{"format": "maturity-playbook/answers@2", "x": nope}'),
        _write(folder, "mlops.json", answers_file("mlops", format=V2, team="ranking")),
        _write(folder, "legacy.json", older),
    ]


def _expected_org(cli: dict[str, Any], site: str) -> dict[str, Any]:
    fw = KITCHEN_FW
    total = len(cli["teams"])
    gap = cli["reality_gap"]
    return {
        "teams": [
            {
                "team": t["team"],
                "head": t["team"] + t["file"],
                "file": t["file"],
                "evidenced": t["evidenced_stage"],
                "evidenced_text": _stage_name(fw, t["evidenced_stage"]),
                "self": t["self_estimate"] or "",
                "gap": _gap(t["reality_gap"]),
                "cells": [
                    {
                        "capability": c.id,
                        "stage": t["capabilities"][c.id],
                        "text": _stage_name(fw, t["capabilities"][c.id]),
                    }
                    for c in fw.capabilities
                ],
            }
            for t in cli["teams"]
        ],
        "columns": [
            "Team (file)",
            "Evidenced stage",
            "Self-estimate",
            "Gap",
            *(c.title for c in fw.capabilities),
        ],
        "counts": [
            [s.id, _stage_name(fw, s.id), str(cli["stage_counts"][s.id])] for s in fw.stages
        ],
        "gap": (
            f"Mean {_gap(gap['mean'])}, median {_gap(gap['median'])} stages, over the "
            f"{gap['teams']} team{'s' if gap['teams'] != 1 else ''} that gave a self-estimate. "
            "Positive: the team believes it is further than its evidence shows."
            if gap["teams"]
            else "No team gave a self-estimate."
        ),
        "blockers": [
            {
                "id": b["practice"],
                "href": site + b["url"],
                "text": f"{b['title']} — blocks {b['teams']} team{'s' if b['teams'] != 1 else ''}",
            }
            for b in cli["common_blockers"]
        ],
        "legend": [_stage_name(fw, s.id) for s in fw.stages],
        "leftOut": [f"{r['file']}: {r['message']}" for r in cli["rejected"]],
        "status": f"{total + len(cli['rejected'])} files: {total} used, "
        f"{len(cli['rejected'])} left out.",
    }


def test_org_page_rolls_many_teams_up_like_the_cli(
    open_page: Opener, served_kitchen: ServedSite, tmp_path: Path
) -> None:
    files = _org_files(tmp_path)
    session = _open(open_page, served_kitchen, "organisation/")
    page = session.page
    page.evaluate(RECORD_READING)
    before = len(served_kitchen.log)
    page.set_input_files("#mp-files", [str(p) for p in files])
    _finished(page, "org", 1)
    names = [p.name for p in files]
    code, out = _cli(tmp_path, "org", *names, "--framework", str(KITCHEN), "--format", "json")
    assert code == 1
    cli = json.loads(out)
    shown = page.evaluate(ORG_SHOWN)
    backgrounds = {
        cell["stage"]: cell.pop("background") for team in shown["teams"] for cell in team["cells"]
    }
    assert shown == _expected_org(cli, served_kitchen.url)
    assert len(shown["teams"]) == 21  # 20 teams and the migrated file
    assert [t["team"] for t in shown["teams"]][:3] == [
        "=SUM(A1)",
        "bakery (export-00.json)",
        "bakery (export-01.json)",
    ]
    assert next(t for t in cli["teams"] if t["team"] == "legacy")["capabilities"] == {
        "storage": "basic",
        "cleaning": "basic",
    }
    assert [line.split(":")[0] for line in shown["leftOut"]] == ["broken.json", "mlops.json"]
    # One colour per stage, a different one for each.
    assert len(set(backgrounds.values())) == len(backgrounds) == 3
    # Reading showed its progress, file by file, before scoring.
    reading = page.evaluate("() => window.__reading")
    counts = [int(m.group(1)) for t in reading if (m := re.fullmatch(r"Read (\d+) of 23 files", t))]
    assert counts == sorted(counts) and counts[-1] == 23 and len(counts) >= 2
    assert reading.index("Scoring 23 files…") > reading.index("Read 23 of 23 files")
    assert [m for m, _, _ in served_kitchen.log[before:]] == []  # nothing sent, nothing fetched
    # Every common blocker links to its practice page.
    for blocker in shown["blockers"]:
        response = page.request.get(blocker["href"])
        title = next(p.title for p in KITCHEN_FW.practices if p.id == blocker["id"])
        assert response.status == 200 and f">{title}<" in response.text(), blocker
    with page.expect_download() as csv:
        page.click("[data-action=csv]")
    assert re.fullmatch(r"kitchen-organisation-\d{4}-\d\d-\d\d\.csv", csv.value.suggested_filename)
    data = Path(csv.value.path()).read_bytes()
    _, expected = _cli(tmp_path, "org", *names, "--framework", str(KITCHEN), "--format", "csv")
    assert data == expected
    lines = data.decode("utf-8").split("\r\n")
    assert lines[0] == "team,file,evidenced_stage,self_estimate,reality_gap,storage,cleaning"
    assert lines[1].startswith("'=SUM(A1),export-02.json,")
    assert len(lines) == 1 + 21 + 1  # header, one row per team, the final line break


def test_org_page_takes_files_and_folders_dropped_or_chosen_and_starts_over(
    open_page: Opener, served_kitchen: ServedSite, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    files = _org_files(folder, count=4)
    (folder / "notes.txt").write_text("not an answers file", encoding="utf-8")
    (folder / "last-quarter").mkdir()  # a folder inside stays out, as in the CLI
    _write(folder / "last-quarter", "old.json", answers_file("kitchen", team="old"))
    session = _open(open_page, served_kitchen, "organisation/")
    page = session.page
    page.set_input_files("#mp-files", [str(files[0])])
    _finished(page, "org", 1)
    assert page.evaluate(ORG_SHOWN)["status"] == "1 file: 1 used, 0 left out."
    _drop(page, [folder])
    _finished(page, "org", 2)
    dropped = page.evaluate(ORG_SHOWN)
    # Named by their path in the folder, so the first file joins as another one.
    assert dropped["status"] == "8 files: 6 used, 2 left out."
    assert sorted(t["file"] for t in dropped["teams"]) == [
        "export-00.json",
        *(f"exports/export-0{i}.json" for i in range(4)),
        "exports/legacy.json",
    ]
    assert [line.split(":")[0] for line in dropped["leftOut"]] == [
        "exports/broken.json",
        "exports/mlops.json",
    ]
    # The same folder chosen through the folder input: the same names, so they replace.
    page.set_input_files("#mp-folder", str(folder))
    _finished(page, "org", 3)
    assert page.evaluate(ORG_SHOWN) == dropped
    (tmp_path / "export-00.json").write_bytes(files[0].read_bytes())
    code, out = _cli(
        tmp_path,
        "org",
        "export-00.json",
        "exports",
        "--framework",
        str(KITCHEN),
        "--format",
        "json",
    )
    assert code == 1
    for team in dropped["teams"]:
        for cell in team["cells"]:
            del cell["background"]
    assert dropped == _expected_org(json.loads(out), served_kitchen.url)
    page.click("[data-action=clear]")
    _finished(page, "org", 4)
    assert page.get_attribute("#mp-org", "data-state") == "empty"
    assert page.inner_text("#mp-reading-text") == "No files yet."
    assert page.locator("#mp-many-results").is_hidden()


def test_org_page_shows_a_hundred_teams_at_a_time(
    open_page: Opener, served_kitchen: ServedSite, tmp_path: Path
) -> None:
    files = _org_files(tmp_path, count=105)
    session = _open(open_page, served_kitchen, "organisation/")
    page = session.page
    page.set_input_files("#mp-files", [str(p) for p in files])
    _finished(page, "org", 1)
    code, out = _cli(
        tmp_path, "org", *(p.name for p in files), "--framework", str(KITCHEN), "--format", "json"
    )
    expected = [t["team"] for t in json.loads(out)["teams"]]
    assert code == 1 and len(expected) == 106
    shown = page.evaluate(ORG_SHOWN)
    assert [t["team"] for t in shown["teams"]] == expected[:100]
    assert page.inner_text("#mp-heat-page") == "Teams 1\u2013100 of 106"
    assert page.is_disabled("[data-page=previous]")
    page.click("[data-page=next]")
    page.wait_for_function(
        "() => document.getElementById('mp-heat-page').textContent === 'Teams 101\u2013106 of 106'"
    )
    assert [t["team"] for t in page.evaluate(ORG_SHOWN)["teams"]] == expected[100:]
    assert page.is_disabled("[data-page=next]")
    # The counts are of every team, not of the page shown.
    assert sum(int(count) for _, _, count in shown["counts"]) == 106


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_org_page_has_no_serious_accessibility_violation(
    open_page: Opener, served_kitchen: ServedSite, tmp_path: Path, scheme: str
) -> None:
    session = _open(open_page, served_kitchen, "organisation/")
    session.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    session.page.set_input_files("#mp-files", [str(p) for p in _org_files(tmp_path)])
    _finished(session.page, "org", 1)
    assert session.page.locator("#mp-heatmap").is_visible()
    assert _axe(session.page) == []


# --- under a plugin prefix -----------------------------------------------------------------------


def test_team_page_under_a_plugin_prefix_links_to_the_practices_there(
    browser: Browser, plugin_site: str, tmp_path: Path
) -> None:
    context = browser.new_context()
    context.set_default_timeout(30_000)
    failed: list[str] = []
    try:
        page = context.new_page()
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.goto(plugin_site + PREFIX + "team/", wait_until="domcontentloaded")
        page.wait_for_selector(
            "#mp-team[data-scorer=ready]", state="attached", timeout=LOAD_TIMEOUT
        )
        one = answers_file("kitchen", respondent="Kim", answers={"stock-rotation": "yes"})
        two = answers_file("kitchen", respondent="Ana", answers={"stock-rotation": "no"})
        paths = [_write(tmp_path, "kim.json", one), _write(tmp_path, "ana.json", two)]
        page.set_input_files("#mp-files", [str(p) for p in paths])
        _finished(page, "team", 1)
        shown = page.evaluate(TEAM_SHOWN)
        assert [d["href"] for d in shown["discuss"]] == [
            plugin_site + PREFIX + "practices/stock-rotation/"
        ]
        assert [row[0] for row in shown["respondents"]] == ["Kim", "Ana"]
        assert failed == []
    finally:
        context.close()
