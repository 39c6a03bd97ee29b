"""The playbook site: hooks, generated pages, nav, links, search and no third-party requests."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    EXAMPLE,
    EXAMPLE_V2,
    FIXTURES,
    KITCHEN,
    KITCHEN_CAPABILITY_NAV,
    KITCHEN_NAV,
    KITCHEN_STAGE_PAGES,
    ROOT,
    mutated_copy,
)
from mkdocs.exceptions import PluginError
from sitebuild import (
    BuiltSite,
    Html,
    broken_links,
    build_site,
    built,
    read_html,
    same_origin,
    urls_of,
)

import assessor
from assessor import Framework, parse_answers
from assessor.cpython.load import load_framework
from playbook_site import frameworks, navigation, pages, settings

# A tiny v2 framework of this suite's own: groups, standards (with and without a label list),
# must-haves, honest N/A, evidence and a second scale. content/scoring.md's example scores it.
ORCHARD = FIXTURES / "orchard"
DEFAULT = load_framework(ROOT / "framework")
FRAMEWORKS = {
    "default": DEFAULT,
    "kitchen": load_framework(KITCHEN),
    "example": load_framework(EXAMPLE),
    "example_v2": load_framework(EXAMPLE_V2),
    "orchard": load_framework(ORCHARD),
}
DIRS = {
    ROOT / "framework": "default",
    KITCHEN: "kitchen",
    EXAMPLE: "example",
    EXAMPLE_V2: "example_v2",
    ORCHARD: "orchard",
}


@pytest.fixture(scope="session")
def site_orchard(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The orchard's site, built once per session."""
    return built(tmp_path_factory.mktemp("site-orchard"), ORCHARD)


@pytest.fixture(params=["default", "kitchen", "example", "example_v2", "orchard"])
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
    assert "WARNING" not in site_default.result.stderr
    assert html(site_default.root / "index.html").title.endswith(DEFAULT.title)


def test_kitchen_framework_builds_strict_and_names_the_site(site_kitchen: BuiltSite) -> None:
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
                *(f"../../standards/{standard}/" for standard in p.mappings),
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
    reach = routine.article[routine.article.index("Reaching the next stage¶") :]
    assert reach == (
        "Reaching the next stage¶ The next stage is Mastery: The routines are checked and "
        "improved. A team reaches it when the evidence shows at least 75% of its practices in "
        "place, counted by weight, and every stage below it is reached as well: skipping a stage "
        "does not count. These are the 2 practices it takes: Food storage: Older stock is used "
        "first Cleaning: A monthly deep-clean audit"
    )
    assert "../mastery/" in routine.links
    assert "../../practices/stock-rotation/" in routine.links
    top = html(site_kitchen.root / "stages" / "mastery" / "index.html")
    assert "This is the highest stage" in top.text
    basic = html(site_kitchen.root / "stages" / "basic" / "index.html")
    assert "it is where every team starts" in basic.text


def test_matrix_cells_link_their_practices(site: BuiltSite) -> None:
    fw = framework_of(site)
    source = (site.root / "matrix" / "index.html").read_text(encoding="utf-8")
    # One table, or one per group (each with its header row), capabilities in group order.
    rows = [r for r in re.findall(r"<tr>(.*?)</tr>", source, re.S) if "<th" not in r]
    ordered = [c for _, caps in pages.Playbook.of(fw).grouped() for c in caps]
    assert len(rows) == len(fw.capabilities) == len(ordered)
    columns = [s for s in fw.stages if any(p.stage == s.id for p in fw.practices)]
    for cap, row in zip(ordered, rows, strict=True):
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
        "Assessment",
        "Stages",
        "Capabilities",
        "Maturity matrix",
        "Risks",
        "Standards",
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
    assert broken_links(site.root, site.site_url, html) == []


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
        "(known: framework, guide, messages)" in result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"playbook": "framework"}, "extra.playbook: must be a mapping"),
        ({"playbook": {"framework": 3}}, "extra.playbook.framework: must be a directory path"),
        ({"playbook": {"guide": "scoring.md"}}, "extra.playbook.guide: must be a list"),
        (
            {"playbook": {"colour": "red"}},
            "unknown key 'colour' (known: framework, guide, messages)",
        ),
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
        *KITCHEN_STAGE_PAGES,
        *_paths(KITCHEN_CAPABILITY_NAV),
        "matrix.md",
        "risks.md",
    ]
    practice = rendered["practices/stock-rotation.md"]
    assert practice.startswith(
        "---\ntitle: Older stock is used first\n---\n\n# Older stock is used first\n"
    )
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
        *KITCHEN_NAV,
        {"Guide": ["scoring.md", "customize.md", "about.md"]},
    ]


