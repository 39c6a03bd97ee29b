"""Nothing lost, nothing frozen: the page's answers against the attack report's browser defects.

Each `test_rowNN_dN_…` reproduces one DEFECT row of ../shared/reviews/attack-report.md (row
number and defect number) in the system Chromium against the built site, which carries the
Content-Security-Policy, and asserts the fixed behaviour. Time budgets are reached with
Playwright's clock (the page's timers jump forward), never by waiting; everything else waits on
the page's state.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browserfixtures import *  # noqa: F403 (fixtures)
from browserfixtures import ServedSite
from hostile import answers_file, hostile_files, hostile_links, share_fragment
from playwright.sync_api import BrowserContext, Page, Route
from test_browser import FAILED, LOAD_TIMEOUT, READY, Opener, Session, kitchen, open_page

from playbook_site import csp, snapshot

pytestmark = pytest.mark.browser
# pytest finds fixtures by their names in this module: the browser pages of test_browser.py.
FIXTURES = (kitchen, open_page)

PREFIX = "maturity-playbook:kitchen:"
FORMAT = "maturity-playbook/answers@2"
MESSAGES = """() => [...document.querySelectorAll("#mp-messages .mp-message")].map((m) => ({
  kind: m.className.replace("mp-message mp-message--", ""),
  title: m.querySelector(".mp-message-title").textContent,
  details: [...m.querySelectorAll("li")].map((li) => li.textContent),
  actions: [...m.querySelectorAll(".mp-message-actions button")].map((b) => b.textContent),
}))"""
# Installed before the page's scripts: every request the page posts to a worker, and every
# Content-Security-Policy violation.
RECORD = """(() => {
  window.__sent = [];
  window.__violations = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    window.__sent.push(message);
    return post.call(this, message, ...rest);
  };
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
})();"""


# --- helpers ----------------------------------------------------------------------------------


def _messages(session: Session) -> list[dict[str, Any]]:
    return list(session.page.evaluate(MESSAGES))


def _message(session: Session, title: str) -> dict[str, Any]:
    """The message with this title, once it is shown."""
    # Waited for and read in one step: the theme may replace the page's copy in between.
    found = session.page.wait_for_function(
        f"(title) => ({MESSAGES})().find((m) => m.title === title) || null",
        arg=title,
        timeout=LOAD_TIMEOUT,
    )
    message: dict[str, Any] = found.json_value()
    return message


def _no_message_twice(session: Session) -> None:
    shown = [json.dumps([m["kind"], m["title"], m["details"]]) for m in _messages(session)]
    assert len(shown) == len(set(shown)), shown


def _local(page: Page, suffix: str) -> Any:
    raw = page.evaluate("(key) => localStorage.getItem(key)", PREFIX + suffix)
    return None if raw is None else json.loads(raw)


def _history(page: Page) -> list[dict[str, Any]]:
    return list(_local(page, "history") or [])


def _aside(page: Page) -> dict[str, dict[str, Any]]:
    """Every value set aside: key -> {at, problems, value}."""
    found: dict[str, str] = page.evaluate(
        """(prefix) => Object.fromEntries(Object.keys(localStorage)
             .filter((k) => k.startsWith(prefix)).map((k) => [k, localStorage.getItem(k)]))""",
        PREFIX + "set-aside",
    )
    return {key: json.loads(value) for key, value in found.items()}


def _plant(value: str, key: str = PREFIX + "answers") -> Any:
    """A `before` hook: stores `value` once, before the page's scripts run."""

    def before(context: BrowserContext) -> None:
        context.add_init_script(
            f"if (!sessionStorage.getItem('planted:{key}')) {{"
            f" sessionStorage.setItem('planted:{key}', '1');"
            f" localStorage.setItem({json.dumps(key)}, {json.dumps(value)}); }}"
        )

    return before


def _file(tmp_path: Path, name: str, data: bytes | dict[str, Any]) -> Path:
    path = tmp_path / name
    if isinstance(data, dict):
        data = json.dumps(data, separators=(",", ":")).encode("utf-8")
    path.write_bytes(data)
    return path


