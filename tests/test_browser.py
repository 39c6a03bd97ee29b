"""The in-browser self-assessment, driven in the system Chromium against a locally served site.

Every test opens its own page in a fresh browser context (cold cache, empty storage) and builds
the state it needs itself, so any test runs alone (`pytest -k`) and in any order. Tests wait on
the page's state (`data-scorer`, `data-scored` reaching `data-changes`, storage, messages),
never on the clock. Nothing may leave the site's origin: such a request is aborted, recorded,
and fails the test when its pages are closed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import pytest
from browserfixtures import *  # noqa: F403 (fixtures)
from browserfixtures import AXE, ServedSite
from conftest import EXAMPLE, KITCHEN, ROOT, cli_score
from hostile import XSS, answers_file, hostile_files, hostile_links
from playwright.sync_api import Browser, BrowserContext, Dialog, Download, Page, Request, Route
from playwright.sync_api import Error as PlaywrightError

from assessor.answer_compare import compare
from assessor.answers import parse_answers
from assessor.cpython.load import load_framework

pytestmark = pytest.mark.browser

READY = "#mp-assessment[data-scorer=ready]"
FAILED = "#mp-assessment[data-scorer=failed]"
SCORED = """() => {
  const root = document.getElementById("mp-assessment");
  return !!root && root.dataset.scorer === "ready" && root.dataset.scored === root.dataset.changes;
}"""
SHOWN = """() => {
  const answers = {}, notes = {};
  for (const fieldset of document.querySelectorAll("fieldset[data-practice]")) {
    const checked = fieldset.querySelector("input[type=radio]:checked");
    if (checked) answers[fieldset.dataset.practice] = checked.value;
    const note = fieldset.querySelector("textarea");
    if (note && note.value) notes[fieldset.dataset.practice] = note.value;
  }
  const self = document.querySelector("input[name=self-estimate]:checked");
  return {self_estimate: self ? (self.value || null) : null, answers, notes};
}"""
RESULTS = """() => ({
  stage: document.getElementById("mp-evidenced-stage").dataset.stage,
  gap: document.getElementById("mp-gap").textContent,
  roadmap: [...document.querySelectorAll(".mp-roadmap li[data-practice]")].map((li) => ({
    id: li.dataset.practice, href: li.querySelector("a").href, text: li.textContent})),
  warnings: [...document.querySelectorAll(".mp-warnings li")].map((li) => li.textContent),
})"""
FIRST_MESSAGE = """() => {
  const m = document.querySelector("#mp-messages .mp-message");
  if (!m) return null;
  return {kind: m.className, title: m.querySelector(".mp-message-title").textContent,
          details: [...m.querySelectorAll("li")].map((li) => li.textContent)};
}"""
NOTE_SAVED = """([key, id, text]) => {
  const raw = localStorage.getItem(key);
  return raw !== null && (JSON.parse(raw).notes || {})[id] === text;
}"""
# Installed before any page script: records every element that could run a hostile payload (an
# inline handler or script) the moment it is inserted, so no test has to wait for one to fire.
WATCH_INJECTION = """(() => {
  window.__injected = [];
  const hostile = /pwned|alert\\(/;
  const look = (el) => {
    const handler = [...el.attributes].some((a) => /^on/.test(a.name) && hostile.test(a.value));
    const script = el.tagName === "SCRIPT" && hostile.test(el.textContent);
    if (handler || script) {
      window.__injected.push(el.outerHTML.slice(0, 200));
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "attributes") look(record.target);
      for (const node of record.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        look(node);
        node.querySelectorAll("*").forEach(look);
      }
    }
  }).observe(document, {childList: true, subtree: true, attributes: true});
})();"""
KITCHEN_FW = load_framework(KITCHEN)
LABELS = {o.id: o.label for o in KITCHEN_FW.answer_scale}
CAPABILITY_TITLES = {c.id: c.title for c in KITCHEN_FW.capabilities}
LOAD_TIMEOUT = 90_000
# A kitchen assessment with every kind of answer; its roadmap starts at cleaning-schedule.
CASE = answers_file(
    "kitchen",
    self_estimate="mastery",
    answers={"labelled-leftovers": "yes", "fridge-thermometer": "no",
             "separate-boards": "yes", "cleaning-schedule": "partial",
             "stock-rotation": "na"},
)  # fmt: skip
# An export of the previous version 0.9: one renamed practice, one this version does not have.
OLDER = answers_file(
    "kitchen",
    framework={"id": "kitchen", "version": "0.9"},
    answers={"labelled-leftovers": "partial", "first-in-first-out": "yes", "sous-vide": "no"},
    notes={"sous-vide": "we sold the machine"},
)


@dataclass
class Session:
    """One browser page on the site, with everything it requested and every dialog."""

    page: Page
    site: ServedSite
    log_start: int  # where this page's requests begin in the server's log
    requests: list[tuple[float, Request]] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # aborted: they left the site's origin
    dialogs: list[str] = field(default_factory=list)
    confirms: list[str] = field(default_factory=list)
    ready_at: float | None = None

    def wait_ready(self) -> None:
        self.page.wait_for_selector(READY, state="attached", timeout=LOAD_TIMEOUT)
        if self.ready_at is None:
            self.ready_at = time.monotonic()

    def wait_scored(self) -> None:
        self.page.wait_for_function(SCORED, timeout=LOAD_TIMEOUT)

    def answer(self, answers: dict[str, str], self_estimate: str | None = None) -> None:
        for pid, value in answers.items():
            self.page.check(f"#q-{pid} input[value='{value}']")
        if self_estimate is not None:
            self.page.check(f"input[name=self-estimate][value='{self_estimate}']")

    def shown(self) -> dict[str, Any]:
        shown: dict[str, Any] = self.page.evaluate(SHOWN)
        return shown

    @property
    def storage_key(self) -> str:
        framework_id = self.page.get_attribute("#mp-assessment", "data-framework-id")
        return f"maturity-playbook:{framework_id}:answers"

    def stored(self) -> dict[str, Any] | None:
        raw = self.page.evaluate("(key) => localStorage.getItem(key)", self.storage_key)
        return None if raw is None else dict(json.loads(raw))

    def results(self) -> dict[str, Any]:
        self.wait_scored()
        results: dict[str, Any] = self.page.evaluate(RESULTS)
        return results

    def note(self, practice_id: str, text: str) -> None:
        self.page.evaluate(
            "(id) => { document.getElementById(id).closest('details').open = true; }",
            f"note-{practice_id}",
        )
        self.page.fill(f"#note-{practice_id}", text)
        # Notes are saved after a pause in typing: wait until this browser's storage has it.
        self.page.wait_for_function(NOTE_SAVED, arg=[self.storage_key, practice_id, text])

    def reset(self) -> None:
        self.page.click("[data-action=reset]")
        self.page.wait_for_function("() => !document.querySelector('fieldset input:checked')")
        self.wait_scored()

    def dismiss_messages(self) -> None:
        self.page.evaluate(
            "() => document.querySelectorAll('#mp-messages .mp-message').forEach((m) => m.remove())"
        )

    def first_message(self) -> dict[str, Any]:
        """The newest message: its class, its title and its detail lines."""
        # Waited for and read in one step: a message replaced in between cannot be missed.
        found = self.page.wait_for_function(FIRST_MESSAGE, timeout=LOAD_TIMEOUT)
        message: dict[str, Any] = found.json_value()
        return message

    def choose_file(self, action: str, path: Path) -> None:
        with self.page.expect_file_chooser() as chooser:
            self.page.click(f"[data-action={action}]")
        chooser.value.set_files(str(path))

    def download(self, action: str) -> Download:
        with self.page.expect_download() as download:
            self.page.click(f"[data-action={action}]")
        return download.value

    def export(self, folder: Path) -> Path:
        """Export the answers through the toolbar; returns the saved file."""
        download = self.download("export")
        path = folder / download.suggested_filename
        download.save_as(path)
        return path

    def share_link(self) -> str:
        """Make a share link through the toolbar; returns it."""
        self.page.click("[data-action=share]")
        self.page.wait_for_function("() => document.getElementById('mp-share-url').value !== ''")
        return self.page.input_value("#mp-share-url")

    def pwned(self) -> Any:
        return self.page.evaluate("() => window.__pwned")

    def injected(self) -> list[str]:
        return list(self.page.evaluate("() => window.__injected"))

    def served(self) -> list[tuple[str, str, str | None]]:
        """What the server was asked for since this page was opened: (method, path, length)."""
        return [(r.method, r.path, r.length) for r in self.site.log[self.log_start :]]


class Opener(Protocol):
    def __call__(
        self,
        site: ServedSite,
        url: str | None = None,
        *,
        before: Callable[[BrowserContext], None] | None = None,
    ) -> Session: ...


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Opener]:
    """Opens a page of a served site in a fresh browser context; `before` prepares the context."""
    contexts: list[BrowserContext] = []
    sessions: list[Session] = []

    def open_(
        site: ServedSite,
        url: str | None = None,
        *,
        before: Callable[[BrowserContext], None] | None = None,
    ) -> Session:
        # No service worker: it would answer requests these tests route or block (the offline
        # copy has its own tests in test_browser_offline.py).
        context = browser.new_context(accept_downloads=True, service_workers="block")
        contexts.append(context)
        context.set_default_timeout(30_000)
        context.add_init_script(WATCH_INJECTION)
        page = context.new_page()
        session = Session(page, site, len(site.log))
        sessions.append(session)
        origin = site.url.rstrip("/")

        def leaves_the_site(url: str) -> bool:
            return not url.startswith((site.url, f"blob:{origin}/", "data:"))

        def abort(route: Route) -> None:
            session.foreign.append(route.request.url)
            route.abort()

        context.route(leaves_the_site, abort)
        if before is not None:
            before(context)
        page.on("request", lambda r: session.requests.append((time.monotonic(), r)))

        def on_dialog(dialog: Dialog) -> None:
            if dialog.type == "confirm" and dialog.message.startswith("Erase your"):
                session.confirms.append(dialog.message)
                dialog.accept()
            else:
                session.dialogs.append(f"{dialog.type}: {dialog.message}")
                dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(url or site.page(), wait_until="domcontentloaded")
        return session

    yield open_
    for context in contexts:
        context.close()
    assert [s.foreign for s in sessions] == [[] for _ in sessions], "requests left the site"


@pytest.fixture
def kitchen(open_page: Opener, served_kitchen: ServedSite) -> Session:
    """A fresh kitchen assessment page, opened but not yet waited for."""
    return open_page(served_kitchen)


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ` +
      v.nodes.map((n) => `${n.target.join(" ")} (${n.failureSummary})`).join(", "));
}"""
TWO_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
NO_TRANSITION = "() => !document.getAnimations().some((a) => a instanceof CSSTransition)"