def test_framework_text_cannot_break_links_or_tables() -> None:
    assert pages.markdown_text("A [draft] | B\n  C") == "A \\[draft\\] \\| B C"
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


# --- schema v2 on the generated pages: must-haves, honest N/A, groups, crosswalks ---------------


@pytest.fixture(scope="module")
def orchard_pages() -> dict[str, str]:
    return pages.render_pages(FRAMEWORKS["orchard"])


def test_practice_page_marks_a_must_have(orchard_pages: dict[str, str]) -> None:
    assert orchard_pages["practices/pruning-plan.md"] == (
        "---\n"
        "title: A winter pruning plan is followed\n"
        "---\n"
        "\n"
        "# A winter pruning plan is followed\n"
        "\n"
        "Each tree has a pruning note for the coming winter.\n"
        "\n"
        "**Stage:** [Tended](../stages/tended.md) (level 1)\n"
        "&middot; **Capability:** [Tree care](../capabilities/trees/index.md)\n"
        '&middot; <span class="playbook-must-have">Must-have</span>\n'
        "\n"
        "**Must-have:** a team reaches [Tended](../stages/tended.md) only "
        "when this practice is fully in place, however much of the stage's other work is done. "
        'It is never "not applicable".\n'
        "\n"
        '!!! question "Assessment question"\n'
        "\n"
        "    Can you show this winter's pruning notes?\n"
        "\n"
        "    **Answers:** No · Partly · Yes, and we can show it\n"
        "\n"
        "    A top answer counts in full only with evidence: a link or a short note naming what "
        "you can show. Without it, it counts as the next answer down.\n"
        "\n"
        "    [Answer it in the self-assessment](../assessment.md#q-pruning-plan)\n"
        "\n"
        "## Why it matters\n"
        "\n"
        "Unpruned trees crowd out light and **invite disease**.\n"
        "\n"
        "## How to get there\n"
        "\n"
        "1. Walk the orchard in autumn\n"
        "2. Write one note per tree\n"
        "\n"
        "## Evidence to show\n"
        "\n"
        '<div class="playbook-evidence" markdown>\n'
        "\n"
        "- The pruning notebook\n"
        "- Photos of pruned trees\n"
        "\n"
        "</div>\n"
        "\n"
        "## Tools\n"
        "\n"
        "Secateurs · Loppers\n"
        "\n"
        "## Risks it reduces\n"
        "\n"
        "- [Blight](../risks.md#blight): Disease spreads from tree to tree before anyone notices.\n"
        "- [Lost harvest](../risks.md#lost-harvest): Fruit rots on the tree or in the shed.\n"
        "\n"
        "## What depends on it\n"
        "\n"
        "- [Grafts are recorded](../practices/grafting-records.md) (Productive)\n"
        "\n"
        "## Standards it maps to\n"
        "\n"
        "- [Orchard Code of Practice](../standards/orchard-code.md): C1\n"
        "\n"
        "## References\n"
        "\n"
        "- [Pruning basics](<https://example.org/pruning>)\n"
    )


