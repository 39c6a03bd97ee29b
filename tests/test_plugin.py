"""The `maturity-playbook` MkDocs plugin: the playbook inside another site, under a prefix.

The builds here are other sites, with their own home page, pages and nav, that add the playbook
through `plugins:` only (no hooks, nothing copied from this repository's mkdocs.yml).
"""

from __future__ import annotations

import logging
import re
import shutil
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from conftest import KITCHEN, KITCHEN_NAV, ROOT
from pluginsupport import (
    PluginSite,
    build_plugin_site,
    built_plugin_site,
    data_attributes,
    declared_plugins,
    html_pages,
)
from sitebuild import DEFAULT_SITE_URL, BuiltSite, broken_links, local_target, page_url, read_html

from assessor import Framework, ValidationError
from assessor.cpython.load import load_framework
from playbook_site import events, navigation, pages, settings, teams
from playbook_site.plugin import PlaybookPlugin, normalize_prefix

DEFAULT = load_framework(ROOT / "framework")
KITCHEN_FW = load_framework(KITCHEN)
HANDWRITTEN = {"index.html", "404.html", "scoring/index.html", "customize/index.html"}
# Every page must be in the nav, and every link must resolve: under --strict both fail the build.
VALIDATION = {
    "nav": {"omitted_files": "warn", "not_found": "warn"},
    "links": {"not_found": "warn", "anchors": "warn", "unrecognized_links": "warn"},
}


def html_of(src_uri: str) -> str:
    """The HTML file MkDocs writes for a Markdown source path (directory URLs)."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html"
    return f"{stem}/index.html"


def generated_html(framework: Framework) -> set[str]:
    """The HTML file of every page the playbook generates, relative to the playbook's root."""
    generated = [*pages.render_pages(framework), pages.ASSESSMENT, teams.TEAM, teams.ORGANISATION]
    return {html_of(src) for src in generated}


PLATFORM_CONFIG: dict[str, Any] = {
    "site_name": "Platform handbook",
    "theme": {"name": "material", "font": False, "features": ["navigation.indexes"]},
    "nav": [
        {"Home": "index.md"},
        {"Teams": ["team/onboarding.md", {"Practice ladder": "playbook/"}]},
        {"About": "about.md"},
    ],
    "plugins": [
        "search",
        {"maturity-playbook": {"framework": str(ROOT / "framework"), "prefix": "playbook"}},
    ],
    "validation": VALIDATION,
}
PLATFORM_DOCS = {
    "index.md": "# Platform handbook\n\nStart with [the assessment](playbook/assessment.md).\n",
    "team/onboarding.md": "# Onboarding\n\nSee [practices](../playbook/capabilities/index.md).\n",
    "about.md": "# About\n\nThe platform team's own pages.\n",
}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> PluginSite:
    """A mkdocs-material site with its own home page and nav that adds the default playbook."""
    return built_plugin_site(tmp_path_factory.mktemp("platform"), PLATFORM_CONFIG, PLATFORM_DOCS)


# --- the declaration ------------------------------------------------------------------------


def test_pyproject_declares_the_plugin_entry_point() -> None:
    plugins = declared_plugins()
    assert plugins == {"maturity-playbook": "playbook_site.plugin:PlaybookPlugin"}
    point = EntryPoint("maturity-playbook", plugins["maturity-playbook"], "mkdocs.plugins")
    assert point.load() is PlaybookPlugin


# --- a site with its own nav, and a prefix -------------------------------------------------------


def test_the_plugin_builds_the_default_playbook_under_a_prefix_strictly(
    platform: PluginSite,
) -> None:
    assert platform.returncode == 0
    assert "WARNING" not in platform.stderr
    built = html_pages(platform.root)
    # The site's own pages stay where they were; the playbook's are all under the prefix.
    assert {"index.html", "team/onboarding/index.html", "about/index.html"} <= built
    playbook = {p.removeprefix("playbook/") for p in built if p.startswith("playbook/")}
    assert playbook == generated_html(DEFAULT)
    own = built - {f"playbook/{p}" for p in playbook}
    assert own == {"index.html", "404.html", "team/onboarding/index.html", "about/index.html"}
    for practice in DEFAULT.practices:
        assert f"playbook/practices/{practice.id}/index.html" in built
    home = read_html(platform.root / "index.html")
    assert home.title == "Platform handbook"