def _axe(page: Page) -> list[str]:
    """Serious and critical axe-core violations on the page (axe injected from node_modules)."""
    if not page.evaluate("() => !!window.axe"):
        # Evaluated through the browser's debugging protocol: the page's Content-Security-Policy
        # blocks the inline <script> that add_script_tag would insert.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    # The pointer parks where the last click was; a hover colour caught mid-transition (the
    # theme animates them) is not what anyone reads. Move it away, let the page render that,
    # and wait until no transition runs.
    page.mouse.move(0, 0)
    page.evaluate(TWO_FRAMES)
    page.wait_for_function(NO_TRANSITION)
    return list(page.evaluate(AXE_RUN))


def _file(tmp_path: Path, name: str, data: bytes | dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode("utf-8"))
    return path


def _answer_label(answer: str | None) -> str:
    """How the page names an answer (render.mjs answerLabel)."""
    if answer is None:
        return "unanswered"
    return "not applicable" if answer == "na" else LABELS[answer]


def _stage_name(stage: dict[str, Any]) -> str:
    return f"{stage['level']} · {stage['title']}"


def _shown_warnings(result: dict[str, Any]) -> list[str]:
    """The warnings of a CLI result as the page lists them (with the button that forgets)."""
    forget = {"unknown-practices": " Forget these answers"}
    return [w["message"] + forget.get(w["code"], "") for w in result["warnings"]]


