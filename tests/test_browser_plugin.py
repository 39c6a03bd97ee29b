"""The assessment of a site that adds the playbook with the plugin, under a prefix, in Chromium."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browserfixtures import *  # noqa: F403 (fixtures)
from chromium import free_port
from conftest import KITCHEN, ROOT
from playwright.sync_api import Browser
from pluginsupport import build_env, entry_points_dir, mkdocs_build, write_site

pytestmark = pytest.mark.browser

PREFIX = "teams/kitchen/"
RESULTS = """() => ({
  stage: document.getElementById("mp-evidenced-stage").dataset.stage,
  gap: document.getElementById("mp-gap").textContent,
  roadmap: [...document.querySelectorAll(".mp-roadmap li[data-practice]")].map((li) => ({
    id: li.dataset.practice, href: li.querySelector("a").href})),
})"""
SCORED = """() => {
  const root = document.getElementById("mp-assessment");
  return !!root && root.dataset.scorer === "ready" && root.dataset.scored === root.dataset.changes;
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        del format, args


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site with its own home page that adds the kitchen playbook under a prefix, served."""
    tmp = tmp_path_factory.mktemp("plugin-browser")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    config = {
        "site_name": "Canteen",
        "site_url": url,
        # No web fonts: the test machine has no internet.
        "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
        "plugins": ["search", {"maturity-playbook": {"framework": str(KITCHEN), "prefix": PREFIX}}],
    }
    config_file, _ = write_site(tmp / "project", config, {"index.md": "# Canteen\n"})
    out = tmp / "site"
    result = mkdocs_build(config_file, out, build_env(entry_points_dir(tmp / "entry-points")))
    if result.returncode != 0:
        pytest.fail(f"the plugin site failed to build:\n{result.stderr}")
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=out))
    thread = threading.Thread(target=server.serve_forever, name="plugin-site", daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _cli_score(answers: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "assessor", "score", str(path), "--framework", str(KITCHEN),
         "--json"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def test_the_assessment_under_a_prefix_scores_like_the_cli(
    browser: Browser, plugin_site: str, tmp_path: Path
) -> None:
    context = browser.new_context()
    context.set_default_timeout(30_000)
    failed: list[str] = []
    try:
        page = context.new_page()
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.goto(plugin_site + PREFIX + "assessment/", wait_until="domcontentloaded")
        answers = {"labelled-leftovers": "yes", "separate-boards": "yes", "cleaning-schedule": "no"}
        for practice, value in answers.items():
            page.check(f"#q-{practice} input[value='{value}']")
        page.check("input[name=self-estimate][value='mastery']")
        page.wait_for_function(SCORED, timeout=90_000)
        shown = page.evaluate(RESULTS)
        case = {
            "format": "maturity-playbook/answers@2",
            "framework": {"id": "kitchen", "version": "1.0"},
            "self_estimate": "mastery",
            "answers": answers,
        }
        cli = _cli_score(case, tmp_path)
        assert shown["stage"] == cli["evidenced_stage"]["id"]
        assert shown["gap"] == cli["gap_statement"]
        assert [e["id"] for e in shown["roadmap"]] == [e["practice"] for e in cli["roadmap"]]
        # The roadmap links to the practice pages under the prefix.
        assert [e["href"] for e in shown["roadmap"]] == [
            plugin_site + PREFIX + e["url"] for e in cli["roadmap"]
        ]
        assert failed == []
    finally:
        context.close()
