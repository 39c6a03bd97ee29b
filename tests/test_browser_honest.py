"""Honest scoring on the assessment page, in the system Chromium: must-haves, N/A only where it is
honest, evidence per answer, blockers first, answer scales per question, groups and standards.

Same rules as test_browser.py (whose Session and page opener this module reuses): a fresh browser
context per test, waits on page state (`data-scored` reaching `data-changes`, storage, focus),
never on the clock, and nothing may leave the site's origin.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import test_browser
from browserfixtures import *  # noqa: F403 (fixtures)
from browserfixtures import ServedSite
from conftest import PANTRY, ROOT, cli_score
from hostile import XSS, answers_file
from test_browser import Opener, Session, _axe, _file

from assessor.cpython.load import load_framework

pytestmark = pytest.mark.browser
open_page = test_browser.open_page  # the fixture: a page in a fresh browser context

DEFAULT_DIR = ROOT / "framework"
DEFAULT = load_framework(DEFAULT_DIR)
PANTRY_FW = load_framework(PANTRY)
V2 = "maturity-playbook/answers@2"
SHOWN_EVIDENCE = """() => Object.fromEntries(
  [...document.querySelectorAll("fieldset[data-practice]")].map((f) => [f.dataset.practice,
    [...f.querySelectorAll("input[data-evidence-item]")]
      .filter((i) => i.getAttribute("aria-invalid") !== "true")
      .map((i) => i.value).filter((v) => v.trim())])
  .filter(([, items]) => items.length))"""
BLOCKERS = """() => {
  const box = document.getElementById("mp-blockers");
  return {next: box.dataset.nextStage, title: box.querySelector(".mp-blockers-title").textContent,
    items: [...box.querySelectorAll("li")].map((li) => ({id: li.dataset.practice,
      required: li.hasAttribute("data-required"), text: li.textContent,
      links: [...li.querySelectorAll("a")].map((a) => a.getAttribute("href"))})),
    why: box.querySelector(".mp-blockers-why")?.textContent ?? null};
}"""
LIST = """(selector) =>
  [...document.querySelectorAll(selector + " > li")].map((li) => li.textContent)"""
EVIDENCE_SAVED = """([key, id, items]) => {
  const raw = localStorage.getItem(key);
  const saved = raw === null ? [] : (JSON.parse(raw).evidence || {})[id] || [];
  return JSON.stringify(saved) === JSON.stringify(items);
}"""


def _pantry_file(**fields: Any) -> dict[str, Any]:
    return answers_file("pantry", format=V2, **fields)


def _percent(share: float) -> str:
    """As the page rounds a share (JavaScript's Math.round: halves go up)."""
    return f"{int(share * 100 + 0.5)}%"


def _blockers(session: Session) -> dict[str, Any]:
    session.wait_scored()
    blockers: dict[str, Any] = session.page.evaluate(BLOCKERS)
    return blockers


def _evidence_shown(session: Session) -> dict[str, list[str]]:
    shown: dict[str, list[str]] = session.page.evaluate(SHOWN_EVIDENCE)
    return shown


def _type_evidence(session: Session, practice: str, number: int, text: str) -> None:
    """Types into one evidence item and waits until this browser's storage has it."""
    session.page.fill(f"#ev-{practice}-{number}", text)
    items = _evidence_shown(session).get(practice, [])
    session.page.wait_for_function(EVIDENCE_SAVED, arg=[session.storage_key, practice, items])


def _import(session: Session, path: Path) -> None:
    """Imports an answers file through the toolbar and waits until it is shown and scored."""
    session.dismiss_messages()
    session.choose_file("import", path)
    session.page.wait_for_selector(
        f"#mp-messages .mp-message-title:text-is('Answers loaded from the file {path.name}')"
    )
    session.wait_scored()


def _open(open_page: Opener, site: ServedSite) -> Session:
    session = open_page(site)
    session.wait_ready()
    return session


# --- must-haves and the blockers ------------------------------------------------------------


def test_a_must_have_answered_partly_blocks_the_next_stage_and_names_it(
    open_page: Opener, served_pantry: ServedSite, tmp_path: Path
) -> None:
    pantry = _open(open_page, served_pantry)
    # Stage 1 (Stocked): shelf-labels (must-have, weight 1), stock-count (2), donation-log (1).
    pantry.answer({"stock-count": "all", "donation-log": "yes", "shelf-labels": "partial"})
    _type_evidence(pantry, "stock-count", 1, "count sheet, week 12")
    _type_evidence(pantry, "donation-log", 1, "https://pantry.example.org/donations")
    shown = _blockers(pantry)
    # Coverage (0.5 + 2 + 1) / 4 = 88% is above the 75% threshold: only the must-have blocks.
    assert shown == {
        "next": "stocked",
        "title": "To reach stage 1 (Stocked) you must still:",
        "items": [{
            "id": "shelf-labels", "required": True,
            "text": "Must-have: Every shelf is labelled — your answer: Sometimes "
                    "(go to the question)",
            "links": [served_pantry.page("practices/shelf-labels/"), "#q-shelf-labels"],
        }],
        "why": "Stage 1 needs a coverage of 75% (now 88%) and every must-have fully in place "
        "(1 is not). This is the shortest list that gets there: the must-haves, then open "
        "practices in roadmap order.",
    }  # fmt: skip
    assert pantry.results()["stage"] == "empty"
    roadmap = pantry.page.evaluate(LIST, ".mp-roadmap-list")
    assert roadmap[0] == (
        "Must-have: Every shelf is labelled — your answer: Sometimes; Shelves "
        "(back to the question)"
    )
    # The question link of the blocker leads to the question, on the same copy of the page (the
    # theme would render it again, and the answers would blink out meanwhile).
    pantry.page.evaluate("() => { document.getElementById('mp-assessment').dataset.copy = '1'; }")
    pantry.page.click("#mp-blockers a[href='#q-shelf-labels']")
    pantry.page.wait_for_function("() => location.hash === '#q-shelf-labels'")
    assert pantry.page.get_attribute("#mp-assessment", "data-copy") == "1"
    cli = cli_score(_pantry_file(**pantry.shown(), evidence=_evidence_shown(pantry)), PANTRY,
                    tmp_path)  # fmt: skip
    assert cli["next_stage"]["required_open"] == ["shelf-labels"]
    assert cli["next_stage"]["reachable_by"] == ["shelf-labels"]
    assert cli["next_stage"]["coverage"] == 0.875
    # Fully in place, with evidence: stage 1 is reached and stage 2 is named next.
    pantry.answer({"shelf-labels": "yes"})
    _type_evidence(pantry, "shelf-labels", 1, "photo of the labelled shelves")
    shown = _blockers(pantry)
    assert shown["next"] == "managed"
    assert shown["title"] == "To reach stage 2 (Managed) you must still:"
    assert pantry.results()["stage"] == "stocked"


def test_a_must_have_of_the_default_framework_blocks_its_stage(
    open_page: Opener, served_default: ServedSite, tmp_path: Path
) -> None:
    stage = DEFAULT.stages[1]
    members = [p for p in DEFAULT.practices if p.stage == stage.id]
    must = next(p for p in members if p.required)
    data = answers_file(
        DEFAULT.id, format=V2, framework={"id": DEFAULT.id, "version": DEFAULT.version},
        answers={p.id: "yes" for p in members},
        evidence={p.id: [f"https://git.example.com/{p.id}"] for p in members},
    )  # fmt: skip
    session = _open(open_page, served_default)
    _import(session, _file(tmp_path, "stage-1.json", data))
    assert _blockers(session)["next"] == DEFAULT.stages[2].id
    session.answer({must.id: "partial"})
    shown = _blockers(session)
    cli = cli_score(data | {"answers": {**data["answers"], must.id: "partial"}}, DEFAULT_DIR,
                    tmp_path)  # fmt: skip
    assert cli["next_stage"]["required_open"] == [must.id]
    assert cli["next_stage"]["reachable_by"] == [must.id]
    partly = next(o.label for o in DEFAULT.answer_scale if o.id == "partial")
    assert shown == {
        "next": stage.id,
        "title": f"To reach stage {stage.level} ({stage.title}) you must still:",
        "items": [{
            "id": must.id, "required": True,
            "text": f"Must-have: {must.title} — your answer: {partly} (go to the question)",
            "links": [served_default.page(f"practices/{must.id}/"), f"#q-{must.id}"],
        }],
        "why": f"Stage {stage.level} needs a coverage of {_percent(DEFAULT.stage_threshold)} "
        f"(now {_percent(cli['next_stage']['coverage'])}) and every must-have fully in place "
        "(1 is not). This is the shortest list that gets there: the must-haves, then open "
        "practices in roadmap order.",
    }  # fmt: skip
    assert session.results()["stage"] == cli["evidenced_stage"]["id"] == DEFAULT.stages[0].id


def test_the_top_stage_says_nothing_blocks(
    open_page: Opener, served_pantry: ServedSite, tmp_path: Path
) -> None:
    top = {p.id: [o.id for o in PANTRY_FW.scale_of(p)][-1] for p in PANTRY_FW.practices}
    data = _pantry_file(answers=top, evidence={pid: ["shown in the binder"] for pid in top})
    session = _open(open_page, served_pantry)
    _import(session, _file(tmp_path, "top.json", data))
    shown = _blockers(session)
    assert shown == {
        "next": "",
        "title": "You have reached the top stage, 3 (Trusted): no stage is left to reach.",
        "items": [],
        "why": None,
    }
    assert session.results()["stage"] == "trusted"


# --- evidence -------------------------------------------------------------------------------


def test_adding_evidence_to_a_yes_makes_it_count(
    open_page: Opener, served_pantry: ServedSite
) -> None:
    pantry = _open(open_page, served_pantry)
    pantry.answer({"shelf-labels": "yes", "stock-count": "all", "donation-log": "yes"})
    _type_evidence(pantry, "stock-count", 1, "count sheet")
    _type_evidence(pantry, "donation-log", 1, "the donation book")
    pantry.wait_scored()
    assert pantry.page.evaluate(LIST, ".mp-unevidenced") == [
        "Every shelf is labelled — your answer: Always, and we can show it Add evidence"
    ]
    blockers = _blockers(pantry)
    assert [i["text"] for i in blockers["items"]] == [
        "Must-have: Every shelf is labelled — your answer: Always, and we can show it, without "
        "evidence (go to the question)"
    ]
    # One click opens the question's evidence and puts the cursor in it.
    pantry.page.evaluate(
        "() => { document.querySelector('#q-shelf-labels details').open = false; }"
    )
    pantry.page.click("#mp-results button:text-is('Add evidence')")
    pantry.page.wait_for_function("() => document.activeElement?.id === 'ev-shelf-labels-1'")
    assert pantry.page.evaluate("() => document.querySelector('#q-shelf-labels details').open")
    pantry.page.keyboard.type("photo of the shelves, 3 May")
    pantry.wait_scored()
    assert pantry.page.locator(".mp-unevidenced").count() == 0
    assert pantry.results()["stage"] == "stocked"
    # Saved once typing pauses.
    pantry.page.wait_for_function(
        EVIDENCE_SAVED, arg=[pantry.storage_key, "shelf-labels", ["photo of the shelves, 3 May"]]
    )


def test_evidence_survives_reload_export_import_and_a_share_link(
    open_page: Opener, served_pantry: ServedSite, tmp_path: Path
) -> None:
    pantry = _open(open_page, served_pantry)
    pantry.answer({"cold-chain": "yes", "fridge-check": "partial"}, "managed")
    _type_evidence(pantry, "cold-chain", 1, "https://pantry.example.org/cold-log")
    pantry.page.click("#q-cold-chain button:text-is('Add an item')")
    pantry.page.wait_for_function("() => document.activeElement?.id === 'ev-cold-chain-2'")
    _type_evidence(pantry, "cold-chain", 2, "thermometer <b>by the door</b>")
    _type_evidence(pantry, "fridge-check", 1, "http://not-a-secure-link.example")
    expected = {
        "cold-chain": ["https://pantry.example.org/cold-log", "thermometer <b>by the door</b>"],
        "fridge-check": ["http://not-a-secure-link.example"],
    }
    assert _evidence_shown(pantry) == expected
    # Only the https: item became a link; the others stay text in their fields.
    links = pantry.page.evaluate(
        "() => [...document.querySelectorAll('.mp-ev-items a')].map((a) => a.getAttribute('href'))"
    )
    assert links == ["https://pantry.example.org/cold-log"]
    assert pantry.page.locator(".mp-ev-items b").count() == 0
    pantry.wait_scored()
    before = pantry.shown()
    result = pantry.results()
    # Reload.
    pantry.page.reload(wait_until="domcontentloaded")
    pantry.wait_ready()
    pantry.wait_scored()
    assert _evidence_shown(pantry) == expected
    assert pantry.page.input_value("#ev-cold-chain-2") == "thermometer <b>by the door</b>"
    assert pantry.results() == result
    # Export, reset, import.
    exported = pantry.export(tmp_path)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == V2
    assert data["evidence"] == expected
    pantry.reset()
    assert _evidence_shown(pantry) == {}
    assert pantry.stored() is None
    _import(pantry, exported)
    assert _evidence_shown(pantry) == expected
    assert pantry.shown() == before
    assert pantry.stored()["evidence"] == expected  # type: ignore[index]
    # A share link, opened in a fresh browser.
    url = pantry.share_link()
    fresh = open_page(served_pantry, url)
    fresh.wait_ready()
    fresh.page.wait_for_function("() => document.getElementById('ev-cold-chain-2') !== null")
    fresh.wait_scored()
    assert _evidence_shown(fresh) == expected
    assert fresh.shown() == before
    assert fresh.results() == result


def test_evidence_items_are_limited_and_script_links_are_refused(
    open_page: Opener, served_pantry: ServedSite, tmp_path: Path
) -> None:
    pantry = _open(open_page, served_pantry)
    add = pantry.page.locator("#q-waste-review button:text-is('Add an item')")
    for _ in range(9):
        add.click()
    assert pantry.page.locator("#q-waste-review input[data-evidence-item]").count() == 10
    assert add.is_disabled()
    labels = pantry.page.locator("#q-waste-review .mp-ev-items label").all_inner_texts()
    assert labels == [f"Evidence {n}" for n in range(1, 11)]
    assert pantry.page.get_attribute("#ev-waste-review-10", "maxlength") == "500"
    pantry.page.fill("#ev-waste-review-1", "x" * 600)
    assert pantry.page.input_value("#ev-waste-review-1") == "x" * 500
    # Removing an item frees a place again.
    pantry.page.click("#q-waste-review button[aria-label='Remove evidence 10']")
    assert pantry.page.locator("#q-waste-review input[data-evidence-item]").count() == 9
    assert add.is_enabled()
    # A script link is flagged and never saved; the other item is.
    pantry.page.fill("#ev-waste-review-2", "java\tscript:alert('pwned')")
    _type_evidence(pantry, "waste-review", 3, "waste sheet")
    assert pantry.page.get_attribute("#ev-waste-review-2", "aria-invalid") == "true"
    assert pantry.page.inner_text("#ev-waste-review-2-after") == (
        "“javascript:” links are not allowed and this item is not saved: give an https: link or "
        "text."
    )
    assert pantry.stored()["evidence"] == {"waste-review": ["x" * 500, "waste sheet"]}  # type: ignore[index]
    # Hostile evidence from a file stays text in the fields.
    data = _pantry_file(answers={"waste-review": "yes"}, evidence={"waste-review": [XSS]})
    _import(pantry, _file(tmp_path, "xss.json", data))
    assert pantry.page.input_value("#ev-waste-review-1") == XSS
    assert pantry.injected() == []
    assert pantry.pwned() is None
    assert pantry.page.locator("article img").count() == 0
    assert pantry.dialogs == []


# --- N/A, scales, groups, standards ---------------------------------------------------------


def test_na_is_offered_only_where_allowed(
    open_page: Opener, served_default: ServedSite, tmp_path: Path
) -> None:
    session = _open(open_page, served_default)
    offered = session.page.evaluate(
        "() => [...document.querySelectorAll('fieldset[data-practice]')]"
        ".filter((f) => f.querySelector('input[value=na]')).map((f) => f.dataset.practice)"
    )
    assert offered == [p.id for p in DEFAULT.practices if DEFAULT.accepts_not_applicable(p)]
    assert len(offered) < len(DEFAULT.practices)
    first = next(p for p in DEFAULT.practices if p.id == offered[0])
    when = session.page.inner_text(f"#q-{first.id} .mp-na-when")
    assert when == f"Honest only when: {' '.join(first.not_applicable_when.split())}"
    na = session.page.locator(f"#q-{first.id} input[value=na]")
    assert na.get_attribute("aria-describedby") == f"na-when-{first.id}"
    # An imported "na" where it is refused is kept, said at the question and listed.
    must = next(p for p in DEFAULT.practices if p.required)
    plain = next(p for p in DEFAULT.practices if not p.required and not p.not_applicable_when)
    data = answers_file(
        DEFAULT.id, format=V2, framework={"id": DEFAULT.id, "version": DEFAULT.version},
        answers={must.id: "na", plain.id: "na", first.id: "na"},
        notes={first.id: "We only score in batch."},
    )  # fmt: skip
    _import(session, _file(tmp_path, "na.json", data))
    cli = cli_score(data, DEFAULT_DIR, tmp_path)
    refused = [p for p in DEFAULT.practices if p.id in (must.id, plain.id)]
    assert cli["not_applicable_refused"] == [p.id for p in refused]
    assert session.page.evaluate(LIST, ".mp-refused") == [
        f"{p.title} (choose another answer)" for p in refused
    ]
    kept = session.page.inner_text(f"#q-{must.id} .mp-q-kept")
    assert kept == (
        "Your saved answer “not applicable” is not accepted for this question, so it counts as "
        "unanswered: choose one of the answers below."
    )
    assert session.page.locator(f"#q-{first.id} .mp-q-kept").count() == 0
    assert session.page.is_checked(f"#q-{first.id} input[value=na]")
    session.answer({must.id: "no"})
    session.wait_scored()
    assert session.page.locator(f"#q-{must.id} .mp-q-kept").count() == 0
    assert session.page.evaluate(LIST, ".mp-refused") == [f"{plain.title} (choose another answer)"]


def test_a_question_on_its_own_scale_offers_its_labels_and_scores_like_the_cli(
    open_page: Opener, served_pantry: ServedSite, tmp_path: Path
) -> None:
    pantry = _open(open_page, served_pantry)
    labels = pantry.page.locator("#q-stock-count .mp-option").all_inner_texts()
    assert [t.strip() for t in labels] == [
        "No shelf or slot", "Some of them", "At least half of them", "All of them"
    ]  # fmt: skip
    labels = pantry.page.locator("#q-cold-chain .mp-option").all_inner_texts()
    assert [t.strip() for t in labels] == ["No", "Yes"]
    answers = {"shelf-labels": "yes", "stock-count": "half", "donation-log": "na",
               "cold-chain": "yes", "pickup-slots": "some",
               "allergen-labels": "partial"}  # fmt: skip
    pantry.answer(answers, "managed")
    _type_evidence(pantry, "shelf-labels", 1, "photo")
    pantry.note("donation-log", "Everything is bought.")
    shown = pantry.results()
    data = _pantry_file(**pantry.shown(), evidence=_evidence_shown(pantry))
    cli = cli_score(data, PANTRY, tmp_path)
    assert shown["stage"] == cli["evidenced_stage"]["id"]
    assert shown["gap"] == cli["gap_statement"]
    assert [e["id"] for e in shown["roadmap"]] == [e["practice"] for e in cli["roadmap"]]
    assert shown["warnings"] == [w["message"] for w in cli["warnings"]]
    by_id = {e["id"]: e["text"] for e in shown["roadmap"]}
    assert by_id["stock-count"] == (
        "Stock is counted weekly — your answer: At least half of them; Shelves "
        "(back to the question)"
    )
    assert by_id["cold-chain"] == (
        "Must-have: Chilled donations are refused when warm — your answer: Yes, without evidence; "
        "Intake (back to the question)"
    )
    assert by_id["pickup-slots"] == (
        "Must-have: Pickups are booked in slots — your answer: Some of them; Distribution "
        "(back to the question)"
    )
    assert cli["unevidenced"] == ["cold-chain"]


def test_results_are_grouped_and_show_coverage_per_standard(
    open_page: Opener, served_pantry: ServedSite, tmp_path: Path
) -> None:
    pantry = _open(open_page, served_pantry)
    headings = pantry.page.locator("article h2, article h3[id^=cap-]").evaluate_all(
        "(hs) => hs.map((h) => h.id)"
    )
    assert headings[:6] == [
        "self-estimate", "group-keep", "cap-shelves", "cap-intake", "group-share",
        "cap-distribution",
    ]  # fmt: skip
    answers = {"shelf-labels": "yes", "stock-count": "all", "allergen-labels": "na",
               "cold-chain": "yes", "pickup-slots": "none"}  # fmt: skip
    pantry.answer(answers)
    _type_evidence(pantry, "shelf-labels", 1, "photo")
    _type_evidence(pantry, "cold-chain", 1, "https://pantry.example.org/log")
    pantry.note("allergen-labels", "Sealed goods only.")
    pantry.wait_scored()
    rows = pantry.page.locator(".mp-chart-text tbody tr").evaluate_all(
        "(rows) => rows.map((tr) => [...tr.children].map((cell) => cell.textContent))"
    )
    cli = cli_score(_pantry_file(**pantry.shown(), evidence=_evidence_shown(pantry)), PANTRY,
                    tmp_path)  # fmt: skip
    stage = {c["id"]: f"{c['stage']['level']} · {c['stage']['title']}" for c in cli["capabilities"]}
    assert rows == [
        ["Keeping stock"], ["Shelves", stage["shelves"]], ["Intake", stage["intake"]],
        ["Sharing food"], ["Distribution", stage["distribution"]],
    ]  # fmt: skip
    assert stage == {"shelves": "0 · Getting by", "intake": "0 · Getting by",
                     "distribution": "1 · Stocked"}  # fmt: skip
    groups = pantry.page.locator("svg.mp-chart .mp-chart-group").all_text_contents()
    assert groups == ["Keeping stock", "Sharing food"]
    # S1 and S3 in place; S2 (stock-count without evidence) and D1 open; D2 not applicable.
    assert pantry.page.evaluate(LIST, ".mp-standards") == [
        "Community Pantry Safety Guide: 2 of 5 labels in place (2 open, 1 not applicable)"
        "Open labels and what to finishS2: Stock is counted weeklyD1: Pickups are booked in slots"
    ]
    assert pantry.page.inner_text(".mp-standard-line") == (
        "Community Pantry Safety Guide: 2 of 5 labels in place"
    )
    links = pantry.page.locator(".mp-standards details a").evaluate_all(
        "(as) => as.map((a) => a.getAttribute('href'))"
    )
    assert links == [served_pantry.page("practices/stock-count/"),
                     served_pantry.page("practices/pickup-slots/")]  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_with_the_honest_parts(
    open_page: Opener, served_pantry: ServedSite, scheme: str, tmp_path: Path
) -> None:
    pantry = open_page(served_pantry)
    pantry.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    pantry.wait_ready()
    data = _pantry_file(
        answers={"shelf-labels": "partial", "stock-count": "all", "pickup-slots": "na",
                 "donation-log": "yes", "cold-chain": "yes"},
        evidence={"cold-chain": ["https://pantry.example.org/log", "a short note"]},
    )  # fmt: skip
    _import(pantry, _file(tmp_path, "mixed.json", data))
    pantry.page.fill("#ev-donation-log-1", "javascript:alert('pwned')")
    pantry.wait_scored()
    pantry.dismiss_messages()
    for part in ("#mp-blockers li", ".mp-unevidenced li", ".mp-refused li", ".mp-standards li",
                 ".mp-q-kept", ".mp-ev-error", ".mp-na-when", ".mp-must"):  # fmt: skip
        assert pantry.page.locator(part).first.is_visible(), part
    assert re.fullmatch(r"To reach stage 1 \(Stocked\) you must still:",
                        pantry.page.inner_text(".mp-blockers-title"))  # fmt: skip
    assert _axe(pantry.page) == []