# --- answering and results ------------------------------------------------------------------


def test_questions_are_answerable_while_python_loads(kitchen: Session) -> None:
    page = kitchen.page
    # The self-estimate is the first question on the page.
    first = page.evaluate("() => document.querySelector('fieldset').id")
    assert first == "q-self-estimate"
    legend = page.inner_text("#q-self-estimate legend")
    assert legend == "Which stage do you believe your team is at?"
    # Answer at once: the click may even come before the page module runs, which then counts it.
    kitchen.answer({"labelled-leftovers": "yes"}, self_estimate="mastery")
    page.wait_for_function("() => document.getElementById('mp-answered').textContent === '1'")
    scorer, status = page.evaluate(
        "() => [document.getElementById('mp-assessment').dataset.scorer,"
        " document.getElementById('mp-scorer').textContent]"
    )
    # Python usually is still loading here, but nothing makes it wait for this test.
    if scorer == "loading":
        assert re.fullmatch(r"Loading the scorer: .+ The questions work meanwhile\.", status)
    else:
        assert scorer == "ready"
        assert status == "Scorer ready: the results below update with every answer."
    assert _axe(page) == []
    kitchen.wait_ready()
    assert kitchen.results()["stage"] == "basic"
    assert page.inner_text("#mp-answered") == "1"
    assert kitchen.shown()["self_estimate"] == "mastery"


def test_displayed_results_equal_the_cli(kitchen: Session, tmp_path: Path) -> None:
    kitchen.answer(CASE["answers"], CASE["self_estimate"])
    shown = kitchen.results()
    cli = cli_score(CASE, KITCHEN, tmp_path)
    assert shown["stage"] == cli["evidenced_stage"]["id"]
    assert shown["gap"] == cli["gap_statement"]
    assert shown["gap"] == (
        "You believe stage 2 (Mastery); your evidence supports stage 0 (Getting by): "
        "you overestimate by 2 stages."
    )
    assert [e["id"] for e in shown["roadmap"]] == [e["practice"] for e in cli["roadmap"]]
    assert [e["href"] for e in shown["roadmap"]] == [
        kitchen.site.page(e["url"]) for e in cli["roadmap"]
    ]
    assert [e["text"] for e in shown["roadmap"]] == [
        f"{e['title']} — your answer: {_answer_label(e['answer'])}; "
        f"{CAPABILITY_TITLES[e['capability']]} (back to the question)"
        for e in cli["roadmap"]
    ]
    assert shown["warnings"] == _shown_warnings(cli)
    chart = kitchen.page.locator("svg.mp-chart")
    assert chart.get_attribute("role") == "img"
    summary = "; ".join(
        f"{c['title']}: stage {_stage_name(c['stage'])}" for c in cli["capabilities"]
    )
    assert chart.get_attribute("aria-label") == f"Stage reached per capability. {summary}."
    rows = kitchen.page.locator(".mp-chart-text tbody tr").all_inner_texts()
    assert len(rows) == len(cli["capabilities"])
    risks = kitchen.page.locator(".mp-risks tbody tr").all_inner_texts()
    assert len(risks) == len(cli["risks"])
    assert kitchen.page.inner_text("#mp-summary-stage") == "0 · Getting by"