def test_practice_page_states_when_not_applicable_is_honest(
    orchard_pages: dict[str, str],
) -> None:
    assert orchard_pages["practices/pest-traps.md"] == (
        "---\n"
        "title: Pest traps are checked weekly\n"
        "---\n"
        "\n"
        "# Pest traps are checked weekly\n"
        "\n"
        "Sticky traps hang in every row and are read each week.\n"
        "\n"
        "**Stage:** [Tended](../stages/tended.md) (level 1)\n"
        "&middot; **Capability:** [Tree care](../capabilities/trees/index.md)\n"
        "\n"
        '!!! question "Assessment question"\n'
        "\n"
        "    Can you show last week's trap counts?\n"
        "\n"
        "    **Answers:** No · Yes\n"
        "\n"
        "    **Not applicable when:** Your trees are under netting all year.\n"
        "\n"
        "    A top answer counts in full only with evidence: a link or a short note naming what "
        "you can show. Without it, it counts as the next answer down.\n"
        "\n"
        "    [Answer it in the self-assessment](../assessment.md#q-pest-traps)\n"
        "\n"
        "## Risks it reduces\n"
        "\n"
        "- [Blight](../risks.md#blight): Disease spreads from tree to tree before anyone notices.\n"
        "\n"
        "## Standards it maps to\n"
        "\n"
        "- [Integrated Pest Guide](../standards/pest-guide.md): IPM-2, IPM-1\n"
    )


def test_no_na_condition_where_the_framework_refuses_na() -> None:
    nowhere = dataclasses.replace(FRAMEWORKS["orchard"], not_applicable="nowhere")
    page = pages.render_pages(nowhere)["practices/pest-traps.md"]
    assert "Not applicable" not in page
    assert "    **Answers:** No · Yes\n\n    A top answer" in page


def test_built_practice_page_shows_the_badge_and_the_na_condition(
    site_orchard: BuiltSite,
) -> None:
    source = (site_orchard.root / "practices" / "pruning-plan" / "index.html").read_text(
        encoding="utf-8"
    )
    assert '<span class="playbook-must-have">Must-have</span>' in source
    traps = html(site_orchard.root / "practices" / "pest-traps" / "index.html")
    assert "Not applicable when: Your trees are under netting all year." in traps.article
    assert "Must-have" not in traps.article


def test_stage_page_lists_its_must_haves(orchard_pages: dict[str, str]) -> None:
    assert orchard_pages["stages/tended.md"] == (
        "---\n"
        "title: Tended\n"
        "---\n"
        "\n"
        "# Tended\n"
        "\n"
        "*Level 1 of 2* &middot; 4 practices, 1 must-have\n"
        "\n"
        "Pruning, soil and picking follow a plan.\n"
        "\n"
        "## Signals\n"
        "\n"
        "A team at this stage usually recognises itself in these:\n"
        "\n"
        "- Volunteers know which trees to prune this winter\n"
        "\n"
        "## Must-haves\n"
        "\n"
        "A team reaches Tended only when each of these is fully in place, however high "
        "the stage's coverage:\n"
        "\n"
        "- [A winter pruning plan is followed](../practices/pruning-plan.md) (Tree care)\n"
        "\n"
        "## Practices\n"
        "\n"
        "### Tree care\n"
        "\n"
        "- [A winter pruning plan is followed](../practices/pruning-plan.md) "
        '<span class="playbook-must-have">Must-have</span>: '
        "Each tree has a pruning note for the coming winter.\n"
        "- [The soil is tested every year](../practices/soil-tests.md): "
        "A soil sample goes to a lab each spring.\n"
        "- [Pest traps are checked weekly](../practices/pest-traps.md): "
        "Sticky traps hang in every row and are read each week.\n"
        "\n"
        "### Picking and storage\n"
        "\n"
        "- [Picking follows a rota](../practices/picking-rota.md): "
        "A rota says who picks which rows in which week.\n"
        "\n"
        "## Reaching the next stage\n"
        "\n"
        "The next stage is [Productive](../stages/productive.md): "
        "Harvests are recorded, stored well and improve year on year.\n"
        "\n"
        "A team reaches it when the evidence shows at least **80%** of its "
        "practices in place, counted by weight, its must-have fully in place, and every stage "
        "below it is reached as well: skipping a stage does not count.\n"
        "These are the 3 practices it takes:\n"
        "\n"
        "- **Tree care:** [Grafts are recorded](../practices/grafting-records.md)\n"
        "- **Picking and storage:** [Fruit is kept in a cold store](../practices/cold-store.md) "
        '<span class="playbook-must-have">Must-have</span>, '
        "[Yields are logged per tree](../practices/yield-log.md)\n"
    )


