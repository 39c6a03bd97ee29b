"""A team's history and the roadmap CSV on the assessment page, in the system Chromium.

Same rules as test_browser.py (whose Session and page opener this module reuses): a fresh browser
context per test, waits on page state (`data-history-done` counting finished imports,
`data-scored` reaching `data-changes`), never on the clock, and nothing may leave the site's
origin. Expected values come from the CLI (`python -m assessor history` / `report --format csv`
run on the same files) and are also written out by hand.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import test_browser
from browserfixtures import *  # noqa: F403 (fixtures)
from browserfixtures import ServedSite
from conftest import FIXTURES, KITCHEN, ROOT
from hostile import answers_file
from test_browser import CASE, KITCHEN_FW, LABELS, Opener, Session, _axe, _contrast, _file

from assessor.cpython.load import load_framework
from assessor.model import Framework

pytestmark = pytest.mark.browser
open_page = test_browser.open_page  # the fixture: a page in a fresh browser context
kitchen = test_browser.kitchen  # the fixture: a fresh kitchen assessment page

HISTORY = FIXTURES / "history"
DEFAULT_DIR = ROOT / "framework"
TITLES = {p.id: p.title for p in KITCHEN_FW.practices}
# What the history section shows, read in one step once the given number of imports finished.
SHOWN_HISTORY = """(done) => {
  const section = document.getElementById("mp-history");
  if (section.dataset.historyDone !== String(done)) return null;
  const texts = (root, selector) => [...root.querySelectorAll(selector)].map((e) => e.textContent);
  const chart = section.querySelector("svg.mp-tl-chart");
  return {
    status: document.getElementById("mp-history-status").textContent,
    error: texts(section, ".mp-message--error li"),
    title: chart && document.getElementById(chart.getAttribute("aria-labelledby")).textContent,
    evidenced: chart ? [...chart.querySelectorAll("circle.mp-tl-evidenced[data-file]")]
      .map((c) => [c.dataset.file, Number(c.getAttribute("cy"))]) : [],
    self: chart ? [...chart.querySelectorAll("rect.mp-tl-self[data-file]")]
      .map((r) => r.dataset.file) : [],
    table: [...section.querySelectorAll(".mp-tl-table tbody tr")]
      .map((tr) => [...tr.children].map((c) => c.textContent)),
    warnings: texts(section, ".mp-warnings li"),
    changes: [...section.querySelectorAll(".mp-tl-change")].map((c) => ({
      earlier: c.dataset.earlier, current: c.dataset.current,
      heading: c.querySelector("h4").textContent,
      overall: c.querySelector(".mp-compare-overall").textContent,
      lists: Object.fromEntries([...c.querySelectorAll("ul[data-direction]")].map((ul) =>
        [ul.dataset.direction, [...ul.children].map((li) =>
          [li.dataset.practice, li.textContent, li.querySelector("a").href])])),
    })),
    rejected: texts(section, ".mp-tl-rejected li"),
  };
}"""


def _history_cli(paths: list[Path], framework_dir: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "assessor", "history", *map(str, paths),
         "--framework", str(framework_dir), "--format", "json"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _choose_history(session: Session, paths: list[Path]) -> None:
    """Clicks "Choose exports…" and picks the files in the chooser."""
    with session.page.expect_file_chooser() as chooser:
        session.page.click("#mp-history-choose")
    assert chooser.value.is_multiple()
    chooser.value.set_files([str(p) for p in paths])


def _shown_history(session: Session, done: int) -> dict[str, Any]:
    found = session.page.wait_for_function(SHOWN_HISTORY, arg=done)
    shown: dict[str, Any] = found.json_value()
    return shown


def _label(answer: str | None) -> str:
    return "unanswered" if answer is None else LABELS[answer]


def _stage(framework: Framework, stage_id: str | None) -> str:
    if stage_id is None:
        return "none"
    stage = next(s for s in framework.stages if s.id == stage_id)
    return f"{stage.level} · {stage.title}"


def _answers_before(session: Session) -> tuple[Any, ...]:
    root = session.page.locator("#mp-assessment")
    return session.shown(), session.stored(), root.get_attribute("data-changes")


def test_three_dated_exports_chart_in_date_order_with_the_exact_changes(
    kitchen: Session, tmp_path: Path
) -> None:
    kitchen.wait_ready()
    kitchen.answer(CASE["answers"], CASE["self_estimate"])
    kitchen.wait_scored()
    before = _answers_before(kitchen)
    given = [HISTORY / "c-january.json", HISTORY / "a-april.json", HISTORY / "b-october.json"]
    _choose_history(kitchen, given)
    shown = _shown_history(kitchen, 1)

    order = ["b-october.json", "c-january.json", "a-april.json"]
    cli = _history_cli([HISTORY / name for name in order], KITCHEN)
    assert [Path(e["file"]).name for e in cli["timeline"]] == order
    assert shown["status"] == "3 exports shown below, oldest first. Your answers are unchanged."
    assert shown["error"] == [] and shown["warnings"] == [] and shown["rejected"] == []
    # Three points per line, oldest first; higher stages are drawn higher (smaller y).
    assert [f for f, _ in shown["evidenced"]] == order
    assert shown["self"] == order
    heights = [y for _, y in shown["evidenced"]]
    assert heights[0] > heights[1] == heights[2]  # stage 0, then 1, then 1
    assert shown["table"] == [
        ["2026-10-01T12:00:00Z", "b-october.json", "0 · Getting by", "1 · Routine",
         "100%", "8%", "0%"],
        ["2027-01-10T12:00:00Z", "c-january.json", "1 · Routine", "1 · Routine",
         "100%", "83%", "0%"],
        ["2027-04-02T12:00:00+02:00", "a-april.json", "1 · Routine", "2 · Mastery",
         "100%", "83%", "50%"],
    ]  # fmt: skip
    assert shown["table"] == [
        [e["saved_at"], Path(e["file"]).name, _stage(KITCHEN_FW, e["evidenced_stage"]),
         _stage(KITCHEN_FW, e["self_estimate"]),
         *(f"{round(e['coverage'][s.id] * 100)}%" for s in KITCHEN_FW.stages)]
        for e in cli["timeline"]
    ]  # fmt: skip
    assert shown["title"] == (
        "Evidenced stage, self-estimate and coverage per stage over 3 exports, oldest first. "
        "2026-10-01 (b-october.json): evidenced stage 0 · Getting by, self-estimate 1 · Routine; "
        "2027-01-10 (c-january.json): evidenced stage 1 · Routine, self-estimate 1 · Routine; "
        "2027-04-02 (a-april.json): evidenced stage 1 · Routine, self-estimate 2 · Mastery."
    )

    def item(practice: str, earlier: str | None, current: str | None) -> list[str]:
        text = f"{TITLES[practice]}: {_label(earlier)} → {_label(current)}"
        return [practice, text, kitchen.site.page(f"practices/{practice}/")]

    assert shown["changes"] == [
        {
            "earlier": "b-october.json",
            "current": "c-january.json",
            "heading": "2026-10-01 (b-october.json) → 2027-01-10 (c-january.json)",
            "overall": "Evidenced stage: 0 · Getting by → 1 · Routine (improved by 1).",
            "lists": {
                "improved": [
                    item("labelled-leftovers", "partial", "yes"),
                    item("fridge-thermometer", "no", "yes"),
                    item("cleaning-schedule", "no", "yes"),
                ],
            },
        },
        {
            "earlier": "c-january.json",
            "current": "a-april.json",
            "heading": "2027-01-10 (c-january.json) → 2027-04-02 (a-april.json)",
            "overall": "Evidenced stage: 1 · Routine → 1 · Routine (unchanged).",
            "lists": {
                "improved": [
                    item("stock-rotation", None, "yes"),
                    item("separate-boards", "no", "yes"),
                ],
                "regressed": [item("fridge-thermometer", "yes", "partial")],
                "changed": [item("deep-clean-audit", None, "no")],
            },
        },
    ]
    # The same lists as the CLI's comparison of each pair of consecutive files.
    for change, page in zip(cli["changes"], shown["changes"], strict=True):
        practices = change["comparison"]["practices"]
        assert {d: [i[0] for i in items] for d, items in page["lists"].items()} == {
            d: [p["practice"] for p in practices[d]] for d in practices if practices[d]
        }
    # Importing history left the visitor's answers alone: the form, the storage, no change counted.
    assert _answers_before(kitchen) == before
    assert [m for m, *_ in kitchen.served() if m != "GET"] == []
    assert _axe(kitchen.page) == []


DROP = """([selector, files]) => {
  const transfer = new DataTransfer();
  for (const [name, text] of files) {
    transfer.items.add(new File([text], name, {type: "application/json"}));
  }
  const target = document.querySelector(selector);
  const init = {dataTransfer: transfer, bubbles: true, cancelable: true};
  target.dispatchEvent(new DragEvent("dragover", init));
  target.dispatchEvent(new DragEvent("drop", init));
}"""


def test_refused_files_are_listed_and_the_rest_still_charted(kitchen: Session) -> None:
    kitchen.wait_ready()
    kitchen.answer({"labelled-leftovers": "yes"})
    kitchen.wait_scored()
    before = _answers_before(kitchen)
    pantry = json.dumps(answers_file("pantry", answers={"shelf-labels": "yes"}))
    files = [
        ["b-october.json", (HISTORY / "b-october.json").read_text(encoding="utf-8")],
        ["pantry.json", pantry],
        ["broken.json", '{"format": "maturity-playbook/answers@2", "answers": '],
        ["a-april.json", (HISTORY / "a-april.json").read_text(encoding="utf-8")],
    ]
    # Dropped on the section, as a visitor drags files from a folder.
    kitchen.page.evaluate(DROP, ["#mp-history", files])
    shown = _shown_history(kitchen, 1)
    assert shown["rejected"] == [
        "pantry.json: framework.id: these answers are for framework 'pantry', not 'kitchen'",
        "broken.json: invalid JSON: brackets do not balance or nest deeper than 32 levels",
    ]
    assert shown["status"] == (
        "2 exports shown below, oldest first; 2 files left out. Your answers are unchanged."
    )
    assert [f for f, _ in shown["evidenced"]] == ["b-october.json", "a-april.json"]
    assert [row[1] for row in shown["table"]] == ["b-october.json", "a-april.json"]
    assert [(c["earlier"], c["current"]) for c in shown["changes"]] == [
        ("b-october.json", "a-april.json")
    ]
    # Not one usable file: the problems of each, and still nothing else changes.
    kitchen.page.evaluate(DROP, ["#mp-history", files[1:3]])
    shown = _shown_history(kitchen, 2)
    assert shown["status"] == "None of the 2 files could be used."
    assert shown["error"] == [
        "2 problems found.",
        "pantry.json: framework.id: these answers are for framework 'pantry', not 'kitchen'",
        "broken.json: invalid JSON: brackets do not balance or nest deeper than 32 levels",
    ]
    assert shown["evidenced"] == [] and shown["changes"] == []
    assert _answers_before(kitchen) == before


def test_undated_and_other_teams_files_are_flagged(kitchen: Session, tmp_path: Path) -> None:
    kitchen.wait_ready()
    undated = json.loads((HISTORY / "c-january.json").read_text(encoding="utf-8"))
    del undated["saved_at"]
    undated["team"] = "bakery"
    paths = [HISTORY / "b-october.json", _file(tmp_path, "undated.json", undated)]
    _choose_history(kitchen, paths)
    shown = _shown_history(kitchen, 1)
    cli = _history_cli(paths, KITCHEN)
    assert shown["warnings"] == [
        w["message"].replace(str(tmp_path / "undated.json"), "undated.json")
        for w in cli["warnings"]
    ]
    assert shown["warnings"] == [
        "1 file(s) have no saved_at date, so they are placed after the dated ones, by file name: "
        "undated.json.",
        "The files name 2 different teams (bakery, canteen): a history compares exports of one "
        "team.",
    ]
    assert [row[0] for row in shown["table"]] == ["2026-10-01T12:00:00Z", "undated"]
    assert shown["changes"][0]["heading"] == (
        "2026-10-01 (b-october.json) → undated (undated.json)"
    )


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("which", ["kitchen", "default"])
def test_roadmap_csv_download_equals_the_cli(
    open_page: Opener,
    served_kitchen: ServedSite,
    served_default: ServedSite,
    tmp_path: Path,
    which: str,
) -> None:
    site = served_kitchen if which == "kitchen" else served_default
    framework = KITCHEN_FW if which == "kitchen" else load_framework(DEFAULT_DIR)
    session = open_page(site)
    session.wait_ready()
    if which == "kitchen":
        session.answer(CASE["answers"], CASE["self_estimate"])
    else:
        first = framework.practices[:6]
        session.answer({p.id: framework.scale_of(p)[-1].id for p in first})
    session.wait_scored()
    download = session.download("roadmap")
    assert re.fullmatch(rf"{framework.id}-roadmap-\d{{4}}-\d{{2}}-\d{{2}}\.csv",
                        download.suggested_filename)  # fmt: skip
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"title,description,labels,required,url\r\n")
    page_rows = _csv_rows(data.decode("utf-8"))

    exported = session.export(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "assessor", "report", str(exported), "--framework",
         str(site.framework_dir), "--format", "csv", "--base-url", site.url],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    cli_rows = _csv_rows(proc.stdout)
    assert len(page_rows) == len(cli_rows) > 2
    assert page_rows[0] == cli_rows[0] == ["title", "description", "labels", "required", "url"]
    # The same rows, but the page's descriptions leave out the practice summary (not on the page,
    # and not in the page's framework.json): the CLI's is that summary, a blank line, the page's.
    summaries = {p.title: p.summary.strip() for p in framework.practices}
    for page, cli in zip(page_rows[1:], cli_rows[1:], strict=True):
        assert page[0] == cli[0] and page[2:] == cli[2:]
        assert cli[1] == f"{summaries[page[0]]}\n\n{page[1]}"
        assert page[1].startswith(f"Practice: {page[4]}\n")
        assert page[4].startswith(site.url + "practices/")
    if which == "kitchen":
        assert page_rows[1] == [
            "A cleaning schedule is followed",
            f"Practice: {site.url}practices/cleaning-schedule/\nStage: 1 (Routine). "
            "Capability: Cleaning.\nCurrent answer: partial.\nQuestion: Can you show the "
            "signed cleaning schedule for last week?\n\nEvidence to produce:\n"
            "- What shows the answer to the question.",
            "stage:routine capability:cleaning",
            "false",
            f"{site.url}practices/cleaning-schedule/",
        ]


HISTORY_COLOURS = """() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  return {
    text: style(".mp-tl-chart text").fill,
    axis: style(".mp-tl-chart .mp-chart-axis").fill,
    evidenced: style("polyline.mp-tl-evidenced").stroke,
    self: style("polyline.mp-tl-self").stroke,
    reached: style(".mp-tl-chart .mp-chart-bar--reached").fill,
    open: style(".mp-tl-chart .mp-tl-open").fill,
    background: getComputedStyle(document.body).backgroundColor,
  };
}"""


def _over(colour: str, background: str) -> str:
    """A CSS colour with alpha as it shows on an opaque background."""
    *rgb, alpha = [*map(float, re.findall(r"[\d.]+", colour)[:4]), 1.0][:4]
    base = map(float, re.findall(r"[\d.]+", background)[:3])
    mixed = [round(c * alpha + b * (1 - alpha)) for c, b in zip(rgb, base, strict=True)]
    return f"rgb({mixed[0]}, {mixed[1]}, {mixed[2]})"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_history_chart_is_accessible_in_both_schemes(kitchen: Session, scheme: str) -> None:
    kitchen.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    kitchen.wait_ready()
    _choose_history(kitchen, [HISTORY / n for n in ("a-april.json", "b-october.json")])
    assert len(_shown_history(kitchen, 1)["evidenced"]) == 2
    assert kitchen.page.locator("svg.mp-tl-chart").is_visible()
    named = re.compile("^Evidenced stage, self-estimate")
    assert kitchen.page.get_by_role("img", name=named).count() == 1
    assert _axe(kitchen.page) == []
    # axe does not check SVG: text and lines must stand out from the page in both schemes.
    colours = kitchen.page.evaluate(HISTORY_COLOURS)
    background = colours.pop("background")
    contrast = {k: _contrast(_over(v, background), background) for k, v in colours.items()}
    assert min(contrast["text"], contrast["axis"]) >= 4.5, (colours, contrast)
    assert min(contrast.values()) >= 3, (colours, contrast)
