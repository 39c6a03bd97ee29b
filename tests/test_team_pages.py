"""The team calibration and organisation roll-up pages as the hooks generate them (no browser)."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from conftest import KITCHEN, ROOT
from payload import gzip_sizes, module_graph, page_payload, static_imports
from pluginsupport import build_env, data_attributes, entry_points_dir, mkdocs_build, write_site
from sitebuild import BuiltSite, read_html

from assessor import Framework
from assessor.answers import MAX_ANSWERS_BYTES
from assessor.cpython.load import load_framework
from playbook_site import assessment, navigation, runtime, teams

DEFAULT = load_framework(ROOT / "framework")
PAGES = {"team": teams.TEAM_PAGE, "org": teams.ORGANISATION_PAGE}


class _Page(HTMLParser):
    """The root's attributes, the controls and their labels, scripts and stylesheets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: dict[str, str] = {}
        self.inputs: dict[str, dict[str, str]] = {}  # id -> attributes (input, textarea)
        self.labels: dict[str, str] = {}  # for -> text
        self.actions: list[str] = []
        self.scripts: list[dict[str, str]] = []
        self.stylesheets: list[str] = []
        self.links: list[str] = []
        self._label: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "mp-app" in values.get("class", "").split():
            self.root = values
        if tag in ("input", "textarea"):
            self.inputs[values["id"]] = values
        elif tag == "label":
            self._label = (values["for"], [])
        elif tag == "button" and "data-action" in values:
            self.actions.append(values["data-action"])
        elif tag == "script":
            self.scripts.append(values)
        elif tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values["href"])
        elif tag == "a":
            self.links.append(values.get("href", ""))

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._label[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label is not None:
            self.labels[self._label[0]] = "".join(self._label[1]).strip()
            self._label = None


def _source(kind: str, framework: Framework) -> str:
    return teams.render_page(PAGES[kind], framework, runtime.build(framework).urls)


def _parsed(kind: str, framework: Framework) -> _Page:
    parser = _Page()
    extensions = ["toc", "attr_list", "md_in_html"]
    parser.feed(markdown.markdown(_source(kind, framework), extensions=extensions))
    return parser


@pytest.mark.parametrize(("kind", "module"), [("team", "team.mjs"), ("org", "org.mjs")])
def test_each_page_names_its_module_and_the_assessments_runtime(
    kind: str, module: str, kitchen: Framework
) -> None:
    page = _parsed(kind, kitchen)
    assets = runtime.build(kitchen)
    folder = assets.urls.page_module_url.rsplit("/", 1)[0]
    assert page.root["id"] == f"mp-{kind}"
    assert page.root["data-kind"] == kind
    assert page.root["data-framework-id"] == "kitchen"
    assert page.root["data-site-root"] == "../"
    assert page.root["data-max-bytes"] == str(MAX_ANSWERS_BYTES)
    assert page.root["data-scorer"] == "waiting"
    assert page.root["data-state"] == "empty"
    assert page.root["data-module"] == f"../{folder}/{module}"
    # The very worker, wheel and framework data of the self-assessment: one Python per tab.
    source = assessment.render_page(kitchen, assets.urls)
    shared = ("worker", "index-url", "wheel", "framework", "snapshot")
    own = data_attributes(_source(kind, kitchen), f"mp-{kind}")
    assert {k: own[k] for k in shared} == {
        k: v for k, v in data_attributes(source, "mp-assessment").items() if k in shared
    }
    for key in ("data-module", "data-worker", "data-wheel", "data-framework"):
        assert page.root[key].removeprefix("../") in assets.files, key
    assert page.scripts == [{"type": "module", "async": "", "src": f"../{folder}/boot.mjs"}]
    assert page.stylesheets == [f"../{folder}/teams.css"]
    assert f"{folder}/teams.css" in assets.files


def test_the_team_page_takes_files_and_share_links(kitchen: Framework) -> None:
    page = _parsed("team", kitchen)
    assert page.inputs["mp-files"] == {
        "type": "file", "id": "mp-files", "multiple": "", "accept": ".json,application/json"
    }  # fmt: skip
    assert "mp-folder" not in page.inputs
    assert page.inputs["mp-links"]["spellcheck"] == "false"
    assert page.labels == {
        "mp-files": "Choose files (JSON):",
        "mp-links": "Or paste share links, one per line:",
    }
    assert page.actions == ["links", "consensus", "summary", "clear"]
    # The explanation links to the self-assessment, where the consensus is imported.
    assert page.links == ["assessment.md", "assessment.md"]


def test_the_organisation_page_takes_files_and_folders(kitchen: Framework) -> None:
    page = _parsed("org", kitchen)
    assert page.inputs["mp-files"]["multiple"] == ""
    assert page.inputs["mp-folder"] == {
        "type": "file", "id": "mp-folder", "webkitdirectory": "", "multiple": ""
    }  # fmt: skip
    assert "mp-links" not in page.inputs
    assert page.labels == {
        "mp-files": "Choose files (JSON):",
        "mp-folder": "Or choose a folder (its .json files):",
    }
    assert page.actions == ["csv", "clear"]
    assert page.links == ["team.md", "assessment.md"]


def test_hostile_framework_text_stays_text(kitchen: Framework) -> None:
    evil = "<script>alert(1)</script> *x* & <img src=x onerror=a()>"
    hostile = dataclasses.replace(kitchen, title=evil)
    for kind in PAGES:
        source = _source(kind, hostile)
        html = markdown.markdown(source, extensions=["toc", "attr_list", "md_in_html"])
        assert html.count("<script") == 1 and "<img" not in html  # the boot module's own tag
        meta = yaml.safe_load(source.split("---", 2)[1])
        assert (
            "&lt;script&gt;alert(1)&lt;/script&gt; *x* &amp; &lt;img src=x onerror=a()&gt;"
            in (meta["description"])
        )


def test_page_urls_follow_use_directory_urls() -> None:
    class Config:
        use_directory_urls = False

    assert teams.page_url(teams.TEAM_PAGE, None) == "team/"
    assert teams.page_url(teams.ORGANISATION_PAGE, Config()) == "organisation.html"  # type: ignore[arg-type]
    source = teams.render_page(teams.TEAM_PAGE, DEFAULT, runtime.build(DEFAULT).urls, "team.html")
    attributes = data_attributes(source, "mp-team")
    assert attributes["site-root"] == "./"
    assert attributes["module"].startswith("assets/assessment/")


def test_the_nav_puts_both_pages_next_to_the_self_assessment(kitchen: Framework) -> None:
    nav = navigation.build_nav(kitchen, ["index.md"])
    assert nav[:2] == [
        {"Home": "index.md"},
        {"Assessment": ["assessment.md", "team.md", "organisation.md"]},
    ]


# --- built sites -------------------------------------------------------------------------------


def _sidebar(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    nav = source[source.index("md-nav--primary") : source.index("md-sidebar--secondary")]
    found = re.findall(r'class="md-nav__link[^"]*"[^>]*>(.*?)</(?:a|label|span)>', nav, re.S)
    labels = (" ".join(re.sub(r"<[^>]+>", "", f).split()) for f in found)
    return [label for label in labels if label]


@pytest.mark.parametrize(("kind", "folder"), [("team", "team"), ("org", "organisation")])
def test_kitchen_site_has_both_pages_with_nothing_of_mlops(
    site_kitchen: BuiltSite, kind: str, folder: str
) -> None:
    path = site_kitchen.root / folder / "index.html"
    page = read_html(path)
    title = {"team": "Team calibration", "org": "Organisation roll-up"}[kind]
    assert page.title == f"{title} - Kitchen Hygiene Playbook"
    for word in ("mlops", "model", "machine learning", "pipeline"):
        assert word not in page.text.lower(), word
    source = path.read_text(encoding="utf-8")
    attributes = data_attributes(source, f"mp-{kind}")
    for key in ("module", "worker", "wheel", "framework"):
        assert (path.parent / attributes[key]).resolve().is_file(), key
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+teams\.css)">', source)
    assert stylesheet is not None and (path.parent / stylesheet.group(1)).resolve().is_file()
    assert _sidebar(path)[:4] == [
        "Home", "Assessment", "Self-assessment", "Team calibration"
    ]  # fmt: skip
    assert "Organisation roll-up" in _sidebar(path)
    tabs = re.findall(r'class="md-tabs__link">\s*(.*?)\s*</a>', source, re.S)
    assert [t.strip() for t in tabs][:3] == ["Home", "Assessment", "Stages"]


def test_under_a_plugin_prefix_both_pages_load_from_under_it(tmp_path: Path) -> None:
    config: dict[str, Any] = {
        "site_name": "Canteen",
        "theme": {"name": "material", "font": False},
        "plugins": [{"maturity-playbook": {"framework": str(KITCHEN), "prefix": "teams/kitchen/"}}],
    }
    config_file, _ = write_site(tmp_path / "project", config, {"index.md": "# Canteen\n"})
    out = tmp_path / "site"
    result = mkdocs_build(config_file, out, build_env(entry_points_dir(tmp_path / "entries")))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    for kind, folder in (("team", "team"), ("org", "organisation")):
        path = out / "teams" / "kitchen" / folder / "index.html"
        attributes = data_attributes(path.read_text(encoding="utf-8"), f"mp-{kind}")
        assert attributes["site-root"] == "../"
        for key in ("module", "worker", "wheel", "framework", "index-url"):
            target = (path.parent / attributes[key]).resolve()
            assert target.is_relative_to(out / "teams" / "kitchen" / "assets"), key
            assert target.exists(), key


# --- payload -------------------------------------------------------------------------------------


def test_module_graphs_follow_the_imports() -> None:
    assert static_imports(
        'import { h } from "./dom.mjs";\nimport "./x.mjs";\nconst m = import("./y.mjs");\n'
        "export { a } from './z.mjs';\nimport(`${base}pyodide.mjs`);\n"
    ) == ["dom.mjs", "x.mjs", "y.mjs", "z.mjs"]  # fmt: skip
    assets = runtime.build(DEFAULT)
    urls = assets.urls
    folder = urls.page_module_url.rsplit("/", 1)[0]

    def names(module: str) -> set[str]:
        entries = [runtime.ENTRY_MODULE, urls.boot_module_url, module, urls.worker_url]
        return {u.rsplit("/", 1)[1] for u in module_graph(assets.files, entries)}

    team, org = names(urls.team_module_url), names(urls.organisation_module_url)
    assert {"team.mjs", "many.mjs", "files.mjs", "dom.mjs", "scorer.mjs", "boot.mjs"} <= team
    assert {"org.mjs", "many.mjs", "dom.mjs", "scorer.mjs"} <= org
    for page_only in ("page.mjs", "form.mjs", "results.mjs", "render.mjs"):
        assert page_only not in team | org
    assessment_page = names(urls.page_module_url)
    assert {"page.mjs", "form.mjs", "render.mjs", "scorer.mjs"} <= assessment_page
    assert not {"team.mjs", "org.mjs", "many.mjs", "files.mjs"} & assessment_page
    assert f"{folder}/many.mjs" in assets.files


@pytest.mark.parametrize("kind", ["team", "org"])
def test_team_and_organisation_payload_within_budget(kind: str) -> None:
    assets = runtime.build(DEFAULT)
    urls = assets.urls
    module = urls.team_module_url if kind == "team" else urls.organisation_module_url
    counted = page_payload(assets, module, [urls.teams_stylesheet_url])
    sizes = gzip_sizes(assets.files, counted)
    assert sum(sizes.values()) <= 100 * 1024, sizes
    # What these pages add to what the assessment page already loads stays small.
    shared = page_payload(assets, urls.page_module_url, [])
    assert sum(v for u, v in sizes.items() if u not in shared) <= 12 * 1024, sizes
