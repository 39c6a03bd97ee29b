"""The in-browser self-assessment, driven in the system Chromium against a locally served site.

Most tests share one page of the kitchen site (Pyodide starts in 5-7 s per page load here) and
run in file order; each sets the answers it needs. Tests that need a fresh browser, a reload or
a blocked file open their own context.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browserfixtures import *  # noqa: F403 (fixtures)
from browserfixtures import AXE, ServedSite
from conftest import EXAMPLE, KITCHEN, ROOT
from hostile import XSS, answers_file, hostile_files, hostile_links
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Request

import assessor
from assessor.answers import parse_answers
from assessor.compare import compare
from assessor.load import load_framework

pytestmark = pytest.mark.browser

READY = "#mp-assessment[data-scorer=ready]"
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
KITCHEN_FW = load_framework(KITCHEN)
LOAD_TIMEOUT = 90_000


@dataclass
class Session:
    """One browser page on the assessment, with everything it requested and every dialog."""

    page: Page
    site: ServedSite
    requests: list[tuple[float, Request]] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    confirms: list[str] = field(default_factory=list)
    ready_at: float | None = None
    files: dict[str, Path] = field(default_factory=dict)

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

    def stored(self) -> dict[str, Any] | None:
        raw = self.page.evaluate(
            "(key) => localStorage.getItem(key)", f"maturity-playbook:{self.framework_id}:answers"
        )
        return None if raw is None else dict(json.loads(raw))

    @property
    def framework_id(self) -> str:
        return str(self.page.get_attribute("#mp-assessment", "data-framework-id"))

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
        self.page.wait_for_timeout(500)  # notes are saved after a pause in typing

    def reset(self) -> None:
        self.page.click("[data-action=reset]")
        self.page.wait_for_function("() => !document.querySelector('fieldset input:checked')")
        self.wait_scored()

    def dismiss_messages(self) -> None:
        self.page.evaluate(
            "() => document.querySelectorAll('#mp-messages .mp-message').forEach((m) => m.remove())"
        )

    def first_message(self) -> dict[str, str]:
        self.page.wait_for_selector("#mp-messages .mp-message", timeout=LOAD_TIMEOUT)
        message: dict[str, str] = self.page.evaluate(
            """() => { const m = document.querySelector("#mp-messages .mp-message");
                       return {kind: m.className, title: m.querySelector(".mp-message-title")
                               .textContent, text: m.textContent}; }"""
        )
        return message

    def choose_file(self, action: str, path: Path) -> None:
        with self.page.expect_file_chooser() as chooser:
            self.page.click(f"[data-action={action}]")
        chooser.value.set_files(str(path))

    def pwned(self) -> Any:
        return self.page.evaluate("() => window.__pwned")


def _open(context: BrowserContext, site: ServedSite, url: str | None = None) -> Session:
    page = context.new_page()
    session = Session(page, site)
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


def _context(browser: Browser) -> BrowserContext:
    context = browser.new_context(accept_downloads=True)
    context.set_default_timeout(30_000)
    # Nothing may leave the site's origin: such a request is aborted and fails the test below.
    return context


@pytest.fixture(scope="module")
def kitchen(browser: Browser, served_kitchen: ServedSite) -> Iterator[Session]:
    """The shared kitchen page, opened but not yet waited for: the first test sees it load."""
    context = _context(browser)
    session = _open(context, served_kitchen)
    yield session
    context.close()


def _cli_score(answers: dict[str, Any], framework_dir: Path, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "cli-answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "assessor", "score", str(path), "--framework", str(framework_dir),
         "--json"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ` +
      v.nodes.map((n) => `${n.target.join(" ")} (${n.failureSummary})`).join(", "));
}"""


