"""The assessment of a site that adds the playbook with the plugin, under a prefix, in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browserfixtures import *  # noqa: F403 (fixtures)
from chromium import free_port
from conftest import KITCHEN, cli_score
from localserver import serving
from playwright.sync_api import Browser
from pluginsupport import built_plugin_site

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


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site with its own home page that adds the kitchen playbook under a prefix, served."""
    tmp = tmp_path_factory.mktemp("plugin-browser")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    config = {
        "site_name": "Canteen",
        # No web fonts: the test machine has no internet.
        "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
        "plugins": ["search", {"maturity-playbook": {"framework": str(KITCHEN), "prefix": PREFIX}}],
    }
    site = built_plugin_site(tmp, config, {"index.md": "# Canteen\n"}, url)
    with serving(site.root, port):
        yield url


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
        cli = cli_score(case, KITCHEN, tmp_path)
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