def test_stages_overview_names_the_must_have_rule_only_when_there_are_must_haves(
    orchard_pages: dict[str, str], kitchen: Framework
) -> None:
    rule = "place, counted by weight, each of its must-haves is fully in place, and every stage"
    assert rule in orchard_pages["stages/index.md"]
    assert "must-have" not in pages.render_pages(kitchen)["stages/index.md"]


def test_matrix_marks_must_haves_and_groups_capabilities(orchard_pages: dict[str, str]) -> None:
    badge = '<span class="playbook-must-have">Must-have</span>'
    header = (
        "| Capability | [1. Tended](stages/tended.md) | [2. Productive](stages/productive.md) |\n"
        "| --- | --- | --- |\n"
    )
    assert orchard_pages["matrix.md"] == (
        "# Maturity matrix\n"
        "\n"
        "Each row is a capability and each column a stage; a cell lists the practices a team "
        "needs in that capability to reach that stage.\n"
        f"Practices marked {badge} gate their stage: it is reached only when each of them is "
        "fully in place.\n"
        "\n"
        "[Planted](stages/planted.md) has no practices: it is where every team starts.\n"
        "\n"
        "## Growing { #growing }\n"
        "\n"
        f"{header}"
        "| [Tree care](capabilities/trees/index.md) | "
        "&bull;&nbsp;[A winter pruning plan is followed](practices/pruning-plan.md)"
        f"&nbsp;{badge}<br>"
        "&bull;&nbsp;[The soil is tested every year](practices/soil-tests.md)<br>"
        "&bull;&nbsp;[Pest traps are checked weekly](practices/pest-traps.md) | "
        "&bull;&nbsp;[Grafts are recorded](practices/grafting-records.md) |\n"
        "\n"
        "## Harvest { #harvest }\n"
        "\n"
        f"{header}"
        "| [Picking and storage](capabilities/picking/index.md) | "
        "&bull;&nbsp;[Picking follows a rota](practices/picking-rota.md) | "
        f"&bull;&nbsp;[Fruit is kept in a cold store](practices/cold-store.md)&nbsp;{badge}<br>"
        "&bull;&nbsp;[Yields are logged per tree](practices/yield-log.md) |\n"
    )


def test_matrix_without_groups_or_must_haves_is_one_table(kitchen: Framework) -> None:
    matrix = pages.render_pages(kitchen)["matrix.md"]
    assert matrix.count("| Capability |") == 1
    assert "##" not in matrix and "Must-have" not in matrix


def test_capabilities_overview_is_grouped(orchard_pages: dict[str, str]) -> None:
    header = "| Capability | What it covers | Practices |\n| --- | --- | ---: |\n"
    assert orchard_pages["capabilities/index.md"] == (
        "# Capabilities\n"
        "\n"
        "Each capability groups the practices about one concern, from the lowest stage to the "
        "highest.\n"
        "\n"
        "## Growing { #growing }\n"
        "\n"
        "Keeping the trees healthy.\n"
        "\n"
        f"{header}"
        "| [Tree care](../capabilities/trees/index.md) | "
        "Pruning, feeding and protecting the trees. | 4 |\n"
        "\n"
        "## Harvest { #harvest }\n"
        "\n"
        "Getting the fruit picked and stored.\n"
        "\n"
        f"{header}"
        "| [Picking and storage](../capabilities/picking/index.md) | "
        "Getting ripe fruit off the trees and keeping it. | 3 |\n"
        "\n"
        "The [maturity matrix](../matrix.md) shows them against the stages.\n"
    )
    assert (
        "Part of [Growing](../../capabilities/index.md#growing)."
        in (orchard_pages["capabilities/trees/index.md"])
    )


def test_nav_groups_capabilities_and_lists_the_standards() -> None:
    nav = navigation.build_nav(FRAMEWORKS["orchard"], ["index.md", "scoring.md"], ["scoring.md"])
    assert nav == [
        {"Home": "index.md"},
        {"Assessment": ["assessment.md", "team.md", "organisation.md"]},
        {
            "Stages": [
                "stages/index.md",
                "stages/planted.md",
                "stages/tended.md",
                "stages/productive.md",
            ]
        },
        {
            "Capabilities": [
                "capabilities/index.md",
                {
                    "Growing": [
                        {
                            "Tree care": [
                                "capabilities/trees/index.md",
                                "practices/pruning-plan.md",
                                "practices/soil-tests.md",
                                "practices/pest-traps.md",
                                "practices/grafting-records.md",
                            ]
                        }
                    ]
                },
                {
                    "Harvest": [
                        {
                            "Picking and storage": [
                                "capabilities/picking/index.md",
                                "practices/picking-rota.md",
                                "practices/cold-store.md",
                                "practices/yield-log.md",
                            ]
                        }
                    ]
                },
            ]
        },
        "matrix.md",
        "risks.md",
        {
            "Standards": [
                "standards/index.md",
                "standards/orchard-code.md",
                "standards/pest-guide.md",
            ]
        },
        {"Guide": ["scoring.md"]},
    ]