def _axe(page: Page) -> list[str]:
    """Serious and critical axe-core violations on the page (axe injected from node_modules)."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE))
    # The pointer parks where the last click was; a hover colour caught mid-transition (the
    # theme animates them) is not what anyone reads. Move it away and let transitions end.
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    return list(page.evaluate(AXE_RUN))


def _file(tmp_path: Path, name: str, data: bytes | dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode("utf-8"))
    return path


# --- the shared kitchen page, in order ----------------------------------------------------------


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
    status = page.evaluate(
        "() => [document.getElementById('mp-assessment').dataset.scorer,"
        " document.getElementById('mp-scorer').textContent]"
    )
    assert status[0] == "loading", "Python was ready before the first answer"
    assert status[1].startswith("Loading the scorer")
    assert _axe(page) == []
    kitchen.wait_ready()
    assert kitchen.results()["stage"] == "basic"
    assert page.inner_text("#mp-answered") == "1"
    assert kitchen.shown()["self_estimate"] == "mastery"


def test_displayed_results_equal_the_cli(kitchen: Session, tmp_path: Path) -> None:
    kitchen.reset()
    case = answers_file(
        "kitchen",
        self_estimate="mastery",
        answers={"labelled-leftovers": "yes", "fridge-thermometer": "no",
                 "separate-boards": "yes", "cleaning-schedule": "partial",
                 "stock-rotation": "na"},
    )  # fmt: skip
    kitchen.answer(case["answers"], case["self_estimate"])
    shown = kitchen.results()
    cli = _cli_score(case, KITCHEN, tmp_path)
    assert shown["stage"] == cli["evidenced_stage"]["id"]
    assert shown["gap"] == cli["gap_statement"]
    assert shown["gap"].startswith("You believe stage 2 (Mastery); your evidence supports stage 0")
    assert [e["id"] for e in shown["roadmap"]] == [e["practice"] for e in cli["roadmap"]]
    assert [e["href"] for e in shown["roadmap"]] == [
        kitchen.site.page(e["url"]) for e in cli["roadmap"]
    ]
    labels = {o.id: o.label for o in KITCHEN_FW.answer_scale}
    for entry, expected in zip(shown["roadmap"], cli["roadmap"], strict=True):
        label = labels.get(expected["answer"], "unanswered")
        assert f"your answer: {label};" in entry["text"], entry
    assert shown["warnings"] == [w["message"] for w in cli["warnings"]]
    chart = kitchen.page.locator("svg.mp-chart")
    assert chart.get_attribute("role") == "img"
    label = chart.get_attribute("aria-label") or ""
    for capability in cli["capabilities"]:
        assert f"{capability['title']}: stage {capability['stage']['level']}" in label
    rows = kitchen.page.locator(".mp-chart-text tbody tr").all_inner_texts()
    assert len(rows) == len(cli["capabilities"])
    risks = kitchen.page.locator(".mp-risks tbody tr").all_inner_texts()
    assert len(risks) == len(cli["risks"])
    assert kitchen.page.inner_text("#mp-summary-stage") == "0 · Getting by"


def test_instant_navigation_keeps_python_and_roadmap_links_open_practice_pages(
    kitchen: Session,
) -> None:
    page = kitchen.page
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
    assert kitchen.shown()["answers"]["labelled-leftovers"] == "yes"
    kitchen.answer({"fridge-thermometer": "yes", "stock-rotation": "yes"})
    assert kitchen.results()["stage"] == "routine"
    assert page.get_attribute("#mp-assessment", "data-scorer-starts") == "1"
    wasm = [r for _, r in kitchen.requests if r.url.endswith("/pyodide.asm.wasm")]
    assert len(wasm) == 1, "Pyodide was started more than once"
    assert len([r for _, r in kitchen.requests if r.url.endswith("/worker.mjs")]) == 1


def test_export_reset_import_restores_the_answers(kitchen: Session, tmp_path: Path) -> None:
    page = kitchen.page
    kitchen.note("cleaning-schedule", "Signed by Kim 'n' Lee <b>every</b> Friday")
    before = kitchen.shown()
    assert kitchen.stored() is not None
    assert kitchen.stored()["notes"] == before["notes"]  # type: ignore[index]
    with page.expect_download() as download:
        page.click("[data-action=export]")
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert re.fullmatch(r"kitchen-answers-\d{4}-\d\d-\d\d\.json", exported.name)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["answers"] == before["answers"]
    assert data["notes"] == before["notes"]
    assert data["framework"] == {"id": "kitchen", "version": "1.0"}
    kitchen.files["export"] = exported
    # The Markdown report is the CLI's report of the same answers file.
    with page.expect_download() as download:
        page.click("[data-action=report]")
    report = download.value.path().read_text(encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "assessor", "report", str(exported), "--framework", str(KITCHEN),
         "--base-url", kitchen.site.url],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert report == cli.stdout
    kitchen.reset()
    assert kitchen.confirms, "reset asked for no confirmation"
    assert kitchen.shown() == {"self_estimate": None, "answers": {}, "notes": {}}
    assert kitchen.stored() is None
    kitchen.choose_file("import", exported)
    kitchen.wait_scored()
    page.wait_for_function("(n) => document.getElementById('mp-answered').textContent === n",
                           arg=str(len(before["answers"])))  # fmt: skip
    assert kitchen.shown() == before
    assert kitchen.first_message()["title"] == f"Answers loaded from the file {exported.name}"
    assert kitchen.stored()["answers"] == before["answers"]  # type: ignore[index]


def test_compare_with_an_earlier_export(kitchen: Session) -> None:
    earlier = kitchen.files["export"]
    kitchen.answer(
        {"labelled-leftovers": "no", "separate-boards": "yes", "deep-clean-audit": "yes"}
    )
    kitchen.wait_scored()
    current = kitchen.shown()
    kitchen.choose_file("compare", earlier)
    kitchen.page.wait_for_selector("#mp-comparison:not([hidden]) h3")
    expected = compare(
        KITCHEN_FW,
        parse_answers(earlier.read_bytes(), KITCHEN_FW),
        parse_answers(answers_file("kitchen", **current), KITCHEN_FW),
    )
    box = kitchen.page.locator("#mp-comparison")
    text = box.inner_text()
    for change in ("improved", "regressed"):
        titles = [p["title"] for p in expected["practices"][change]]
        assert titles, change
        heading = f"{change.capitalize()} ({len(titles)})"
        assert heading in text
        items = box.locator(f"h4:has-text('{heading}') + ul li").all_inner_texts()
        assert [i.split(":")[0] for i in items] == titles
    overall = expected["overall"]
    assert f"{overall['earlier']['level']} · {overall['earlier']['title']} →" in text
    rows = box.locator(".mp-compare-table tbody tr")
    assert rows.count() == len(KITCHEN_FW.capabilities)
    directions = [rows.nth(i).get_attribute("data-direction") for i in range(rows.count())]
    assert directions == [c["direction"] for c in expected["capabilities"]]


def test_older_version_import_lists_the_orphans(kitchen: Session, tmp_path: Path) -> None:
    kitchen.dismiss_messages()
    older = answers_file(
        "kitchen",
        framework={"id": "kitchen", "version": "0.9"},
        answers={"labelled-leftovers": "partial", "first-in-first-out": "yes", "sous-vide": "no"},
        notes={"sous-vide": "we sold the machine"},
    )
    kitchen.choose_file("import", _file(tmp_path, "older.json", older))
    message = kitchen.first_message()
    assert "mp-message--success" in message["kind"]
    assert "version 0.9" in message["text"]
    assert "“first-in-first-out” is now called “stock-rotation”" in message["text"]
    assert "sous-vide (no)" in message["text"]
    kitchen.wait_scored()
    assert kitchen.shown()["answers"] == {"labelled-leftovers": "partial", "stock-rotation": "yes"}
    warnings = kitchen.results()["warnings"]
    assert any("sous-vide" in w for w in warnings)
    kitchen.page.click(".mp-warnings button:has-text('Forget these answers')")
    kitchen.wait_scored()
    assert not any("sous-vide" in w for w in kitchen.results()["warnings"])
    assert "sous-vide" not in kitchen.stored()["answers"]  # type: ignore[index]


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
            kitchen.page.goto(kitchen.site.page() + "#" + content)
            expected_title = "The share link could not be used"
        message = kitchen.first_message()
        assert message["title"] == expected_title, (name, message)
        assert "mp-message--error" in message["kind"], name
        assert "Your answers are unchanged." in message["text"], name
        assert len(message["text"]) < 3000, name
        assert kitchen.shown() == baseline, name
        assert kitchen.stored() == stored, name
        assert not kitchen.page.evaluate("() => location.hash.startsWith('#a=')"), name
        assert kitchen.page.locator("#mp-messages img, #mp-messages script").count() == 0, name
    assert kitchen.pwned() is None
    assert kitchen.dialogs == []


def test_html_in_a_note_stays_text(kitchen: Session, tmp_path: Path) -> None:
    kitchen.dismiss_messages()
    data = answers_file(
        "kitchen", answers={"labelled-leftovers": "yes"}, notes={"labelled-leftovers": XSS}
    )
    kitchen.choose_file("import", _file(tmp_path, "note.json", data))
    kitchen.page.wait_for_function(
        "(xss) => document.getElementById('note-labelled-leftovers').value === xss", arg=XSS
    )
    kitchen.wait_scored()
    with kitchen.page.expect_download() as download:
        kitchen.page.click("[data-action=report]")
    report = download.value.path().read_text(encoding="utf-8")
    # The CLI's report escapes Markdown and HTML in notes: the tag is shown, never rendered.
    assert "\\<img" in report
    assert re.search(r"(?<!\\)<img", report) is None
    assert kitchen.page.locator("article img").count() == 0
    kitchen.page.wait_for_timeout(300)
    assert kitchen.pwned() is None
    assert kitchen.dialogs == []


def test_share_link_restores_the_answers_in_a_fresh_browser(
    kitchen: Session, browser: Browser
) -> None:
    kitchen.answer({"separate-boards": "yes", "cleaning-schedule": "no"}, "routine")
    kitchen.wait_scored()
    expected = kitchen.shown()
    kitchen.page.click("[data-action=share]")
    link = kitchen.page.locator("#mp-share-url")
    kitchen.page.wait_for_function("() => document.getElementById('mp-share-url').value !== ''")
    url = link.input_value()
    assert url.startswith(kitchen.site.page() + "#a=")
    assert urlsplit(url).query == ""
    context = _context(browser)
    served_before = len(kitchen.site.log)
    try:
        fresh = _open(context, kitchen.site, url)
        fresh.wait_ready()
        fresh.wait_scored()
        fresh.page.wait_for_function("() => location.hash === ''")
        assert fresh.shown() == expected
        assert fresh.stored() is not None
        assert fresh.stored()["answers"] == expected["answers"]  # type: ignore[index]
        assert fresh.first_message()["title"] == "Answers loaded from the share link"
        # The answers travelled in the fragment only: the server never saw them.
        fragment = urlsplit(url).fragment
        for _, path, _ in kitchen.site.log[served_before:]:
            assert "#" not in path and "a=" not in path and fragment[2:40] not in path
    finally:
        context.close()


def test_print_shows_the_results_as_a_report(kitchen: Session) -> None:
    page = kitchen.page
    kitchen.wait_scored()
    page.emulate_media(media="print")
    try:
        assert page.locator("#mp-results-body").is_visible()
        assert page.locator("svg.mp-chart").is_visible()
        assert page.locator(".mp-roadmap li").first.is_visible()
        assert not page.locator("#q-labelled-leftovers").is_visible()
        assert not page.locator("#mp-toolbar").is_visible()
        assert not page.locator(".md-sidebar--primary").is_visible()
    finally:
        page.emulate_media(media="screen")


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
def test_no_serious_accessibility_violation_with_results(kitchen: Session, scheme: str) -> None:
    kitchen.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    try:
        kitchen.wait_scored()
        assert kitchen.page.locator("#mp-results-body").is_visible()
        assert kitchen.page.locator("#mp-comparison h3").is_visible()
        assert _axe(kitchen.page) == []
        # axe does not check SVG text: the chart's labels and bars must stand out in both schemes.
        colours = kitchen.page.evaluate(CHART_COLOURS)
        assert _contrast(colours["text"], colours["background"]) >= 4.5, colours
        assert _contrast(colours["bar"], colours["background"]) >= 3, colours
    finally:
        kitchen.page.emulate_media(color_scheme="light")


def test_reload_keeps_the_answers(kitchen: Session) -> None:
    kitchen.wait_scored()
    before = kitchen.shown()
    result = kitchen.results()
    kitchen.page.reload(wait_until="domcontentloaded")
    # The stored answers are back as soon as the page's module runs, before Python is ready.
    kitchen.page.wait_for_selector("#mp-assessment[data-changes]", state="attached")
    assert kitchen.page.get_attribute("#mp-assessment", "data-scorer") == "loading"
    assert kitchen.shown() == before
    kitchen.page.wait_for_selector(READY, state="attached", timeout=LOAD_TIMEOUT)
    assert kitchen.results() == result
    assert kitchen.page.locator("#mp-messages .mp-message--error").count() == 0


def test_every_request_stays_on_the_site_and_none_carries_answers(kitchen: Session) -> None:
    """Runs last on the shared page: everything above was one full session."""
    assert kitchen.ready_at is not None
    origin = kitchen.site.url.rstrip("/")
    urls = [r.url for _, r in kitchen.requests]
    assert urls, "no request was logged"
    foreign = [
        u for u in urls if not (u.startswith(origin + "/") or u.startswith("blob:" + origin))
    ]
    assert foreign == []
    notes = ["baseline", "Kim", "pwned", "sous-vide"]
    for stamp, request in kitchen.requests:
        assert request.method == "GET", request.url
        assert request.post_data is None, request.url
        if stamp > kitchen.ready_at:
            parts = urlsplit(request.url)
            assert parts.query == "", request.url
            assert not any(n in parts.path for n in notes), request.url
    assert all(method == "GET" for method, _, _ in kitchen.site.log)
    assert not any("?" in path for _, path, _ in kitchen.site.log)


# --- fresh pages ---------------------------------------------------------------------------


def test_first_visit_by_instant_navigation_starts_python_once(
    browser: Browser, served_kitchen: ServedSite
) -> None:
    context = _context(browser)
    try:
        session = _open(context, served_kitchen, served_kitchen.page(""))
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
    finally:
        context.close()


def test_blocked_wasm_shows_a_clear_message_and_keeps_the_answers(
    browser: Browser, served_kitchen: ServedSite
) -> None:
    context = _context(browser)
    blocked: list[str] = []
    context.route("**/pyodide.asm.wasm", lambda route: (blocked.append(route.request.url),
                                                         route.abort()))  # fmt: skip
    try:
        session = _open(context, served_kitchen)
        session.answer({"labelled-leftovers": "yes", "stock-rotation": "partial"}, "mastery")
        session.page.wait_for_selector(
            "#mp-assessment[data-scorer=failed]", state="attached", timeout=LOAD_TIMEOUT
        )
        assert blocked
        status = session.page.inner_text("#mp-scorer")
        assert "the scorer could not start" in status
        assert "pyodide.asm.wasm" in status
        assert "Your answers are kept" in status
        message = session.first_message()
        assert message["title"] == "The scorer could not start"
        expected = session.shown()
        assert expected["answers"] == {"labelled-leftovers": "yes", "stock-rotation": "partial"}
        session.answer({"separate-boards": "no"})
        assert session.stored()["answers"]["separate-boards"] == "no"  # type: ignore[index]
        session.page.reload(wait_until="domcontentloaded")
        session.page.wait_for_selector(
            "#mp-assessment[data-scorer=failed]", state="attached", timeout=LOAD_TIMEOUT
        )
        assert session.shown()["answers"] == {**expected["answers"], "separate-boards": "no"}
        assert session.page.is_disabled("[data-action=export]")
        assert session.dialogs == []
    finally:
        context.close()


@pytest.mark.parametrize(
    ("stored", "python_needed"),
    [("{not json", False),
     (json.dumps(answers_file("other-playbook", answers={"labelled-leftovers": "yes"})), False),
     (json.dumps(answers_file("kitchen", answers={"labelled-leftovers": "maybe",
                                                  "stock-rotation": "yes"})), True)],
    ids=["corrupt", "foreign", "invalid"],
)  # fmt: skip
def test_a_bad_saved_value_is_reported_and_set_aside(
    browser: Browser, served_kitchen: ServedSite, stored: str, python_needed: bool
) -> None:
    context = _context(browser)
    key = "maturity-playbook:kitchen:answers"
    # Planted once, before the page's scripts run.
    context.add_init_script(
        "if (!sessionStorage.getItem('planted')) { sessionStorage.setItem('planted', '1');"
        f" localStorage.setItem({json.dumps(key)}, {json.dumps(stored)}); }}"
    )
    try:
        session = _open(context, served_kitchen)
        if python_needed:
            session.wait_ready()
        message = session.first_message()
        assert message["title"] == "The answers saved in this browser could not be used"
        assert "set aside" in message["text"]
        aside = session.page.evaluate(
            "() => localStorage.getItem('maturity-playbook:kitchen:set-aside')"
        )
        assert aside == stored
        assert session.page.locator("fieldset[data-practice]").count() == 6
        session.wait_ready()
        session.wait_scored()
        assert session.shown()["answers"] == {}
        session.answer({"separate-boards": "yes"})
        session.wait_scored()
        assert session.stored()["answers"] == {"separate-boards": "yes"}  # type: ignore[index]
    finally:
        context.close()


@pytest.mark.parametrize(
    ("served", "framework_dir"),
    [("served_default", ROOT / "framework"), ("served_example", EXAMPLE)],
    ids=["default", "example"],
)
def test_full_framework_results_equal_the_cli(
    browser: Browser,
    request: pytest.FixtureRequest,
    served: str,
    framework_dir: Path,
    tmp_path: Path,
) -> None:
    site: ServedSite = request.getfixturevalue(served)
    framework = load_framework(framework_dir)
    scale = ["yes", "yes", "partial", "no", "yes", "na", "yes"]
    answers = {p.id: scale[i % len(scale)] for i, p in enumerate(framework.practices) if i % 9}
    case = answers_file(framework.id, self_estimate=framework.stages[3].id, answers=answers)
    context = _context(browser)
    try:
        session = _open(context, site)
        session.answer(answers, case["self_estimate"])
        session.wait_ready()
        shown = session.results()
        cli = _cli_score(case, framework_dir, tmp_path)
        assert shown["stage"] == cli["evidenced_stage"]["id"]
        assert shown["gap"] == cli["gap_statement"]
        assert [e["id"] for e in shown["roadmap"]] == [e["practice"] for e in cli["roadmap"]]
        assert [e["href"] for e in shown["roadmap"][:5]] == [
            site.page(e["url"]) for e in cli["roadmap"][:5]
        ]
        assert assessor.score(framework, case)["roadmap"] == cli["roadmap"]
        assert _axe(session.page) == []
    finally:
        context.close()