def test_instant_navigation_keeps_python_and_roadmap_links_open_practice_pages(
    kitchen: Session,
) -> None:
    page = kitchen.page
    kitchen.answer(CASE["answers"], CASE["self_estimate"])
    page.evaluate("() => { window.__samePage = true; }")
    first = kitchen.results()["roadmap"][0]
    page.click(f".mp-roadmap li[data-practice='{first['id']}'] a.mp-practice-link")
    page.wait_for_url(kitchen.site.page(f"practices/{first['id']}/"))
    practice = next(p for p in KITCHEN_FW.practices if p.id == first["id"])
    page.wait_for_function(
        "(title) => document.querySelector('article h1')?.firstChild?.textContent.trim() === title",
        arg=practice.title,
    )
    assert page.evaluate("() => window.__samePage") is True, "instant navigation reloaded the page"
    # Back through the practice page's own link to its question.
    page.click(f"article a[href$='assessment/#q-{first['id']}']")
    page.wait_for_selector("#mp-assessment", state="attached")
    page.wait_for_function(f"() => location.hash === '#q-{first['id']}'")
    assert page.evaluate("() => window.__samePage") is True
    kitchen.wait_scored()
    assert kitchen.shown()["answers"] == CASE["answers"]
    kitchen.answer({"fridge-thermometer": "yes", "stock-rotation": "yes"})
    assert kitchen.results()["stage"] == "routine"
    assert page.get_attribute("#mp-assessment", "data-scorer-starts") == "1"
    wasm = [r for _, r in kitchen.requests if r.url.endswith("/pyodide.asm.wasm")]
    assert len(wasm) == 1, "Pyodide was started more than once"
    assert len([r for _, r in kitchen.requests if r.url.endswith("/worker.mjs")]) == 1


def test_print_shows_the_results_as_a_report(kitchen: Session) -> None:
    page = kitchen.page
    kitchen.answer(CASE["answers"], CASE["self_estimate"])
    kitchen.wait_scored()
    page.emulate_media(media="print")
    assert page.locator("#mp-results-body").is_visible()
    assert page.locator("svg.mp-chart").is_visible()
    assert page.locator(".mp-roadmap li").first.is_visible()
    assert not page.locator("#q-labelled-leftovers").is_visible()
    assert not page.locator("#mp-toolbar").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()


def test_reload_keeps_the_answers(kitchen: Session) -> None:
    kitchen.answer(CASE["answers"], CASE["self_estimate"])
    kitchen.note("cleaning-schedule", "Signed on Fridays")
    kitchen.wait_scored()
    before = kitchen.shown()
    result = kitchen.results()
    kitchen.page.reload(wait_until="domcontentloaded")
    # The stored answers are back as soon as the page's module runs, whether Python is ready.
    kitchen.page.wait_for_selector("#mp-assessment[data-changes]", state="attached")
    assert kitchen.page.get_attribute("#mp-assessment", "data-scorer") in ("loading", "ready")
    assert kitchen.shown() == before
    kitchen.wait_ready()
    assert kitchen.results() == result
    assert kitchen.page.locator("#mp-messages .mp-message--error").count() == 0


# --- export, import, compare, share -------------------------------------------------------------


def test_export_reset_import_restores_the_answers(kitchen: Session, tmp_path: Path) -> None:
    page = kitchen.page
    kitchen.answer(CASE["answers"], CASE["self_estimate"])
    kitchen.note("cleaning-schedule", "Signed by Kim 'n' Lee <b>every</b> Friday")
    kitchen.wait_scored()
    before = kitchen.shown()
    assert kitchen.stored() is not None
    assert kitchen.stored()["notes"] == before["notes"]  # type: ignore[index]
    exported = kitchen.export(tmp_path)
    assert re.fullmatch(r"kitchen-answers-\d{4}-\d\d-\d\d\.json", exported.name)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["answers"] == before["answers"]
    assert data["notes"] == before["notes"]
    assert data["framework"] == {"id": "kitchen", "version": "1.0"}
    # The Markdown report is the CLI's report of the same answers file.
    report = kitchen.download("report").path().read_text(encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "assessor", "report", str(exported), "--framework", str(KITCHEN),
         "--base-url", kitchen.site.url],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert report == cli.stdout
    kitchen.reset()
    assert kitchen.confirms == [
        "Erase your 5 answers, your notes and your self-estimate from this page and this "
        "browser? Export them first if you may need them."
    ]
    assert kitchen.shown() == {"self_estimate": None, "answers": {}, "notes": {}}
    assert kitchen.stored() is None
    kitchen.choose_file("import", exported)
    kitchen.wait_scored()
    page.wait_for_function("(n) => document.getElementById('mp-answered').textContent === n",
                           arg=str(len(before["answers"])))  # fmt: skip
    assert kitchen.shown() == before
    assert kitchen.first_message()["title"] == f"Answers loaded from the file {exported.name}"
    assert kitchen.stored()["answers"] == before["answers"]  # type: ignore[index]


