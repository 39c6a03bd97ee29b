"""The playbook site: hooks, generated pages, nav, links, search and no third-party requests."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, EXAMPLE_V2, KITCHEN, ROOT, mutated_copy
from mkdocs.exceptions import PluginError
from sitebuild import (
    BuiltSite,
    Html,
    build_site,
    local_target,
    page_url,
    read_html,
    same_origin,
    urls_of,
)

from assessor import Framework
from assessor.cpython.load import load_framework
from playbook_site import frameworks, navigation, pages, settings

DEFAULT = load_framework(ROOT / "framework")
FRAMEWORKS = {
    "default": DEFAULT,
    "kitchen": load_framework(KITCHEN),
    "example": load_framework(EXAMPLE),
    "example_v2": load_framework(EXAMPLE_V2),
}
DIRS = {
    ROOT / "framework": "default",
    KITCHEN: "kitchen",
    EXAMPLE: "example",
    EXAMPLE_V2: "example_v2",
}


@pytest.fixture(params=["default", "kitchen", "example", "example_v2"])
def site(request: pytest.FixtureRequest) -> BuiltSite:
    """Each framework's built site in turn."""
    built: BuiltSite = request.getfixturevalue(f"site_{request.param}")
    return built


def framework_of(site: BuiltSite) -> Framework:
    return FRAMEWORKS[DIRS[site.framework_dir]]


_html_cache: dict[Path, Html] = {}


def html(path: Path) -> Html:
    """Parsed HTML, read once per session (sites are built once per session too)."""
    if path not in _html_cache:
        _html_cache[path] = read_html(path)
    return _html_cache[path]