def _sidebar(source: str) -> list[str]:
    """The labels of the primary sidebar of a built page, in order (empty ones left out)."""
    nav = source[source.index("md-nav--primary") : source.index("md-sidebar--secondary")]
    found = re.findall(
        r'class="md-nav__(?:link|title)[^"]*"[^>]*>(.*?)</(?:a|label|span)>', nav, re.S
    )
    labels = (" ".join(re.sub(r"<[^>]+>", "", f).split()) for f in found)
    return [unescape(label) for label in labels if label]


def test_built_nav_shows_the_groups(site_orchard: BuiltSite) -> None:
    source = (site_orchard.root / "practices" / "soil-tests" / "index.html").read_text(
        encoding="utf-8"
    )
    assert _sidebar(source) == [
        *("Home", "Assessment", "Stages", "Capabilities"),
        *("Growing", "Tree care", "A winter pruning plan is followed"),
        *("The soil is tested every year", "The soil is tested every year"),
        *("Risks it reduces", "Standards it maps to"),
        *("Pest traps are checked weekly", "Grafts are recorded", "Harvest"),
        *("Maturity matrix", "Risks", "Standards", "Guide"),
    ]


def test_crosswalk_pages_list_labels_in_order_with_their_practices(
    orchard_pages: dict[str, str],
) -> None:
    badge = '<span class="playbook-must-have">Must-have</span>'
    assert orchard_pages["standards/orchard-code.md"] == (
        "---\n"
        "title: Orchard Code of Practice\n"
        "---\n"
        "\n"
        "# Orchard Code of Practice\n"
        "\n"
        "How the practices of this playbook map to "
        "[Orchard Code of Practice](<https://example.org/orchard-code>).\n"
        "3 of its 4 labels are covered by at least one practice.\n"
        "\n"
        "| Label | Practices |\n"
        "| --- | --- |\n"
        f"| C1 | [A winter pruning plan is followed](../practices/pruning-plan.md)&nbsp;{badge} |\n"
        "| C2 | [The soil is tested every year](../practices/soil-tests.md) |\n"
        "| C3 | [Picking follows a rota](../practices/picking-rota.md) |\n"
        "| C4 | *Not covered* |\n"
        "\n"
        "## Not covered\n"
        "\n"
        "No practice covers this label yet:\n"
        "\n"
        "- C4\n"
        "\n"
        "See all [standards](../standards/index.md).\n"
    )
    # Without a declared label list: the labels in the order the practices first name them.
    assert orchard_pages["standards/pest-guide.md"] == (
        "---\n"
        "title: Integrated Pest Guide\n"
        "---\n"
        "\n"
        "# Integrated Pest Guide\n"
        "\n"
        "How the practices of this playbook map to "
        "[Integrated Pest Guide](<https://example.org/pest-guide>).\n"
        "The standard's full list of labels is not given here: the table shows the "
        "3 labels the practices name, in the order they first appear.\n"
        "\n"
        "| Label | Practices |\n"
        "| --- | --- |\n"
        "| IPM-2 | [Pest traps are checked weekly](../practices/pest-traps.md) |\n"
        "| IPM-1 | [Pest traps are checked weekly](../practices/pest-traps.md)<br>"
        "[Yields are logged per tree](../practices/yield-log.md) |\n"
        "| IPM-3 | [Picking follows a rota](../practices/picking-rota.md) |\n"
        "\n"
        "See all [standards](../standards/index.md).\n"
    )
    assert orchard_pages["standards/index.md"] == (
        "# Standards\n"
        "\n"
        "The practices of this playbook map to these external standards. Each standard's page "
        "lists its "
        "labels (tests, articles, controls) with the practices that cover them.\n"
        "\n"
        "| Standard | Labels covered |\n"
        "| --- | ---: |\n"
        "| [Orchard Code of Practice](../standards/orchard-code.md) | 3 of 4 |\n"
        "| [Integrated Pest Guide](../standards/pest-guide.md) | 3 (full list not given) |\n"
    )


