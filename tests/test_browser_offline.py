"""The start-up snapshot and the offline copy in the system Chromium, on sites built by
`mkdocs build` and served by a local server that can refuse the snapshot and serve a rebuild.

Every test opens fresh browser contexts (cold cache, no service worker yet) and waits on the
page's state (`data-scorer`, `data-scored`, `data-offline` on <html>), never on the clock.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browserfixtures import *  # noqa: F403 (fixtures)
from chromium import free_port
from conftest import KITCHEN, cli_score, mutated_copy
from hostile import answers_file
from localserver import SiteServer, serving
from playwright.sync_api import Browser, BrowserContext, Page
from sitebuild import built

from assessor.cpython.load import load_framework
from playbook_site import offline, runtime

pytestmark = pytest.mark.browser

TIMEOUT = 90_000
SCORED = """() => {
  const root = document.getElementById("mp-assessment");
  return !!root && root.dataset.scorer === "ready" && root.dataset.scored === root.dataset.changes;
}"""
OFFLINE_READY = "() => document.documentElement.dataset.offline === 'ready'"
RESULTS = """() => ({
  stage: document.getElementById("mp-evidenced-stage").dataset.stage,
  gap: document.getElementById("mp-gap").textContent,
  roadmap: [...document.querySelectorAll(".mp-roadmap li[data-practice]")]
    .map((li) => li.dataset.practice),
})"""
CASE = answers_file(
    "kitchen",
    self_estimate="mastery",
    answers={"labelled-leftovers": "yes", "fridge-thermometer": "no", "separate-boards": "yes",
             "cleaning-schedule": "partial", "stock-rotation": "na"},
)  # fmt: skip
# A second edition of the kitchen playbook: a lower threshold lifts CASE from "basic" to "routine".
SECOND_EDITION = [
    ("framework.yaml", "stage_threshold: 0.75", "stage_threshold: 0.5"),
    ("framework.yaml", 'version: "1.0"', 'version: "1.1"'),
    ("framework.yaml", "title: Kitchen Hygiene Playbook", "title: Kitchen Hygiene, 2nd edition"),
]
# What the site's pages will declare (another change adds it to every page): same-origin scripts
# and workers, WebAssembly compilation, no other origin.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"
)
VIOLATIONS = """(() => {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (e) =>
    window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
})();"""


@dataclass
class Served:
    """A local server on the port the builds were made for; `use` switches the build it serves."""

    url: str
    server: SiteServer
    builds: Path
    kitchen: Path

    def build(self, framework_dir: Path, name: str) -> Path:
        return built(self.builds / name, framework_dir, self.url).root

    def use(self, root: Path) -> None:
        self.server.root = root
        self.server.refuse_snapshot = False

    def log_since(self, mark: int) -> list[tuple[str, int]]:
        return [(r.path, r.status) for r in self.server.log[mark:]]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The kitchen site built for a free port and served there; other builds can follow."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    builds = tmp_path_factory.mktemp("offline-builds")
    kitchen = built(builds / "kitchen", KITCHEN, url).root
    with serving(kitchen, port) as server:
        yield Served(url, server, builds, kitchen)


@dataclass
class Visitor:
    """One browser context (a visitor's browser) and every URL it requested."""

    context: BrowserContext
    page: Page
    requested: list[str] = field(default_factory=list)

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="domcontentloaded")

    def scored(self) -> None:
        self.page.wait_for_function(SCORED, timeout=TIMEOUT)

    def answer(self, answers: dict[str, str], self_estimate: str) -> None:
        for pid, value in answers.items():
            self.page.check(f"#q-{pid} input[value='{value}']")
        self.page.check(f"input[name=self-estimate][value='{self_estimate}']")
        self.scored()

    def timings(self) -> dict[str, Any]:
        text = self.page.get_attribute("#mp-assessment", "data-scorer-timings")
        assert text is not None
        timings: dict[str, Any] = json.loads(text)
        return timings

    def results(self) -> dict[str, Any]:
        self.scored()
        results: dict[str, Any] = self.page.evaluate(RESULTS)
        return results

    def kept_offline(self) -> None:
        self.page.wait_for_function(OFFLINE_READY, timeout=TIMEOUT)

    def caches(self) -> list[str]:
        return list(self.page.evaluate("() => caches.keys()"))