def _import(session: Session, path: Path) -> dict[str, Any]:
    session.dismiss_messages()
    session.choose_file("import", path)
    return _message(session, f"Answers loaded from the file {path.name}")


def _earlier(page: Page) -> list[str]:
    """The entries of "Your earlier answers" (snapshots, then values set aside)."""
    page.wait_for_selector("#mp-earlier", state="attached")
    return list(page.locator("#mp-earlier li").all_text_contents())


def _open_earlier(page: Page) -> None:
    page.locator("#mp-earlier summary").click()


def _with(session: Session, *scripts: str) -> None:
    for script in scripts:
        session.page.context.add_init_script(script)


A = answers_file(
    "kitchen",
    format=FORMAT,
    self_estimate="routine",
    answers={"labelled-leftovers": "yes", "fridge-thermometer": "partial"},
    notes={"fridge-thermometer": "checked every morning"},
)
B = answers_file(
    "kitchen", format=FORMAT, answers={"separate-boards": "no", "cleaning-schedule": "yes"}
)


def _answer_a(session: Session) -> dict[str, Any]:
    session.answer(A["answers"], A["self_estimate"])
    session.note("fridge-thermometer", A["notes"]["fridge-thermometer"])
    session.wait_ready()
    session.wait_scored()
    session.dismiss_messages()
    return session.shown()


# --- D2: a share link never overwrites silently -----------------------------------------------


def test_row09_d2_share_link_never_overwrites_silently(kitchen: Session) -> None:
    before = _answer_a(kitchen)
    link = kitchen.site.page() + "#" + share_fragment(json.dumps(B).encode("utf-8"))
    # Opened as a new visit (the repro: any valid link, saved answers present).
    kitchen.page.goto(kitchen.site.page(""), wait_until="domcontentloaded")
    kitchen.page.goto(link, wait_until="domcontentloaded")
    message = _message(kitchen, "Answers loaded from the share link")
    assert message["details"][-1] == (
        "Your previous answers were kept in this browser: the button below, or “Your earlier"
        " answers”, brings them back."
    )
    assert message["actions"] == ["Undo: bring back my previous answers", "Dismiss"]
    kitchen.wait_scored()
    assert kitchen.shown()["answers"] == B["answers"]
    snapshot = _history(kitchen.page)[0]
    assert snapshot["reason"] == "share"
    assert snapshot["file"]["answers"] == before["answers"]
    assert snapshot["file"]["notes"] == before["notes"]
    assert snapshot["file"]["self_estimate"] == before["self_estimate"]
    _no_message_twice(kitchen)
    # After a reload the undo is still there, in "Your earlier answers".
    kitchen.page.reload(wait_until="domcontentloaded")
    kitchen.wait_ready()
    entries = _earlier(kitchen.page)
    assert entries[0].startswith("Before a share link replaced them, ")
    assert entries[0].endswith(": 2 answers, 1 note. Restore")
    _open_earlier(kitchen.page)
    kitchen.page.locator("#mp-earlier li").first.get_by_role("button", name="Restore").click()
    _message(kitchen, "Your previous answers are back.")
    kitchen.wait_scored()
    assert kitchen.shown() == before
    stored = kitchen.stored()
    assert stored is not None
    assert {k: stored[k] for k in before} == before
    # The shared answers they replaced are kept in turn.
    assert _history(kitchen.page)[0]["reason"] == "restore"
    assert _history(kitchen.page)[0]["file"]["answers"] == B["answers"]


def test_reset_has_an_undo_that_survives_a_reload(kitchen: Session) -> None:
    before = _answer_a(kitchen)
    kitchen.reset()
    message = _message(kitchen, "All answers were erased.")
    assert message["actions"] == ["Undo the reset", "Dismiss"]
    assert kitchen.stored() is None
    kitchen.page.reload(wait_until="domcontentloaded")
    kitchen.wait_ready()
    assert kitchen.shown()["answers"] == {}
    entries = _earlier(kitchen.page)
    assert entries[0].startswith("Before the reset, ")
    _open_earlier(kitchen.page)
    kitchen.page.get_by_role("button", name="Restore").first.click()
    _message(kitchen, "Your previous answers are back.")
    kitchen.wait_scored()
    assert kitchen.shown() == before
    kitchen.page.reload(wait_until="domcontentloaded")
    kitchen.wait_ready()
    assert kitchen.shown() == before