def test_the_plugin_generates_the_same_pages_as_the_hooks(
    platform: PluginSite, site_default: BuiltSite
) -> None:
    hooks = html_pages(site_default.root) - HANDWRITTEN
    plugin = {p.removeprefix("playbook/") for p in html_pages(platform.root)}
    assert hooks == plugin & hooks
    assert hooks == generated_html(DEFAULT)


def test_every_link_of_the_plugin_site_resolves(platform: PluginSite) -> None:
    assert broken_links(platform.root) == []


def test_the_assessment_loads_its_runtime_from_under_the_prefix(platform: PluginSite) -> None:
    path = platform.root / "playbook" / "assessment" / "index.html"
    source = path.read_text(encoding="utf-8")
    url = page_url(platform.root, path)
    assert url == DEFAULT_SITE_URL + "playbook/assessment/"
    data = data_attributes(source, "mp-assessment")
    assert urljoin(url, data["site-root"]) == DEFAULT_SITE_URL + "playbook/"
    assets = DEFAULT_SITE_URL + "playbook/assets/"
    for key in ("module", "worker", "index-url", "wheel", "framework"):
        absolute = urljoin(url, data[key])
        assert absolute.startswith(assets), (key, absolute)
        target = local_target(platform.root, url, data[key])
        assert target is not None
        file = target[0] if not absolute.endswith("/") else target[0].parent / "pyodide.mjs"
        assert file.is_file(), (key, file)
    resources = {v for _, _, v in read_html(path).resources}
    expected = {"../assets/assessment/assess.mjs", "../assets/assessment/assess.css"}
    assert expected <= resources
    boot = re.search(r'<script type="module" async src="([^"]+)"', source)
    assert boot is not None and urljoin(url, boot.group(1)).startswith(assets + "assessment/")
    # Every page of the site loads the entry module (type module) from under the prefix.
    home = (platform.root / "index.html").read_text(encoding="utf-8")
    assert '<script src="playbook/assets/assessment/assess.mjs" type="module">' in home
    assert 'href="playbook/assets/assessment/assess.css"' in home
    questions = re.findall(r'<fieldset class="mp-q" id="q-([^"]+)"', source)
    assert questions == [p.id for p in DEFAULT.practices]


def test_the_site_nav_gets_the_playbook_where_it_names_the_prefix(platform: PluginSite) -> None:
    home = read_html(platform.root / "index.html")
    for practice in DEFAULT.practices:
        assert f"playbook/practices/{practice.id}/" in home.links
    # In the site's order: the playbook's section, under the site's own title for it, sits
    # inside "Teams" after the onboarding page and before "About".
    source = (platform.root / "index.html").read_text(encoding="utf-8")
    order = [
        source.index('href="team/onboarding/"'),
        source.index("Practice ladder"),
        source.index('href="playbook/assessment/"'),
        source.index('href="about/"'),
    ]
    assert order == sorted(order)
    assert "MLOps Maturity Playbook" not in home.text


# --- the nav, without building ------------------------------------------------------------------


def _build_state(prefix: str, guide: tuple[str, ...] = ()) -> events.Build:
    options = settings.Settings(framework_dir=KITCHEN, guide=guide)
    return events.Build(options, KITCHEN_FW, prefix, logging.getLogger("mkdocs.test"), "test")


def _section(prefix: str) -> list[Any]:
    """The kitchen playbook's nav section with every page under the prefix."""

    def under(entry: Any) -> Any:
        if isinstance(entry, str):
            return prefix + entry
        if isinstance(entry, list):
            return [under(e) for e in entry]
        return {k: under(v) for k, v in entry.items()}

    return list(under(KITCHEN_NAV))