@pytest.fixture
def visitor(browser: Browser) -> Iterator[Any]:
    contexts: list[BrowserContext] = []

    def open_() -> Visitor:
        context = browser.new_context(service_workers="allow")
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        fresh = Visitor(context, page)
        context.on("request", lambda request: fresh.requested.append(request.url))
        return fresh

    yield open_
    for context in contexts:
        context.close()


def _cli(answers: dict[str, Any], framework_dir: Path, tmp_path: Path) -> dict[str, Any]:
    result = cli_score(answers, framework_dir, tmp_path)
    return {
        "stage": result["evidenced_stage"]["id"],
        "gap": result["gap_statement"],
        "roadmap": [entry["practice"] for entry in result["roadmap"]],
    }


def _same_origin(urls: list[str], origin: str) -> list[str]:
    """The URLs that leave the site's origin (none may)."""
    return [u for u in urls if not u.startswith((origin, f"blob:{origin}", "data:"))]


@pytest.mark.parametrize("refuse", [False, True], ids=["snapshot", "fallback"])
def test_snapshot_and_fallback_starts_show_the_cli_results(
    served: Served, visitor: Any, tmp_path: Path, refuse: bool
) -> None:
    served.use(served.kitchen)
    served.server.refuse_snapshot = refuse
    fresh: Visitor = visitor()
    fresh.open(served.url + "assessment/")
    fresh.answer(CASE["answers"], CASE["self_estimate"])
    timings = fresh.timings()
    if refuse:
        assert (timings["start"], timings["fallback"]) == (
            "plain",
            "the snapshot could not be downloaded (HTTP 404)",
        )
        assert timings["package"] > 0
    else:
        assert (timings["start"], timings["fallback"]) == ("snapshot", "")
        assert timings["package"] == 0
    assert fresh.results() == _cli(CASE, KITCHEN, tmp_path)
    assert _same_origin(fresh.requested, served.url.rstrip("/")) == []


def test_after_one_visit_the_playbook_and_the_assessment_work_offline(
    served: Served, visitor: Any, tmp_path: Path
) -> None:
    served.use(served.kitchen)
    practice = load_framework(KITCHEN).practices[-1]
    fresh: Visitor = visitor()
    fresh.open(served.url + "assessment/")
    fresh.scored()
    fresh.kept_offline()
    fresh.context.set_offline(True)
    mark = len(served.server.log)
    # A page this visitor never opened, by a full navigation.
    response = fresh.page.goto(served.url + f"practices/{practice.id}/")
    assert response is not None and response.status == 200
    heading = fresh.page.evaluate("() => document.querySelector('article h1').firstChild.data")
    assert heading.strip() == practice.title
    fresh.open(served.url + "assessment/")
    fresh.answer(CASE["answers"], CASE["self_estimate"])
    assert fresh.timings()["start"] == "snapshot"
    assert fresh.results() == _cli(CASE, KITCHEN, tmp_path)
    # Nothing reached the server but the browser's check for a new sw.js, which Chromium makes
    # outside the offline emulation (Playwright's offline mode covers pages and workers only).
    assert [path for path, _ in served.log_since(mark) if path != "/sw.js"] == []
    assert _same_origin(fresh.requested, served.url.rstrip("/")) == []


def _snapshot_key(page: Page) -> str:
    url = page.get_attribute("#mp-assessment", "data-snapshot")
    assert url is not None
    return url.split("/")[-2]


def _sw_version(site: Path) -> str:
    found = re.search(r'^const VERSION = "([0-9a-f]+)";$', (site / "sw.js").read_text(), re.M)
    assert found
    return found.group(1)