# --- D4: what the page saves, it can load -----------------------------------------------------


def _near_limit_file() -> dict[str, Any]:
    """An answers file of 1 048 000 bytes (written compactly): notes on practices of another
    version fill it up to a few hundred bytes below the 1 MB limit."""
    data = answers_file("kitchen", format=FORMAT, answers={"labelled-leftovers": "yes"})
    notes: dict[str, str] = {}
    data["notes"] = notes
    size = len(json.dumps(data, separators=(",", ":")).encode())
    index = 0
    while size < 1_048_000:
        key = f"old-practice-{index:04d}"
        text = "n" * min(4000, 1_048_000 - size - len(key) - 6)
        notes[key] = text
        size += len(key) + len(text) + 6
        index += 1
    return data


def test_row16_d4_near_limit_state_round_trips_and_more_is_refused(
    kitchen: Session, tmp_path: Path
) -> None:
    kitchen.wait_ready()
    near = _near_limit_file()
    _import(kitchen, _file(tmp_path, "nearly1mb.json", near))
    kitchen.answer({"stock-rotation": "partial"})
    kitchen.wait_scored()
    stored = kitchen.stored()
    assert stored is not None
    assert stored["answers"] == {"labelled-leftovers": "yes", "stock-rotation": "partial"}
    saved = kitchen.page.evaluate(
        "(k) => new Blob([localStorage.getItem(k)]).size", kitchen.storage_key
    )
    assert 1_048_000 < saved <= 1_048_576
    # A 3 000-character note would take the answers over 1 MB: refused, said, not saved.
    kitchen.page.evaluate(
        "() => { document.getElementById('note-separate-boards').closest('details').open = true; }"
    )
    kitchen.page.fill("#note-separate-boards", "x" * 3000)
    refused = _message(kitchen, "Your latest changes are not saved")
    assert refused["kind"] == "warning"
    assert refused["details"][0].startswith("Saved, they could not be loaded again: your answers")
    assert refused["details"][0].endswith("; the limit is 1 MB.")
    assert kitchen.stored() == stored
    # Reload: the saved answers load whole (nothing set aside), and their export imports again.
    kitchen.page.reload(wait_until="domcontentloaded")
    kitchen.wait_ready()
    kitchen.wait_scored()
    assert kitchen.shown()["answers"] == {"labelled-leftovers": "yes", "stock-rotation": "partial"}
    assert _aside(kitchen.page) == {}
    assert not [m for m in _messages(kitchen) if m["kind"] in ("error", "warning")]
    exported = kitchen.export(tmp_path)
    assert len(exported.read_bytes()) <= 1_048_576
    assert json.loads(exported.read_bytes())["notes"] == near["notes"]
    kitchen.reset()
    _import(kitchen, exported)
    kitchen.wait_scored()
    assert kitchen.stored()["notes"] == near["notes"]  # type: ignore[index]
    assert kitchen.shown()["answers"] == {"labelled-leftovers": "yes", "stock-rotation": "partial"}


def test_row16_d4_twenty_thousand_entries_stay_usable(kitchen: Session, tmp_path: Path) -> None:
    kitchen.wait_ready()
    answers = {f"old-practice-{i:05d}": "no" for i in range(19_999)}
    answers["labelled-leftovers"] = "yes"
    message = _import(
        kitchen, _file(tmp_path, "ids19999.json", answers_file("kitchen", answers=answers))
    )
    # The message lists ten ids, not twenty thousand.
    assert message["details"][1].endswith(", … and 19989 more.")
    kitchen.wait_scored()
    before = kitchen.stored()
    # One more answer would make 20 001 entries, which no page could load: refused, said.
    kitchen.answer({"separate-boards": "yes"})
    refused = _message(kitchen, "Your latest changes are not saved")
    assert refused["details"][0] == (
        "Saved, they could not be loaded again: 20001 entries in “answers”; the limit is 20000."
    )
    assert kitchen.stored() == before
    kitchen.page.reload(wait_until="domcontentloaded")
    kitchen.wait_ready()
    kitchen.wait_scored()
    assert kitchen.shown()["answers"] == {"labelled-leftovers": "yes"}
    assert len(kitchen.stored()["answers"]) == 20_000  # type: ignore[index]
    assert _aside(kitchen.page) == {}