def test_without_a_prefix_the_playbook_is_the_whole_nav() -> None:
    handwritten = ["index.md", "about.md"]
    nav = events.site_nav(_build_state(""), None, handwritten)
    assert nav == navigation.build_nav(KITCHEN_FW, handwritten)
    assert nav[0] == {"Home": "index.md"}


def test_with_a_prefix_and_no_nav_the_playbook_follows_the_sites_pages() -> None:
    build = _build_state("kitchen/", guide=("notes/kitchen.md",))
    nav = events.site_nav(build, None, ["index.md", "team/a.md", "notes/kitchen.md"])
    section = [*_section("kitchen/"), {"Guide": ["notes/kitchen.md"]}]
    assert nav == [
        "index.md",
        {"Team": ["team/a.md"]},
        {"Kitchen Hygiene Playbook": section},
    ]


def test_a_nav_entry_naming_the_prefix_becomes_the_playbook_section() -> None:
    nav = [{"Home": "index.md"}, {"Teams": ["a.md", {"Kitchen": "x/y/"}]}, "x/y/"]
    placed = events.site_nav(_build_state("x/y/"), nav, ["index.md", "a.md"])
    assert placed == [
        {"Home": "index.md"},
        {"Teams": ["a.md", {"Kitchen": _section("x/y/")}]},
        {"Kitchen Hygiene Playbook": _section("x/y/")},
    ]


def test_a_nav_without_the_prefix_is_left_alone_and_the_log_says_how_to_link(
    caplog: pytest.LogCaptureFixture,
) -> None:
    nav = [{"Home": "index.md"}]
    with caplog.at_level(logging.INFO, logger="mkdocs.test"):
        assert events.site_nav(_build_state("kitchen/"), nav, ["index.md"]) == nav
    assert caplog.messages == [
        "Playbook: the site's nav does not name the playbook, so its pages are not in the nav; "
        "to place them, add this entry to `nav:` where the section should go:  "
        "- Kitchen Hygiene Playbook: kitchen/"
    ]


# --- options --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", ""), ("/", ""), ("playbook", "playbook/"), ("playbook/", "playbook/"),
     (" docs/maturity ", "docs/maturity/"), ("v1.2/play_book~x", "v1.2/play_book~x/")],
)  # fmt: skip
def test_the_prefix_is_normalized(value: str, expected: str) -> None:
    assert normalize_prefix(value) == expected


@pytest.mark.parametrize(
    "value",
    ["/playbook", "../playbook", "a/../b", "a//b", "./a", "a b", "...", "https://x/", "a\\b"],
)
def test_a_prefix_outside_the_site_or_not_a_plain_path_is_refused(value: str) -> None:
    errors, warnings = PlaybookPlugin().load_config({"prefix": value})
    assert warnings == []
    assert [(key, str(error)) for key, error in errors] == [
        (
            "prefix",
            "must be a relative URL path such as 'playbook/' (letters, digits, '-', '_', '.', "
            f"'~' between slashes, no '..'), got {value!r}",
        )
    ]