def test_built_crosswalk_page_links_every_practice(site_orchard: BuiltSite) -> None:
    page = html(site_orchard.root / "standards" / "pest-guide" / "index.html")
    assert [link for link in page.links if link.startswith("../../practices/")] == [
        "../../practices/pest-traps/",
        "../../practices/pest-traps/",
        "../../practices/yield-log/",
        "../../practices/picking-rota/",
    ]
    assert "https://example.org/pest-guide" in page.links
    assert page.title == "Integrated Pest Guide - Community Orchard Playbook"


def test_frameworks_without_standards_get_no_standards_pages(kitchen: Framework) -> None:
    assert not [src for src in pages.render_pages(kitchen) if src.startswith("standards/")]


# --- the nav stays small on every page (build time linear in a capability's size) -------------


def test_long_capabilities_are_split_by_stage_then_in_numbered_runs() -> None:
    nav = navigation.build_nav(FRAMEWORKS["orchard"], [], [], limit=2)
    assert nav[2] == {
        "Capabilities": [
            "capabilities/index.md",
            {
                "Growing": [
                    {
                        "Tree care": [
                            "capabilities/trees/index.md",
                            {
                                "Stage 1: Tended": [
                                    {
                                        "Practices 1\u20132": [
                                            "practices/pruning-plan.md",
                                            "practices/soil-tests.md",
                                        ]
                                    },
                                    {"Practice 3": ["practices/pest-traps.md"]},
                                ]
                            },
                            {"Stage 2: Productive": ["practices/grafting-records.md"]},
                        ]
                    }
                ]
            },
            {
                "Harvest": [
                    {
                        "Picking and storage": [
                            "capabilities/picking/index.md",
                            {"Stage 1: Tended": ["practices/picking-rota.md"]},
                            {
                                "Stage 2: Productive": [
                                    "practices/cold-store.md",
                                    "practices/yield-log.md",
                                ]
                            },
                        ]
                    }
                ]
            },
        ]
    }


def _sections(entry: Any) -> list[list[Any]]:
    """Every list of entries in a nav, nested ones included."""
    if isinstance(entry, list):
        return [entry, *(s for item in entry for s in _sections(item))]
    if isinstance(entry, dict):
        return [s for value in entry.values() for s in _sections(value)]
    return []


def _paths(entry: Any) -> list[str]:
    if isinstance(entry, str):
        return [entry]
    values = entry if isinstance(entry, list) else list(entry.values())
    return [p for value in values for p in _paths(value)]


def test_no_nav_section_of_a_huge_capability_exceeds_the_limit() -> None:
    # 3,000 practices in one capability, every one at one stage: runs of runs.
    fw = FRAMEWORKS["kitchen"]
    template = fw.capabilities[0].practices[0]
    practices = tuple(
        dataclasses.replace(template, id=f"p-{i:04d}", depends_on=(), replaces=())
        for i in range(3000)
    )
    huge = dataclasses.replace(fw.capabilities[0], practices=practices)
    fw = dataclasses.replace(fw, capabilities=(huge, fw.capabilities[1]))
    nav = navigation.build_nav(fw, [])
    assert max(len(section) for section in _sections(nav)) == navigation.SECTION_LIMIT
    capability = nav[2]["Capabilities"][1][huge.title]
    assert capability[0] == "capabilities/storage/index.md"
    assert list(capability[1]) == ["Stage 1: Routine"]
    runs = capability[1]["Stage 1: Routine"]
    assert [next(iter(run)) for run in runs] == [
        "Practices 1\u20132500",
        "Practices 2501\u20133000",
    ]
    assert list(runs[0]["Practices 1\u20132500"][0]) == ["Practices 1\u201350"]
    assert _paths(capability[1:]) == [f"practices/p-{i:04d}.md" for i in range(3000)]