def plain(markdown: str) -> str:
    """Markdown text reduced to what a reader sees, close enough to find it in the page text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[`*_]", "", text)
    return " ".join(text.split())


def visible(page: Html) -> str:
    return re.sub(r"[`*_]", "", page.article)


# --- the builds -------------------------------------------------------------------------------


def test_default_framework_builds_strict(site_default: BuiltSite) -> None:
    assert site_default.result.returncode == 0
    assert "WARNING" not in site_default.result.stderr
    assert html(site_default.root / "index.html").title.endswith(DEFAULT.title)


def test_kitchen_framework_builds_strict_and_names_the_site(site_kitchen: BuiltSite) -> None:
    assert site_kitchen.result.returncode == 0
    assert "WARNING" not in site_kitchen.result.stderr
    page = (site_kitchen.root / "index.html").read_text(encoding="utf-8")
    assert "<title>Kitchen Hygiene Playbook</title>" in page
    assert 'content="How a shared kitchen goes from getting by to spotless routines."' in page


def test_example_framework_builds_strict_and_names_the_site(site_example: BuiltSite) -> None:
    assert "WARNING" not in site_example.result.stderr
    page = (site_example.root / "index.html").read_text(encoding="utf-8")
    assert "<title>Data Platform Maturity Playbook</title>" in page
    assert (site_example.root / "assessment" / "index.html").is_file()


def test_v2_example_framework_builds_strict(site_example_v2: BuiltSite) -> None:
    assert site_example_v2.result.returncode == 0
    assert "WARNING" not in site_example_v2.result.stderr
    page = (site_example_v2.root / "index.html").read_text(encoding="utf-8")
    assert "<title>Documentation Practice Maturity Playbook</title>" in page
    assert (site_example_v2.root / "assessment" / "index.html").is_file()


def test_nothing_generated_is_written_to_content(site_default: BuiltSite) -> None:
    del site_default  # built first, so a hook writing into content/ would show here
    written = sorted(
        p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").rglob("*")
    )
    assert not [w for w in written if w.split("/")[0] in ("practices", "capabilities", "stages")]
    assert not [w for w in written if w in ("matrix.md", "risks.md", "assessment.md")]


# --- generated pages --------------------------------------------------------------------------


def test_every_practice_page_has_question_steps_evidence_and_links(site: BuiltSite) -> None:
    fw = framework_of(site)
    stage_title = {s.id: s.title for s in fw.stages}
    for cap in fw.capabilities:
        for p in cap.practices:
            path = site.root / "practices" / p.id / "index.html"
            assert path.is_file(), f"no page for practice {p.id}"
            page = html(path)
            text = visible(page)
            assert page.title.startswith(unescape(p.title)), p.id
            assert plain(p.question) in text, p.id
            for step in p.how:
                assert plain(step) in text, (p.id, step)
            for item in p.evidence:
                assert plain(item) in text, (p.id, item)
            links = set(page.links)
            expected = {
                f"../../stages/{p.stage}/",
                f"../../capabilities/{cap.id}/",
                f"../../assessment/#q-{p.id}",
                *(f"../../risks/#{r}" for r in p.risks),
                *(f"../{d}/" for d in p.depends_on),
                *(ref.url for ref in p.references),
            }
            assert expected <= links, (p.id, expected - links)
            assert stage_title[p.stage] in text


def test_practice_page_lists_what_depends_on_it(site_kitchen: BuiltSite) -> None:
    page = html(site_kitchen.root / "practices" / "separate-boards" / "index.html")
    assert "What depends on it" in page.text
    assert "../cleaning-schedule/" in page.links


def test_practice_page_numbers_its_steps_and_checks_its_evidence(site_kitchen: BuiltSite) -> None:
    source = (site_kitchen.root / "practices" / "labelled-leftovers" / "index.html").read_text(
        encoding="utf-8"
    )
    steps = re.search(r'<h2 id="how-to-get-there".*?<ol>(.*?)</ol>', source, re.S)
    assert steps is not None and steps.group(1).count("<li>") == 2
    evidence = re.search(r'<div class="playbook-evidence">\s*<ul>(.*?)</ul>', source, re.S)
    assert evidence is not None and evidence.group(1).count("<li>") == 2


def test_capability_pages_group_practices_by_stage(site_kitchen: BuiltSite) -> None:
    page = html(site_kitchen.root / "capabilities" / "storage" / "index.html")
    text = page.article
    assert text.index("Stage 1: Routine") < text.index("Leftovers are labelled with a date")
    assert text.index("The fridge temperature") < text.index("Stage 2: Mastery")
    assert text.index("Stage 2: Mastery") < text.index("Older stock is used first")
    assert {"../../practices/labelled-leftovers/", "../../practices/stock-rotation/"} <= set(
        page.links
    )


def test_stage_pages_show_meaning_signals_practices_and_next_stage(site_kitchen: BuiltSite) -> None:
    routine = html(site_kitchen.root / "stages" / "routine" / "index.html")
    assert "Everyone knows the routines and follows them without being asked." in routine.text
    assert "Leftovers carry a date label" in routine.text
    # Practices of every capability, then what Mastery takes.
    for pid in ("labelled-leftovers", "fridge-thermometer", "separate-boards", "cleaning-schedule"):
        assert f"../../practices/{pid}/" in routine.links
    reach = routine.text[routine.text.index("Reaching the next stage") :]
    assert "Mastery" in reach and "75%" in reach
    assert "../mastery/" in routine.links
    assert "../../practices/stock-rotation/" in routine.links
    top = html(site_kitchen.root / "stages" / "mastery" / "index.html")
    assert "This is the highest stage" in top.text
    basic = html(site_kitchen.root / "stages" / "basic" / "index.html")
    assert "it is where every team starts" in basic.text


def test_matrix_cells_link_their_practices(site: BuiltSite) -> None:
    fw = framework_of(site)
    source = (site.root / "matrix" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", source, re.S)[1:]
    assert len(rows) == len(fw.capabilities)
    columns = [s for s in fw.stages if any(p.stage == s.id for p in fw.practices)]
    for cap, row in zip(fw.capabilities, rows, strict=True):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert f'href="../capabilities/{cap.id}/"' in cells[0]
        for stage, cell in zip(columns, cells[1:], strict=True):
            linked = re.findall(r'href="\.\./practices/([^/]+)/"', cell)
            assert linked == [p.id for p in cap.practices if p.stage == stage.id]


def test_risks_page_anchors_each_risk_and_links_its_practices(site: BuiltSite) -> None:
    fw = framework_of(site)
    page = html(site.root / "risks" / "index.html")
    for risk in fw.risks:
        assert risk.id in page.ids
    for p in fw.practices:
        if p.risks:
            assert f"../practices/{p.id}/" in page.links


def test_search_index_has_every_practice_title(site: BuiltSite) -> None:
    fw = framework_of(site)
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {d["location"]: unescape(d["title"]) for d in index["docs"]}
    for p in fw.practices:
        assert titles.get(f"practices/{p.id}/") == p.title


def test_navigation_follows_the_framework(site_default: BuiltSite) -> None:
    source = (site_default.root / "index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'class="md-tabs__link">\s*(.*?)\s*</a>', source, re.S)
    assert [" ".join(t.split()) for t in tabs] == [
        "Home",
        "Self-assessment",
        "Stages",
        "Capabilities",
        "Maturity matrix",
        "Risks",
        "Guide",
    ]
    # The sidebar and the overview table both list the capabilities in framework order.
    capabilities = html(site_default.root / "capabilities" / "index.html")
    ids = {c.id for c in DEFAULT.capabilities}
    seen: list[str] = []
    for link in capabilities.links:
        cap_id = link.rstrip("/")
        if cap_id in ids and cap_id not in seen:
            seen.append(cap_id)
    assert seen == [c.id for c in DEFAULT.capabilities]


# --- links and origins ------------------------------------------------------------------------


def _html_files(site: BuiltSite) -> list[Path]:
    return sorted(site.root.rglob("*.html"))


def test_every_link_between_pages_resolves(site: BuiltSite) -> None:
    broken = []
    for path in _html_files(site):
        page = html(path)
        base = page_url(site.root, path, site.site_url)
        for href in page.links + [v for _, _, v in page.resources if " " not in v]:
            target = local_target(site.root, base, href, site.site_url)
            if target is None:
                continue
            file, fragment = target
            if not file.is_file():
                broken.append(f"{path.relative_to(site.root)}: {href} (no {file})")
            elif fragment and file.suffix == ".html" and fragment not in html(file).ids:
                broken.append(f"{path.relative_to(site.root)}: {href} (no #{fragment})")
    assert broken == []


def test_practice_links_reach_their_assessment_question(site: BuiltSite) -> None:
    page = html(site.root / "assessment" / "index.html")
    missing = [p.id for p in framework_of(site).practices if f"q-{p.id}" not in page.ids]
    assert missing == []


def test_no_resource_is_fetched_from_another_origin(site: BuiltSite) -> None:
    foreign = []
    for path in _html_files(site):
        for tag, attr, value in html(path).resources:
            where = f"{path.relative_to(site.root)}: <{tag} {attr}="
            foreign += [
                f"{where}{url}>"
                for url in urls_of(attr, value)
                if not same_origin(url, site.site_url)
            ]
    for css in sorted(site.root.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"""url\(\s*['"]?([^'")\s]+)""", text):
            if not same_origin(url, site.site_url):
                foreign.append(f"{css.relative_to(site.root)}: url({url})")
        for url in re.findall(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]+)""", text):
            if not same_origin(url, site.site_url):
                foreign.append(f"{css.relative_to(site.root)}: @import {url}")
    assert foreign == []


def test_the_origin_check_catches_foreign_resources(tmp_path: Path) -> None:
    page = tmp_path / "x.html"
    page.write_text(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="//cdn.example.org/x.js"></script>'
        '<img srcset="a.png 1x, https://e.org/b.png 2x">'
        '<iframe src="/local/"></iframe><a href="https://example.org/">a link is not a fetch</a>',
        encoding="utf-8",
    )
    urls = [u for _, attr, value in read_html(page).resources for u in urls_of(attr, value)]
    assert urls == [
        "https://fonts.googleapis.com/css?family=Roboto",
        "//cdn.example.org/x.js",
        "a.png",
        "https://e.org/b.png",
        "/local/",
    ]
    assert [same_origin(u) for u in urls] == [False, False, True, False, True]
    assert same_origin("http://127.0.0.1:8000/x.js") and not same_origin("http://127.0.0.1:9/")


# --- errors -----------------------------------------------------------------------------------


def test_broken_reference_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    broken = mutated_copy(
        tmp_path, [("capabilities/cleaning.yaml", "[separate-boards]", "[separate-bords]")]
    )
    result = build_site(broken, tmp_path / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    expected = (
        f"{broken}/capabilities/cleaning.yaml:18: practices[1] (id 'cleaning-schedule')"
        ".depends_on[0]: unknown practice 'separate-bords' (did you mean 'separate-boards'?)"
    )
    assert [line for line in output.splitlines() if line.endswith(expected)] == [
        f"ERROR   -  {expected}"
    ]
    assert "1 problem found." in output
    assert "Traceback" not in output


def test_unknown_playbook_setting_fails_the_build_clearly(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"docs_dir: {ROOT / 'content'}\n"
        f"hooks: [{ROOT / 'hooks' / 'playbook.py'}]\n"
        "watch: []\n"
        f"theme:\n  custom_dir: {ROOT / 'hooks' / 'theme'}\n"
        "extra:\n  playbook:\n    framwork: elsewhere\n",
        encoding="utf-8",
    )
    result = build_site(ROOT / "framework", tmp_path / "site", config_file=config)
    assert result.returncode != 0
    assert (
        "mkdocs.yml: extra.playbook: unknown key 'framwork' (did you mean 'framework'?) "
        "(known: framework, guide)" in result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"playbook": "framework"}, "extra.playbook: must be a mapping"),
        ({"playbook": {"framework": 3}}, "extra.playbook.framework: must be a directory path"),
        ({"playbook": {"guide": "scoring.md"}}, "extra.playbook.guide: must be a list"),
        ({"playbook": {"colour": "red"}}, "unknown key 'colour' (known: framework, guide)"),
    ],
)
def test_settings_are_checked(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(PluginError, match=re.escape(message)):
        settings.read_settings(extra, str(ROOT / "mkdocs.yml"))


def test_settings_resolve_the_framework_next_to_mkdocs_yml(tmp_path: Path) -> None:
    options = settings.read_settings({}, str(tmp_path / "mkdocs.yml"))
    assert options.framework_dir == tmp_path / "framework"
    options = settings.read_settings({"playbook": {"framework": "/abs/fw"}}, None)
    assert options.framework_dir == Path("/abs/fw")


# --- the plain modules ------------------------------------------------------------------------


def test_pages_cover_every_stage_capability_and_practice(kitchen: Framework) -> None:
    rendered = pages.render_pages(kitchen)
    assert list(rendered) == [
        "stages/index.md",
        "stages/basic.md",
        "stages/routine.md",
        "stages/mastery.md",
        "capabilities/index.md",
        "capabilities/storage/index.md",
        "practices/labelled-leftovers.md",
        "practices/fridge-thermometer.md",
        "practices/stock-rotation.md",
        "capabilities/cleaning/index.md",
        "practices/separate-boards.md",
        "practices/cleaning-schedule.md",
        "practices/deep-clean-audit.md",
        "matrix.md",
        "risks.md",
    ]
    practice = rendered["practices/stock-rotation.md"]
    assert practice.startswith("# Older stock is used first\n")
    assert "[Answer it in the self-assessment](../assessment.md#q-stock-rotation)" in practice
    assert "- [Leftovers are labelled with a date](../practices/labelled-leftovers.md)" in practice


def test_nav_is_built_in_framework_order(kitchen: Framework) -> None:
    nav = navigation.build_nav(
        kitchen,
        ["index.md", "customize.md", "scoring.md", "about.md"],
        ["scoring.md", "customize.md"],
    )
    assert nav == [
        {"Home": "index.md"},
        "assessment.md",
        {
            "Stages": [
                "stages/index.md",
                "stages/basic.md",
                "stages/routine.md",
                "stages/mastery.md",
            ]
        },
        {
            "Capabilities": [
                "capabilities/index.md",
                {
                    "Food storage": [
                        "capabilities/storage/index.md",
                        "practices/labelled-leftovers.md",
                        "practices/fridge-thermometer.md",
                        "practices/stock-rotation.md",
                    ]
                },
                {
                    "Cleaning": [
                        "capabilities/cleaning/index.md",
                        "practices/separate-boards.md",
                        "practices/cleaning-schedule.md",
                        "practices/deep-clean-audit.md",
                    ]
                },
            ]
        },
        "matrix.md",
        "risks.md",
        {"Guide": ["scoring.md", "customize.md", "about.md"]},
    ]


def test_framework_text_cannot_break_links_or_tables() -> None:
    assert pages.label("A [draft] | B\n  C") == "A \\[draft\\] \\| B C"
    assert pages.percent(0.8) == "80%" and pages.percent(0.825) == "82.5%"
    assert pages.number(2.0) == "2" and pages.number(1.5) == "1.5"


def test_framework_cache_reloads_when_a_file_changes(tmp_path: Path) -> None:
    root = tmp_path / "kitchen"
    shutil.copytree(KITCHEN, root)
    first = frameworks.load(root)
    assert frameworks.load(root) is first
    cleaning = root / "capabilities" / "cleaning.yaml"
    text = cleaning.read_text(encoding="utf-8")
    # Same length and (usually) the same mtime tick: only the content tells the versions apart.
    cleaning.write_text(text.replace("Cleaning", "Scrubbed", 1), encoding="utf-8")
    second = frameworks.load(root)
    assert second is not first
    assert [c.title for c in second.capabilities] == ["Food storage", "Scrubbed"]
    cleaning.write_text(text.replace("stage: routine", "stage: rutine", 1), encoding="utf-8")
    with pytest.raises(PluginError, match=r"cleaning\.yaml:\d+: .*unknown stage 'rutine'"):
        frameworks.load(root)