def test_undo_brings_back_the_answers_an_import_replaced(kitchen: Session, tmp_path: Path) -> None:
    kitchen.answer(CASE["answers"], CASE["self_estimate"])
    kitchen.note("cleaning-schedule", "Signed on Fridays")
    kitchen.wait_scored()
    before = kitchen.shown()
    kitchen.choose_file("import", _file(tmp_path, "older.json", OLDER))
    kitchen.page.click("#mp-messages button:text-is('Undo: bring back my previous answers')")
    kitchen.page.wait_for_selector(
        "#mp-messages .mp-message-title:text-is('Your previous answers are back.')"
    )
    kitchen.wait_scored()
    assert kitchen.shown() == before
    stored = kitchen.stored()
    assert stored is not None
    assert {k: stored[k] for k in before} == before


def _compare_with_own_export(kitchen: Session, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """Answer CASE, export it, change three answers, compare with the export: (export, shown)."""
    kitchen.answer(CASE["answers"], CASE["self_estimate"])
    kitchen.wait_scored()
    earlier = kitchen.export(tmp_path)
    kitchen.answer(
        {"labelled-leftovers": "no", "separate-boards": "yes", "deep-clean-audit": "yes"}
    )
    kitchen.wait_scored()
    current = kitchen.shown()
    kitchen.choose_file("compare", earlier)
    kitchen.page.wait_for_selector("#mp-comparison:not([hidden]) h3")
    return earlier, current


def _direction_text(change: dict[str, Any]) -> str:
    if change["direction"] == "improved":
        return f"improved by {change['change']}"
    if change["direction"] == "regressed":
        return f"regressed by {-change['change']}"
    return "unchanged"


def test_compare_with_an_earlier_export(kitchen: Session, tmp_path: Path) -> None:
    earlier, current = _compare_with_own_export(kitchen, tmp_path)
    expected = compare(
        KITCHEN_FW,
        parse_answers(earlier.read_bytes(), KITCHEN_FW),
        parse_answers(answers_file("kitchen", **current), KITCHEN_FW),
    )
    message = kitchen.first_message()
    assert message["title"] == f"Compared with {earlier.name}"
    assert message["details"] == ["The comparison is at the end of the results."]
    box = kitchen.page.locator("#mp-comparison")
    groups = [
        ("improved", "Improved"),
        ("regressed", "Regressed"),
        ("changed", "Changed to or from “not applicable”, or answered with no change in credit"),
    ]
    assert expected["practices"]["improved"] and expected["practices"]["regressed"]
    headings = [
        f"{title} ({len(expected['practices'][key])})"
        for key, title in groups
        if expected["practices"][key]
    ]
    assert box.locator("h4").all_inner_texts() == headings
    for key, title in groups:
        entries = expected["practices"][key]
        if not entries:
            continue
        heading = f"{title} ({len(entries)})"
        items = box.locator(f"h4:text-is('{heading}') + ul li").all_inner_texts()
        assert items == [
            f"{e['title']}: {_answer_label(e['earlier'])} → {_answer_label(e['current'])}"
            for e in entries
        ]
    overall = expected["overall"]
    assert box.locator(".mp-compare-overall").inner_text() == (
        f"Evidenced stage: {_stage_name(overall['earlier'])} → "
        f"{_stage_name(overall['current'])} ({_direction_text(overall)})."
    )
    rows = box.locator(".mp-compare-table tbody tr")
    assert rows.count() == len(KITCHEN_FW.capabilities)
    directions = [rows.nth(i).get_attribute("data-direction") for i in range(rows.count())]
    assert directions == [c["direction"] for c in expected["capabilities"]]


def test_older_version_import_lists_the_orphans(kitchen: Session, tmp_path: Path) -> None:
    kitchen.wait_ready()
    kitchen.choose_file("import", _file(tmp_path, "older.json", OLDER))
    message = kitchen.first_message()
    assert message["kind"] == "mp-message mp-message--success"
    assert message["title"] == "Answers loaded from the file older.json"
    assert message["details"] == [
        "2 answers loaded from the file older.json.",
        "They were given for version 0.9 of this playbook; this is version 1.0.",
        "“first-in-first-out” is now called “stock-rotation”: its answer was carried over.",
        "1 answers name practices this version does not have; they are kept with your answers"
        " but not scored: sous-vide (no).",
    ]
    kitchen.wait_scored()
    assert kitchen.shown()["answers"] == {"labelled-leftovers": "partial", "stock-rotation": "yes"}
    stored = kitchen.stored()
    assert stored is not None
    assert stored["answers"] == {
        "labelled-leftovers": "partial", "stock-rotation": "yes", "sous-vide": "no"
    }  # fmt: skip
    warnings = kitchen.results()["warnings"]
    assert warnings == _shown_warnings(cli_score(stored, KITCHEN, tmp_path))
    assert any("sous-vide" in w for w in warnings)
    kitchen.page.click(".mp-warnings button:has-text('Forget these answers')")
    kitchen.wait_scored()
    stored = kitchen.stored()
    assert stored is not None
    assert stored["answers"] == {"labelled-leftovers": "partial", "stock-rotation": "yes"}
    assert stored["notes"] == {}
    warnings = kitchen.results()["warnings"]
    assert warnings == _shown_warnings(cli_score(stored, KITCHEN, tmp_path))
    assert not any("sous-vide" in w for w in warnings)


def test_share_link_restores_the_answers_in_a_fresh_browser(
    kitchen: Session, open_page: Opener
) -> None:
    kitchen.answer({"separate-boards": "yes", "cleaning-schedule": "no"}, "routine")
    kitchen.wait_scored()
    expected = kitchen.shown()
    url = kitchen.share_link()
    assert url.startswith(kitchen.site.page() + "#a=")
    assert urlsplit(url).query == ""
    fresh = open_page(kitchen.site, url)
    fresh.wait_ready()
    fresh.wait_scored()
    fresh.page.wait_for_function("() => location.hash === ''")
    assert fresh.shown() == expected
    assert fresh.stored() is not None
    assert fresh.stored()["answers"] == expected["answers"]  # type: ignore[index]
    assert fresh.first_message()["title"] == "Answers loaded from the share link"
    # The answers travelled in the fragment only: the server never saw them.
    fragment = urlsplit(url).fragment
    for _, path, _ in fresh.served():
        assert "#" not in path and "a=" not in path and fragment[2:40] not in path


# --- hostile input ------------------------------------------------------------------------------


def _baseline(kitchen: Session) -> dict[str, Any]:
    kitchen.answer({"labelled-leftovers": "yes", "fridge-thermometer": "partial"}, "routine")
    kitchen.note("fridge-thermometer", "baseline note")
    kitchen.wait_scored()
    kitchen.dismiss_messages()
    return kitchen.shown()


@pytest.mark.parametrize("source", ["files", "links"])
def test_hostile_imports_and_share_links_change_nothing(
    kitchen: Session, tmp_path: Path, source: str
) -> None:
    baseline = _baseline(kitchen)
    stored = kitchen.stored()
    cases: list[tuple[str, bytes | str]] = []
    if source == "files":
        cases += hostile_files("kitchen", "labelled-leftovers")
    else:
        cases += hostile_links("kitchen", "labelled-leftovers")
    assert len(cases) >= 8
    for name, content in cases:
        kitchen.dismiss_messages()
        if isinstance(content, bytes):
            kitchen.choose_file("import", _file(tmp_path, f"{name}.json", content))
            expected_title = f"{name}.json was not imported"
        else:
            # Opened as a new page load, as a link from a chat or a mail is. (A link to the page
            # already open changes only the fragment; the theme then may show a new copy of the
            # page a moment later, which no page state announces for a test to wait on.)
            kitchen.page.goto("about:blank")
            kitchen.page.goto(kitchen.site.page() + "#" + content)
            expected_title = "The share link could not be used"
        message = kitchen.first_message()
        assert message["title"] == expected_title, (name, message)
        assert message["kind"] == "mp-message mp-message--error", name
        assert message["details"][-1] == "Your answers are unchanged.", name
        assert len("".join(message["details"])) < 3000, name
        assert kitchen.shown() == baseline, name
        assert kitchen.stored() == stored, name
        assert not kitchen.page.evaluate("() => location.hash.startsWith('#a=')"), name
        assert kitchen.page.locator("#mp-messages img, #mp-messages script").count() == 0, name
    assert kitchen.injected() == []
    assert kitchen.pwned() is None
    assert kitchen.dialogs == []


def test_html_in_a_note_stays_text(kitchen: Session, tmp_path: Path) -> None:
    kitchen.wait_ready()
    data = answers_file(
        "kitchen", answers={"labelled-leftovers": "yes"}, notes={"labelled-leftovers": XSS}
    )
    kitchen.choose_file("import", _file(tmp_path, "note.json", data))
    kitchen.page.wait_for_function(
        "(xss) => document.getElementById('note-labelled-leftovers').value === xss", arg=XSS
    )
    kitchen.wait_scored()
    report = kitchen.download("report").path().read_text(encoding="utf-8")
    # The CLI's report escapes Markdown and HTML in notes: the tag is shown, never rendered.
    assert "\\<img" in report
    assert re.search(r"(?<!\\)<img", report) is None
    assert kitchen.page.locator("article img").count() == 0
    # No element that could run the payload was ever inserted, so none can fire later.
    assert kitchen.injected() == []
    assert kitchen.pwned() is None
    assert kitchen.dialogs == []


# --- accessibility ------------------------------------------------------------------------------


def _luminance(css_color: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"[\d.]+", css_color)[:3])

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def _contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


