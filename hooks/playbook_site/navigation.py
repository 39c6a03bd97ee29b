"""The site navigation, built from the framework in framework order plus the hand-written pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assessor import Framework
from assessor.model import Capability

from . import pages, teams

HOME = "index.md"
HOME_TITLE = "Home"
GUIDE_TITLE = "Guide"
STANDARDS_TITLE = "Standards"
ASSESSMENT_TITLE = "Assessment"

# MkDocs' `nav` format: a list of page paths and {section title: [entries]} mappings.
NavEntry = str | dict[str, Any]

# The most entries one nav section lists. mkdocs-material renders the open branch of the nav
# into every page, so a section of N practices costs N entries on each of its N pages: a build
# quadratic in a capability's size (1,000 practices in one capability took 3 times as long as
# in 20). Longer sections are split (a capability by stage, a long list in numbered runs), so
# each page renders a bounded nav and the build stays linear.
SECTION_LIMIT = 50
PRACTICE_NOUNS = ("Practice", "Practices")
CAPABILITY_NOUNS = ("Capability", "Capabilities")


def build_nav(
    framework: Framework,
    handwritten: Iterable[str],
    guide: Iterable[str] = (),
    limit: int = SECTION_LIMIT,
) -> list[NavEntry]:
    """Home, assessment (self, team, organisation), stages, capabilities with their practices,
    matrix, risks, standards, then the guide.

    `handwritten` are the Markdown pages found in docs_dir; `guide` orders some of them, and the
    rest follow by path. Capabilities are grouped when the framework has groups.
    """
    limit = max(limit, 2)  # a section of one entry would never shrink a list
    found = set(handwritten)
    nav: list[NavEntry] = []
    if HOME in found:
        nav.append({HOME_TITLE: HOME})
    # The self-assessment, then the pages that combine many people's or teams' answers; without
    # titles MkDocs takes each page's own.
    nav.append({ASSESSMENT_TITLE: [pages.ASSESSMENT, teams.TEAM, teams.ORGANISATION]})
    nav.append({"Stages": [pages.STAGES_INDEX, *(pages.stage_src(s.id) for s in framework.stages)]})
    book = pages.Playbook.of(framework)
    capabilities: list[NavEntry] = [pages.CAPABILITIES_INDEX]
    for group, members in book.grouped():
        sections = _runs([_capability(book, c, limit) for c in members], limit, CAPABILITY_NOUNS)
        if group is None:
            capabilities += sections
        else:
            capabilities.append({pages.html_text(group.title): sections})
    nav.append({"Capabilities": capabilities})
    nav.append(pages.MATRIX)
    nav.append(pages.RISKS)
    if framework.standards:
        standards = [pages.standard_src(s.id) for s in framework.standards]
        nav.append({STANDARDS_TITLE: [pages.STANDARDS_INDEX, *standards]})
    ordered = [g for g in guide if g in found]
    rest = sorted(found - set(ordered) - {HOME})
    if ordered or rest:
        nav.append({GUIDE_TITLE: [*ordered, *rest]})
    return nav


def _capability(book: pages.Playbook, cap: Capability, limit: int) -> NavEntry:
    """A capability's section: its page, then its practices (by stage when there are many)."""
    members: list[NavEntry]
    if len(cap.practices) <= limit:
        members = [pages.practice_src(p.id) for p in cap.practices]
    else:
        members = [
            {
                pages.html_text(f"Stage {stage.level}: {stage.title}"): _runs(
                    [pages.practice_src(p.id) for p in practices], limit, PRACTICE_NOUNS
                )
            }
            for stage, practices in book.capability_groups(cap)
        ]
    return {pages.html_text(cap.title): [pages.capability_src(cap.id), *members]}


def _runs(
    entries: list[NavEntry], limit: int, nouns: tuple[str, str], first: int = 1
) -> list[NavEntry]:
    """`entries` as they are when at most `limit`, else in numbered sections ("Practices 1-50")
    of at most `limit` entries; sections of sections when even those would be too many.

    `nouns` is the singular and the plural a section title uses.
    """
    if len(entries) <= limit:
        return entries
    size = limit
    while len(entries) > size * limit:
        size *= limit
    out: list[NavEntry] = []
    for start in range(0, len(entries), size):
        part = entries[start : start + size]
        low, high = first + start, first + start + len(part) - 1
        title = f"{nouns[0]} {low}" if low == high else f"{nouns[1]} {low}\u2013{high}"
        out.append({title: _runs(part, limit, nouns, low)})
    return out