# --- plain text is shown literally on every page ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("R&D  and\n  ops", "R&amp;D and ops"),
        ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
        ("Title { onclick=alert(1) }", "Title \\{ onclick=alert(1) \\}"),
        ("*bold* _it_ a|b C#", "\\*bold\\* \\_it\\_ a\\|b C\\#"),
        ("back\\slash", "back\\\\slash"),
        ("A `uv.lock` file", "A `uv.lock` file"),
        ("`<b>` and `a|b`", "`<b>` and \\`a\\|b\\`"),
        ("- not a list", "&#45; not a list"),
        ("!!! note", "&#33;!! note"),
        ("=== tab", "&#61;== tab"),
        ("1. not a step", "1\\. not a step"),
        ("# not a heading", "\\# not a heading"),
        ("> not a quote", "&gt; not a quote"),
    ],
)
def test_plain_text_is_escaped_for_markdown(text: str, markdown: str) -> None:
    assert pages.markdown_text(text) == markdown


def test_html_text_and_front_matter_escape_the_title() -> None:
    title = 'Say "hi" </title><script>x</script>'
    assert pages.html_text(title) == (
        "Say &quot;hi&quot; &lt;/title&gt;&lt;script&gt;x&lt;/script&gt;"
    )
    assert pages.front_matter(title) == (
        "---\ntitle: Say &quot;hi&quot; &lt;/title&gt;&lt;script&gt;x&lt;/script&gt;\n---"
    )
    assert pages.front_matter("A: b # c") == "---\ntitle: 'A: b # c'\n---"


IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
HOSTILE = f"{IMG} {SCRIPT}"