# --- D5: an over-large saved value never stops saving -----------------------------------------


@pytest.mark.parametrize("whole", [True, False], ids=["not-an-answers-file", "huge-note"])
def test_row19_d5_oversized_saved_value_is_offered_as_a_download_and_saving_goes_on(
    open_page: Opener, served_kitchen: ServedSite, whole: bool
) -> None:
    if whole:
        planted = "x" * (4 * 1024 * 1024)
        title = "The answers saved in this browser could not be used"
        label = "Download the saved value"
    else:
        planted = json.dumps(
            answers_file("kitchen", answers={"stock-rotation": "yes"},
                         notes={"stock-rotation": "n" * (4 * 1024 * 1024)})
        )  # fmt: skip
        title = "Some of the answers saved in this browser could not be used"
        label = "Download these entries"
    session = open_page(served_kitchen, before=_plant(planted))
    message = _message(session, title)
    assert label in message["actions"]
    assert "has no room" in message["details"][-1]
    with session.page.expect_download() as download:
        session.page.get_by_role("button", name=label).click()
    offered = Path(download.value.path()).read_text(encoding="utf-8")
    if whole:
        assert offered == planted
    else:
        assert json.loads(offered)["notes"] == json.loads(planted)["notes"]
    # Saving goes on, with no warning that it stopped.
    session.answer({"separate-boards": "yes"})
    session.wait_ready()
    session.wait_scored()
    expected = (
        {"separate-boards": "yes"} if whole else {"stock-rotation": "yes", "separate-boards": "yes"}
    )
    assert session.stored()["answers"] == expected  # type: ignore[index]
    assert not [
        m for m in _messages(session) if m["title"].startswith("Your answers cannot be saved")
    ]
    # The big value is gone, so the next visit starts cleanly.
    session.page.reload(wait_until="domcontentloaded")
    session.wait_ready()
    session.wait_scored()
    assert session.shown()["answers"] == expected
    assert [m for m in _messages(session) if m["kind"] in ("error", "warning")] == []


# --- D4 (row 20): invalid entries are set aside alone; every set-aside value is kept ----------


def test_row20_d4_invalid_entries_are_set_aside_alone_and_every_set_aside_is_kept(
    open_page: Opener, served_kitchen: ServedSite
) -> None:
    planted = answers_file(
        "kitchen",
        answers={"labelled-leftovers": "maybe", "stock-rotation": "yes"},
        notes={"stock-rotation": "rotated on Mondays", "x" * 101: "too long an id"},
    )
    session = open_page(served_kitchen, before=_plant(json.dumps(planted)))
    message = _message(session, "Some of the answers saved in this browser could not be used")
    assert message["details"][:2] == [
        "answers.labelled-leftovers: not one of this question's answers",
        f"notes.{'x' * 59}…: not a valid practice id",
    ]
    assert message["details"][2].startswith(
        "The other answers were loaded. These entries were set aside under “"
    )
    # The valid answers are shown and kept.
    assert session.shown()["answers"] == {"stock-rotation": "yes"}
    assert session.shown()["notes"] == {"stock-rotation": "rotated on Mondays"}
    session.wait_ready()
    session.wait_scored()
    assert session.stored()["answers"] == {"stock-rotation": "yes"}  # type: ignore[index]
    (first,) = _aside(session.page).values()
    assert json.loads(first["value"])["answers"] == {"labelled-leftovers": "maybe"}
    assert json.loads(first["value"])["notes"] == {"x" * 101: "too long an id"}
    # A second unusable value: both are kept, and each can be downloaded from the page.
    session.page.evaluate("(key) => localStorage.setItem(key, '{not json')", session.storage_key)
    session.page.reload(wait_until="domcontentloaded")
    _message(session, "The answers saved in this browser could not be used")
    kept = _aside(session.page)
    assert len(kept) == 2
    assert {v["value"] for v in kept.values()} == {first["value"], "{not json"}
    entries = _earlier(session.page)
    assert len(entries) == 2 and all(e.startswith("Set aside ") for e in entries)
    _open_earlier(session.page)
    downloads = []
    for button in (
        session.page.locator("#mp-earlier li").get_by_role("button", name="Download").all()
    ):
        with session.page.expect_download() as download:
            button.click()
        downloads.append(Path(download.value.path()).read_text(encoding="utf-8"))
    assert sorted(downloads) == sorted([first["value"], "{not json"])


