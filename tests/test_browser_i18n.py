"""The assessment page of a French build (theme.language: fr), end to end in the system Chromium.

The English site's browser tests hold the English words; here every text the page writes, the
results and the messages included, must be the French catalog's, and numbers, percentages and
dates must be written the French way.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserfixtures import *  # noqa: F403 (fixtures)
from browserfixtures import ServedSite
from chromium import free_port
from conftest import KITCHEN, ROOT
from hostile import answers_file
from languagesite import build_in
from localserver import serving
from playwright.sync_api import Browser, Page
from test_browser import CASE  # every kind of answer; its roadmap starts at cleaning-schedule

from assessor.cpython.load import load_framework
from playbook_site import i18n

pytestmark = pytest.mark.browser

FR = i18n.resolve("fr", {}, logging.getLogger("mkdocs.test.i18n"))
KITCHEN_FW = load_framework(KITCHEN)
LOAD_TIMEOUT = 90_000
SCORED = """() => {
  const root = document.getElementById("mp-assessment");
  return !!root && root.dataset.scorer === "ready" && root.dataset.scored === root.dataset.changes;
}"""
MESSAGE = """(title) => {
  const m = [...document.querySelectorAll("#mp-messages .mp-message")]
    .find((box) => box.querySelector(".mp-message-title").textContent === title);
  return m ? {details: [...m.querySelectorAll("li")].map((li) => li.textContent),
              buttons: [...m.querySelectorAll("button")].map((b) => b.textContent)} : null;
}"""
TEXTS = "(selector) => [...document.querySelectorAll(selector)].map((e) => e.textContent)"
# French writes a no-break space before "%" (Intl may use the narrow one).
PERCENT = re.compile(r"\d+(,\d+)?[\u00a0\u202f]%")


@pytest.fixture(scope="session")
def served_kitchen_fr(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The kitchen framework's site built in French, served on a free localhost port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    out = tmp_path_factory.mktemp("served-kitchen-fr") / "site"
    result = build_in(KITCHEN, out, "fr", site_url=url)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict of the French kitchen failed:\n{result.stderr}")
    with serving(out, port) as server:
        yield ServedSite(out, url, KITCHEN, server.log)


@pytest.fixture
def page(browser: Browser, served_kitchen_fr: ServedSite) -> Iterator[Page]:
    """The French assessment page in a fresh context; nothing may leave the site."""
    context = browser.new_context(accept_downloads=True, service_workers="block")
    context.set_default_timeout(30_000)
    foreign: list[str] = []
    dialogs: list[str] = []

    def abort(route: Any) -> None:
        foreign.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(served_kitchen_fr.url), abort)
    opened = context.new_page()

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    opened.on("dialog", on_dialog)
    opened.goto(served_kitchen_fr.page(), wait_until="domcontentloaded")
    opened.dialogs = dialogs  # type: ignore[attr-defined]
    yield opened
    context.close()
    assert foreign == []


def _cli(answers: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "assessor", "score", str(path), "--framework", str(KITCHEN),
         "--json"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _answer(page: Page, answers: dict[str, str], self_estimate: str) -> None:
    for pid, value in answers.items():
        page.check(f"#q-{pid} input[value='{value}']")
    page.check(f"input[name=self-estimate][value='{self_estimate}']")


def _same_space(text: str) -> str:
    """Text with the narrow no-break space (Intl's, before "%") read as a no-break space."""
    return text.replace("\u202f", "\u00a0")


def _name(stage: dict[str, Any]) -> str:
    return f"{stage['level']} · {stage['title']}"


def _warning(result: dict[str, Any], warning: dict[str, Any]) -> str:
    """A warning as the French page words it (render.mjs WARNINGS)."""
    code = warning["code"]
    if code == "many-unanswered":
        count, total = len(result["unanswered"]), result["counts"]["practices"]
        share = FR.percent(round(count / total * 100) / 100)
        return FR("render.warn_unanswered", count=count, total=total, share=share)
    if code == "not-applicable-without-reason":
        ids = warning["message"].rsplit(": ", 1)[1].removesuffix(".").split(", ")
        return FR("render.warn_na_why", count=len(ids), ids=", ".join(ids))
    if code == "unknown-practices":
        ids = list(result["unknown_answers"])
        return FR("render.warn_unknown", count=len(ids), ids=", ".join(ids))
    raise AssertionError(f"no French wording checked for {code}")


def test_french_assessment_page_end_to_end(page: Page, tmp_path: Path) -> None:
    assert page.get_attribute("html", "lang") == "fr"
    assert page.inner_text("#q-self-estimate legend") == FR("assessment.self_question")
    page.wait_for_selector("#mp-assessment[data-scorer=ready]", state="attached",
                           timeout=LOAD_TIMEOUT)  # fmt: skip
    assert page.text_content("#mp-scorer") == FR("results.ready")
    _answer(page, CASE["answers"], CASE["self_estimate"])
    page.wait_for_function(SCORED, timeout=LOAD_TIMEOUT)
    cli = _cli(CASE, tmp_path)
    evidenced, mine = cli["evidenced_stage"], cli["self_estimate"]
    assert page.text_content("#mp-evidenced-stage") == FR(
        "render.evidenced", stage=_name(evidenced)
    )
    assert page.text_content("#mp-gap") == FR(
        "render.gap_over", mine_level=mine["level"], mine_title=mine["title"],
        level=evidenced["level"], title=evidenced["title"], count=cli["reality_gap"],
    )  # fmt: skip
    counts = cli["counts"]
    assert page.text_content(".mp-counts") == FR(
        "render.counts", answered=counts["answered"], count=counts["practices"],
        na=counts["not_applicable"], unanswered=counts["unanswered"],
    )  # fmt: skip
    # What blocks the next stage, in French.
    next_stage = cli["next_stage"]
    assert page.text_content("#mp-blockers-title") == FR(
        "render.reach", level=next_stage["level"], title=next_stage["title"]
    )
    blockers = page.evaluate(TEXTS, "#mp-blockers li")
    assert len(blockers) == len(next_stage["reachable_by"]) > 0
    assert all(FR("render.to_question") in text for text in blockers)
    assert all(" — votre réponse\u00a0: " in text for text in blockers)
    # Headings of the results.
    headings = page.evaluate(TEXTS, "#mp-results-body h3")
    for key in ("render.per_capability", "render.roadmap", "render.risk_exposure"):
        assert FR(key) in headings
    first = cli["stages"][cli["roadmap"][0]["stage_level"]]
    assert FR("render.first", stage=_name(first)) in headings
    # Warnings worded from the result's data.
    assert cli["warnings"]
    shown = [_same_space(text) for text in page.evaluate(TEXTS, ".mp-warnings li")]
    assert shown == [_same_space(_warning(cli, w)) for w in cli["warnings"]]
    # Roadmap entries: the answer as the French page names it, then the capability.
    titles = {c.id: c.title for c in KITCHEN_FW.capabilities}
    labels = {o.id: o.label for o in KITCHEN_FW.answer_scale}
    roadmap = page.evaluate(TEXTS, ".mp-roadmap li[data-practice]")
    named = {
        e["practice"]: labels.get(e["answer"], FR("render.unanswered")) for e in cli["roadmap"]
    }
    assert roadmap == [
        f"{e['title']} "
        + FR("render.answer_in", answer=named[e["practice"]], capability=titles[e["capability"]])
        + f" ({FR('render.back')})"
        for e in cli["roadmap"]
    ]
    # Percentages the French way, in the coverage table and the risks.
    cells = page.evaluate(TEXTS, ".mp-stage-table td:nth-child(2), .mp-risks td:nth-child(2)")
    shares = [c.strip() for c in cells if "%" in c]
    assert shares and all(PERCENT.fullmatch(share) for share in shares), shares
    assert page.evaluate(TEXTS, ".mp-stage-table thead th") == [
        FR("render.stage"),
        FR("render.coverage_col"),
        FR("render.reached"),
    ]
    assert page.evaluate(TEXTS, ".mp-stage-table td:nth-child(3)") == [
        FR("render.yes") if s["reached"] else FR("render.no") for s in cli["stages"]
    ]
    assert page.text_content("#mp-progress-bar") == FR("results.progress", answered=5, total=6)
    assert page.text_content(".mp-ev-add") == FR("form.add")


def test_french_import_message_and_dated_earlier_answers(page: Page, tmp_path: Path) -> None:
    page.wait_for_selector("#mp-assessment[data-scorer=ready]", state="attached",
                           timeout=LOAD_TIMEOUT)  # fmt: skip
    _answer(page, {"labelled-leftovers": "yes"}, "routine")
    page.wait_for_function(SCORED, timeout=LOAD_TIMEOUT)
    older = answers_file(
        "kitchen",
        framework={"id": "kitchen", "version": "0.9"},
        answers={"labelled-leftovers": "partial", "first-in-first-out": "yes", "sous-vide": "no"},
    )
    path = tmp_path / "ancien.json"
    path.write_text(json.dumps(older), encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.click("[data-action=import]")
    chooser.value.set_files(str(path))
    source = FR("actions.the_file", name="ancien.json")
    title = FR("imports.loaded_title", source=source)
    message = page.wait_for_function(MESSAGE, arg=title, timeout=LOAD_TIMEOUT).json_value()
    assert message["details"] == [
        FR("imports.loaded", count=2, source=source),
        FR("imports.other_version", **{"from": "0.9", "version": "1.0"}),
        FR("imports.renamed", old="first-in-first-out", now="stock-rotation"),
        FR("imports.orphans", count=1, listed="sous-vide (no)"),
        FR("imports.kept"),
    ]
    assert message["buttons"] == [FR("imports.undo"), FR("messages.dismiss")]
    # The answers the import replaced are listed with the moment, written the French way.
    page.click("#mp-earlier summary")
    entry = page.text_content("#mp-earlier .mp-earlier-snapshots li")
    assert entry is not None
    prefix = f"{FR('history.import')}, "
    assert entry.startswith(prefix)
    date = entry.removeprefix(prefix).split("\u00a0:", 1)[0]
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", date), entry
    kept = len(page.evaluate(TEXTS, "#mp-earlier .mp-earlier-snapshots li"))
    assert page.text_content("#mp-earlier summary") == FR("earlier.title", count=kept)
    # The reset asks in French, with the number of answers it would erase.
    stored = page.evaluate(
        "() => JSON.parse(localStorage.getItem('maturity-playbook:kitchen:answers'))"
    )
    page.click("[data-action=reset]")
    page.wait_for_function("() => !document.querySelector('fieldset input:checked')")
    erase = FR("actions.erase", count=len(stored["answers"]))
    assert page.dialogs == [erase]  # type: ignore[attr-defined]
    assert page.wait_for_function(MESSAGE, arg=FR("actions.erased")).json_value()["buttons"] == [
        FR("actions.undo_reset"), FR("messages.dismiss"),
    ]  # fmt: skip


def test_french_team_page_speaks_french(
    browser: Browser, served_kitchen_fr: ServedSite, tmp_path: Path
) -> None:
    """The team page's own words and its module's are the French catalog's."""
    path = tmp_path / "alex.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(LOAD_TIMEOUT)
    try:
        opened = context.new_page()
        opened.goto(served_kitchen_fr.page("team/"), wait_until="domcontentloaded")
        assert opened.title().startswith(f"{FR('teams.team_title')} - ")
        assert opened.text_content("label[for=mp-files]") == FR("teams.choose_files")
        opened.wait_for_function(
            "() => document.getElementById('mp-team').dataset.scorer === 'ready'"
        )
        assert opened.text_content("#mp-scorer") == FR("many.ready")
        opened.set_input_files("#mp-files", [str(path)])
        opened.wait_for_function("() => document.getElementById('mp-team').dataset.runs === '1'")
        assert opened.text_content("#mp-reading-text") == FR("many.counts", count=1, used=1, left=0)
        assert opened.text_content("#mp-respondents-title") == FR("team.respondents", count=1)
        assert opened.evaluate(TEXTS, "#mp-respondents thead th") == [
            FR(f"team.{key}")
            for key in ("respondent", "file", "self_estimate", "evidenced", "reality_gap")
        ]
        assert opened.text_content("#mp-discuss-title") == FR("team.discuss_first")
    finally:
        context.close()