def test_plugin_options_are_validated_the_mkdocs_way(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    errors, _ = PlaybookPlugin().load_config({"framework": str(missing)})
    assert [(key, str(error)) for key, error in errors] == [
        ("framework", f"The path '{missing}' isn't an existing directory.")
    ]
    errors, _ = PlaybookPlugin().load_config({"guide": "x.md"})
    assert [(key, str(error)) for key, error in errors] == [
        ("guide", "Expected a list of items, but a <class 'str'> was given.")
    ]
    errors, warnings = PlaybookPlugin().load_config({"framwork": "framework"})
    assert errors == []
    assert warnings == [("framwork", "Unrecognised configuration name: framwork")]


def test_a_relative_framework_is_found_next_to_mkdocs_yml(tmp_path: Path) -> None:
    (tmp_path / "fw").mkdir()
    plugin = PlaybookPlugin()
    errors, _ = plugin.load_config({"framework": "fw"}, str(tmp_path / "mkdocs.yml"))
    assert errors == []
    assert plugin.config.framework == str(tmp_path / "fw")
    assert plugin.config.prefix == ""
    assert plugin.config.guide == []


# --- more builds ----------------------------------------------------------------------------


def test_no_options_publish_this_checkouts_framework_like_the_hooks(
    tmp_path: Path, site_default: BuiltSite
) -> None:
    config = {"site_name": "Ours", "theme": {"name": "material"}, "plugins": ["maturity-playbook"]}
    site = build_plugin_site(tmp_path, config, {"index.md": "# Ours\n"})
    assert site.returncode == 0, site.stderr
    assert "WARNING" not in site.stderr
    built = html_pages(site.root)
    assert built == (html_pages(site_default.root) - HANDWRITTEN) | {"index.html", "404.html"}


def test_a_nested_prefix_without_a_nav_builds_strictly(tmp_path: Path) -> None:
    config = {
        "site_name": "Handbook",
        "theme": {"name": "material"},
        "plugins": [{"maturity-playbook": {
            "framework": str(KITCHEN), "prefix": "handbook/kitchen/", "guide": ["notes.md"]}}],
        "validation": VALIDATION,
    }  # fmt: skip
    docs = {
        "index.md": "# Handbook\n",
        "notes.md": "# Notes\n\nBack to the [matrix](handbook/kitchen/matrix.md).\n",
    }
    site = build_plugin_site(tmp_path, config, docs)
    assert site.returncode == 0, site.stderr
    assert "WARNING" not in site.stderr
    built = html_pages(site.root)
    expected = {f"handbook/kitchen/{p}" for p in generated_html(KITCHEN_FW)}
    assert built == expected | {"index.html", "404.html", "notes/index.html"}
    assessment = site.root / "handbook" / "kitchen" / "assessment" / "index.html"
    data = data_attributes(assessment.read_text(encoding="utf-8"), "mp-assessment")
    assert data["site-root"] == "../"
    assert data["wheel"].startswith("../assets/assessor/")


def test_a_site_page_where_a_generated_one_goes_fails_the_build(tmp_path: Path) -> None:
    config = {
        "site_name": "Clash",
        "theme": {"name": "material"},
        "plugins": [{"maturity-playbook": {"framework": str(KITCHEN), "prefix": "kitchen"}}],
    }
    docs = {"index.md": "# Clash\n", "kitchen/matrix.md": "# Our own matrix\n"}
    site = build_plugin_site(tmp_path, config, docs)
    assert site.returncode == 1
    assert (
        f"ERROR   -  {tmp_path / 'project' / 'docs'}: these files clash with generated ones; "
        "rename or remove them or choose another prefix: kitchen/matrix.md\n"
    ) in site.stderr


def test_an_invalid_framework_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    framework = tmp_path / "kitchen"
    shutil.copytree(KITCHEN, framework)
    stages = framework / "stages.yaml"
    stages.write_text(
        stages.read_text(encoding="utf-8").replace("id: routine", "id: Routine", 1),
        encoding="utf-8",
    )
    config = {
        "site_name": "Broken",
        "theme": {"name": "material"},
        "plugins": [{"maturity-playbook": {"framework": str(framework), "prefix": "k"}}],
    }
    site = build_plugin_site(tmp_path, config, {"index.md": "# Broken\n"})
    assert site.returncode == 1
    with pytest.raises(ValidationError) as caught:
        load_framework(framework)
    problems = [str(p) for p in caught.value.problems]
    assert problems and all(p.startswith(f"{stages}:") for p in problems)
    for problem in problems:  # the CLI's file:line messages, each on its own line
        assert f"\n{problem}\n" in site.stderr or f"-  {problem}\n" in site.stderr
    assert "Traceback" not in site.stderr