# --- D3: two tabs ------------------------------------------------------------------------------


def _second_tab(session: Session) -> Session:
    page = session.page.context.new_page()
    page.goto(session.site.page(), wait_until="domcontentloaded")
    other = Session(page, session.site, len(session.site.log))
    other.wait_ready()
    return other


def test_row22_d3_two_tabs_answering_different_questions_both_survive(kitchen: Session) -> None:
    kitchen.wait_ready()
    tab_b = _second_tab(kitchen)
    kitchen.answer({"labelled-leftovers": "yes"})
    tab_b.answer({"separate-boards": "partial"})
    kitchen.note("labelled-leftovers", "dated labels")
    both = {"labelled-leftovers": "yes", "separate-boards": "partial"}
    kitchen.page.wait_for_function(
        "(key) => Object.keys(JSON.parse(localStorage.getItem(key)).answers).length === 2",
        arg=kitchen.storage_key,
    )
    assert kitchen.stored()["answers"] == both  # type: ignore[index]
    assert kitchen.stored()["notes"] == {"labelled-leftovers": "dated labels"}  # type: ignore[index]
    # Each tab shows the other's answers too, and scores them.
    for tab in (kitchen, tab_b):
        tab.page.wait_for_function(
            "() => document.querySelectorAll('fieldset[data-practice] input:checked').length === 2"
        )
        tab.wait_scored()
        assert tab.shown()["answers"] == both
    tab_b.page.wait_for_function(
        "() => document.getElementById('note-labelled-leftovers').value === 'dated labels'"
    )
    # A reset in one tab is not undone by the next answer in the other.
    kitchen.reset()
    tab_b.page.wait_for_function("() => !document.querySelector('fieldset input:checked')")
    tab_b.answer({"fridge-thermometer": "no"})
    kitchen.page.wait_for_function(
        "() => document.querySelector('#q-fridge-thermometer input[value=no]').checked"
    )
    assert kitchen.stored()["answers"] == {"fridge-thermometer": "no"}  # type: ignore[index]
    assert kitchen.stored()["notes"] == {}  # type: ignore[index]
    assert kitchen.shown()["answers"] == {"fridge-thermometer": "no"}


# --- D9: Content-Security-Policy ---------------------------------------------------------------