def test_a_rebuild_with_a_changed_framework_is_used_at_the_next_visit(
    served: Served, visitor: Any, tmp_path: Path
) -> None:
    served.use(served.kitchen)
    fresh: Visitor = visitor()
    fresh.open(served.url + "assessment/")
    fresh.answer(CASE["answers"], CASE["self_estimate"])
    assert fresh.results()["stage"] == "basic"
    fresh.kept_offline()
    old_key = _snapshot_key(fresh.page)
    scope = served.url
    assert fresh.caches() == [f"maturity-playbook-offline:{scope}:{_sw_version(served.kitchen)}"]

    edition = mutated_copy(tmp_path, SECOND_EDITION)
    rebuilt = served.build(edition, "second-edition")
    served.use(rebuilt)
    mark = len(fresh.requested)
    fresh.open(served.url + "assessment/")
    fresh.scored()
    assert "Kitchen Hygiene, 2nd edition" in fresh.page.title()
    new_key = _snapshot_key(fresh.page)
    assert new_key != old_key and (rebuilt / "assets" / "snapshot" / new_key).is_dir()
    assert fresh.timings()["start"] == "snapshot"
    second = {**CASE, "framework": {"id": "kitchen", "version": "1.1"}}
    assert fresh.results() == _cli(second, edition, tmp_path)
    assert fresh.results()["stage"] == "routine"
    # The new build's offline copy replaced the old one, whole.
    fresh.kept_offline()
    assert fresh.caches() == [f"maturity-playbook-offline:{scope}:{_sw_version(rebuilt)}"]
    fresh.context.set_offline(True)
    fresh.open(served.url + "assessment/")
    fresh.scored()
    assert "Kitchen Hygiene, 2nd edition" in fresh.page.title()
    assert _snapshot_key(fresh.page) == new_key
    assert fresh.results() == _cli(second, edition, tmp_path)
    # No stale mix: every file asked for since the rebuild is a file of the new build.
    paths = {u[len(served.url) :].split("?")[0] for u in fresh.requested[mark:]}
    assets = sorted(p for p in paths if p.startswith("assets/"))
    assert assets and [p for p in assets if not (rebuilt / p).is_file()] == []
    assert _same_origin(fresh.requested, served.url.rstrip("/")) == []


def _as_served_by_mkdocs_serve(site: Path, copy: Path) -> Path:
    """A copy of a built site as `mkdocs serve` builds it: no sw.js, offline.mjs emptied."""
    shutil.copytree(site, copy)
    (copy / "sw.js").unlink()
    module = copy / runtime.OFFLINE_MODULE
    module.write_bytes(
        module.read_bytes().replace(runtime.SERVICE_WORKER_LINE, runtime.NO_SERVICE_WORKER_LINE)
    )
    return copy


def test_mkdocs_serve_removes_the_offline_copy_an_earlier_build_left(
    served: Served, visitor: Any, tmp_path: Path
) -> None:
    served.use(served.kitchen)
    fresh: Visitor = visitor()
    fresh.open(served.url)
    fresh.kept_offline()
    assert len(fresh.caches()) == 1
    served.use(_as_served_by_mkdocs_serve(served.kitchen, tmp_path / "serve"))
    fresh.open(served.url + "stages/")  # still under the old service worker
    fresh.page.wait_for_function("() => document.documentElement.dataset.offline === 'off'")
    assert fresh.caches() == []
    registrations = "() => navigator.serviceWorker.getRegistrations().then((r) => r.length)"
    assert fresh.page.evaluate(registrations) == 0
    fresh.open(served.url + "assessment/")
    fresh.scored()
    assert fresh.page.evaluate("() => navigator.serviceWorker.controller") is None


def _with_csp(site: Path, copy: Path) -> Path:
    """A copy of a built site whose every page declares the policy, and its service worker."""
    shutil.copytree(site, copy)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    for page in copy.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("<head>", f"<head>\n{meta}", 1), encoding="utf-8")
    found = offline.manifest(copy)
    (copy / "sw.js").write_text(offline.service_worker(found), encoding="utf-8")
    return copy


def test_snapshot_and_offline_copy_work_under_the_sites_content_security_policy(
    served: Served, visitor: Any, tmp_path: Path
) -> None:
    served.use(_with_csp(served.kitchen, tmp_path / "csp"))
    fresh: Visitor = visitor()
    fresh.context.add_init_script(VIOLATIONS)
    fresh.open(served.url + "assessment/")
    fresh.answer(CASE["answers"], CASE["self_estimate"])
    assert fresh.timings()["start"] == "snapshot"
    fresh.kept_offline()
    fresh.context.set_offline(True)
    fresh.open(served.url + "assessment/")
    fresh.scored()
    assert fresh.results() == _cli(CASE, KITCHEN, tmp_path)
    # Only the theme's inline scripts are refused (the change that adds the policy moves them).
    policy = "meta[http-equiv='Content-Security-Policy']"
    assert fresh.page.get_attribute(policy, "content") == CSP  # the cached page has it too
    refused = fresh.page.evaluate("() => window.__violations")
    assert [v for v in refused if not v.endswith(" inline")] == []