class _Markup(HTMLParser):
    """Elements and attributes a payload would need to run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "img" and ("src", "x") in attrs:
            self.found.append("<img src=x>")

    def handle_data(self, data: str) -> None:
        if self.script and "alert(" in data:
            self.found.append(f"<script>{data}</script>")

    def handle_endtag(self, tag: str) -> None:
        self.script = False


def hostile_orchard(tmp_path: Path) -> Path:
    """The orchard with markup in every kind of plain-text field."""
    root = tmp_path / "orchard"
    shutil.copytree(ORCHARD, root)
    edits = [
        ("framework.yaml", "title: Community Orchard Playbook",
         f'title: "Orchard {HOSTILE} </title><script>alert(3)</script> \\"q\\""'),
        ("framework.yaml", "title: Growing,", f'title: "Growing {HOSTILE}",'),
        ("framework.yaml", "title: Orchard Code of Practice",
         f'title: "Code {HOSTILE} [x](javascript:alert(4))"'),
        ("framework.yaml", '"C2"', f'"C2 {IMG}"'),
        ("stages.yaml", "title: Tended", f'title: "Tended {HOSTILE}"'),
        ("stages.yaml", '"Volunteers know', f'"{SCRIPT} Volunteers know'),
        ("risks.yaml", "title: Blight", f'title: "Blight {HOSTILE}"'),
        ("capabilities/trees.yaml", "title: Tree care", f'title: "Tree {HOSTILE} care"'),
        ("capabilities/trees.yaml", "summary: Pruning, feeding and protecting the trees.",
         f'summary: "- {IMG} Pruning"'),
        ("capabilities/trees.yaml", "title: A winter pruning plan is followed",
         f'title: "A winter {HOSTILE} </title><script>alert(5)</script> {{ onclick=alert(6) }}"'),
        ("capabilities/trees.yaml", "summary: Each tree has a pruning note for the coming winter.",
         f'summary: "!!! {SCRIPT} note"'),
        ("capabilities/trees.yaml", "question: Can you show this winter's pruning notes?",
         f'question: "1. {HOSTILE} Can you show the notes?"'),
        ("capabilities/trees.yaml", '"The pruning notebook"',
         f'"The {HOSTILE} notebook [click](javascript:alert(7))"'),
        ("capabilities/trees.yaml", "[Secateurs, Loppers]", f'["Secateurs {IMG}", Loppers]'),
        ("capabilities/trees.yaml", '"Pruning basics"', f'"Pruning {HOSTILE} basics"'),
        ("capabilities/trees.yaml", '"Your trees are under netting all year."',
         f'"# {HOSTILE} under netting"'),
        ("capabilities/trees.yaml", '["C2"]', f'["C2 {IMG}"]'),
        ("capabilities/picking.yaml", "title: Picking follows a rota",
         f'title: "Picking {SCRIPT} rota"'),
    ]  # fmt: skip
    for name, old, new in edits:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def test_markup_in_plain_text_fields_is_escaped_on_every_page(tmp_path: Path) -> None:
    site = built(tmp_path / "site", hostile_orchard(tmp_path))
    assert "WARNING" not in site.result.stderr
    pages_found = sorted(site.root.rglob("*.html"))
    assert len(pages_found) == 26  # 7 practices, 19 other pages (404, team, organisation included)
    raw = []
    for path in pages_found:
        source = path.read_text(encoding="utf-8")
        reader = _Markup()
        reader.feed(source)
        raw += [f"{path.relative_to(site.root)}: {found}" for found in reader.found]
        # The assessment page belongs to playbook_site.assessment: its own test suite covers
        # it; the parser above still checks it for live markup.
        if path.parent.name != "assessment":
            raw += [
                f"{path.relative_to(site.root)}: raw {tag}"
                for tag in (IMG, SCRIPT, "<script>alert(3)", "<script>alert(5)")
                if tag in source
            ]
    assert raw == []
    practice = html(site.root / "practices" / "pruning-plan" / "index.html")
    title = f"A winter {HOSTILE} </title><script>alert(5)</script> {{ onclick=alert(6) }}"
    assert practice.title == f'{title} - Orchard {HOSTILE} </title><script>alert(3)</script> "q"'
    assert practice.article.startswith(f"{title}¶ !!! {SCRIPT} note Stage: Tended {HOSTILE}")
    for text in (
        f"1. {HOSTILE} Can you show the notes?",
        f"The {HOSTILE} notebook [click](javascript:alert(7))",
        f"Secateurs {IMG} · Loppers",
        f"Pruning {HOSTILE} basics",
    ):
        assert text in practice.article
    traps = html(site.root / "practices" / "pest-traps" / "index.html")
    assert f"Not applicable when: # {HOSTILE} under netting" in traps.article
    crosswalk = html(site.root / "standards" / "orchard-code" / "index.html")
    assert f"C2 {IMG} The soil is tested every year" in crosswalk.article
    assert not [link for link in crosswalk.links if link.startswith("javascript")]


# --- the worked example of content/scoring.md ---------------------------------------------------


def test_scoring_page_example_is_what_the_cli_prints(tmp_path: Path) -> None:
    text = (ROOT / "content" / "scoring.md").read_text(encoding="utf-8")
    answers = re.search(r"```json\n(.*?)```", text, re.S)
    console = re.search(r"```console\n\$ (python -m assessor [^\n]*)\n(.*?)```", text, re.S)
    assert answers is not None and console is not None
    (tmp_path / "answers.json").write_text(answers.group(1), encoding="utf-8")
    command = console.group(1).split()
    assert command == [
        "python", "-m", "assessor", "score", "answers.json",
        "--framework", "tests/fixtures/orchard",
    ]  # fmt: skip
    proc = subprocess.run(
        [sys.executable, *command[1:4], str(tmp_path / "answers.json"), *command[5:]],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout + proc.stderr == console.group(2)


def test_scoring_page_what_if_evidence_is_attached() -> None:
    """The page's claim: with evidence for the soil tests Tended reaches 87.5% and is still
    not reached, because its must-have is open."""
    text = (ROOT / "content" / "scoring.md").read_text(encoding="utf-8")
    answers = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))  # type: ignore[union-attr]
    answers["evidence"]["soil-tests"] = ["Soil report, March"]
    result = assessor.score(FRAMEWORKS["orchard"], parse_answers(answers, FRAMEWORKS["orchard"]))
    tended = result["stages"][1]
    assert (tended["id"], tended["coverage"], tended["reached"]) == ("tended", 0.875, False)
    assert tended["required_open"] == ["pruning-plan"]
    assert result["next_stage"] is not None
    assert result["next_stage"]["reachable_by"] == ["pruning-plan"]