def test_row26_d9_the_policy_blocks_injected_script_and_the_assessment_works(
    kitchen: Session, tmp_path: Path
) -> None:
    _with(kitchen, RECORD)
    kitchen.page.reload(wait_until="domcontentloaded")
    policy = kitchen.page.get_attribute("meta[http-equiv=Content-Security-Policy]", "content")
    assert policy == csp.policy()
    _answer_a(kitchen)
    exported = kitchen.export(tmp_path)
    kitchen.download("report")
    link = kitchen.share_link()
    _import(kitchen, exported)
    kitchen.choose_file("compare", exported)
    kitchen.page.wait_for_selector("#mp-comparison:not([hidden]) h3")
    kitchen.page.goto(link)
    kitchen.wait_scored()
    assert kitchen.page.evaluate("() => window.__violations") == []
    # Markup that slips in cannot run script.
    ran = kitchen.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = 1";
          document.body.append(script);
          const img = document.createElement("img");
          img.setAttribute("onerror", "window.__ran = 2");
          img.src = "data:,";
          document.body.append(img);
          return window.__ran ?? null;
        }"""
    )
    assert ran is None
    kitchen.page.wait_for_function("() => window.__violations.length >= 1")
    assert all(
        v.startswith("script-src") for v in kitchen.page.evaluate("() => window.__violations")
    )


@pytest.fixture
def served_with_header(served_kitchen: ServedSite) -> Iterator[str]:
    """The kitchen site again, every file sent with the policy as a header (the worker too)."""

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            del format, args

        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", csp.header_policy())
            super().end_headers()

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(served_kitchen.root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_pyodide_runs_under_the_header_policy_without_unsafe_eval(
    browser: Any, served_with_header: str
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        response = page.goto(served_with_header + "assessment/")
        assert response is not None
        assert response.headers["content-security-policy"] == csp.header_policy()
        page.wait_for_selector(READY, state="attached", timeout=LOAD_TIMEOUT)
        page.check("#q-labelled-leftovers input[value=yes]")
        page.wait_for_function(
            "() => { const r = document.getElementById('mp-assessment');"
            " return r.dataset.scored === r.dataset.changes; }"
        )
        assert page.get_attribute("#mp-evidenced-stage", "data-stage") == "basic"
    finally:
        context.close()


# --- D11: failures -----------------------------------------------------------------------------


def test_row30_d11_a_stalled_download_ends_in_a_clear_failure(
    open_page: Opener, served_kitchen: ServedSite
) -> None:
    stalled: list[Route] = []
    stall = [True]

    def hang(route: Route) -> None:
        if stall[0]:
            stalled.append(route)  # never answered: the download never completes
        else:
            route.continue_()

    def before(context: BrowserContext) -> None:
        context.clock.install()
        context.route("**/pyodide.asm.wasm", hang)

    session = open_page(served_kitchen, before=before)
    session.answer({"labelled-leftovers": "yes"}, "basic")
    # The page's start budget runs from here on.
    session.page.wait_for_selector("#mp-assessment[data-scorer=loading]", state="attached")
    session.page.clock.fast_forward("03:00")
    session.page.wait_for_selector(FAILED, state="attached")
    assert stalled
    message = _message(session, "The scorer could not start")
    assert message["details"][0] == "it did not start within 3 minutes: a download never finished."
    assert message["actions"] == ["Try again", "Dismiss"]
    assert session.stored()["answers"] == {"labelled-leftovers": "yes"}  # type: ignore[index]
    session.answer({"separate-boards": "no"})
    assert session.stored()["answers"] == {"labelled-leftovers": "yes", "separate-boards": "no"}  # type: ignore[index]
    _no_message_twice(session)
    # Try again: a fresh worker downloads the runtime and the answers are scored.
    stall[0] = False
    session.page.get_by_role("button", name="Try again").click()
    session.wait_ready()
    session.wait_scored()
    assert session.page.get_attribute("#mp-assessment", "data-scorer-starts") == "2"
    assert session.shown()["answers"] == {"labelled-leftovers": "yes", "separate-boards": "no"}
    assert [m["title"] for m in _messages(session)] == []


@pytest.mark.parametrize("blocked", ["page.mjs", "boot.mjs"])
def test_row31_d11_a_blocked_module_keeps_showing_and_saving_answers(
    open_page: Opener, served_kitchen: ServedSite, blocked: str
) -> None:
    saved = answers_file("kitchen", format=FORMAT, answers={"stock-rotation": "yes"},
                         notes={"stock-rotation": "Mondays"})  # fmt: skip

    def before(context: BrowserContext) -> None:
        _plant(json.dumps(saved))(context)
        context.route(f"**/assessment/*/{blocked}", lambda route: route.abort())

    session = open_page(served_kitchen, before=before)
    session.page.wait_for_selector(FAILED, state="attached", timeout=LOAD_TIMEOUT)
    status = session.page.inner_text("#mp-scorer")
    if blocked == "page.mjs":
        session.page.wait_for_selector("#mp-assessment[data-fallback=on]", state="attached")
        assert status.startswith(
            "The assessment's script (page.mjs or a module it needs) could not be loaded ("
        )
        assert "Your saved answers are shown and new ones are saved in this browser." in status
    else:
        message = _message(session, "The scorer could not start")
        assert message["details"][0].startswith(
            "its start-up script (boot.mjs) could not be loaded: "
        )
        assert status.startswith(
            "Results are unavailable: the scorer could not start (its start-up script (boot.mjs)"
        )
    session.page.wait_for_function(
        "() => document.querySelector('#q-stock-rotation input[value=yes]').checked"
    )
    assert session.shown()["answers"] == {"stock-rotation": "yes"}
    assert session.shown()["notes"] == {"stock-rotation": "Mondays"}
    session.answer({"labelled-leftovers": "partial"})
    session.note("labelled-leftovers", "on the lid")
    stored = session.stored()
    assert stored is not None
    assert stored["answers"] == {"stock-rotation": "yes", "labelled-leftovers": "partial"}
    assert stored["notes"] == {"stock-rotation": "Mondays", "labelled-leftovers": "on the lid"}
    _no_message_twice(session)
    assert len(_messages(session)) == (0 if blocked == "page.mjs" else 1)
    # Without the block, the page takes over with everything entered meanwhile.
    session.page.context.unroute(f"**/assessment/*/{blocked}")
    session.page.reload(wait_until="domcontentloaded")
    session.wait_ready()
    session.wait_scored()
    assert session.shown()["answers"] == {"stock-rotation": "yes", "labelled-leftovers": "partial"}


@pytest.mark.parametrize(
    "missing", ["worker.mjs", "pyodide.mjs", "framework.json", "pyodide.asm.wasm"]
)
def test_d11_each_failure_is_shown_once(
    open_page: Opener, served_kitchen: ServedSite, missing: str
) -> None:
    def before(context: BrowserContext) -> None:
        context.route(f"**/{missing}", lambda route: route.fulfill(status=404, body="missing"))
        if missing == "framework.json":
            # The start-up snapshot has the framework loaded already; without it, the plain
            # start needs framework.json.
            context.route(
                f"**/{snapshot.FILE_NAME}", lambda route: route.fulfill(status=404, body="missing")
            )

    session = open_page(served_kitchen, before=before)
    session.page.wait_for_selector(FAILED, state="attached", timeout=LOAD_TIMEOUT)
    _message(session, "The scorer could not start")
    session.answer({"labelled-leftovers": "yes"})
    # Instant navigation away and back shows the page again, with the failure said once.
    session.page.click("article a[href$='practices/labelled-leftovers/']")
    session.page.wait_for_url("**/practices/labelled-leftovers/")
    # The theme changes the address first and the page a moment later: go back once it has.
    session.page.wait_for_selector("#mp-assessment", state="detached")
    session.page.go_back()
    _message(session, "The scorer could not start")
    titles = [m["title"] for m in _messages(session)]
    assert titles.count("The scorer could not start") == 1, titles
    _no_message_twice(session)


# --- D1 (browser half): the scorer cannot freeze the page --------------------------------------

# Appended to the real worker: an import of a file spins for ever, as the quadratic scan did.
FREEZE = """
const __serve = self.onmessage;
self.onmessage = (event) => {
  const request = event.data.request || "";
  const fileImport = request.includes('"op":"import"') && request.includes('"source":"file"');
  if (event.data.type === "call" && fileImport) {
    for (;;) {}
  }
  return __serve(event);
};
"""


def test_row10_d1_a_frozen_scorer_is_stopped_and_can_be_restarted(
    open_page: Opener, served_kitchen: ServedSite, tmp_path: Path
) -> None:
    freeze = [True]

    def worker(route: Route) -> None:
        if not freeze[0]:
            route.continue_()
            return
        original = route.fetch()
        route.fulfill(response=original, body=original.text() + FREEZE)

    def before(context: BrowserContext) -> None:
        context.clock.install()
        context.add_init_script(RECORD)
        context.route("**/worker.mjs", worker)

    session = open_page(served_kitchen, before=before)
    before_freeze = _answer_a(session)
    stored = session.stored()
    session.choose_file("import", _file(tmp_path, "slow.json", B))
    session.page.wait_for_function(
        "() => window.__sent.some((m) => m.type === 'call' && m.request.includes('\"import\"'))"
    )
    session.page.clock.fast_forward(10_000)
    message = _message(session, "The scorer stopped")
    assert message["details"][0] == (
        "it took longer than 10 seconds (reading the answers given to it) and was stopped."
    )
    assert message["actions"] == ["Restart the scorer", "Dismiss"]
    assert session.page.inner_text("#mp-scorer").startswith(
        "Results are paused: the scorer stopped ("
    )
    assert session.page.is_enabled("[data-action=reset]")
    assert session.shown() == before_freeze
    assert session.stored() == stored
    # The page stays usable: answers are still saved.
    session.answer({"stock-rotation": "yes"})
    assert session.stored()["answers"]["stock-rotation"] == "yes"  # type: ignore[index]
    assert [m["title"] for m in _messages(session)] == ["The scorer stopped"]
    freeze[0] = False
    session.page.get_by_role("button", name="Restart the scorer").click()
    session.wait_ready()
    session.wait_scored()
    assert session.page.get_attribute("#mp-assessment", "data-scorer-starts") == "2"
    assert session.shown()["answers"] == {**before_freeze["answers"], "stock-rotation": "yes"}
    assert [m["title"] for m in _messages(session)] == []


# --- D12: bounded, quoted text from files -----------------------------------------------------


def test_d12_text_from_a_file_is_bounded_and_cannot_pass_for_the_page(
    kitchen: Session, tmp_path: Path
) -> None:
    kitchen.wait_ready()
    spoof = "1.0. Your answers were uploaded to evil.example; sign in again"
    assert len(spoof) <= 64
    message = _import(kitchen, _file(tmp_path, "spoof.json", answers_file(
        "kitchen", framework={"id": "kitchen", "version": spoof},
        answers={"labelled-leftovers": "yes"})))  # fmt: skip
    assert message["details"][1] == (
        f"They were given for version “{spoof[:39]}…” of this playbook; this is version 1.0."
    )
    kitchen.dismiss_messages()
    long_version = answers_file("kitchen", framework={"id": "kitchen", "version": "9" * 200_000},
                                answers={"labelled-leftovers": "no"})  # fmt: skip
    kitchen.choose_file("import", _file(tmp_path, "long.json", long_version))
    refused = _message(kitchen, "long.json was not imported")
    assert len("".join(refused["details"])) < 500
    assert refused["details"][-1] == "Your answers are unchanged."
    assert kitchen.shown()["answers"] == {"labelled-leftovers": "yes"}


# --- hostile input never changes what is saved ------------------------------------------------


def test_hostile_links_and_files_never_change_the_saved_answers(
    kitchen: Session, tmp_path: Path
) -> None:
    _answer_a(kitchen)
    saved = {key: _local(kitchen.page, key) for key in ("answers", "clock", "history")}
    links = hostile_links("kitchen", "labelled-leftovers")
    files = hostile_files("kitchen", "labelled-leftovers")
    for name, fragment in links[:4]:
        # A new visit through the link: the saved answers are read, then the link is refused.
        kitchen.page.goto(kitchen.site.page(""), wait_until="domcontentloaded")
        kitchen.page.goto(kitchen.site.page() + "#" + fragment, wait_until="domcontentloaded")
        message = _message(kitchen, "The share link could not be used")
        assert message["details"][-1] == "Your answers are unchanged.", name
        kitchen.wait_scored()
    for name, content in files[:6]:
        kitchen.dismiss_messages()
        kitchen.choose_file("import", _file(tmp_path, f"{name}.json", content))
        _message(kitchen, f"{name}.json was not imported")
    for key, value in saved.items():
        assert _local(kitchen.page, key) == value, key
    assert _aside(kitchen.page) == {}
    assert kitchen.injected() == []
    assert kitchen.pwned() is None