CHART_COLOURS = """() => ({
  text: getComputedStyle(document.querySelector(".mp-chart-label")).fill,
  bar: getComputedStyle(document.querySelector(".mp-chart-bar--reached")).fill,
  background: getComputedStyle(document.body).backgroundColor,
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_with_results(
    kitchen: Session, tmp_path: Path, scheme: str
) -> None:
    kitchen.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    _compare_with_own_export(kitchen, tmp_path)
    kitchen.wait_scored()
    assert kitchen.page.locator("#mp-results-body").is_visible()
    assert kitchen.page.locator("#mp-comparison h3").is_visible()
    assert _axe(kitchen.page) == []
    # axe does not check SVG text: the chart's labels and bars must stand out in both schemes.
    colours = kitchen.page.evaluate(CHART_COLOURS)
    assert _contrast(colours["text"], colours["background"]) >= 4.5, colours
    assert _contrast(colours["bar"], colours["background"]) >= 3, colours


# --- what leaves the browser --------------------------------------------------------------------


def test_every_request_stays_on_the_site_and_none_carries_answers(
    kitchen: Session, tmp_path: Path
) -> None:
    """One full session: answers and notes, export, report, share, import, compare, reload."""
    kitchen.answer(CASE["answers"], CASE["self_estimate"])
    kitchen.wait_ready()
    kitchen.note("cleaning-schedule", "Signed by Kim")
    kitchen.note("fridge-thermometer", XSS)
    kitchen.wait_scored()
    exported = kitchen.export(tmp_path)
    kitchen.download("report")
    kitchen.share_link()
    kitchen.choose_file("import", _file(tmp_path, "older.json", OLDER))  # notes "sous-vide"
    kitchen.page.wait_for_selector(
        "#mp-messages .mp-message-title:text-is('Answers loaded from the file older.json')"
    )
    kitchen.choose_file("compare", exported)
    kitchen.page.wait_for_selector("#mp-comparison:not([hidden]) h3")
    kitchen.note("labelled-leftovers", "baseline check")
    kitchen.page.reload(wait_until="domcontentloaded")
    kitchen.wait_ready()
    kitchen.wait_scored()
    assert kitchen.ready_at is not None
    origin = kitchen.site.url.rstrip("/")
    urls = [r.url for _, r in kitchen.requests]
    assert urls, "no request was logged"
    foreign = [
        u for u in urls if not (u.startswith(origin + "/") or u.startswith("blob:" + origin))
    ]
    assert foreign == []
    assert kitchen.foreign == []
    notes = ["baseline", "Kim", "pwned", "sous-vide"]
    for stamp, request in kitchen.requests:
        assert request.method == "GET", request.url
        assert request.post_data is None, request.url
        if stamp > kitchen.ready_at:
            parts = urlsplit(request.url)
            assert parts.query == "", request.url
            assert not any(n in parts.path for n in notes), request.url
    served = kitchen.served()
    assert served, "the server logged no request"
    assert all(method == "GET" for method, _, _ in served)
    assert not any("?" in path for _, path, _ in served)
    assert kitchen.dialogs == []


def test_a_request_that_leaves_the_site_is_aborted_and_recorded(kitchen: Session) -> None:
    # The page's Content-Security-Policy stops a script's request before it is sent...
    outcome = kitchen.page.evaluate(
        "() => fetch('http://foreign.invalid/beacon').then(() => 'sent', (e) => e.name)"
    )
    assert outcome == "TypeError"
    assert kitchen.foreign == []
    # ...and a navigation, which no policy restricts, is aborted and recorded by the guard.
    with pytest.raises(PlaywrightError, match="net::ERR_FAILED"):
        kitchen.page.goto("http://foreign.invalid/beacon")
    assert kitchen.foreign == ["http://foreign.invalid/beacon"]
    kitchen.foreign.clear()  # expected here; anywhere else it fails the test at teardown


# --- loading: instant navigation, failures, saved values, other frameworks ---------------------


def test_first_visit_by_instant_navigation_starts_python_once(
    open_page: Opener, served_kitchen: ServedSite
) -> None:
    session = open_page(served_kitchen, served_kitchen.page(""))
    session.page.evaluate("() => { window.__samePage = true; }")
    session.page.click("article a[href$='assessment/']")
    session.page.wait_for_url(served_kitchen.page())
    session.wait_ready()
    session.answer({"labelled-leftovers": "yes"})
    assert session.results()["stage"] == "basic"
    assert session.page.evaluate("() => window.__samePage") is True
    assert session.page.get_attribute("#mp-assessment", "data-scorer-starts") == "1"
    urls = [r.url for _, r in session.requests]
    assert len([u for u in urls if u.endswith("/worker.mjs")]) == 1
    assert len([u for u in urls if u.endswith("/pyodide.asm.wasm")]) == 1


BLOCKED_STATUS = re.compile(
    r"Results are unavailable: the scorer could not start \(Python's WebAssembly runtime "
    r"\(pyodide\.asm\.wasm\) could not be loaded( \(.+\))?: it was blocked or did not download\)\."
    r" Your answers are kept in this browser and the questions still work\."
    r" Reload the page to try again\."
)


def test_blocked_wasm_shows_a_clear_message_and_keeps_the_answers(
    open_page: Opener, served_kitchen: ServedSite
) -> None:
    blocked: list[str] = []

    def abort(route: Route) -> None:
        blocked.append(route.request.url)
        route.abort()

    def block_wasm(context: BrowserContext) -> None:
        context.route("**/pyodide.asm.wasm", abort)

    session = open_page(served_kitchen, before=block_wasm)
    session.answer({"labelled-leftovers": "yes", "stock-rotation": "partial"}, "mastery")
    session.page.wait_for_selector(FAILED, state="attached", timeout=LOAD_TIMEOUT)
    assert blocked
    assert BLOCKED_STATUS.fullmatch(session.page.inner_text("#mp-scorer"))
    message = session.first_message()
    assert message["title"] == "The scorer could not start"
    assert message["details"][1:] == [
        "Your answers are kept in this browser and you can go on answering; results, export and"
        " import need the scorer.",
        "Reload the page to try again. If a content blocker or a network filter is active, allow"
        f" this site's files under {urlsplit(blocked[0]).path.rsplit('/', 1)[0]}/.",
    ]
    expected = session.shown()
    assert expected["answers"] == {"labelled-leftovers": "yes", "stock-rotation": "partial"}
    session.answer({"separate-boards": "no"})
    assert session.stored()["answers"]["separate-boards"] == "no"  # type: ignore[index]
    session.page.reload(wait_until="domcontentloaded")
    session.page.wait_for_selector(FAILED, state="attached", timeout=LOAD_TIMEOUT)
    assert session.shown()["answers"] == {**expected["answers"], "separate-boards": "no"}
    assert session.page.is_disabled("[data-action=export]")
    assert session.dialogs == []


SET_ASIDE = re.compile(
    "The saved value was not loaded: it was set aside in this browser's storage under"
    " “(maturity-playbook:kitchen:set-aside:[0-9T:.Z-]+)”, listed under “Your earlier answers”."
    " The questionnaire keeps what you entered on this page."
)


# A saved value with some invalid entries keeps the others: tests/test_browser_safety.py.
FOREIGN = answers_file("other-playbook", answers={"labelled-leftovers": "yes"})


@pytest.mark.parametrize("stored", ["{not json", json.dumps(FOREIGN)], ids=["corrupt", "foreign"])
def test_a_bad_saved_value_is_reported_and_set_aside(
    open_page: Opener, served_kitchen: ServedSite, stored: str
) -> None:
    key = "maturity-playbook:kitchen:answers"

    def plant(context: BrowserContext) -> None:
        # Planted once, before the page's scripts run.
        context.add_init_script(
            "if (!sessionStorage.getItem('planted')) { sessionStorage.setItem('planted', '1');"
            f" localStorage.setItem({json.dumps(key)}, {json.dumps(stored)}); }}"
        )

    session = open_page(served_kitchen, before=plant)
    message = session.first_message()
    assert message["title"] == "The answers saved in this browser could not be used"
    assert message["details"][0] == "The saved value is not an answers file for this playbook."
    where = SET_ASIDE.fullmatch(message["details"][1])
    assert where is not None, message
    aside = session.page.evaluate("(key) => JSON.parse(localStorage.getItem(key))", where[1])
    assert aside["value"] == stored
    assert session.page.locator("fieldset[data-practice]").count() == 6
    session.wait_ready()
    session.wait_scored()
    assert session.shown()["answers"] == {}
    session.answer({"separate-boards": "yes"})
    session.wait_scored()
    assert session.stored()["answers"] == {"separate-boards": "yes"}  # type: ignore[index]


@pytest.mark.parametrize(
    ("served", "framework_dir"),
    [("served_default", ROOT / "framework"), ("served_example", EXAMPLE)],
    ids=["default", "example"],
)
def test_full_framework_results_equal_the_cli(
    open_page: Opener,
    request: pytest.FixtureRequest,
    served: str,
    framework_dir: Path,
    tmp_path: Path,
) -> None:
    site: ServedSite = request.getfixturevalue(served)
    framework = load_framework(framework_dir)
    scale = ["yes", "yes", "partial", "no", "yes", "na", "yes"]
    answers = {p.id: scale[i % len(scale)] for i, p in enumerate(framework.practices) if i % 9}
    # The page offers "na" only where the framework accepts it.
    for p in framework.practices:
        if answers.get(p.id) == "na" and not framework.accepts_not_applicable(p):
            answers[p.id] = "no"
    case = answers_file(framework.id, self_estimate=framework.stages[3].id, answers=answers)
    session = open_page(site)
    session.answer(answers, case["self_estimate"])
    session.wait_ready()
    shown = session.results()
    cli = cli_score(case, framework_dir, tmp_path)
    assert shown["stage"] == cli["evidenced_stage"]["id"]
    assert shown["gap"] == cli["gap_statement"]
    assert [e["id"] for e in shown["roadmap"]] == [e["practice"] for e in cli["roadmap"]]
    assert [e["href"] for e in shown["roadmap"][:5]] == [
        site.page(e["url"]) for e in cli["roadmap"][:5]
    ]
    assert _axe(session.page) == []
