"""The site navigation, built from the framework in framework order plus the hand-written pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from assessor import Framework
from assessor.model import Capability

from . import i18n, pages, teams

HOME = "index.md"

# MkDocs' `nav` format: a list of page paths and {section title: [entries]} mappings.
NavEntry = str | dict[str, Any]

# The most entries one nav section lists. mkdocs-material renders the open branch of the nav
# into every page, so a section of N practices costs N entries on each of its N pages: a build
# quadratic in a capability's size (1,000 practices in one capability took 3 times as long as
# in 20). Longer sections are split (a capability by stage, a long list in numbered runs), so
# each page renders a bounded nav and the build stays linear.
SECTION_LIMIT = 50
# The titles of a numbered run: one entry, several entries (nav.* keys of the catalog).
PRACTICE_RUNS = ("nav.practice", "nav.practices")
CAPABILITY_RUNS = ("nav.capability", "nav.capabilities_run")


def build_nav(
    framework: Framework,
    handwritten: Iterable[str],
    guide: Iterable[str] = (),
    limit: int = SECTION_LIMIT,
    messages: i18n.Messages | None = None,
) -> list[NavEntry]:
    """Home, assessment (self, team, organisation), stages, capabilities with their practices,
    matrix, risks, standards, then the guide; section titles in the language of `messages`
    (default: English).

    `handwritten` are the Markdown pages found in docs_dir; `guide` orders some of them, and the
    rest follow by path. Capabilities are grouped when the framework has groups.
    """
    t = messages or i18n.english()
    limit = max(limit, 2)  # a section of one entry would never shrink a list
    found = set(handwritten)
    nav: list[NavEntry] = []
    if HOME in found:
        nav.append({pages.html_text(t("nav.home")): HOME})
    # The self-assessment, then the pages that combine many people's or teams' answers; without
    # titles MkDocs takes each page's own.
    assessments = [pages.ASSESSMENT, teams.TEAM, teams.ORGANISATION]
    nav.append({pages.html_text(t("nav.assessment")): assessments})
    stages = [pages.STAGES_INDEX, *(pages.stage_src(s.id) for s in framework.stages)]
    nav.append({pages.html_text(t("nav.stages")): stages})
    book = pages.Playbook.of(framework)
    capabilities: list[NavEntry] = [pages.CAPABILITIES_INDEX]
    for group, members in book.grouped():
        entries = [_capability(book, c, limit, t) for c in members]
        sections = _runs(entries, limit, _titles(t, CAPABILITY_RUNS))
        if group is None:
            capabilities += sections
        else:
            capabilities.append({pages.html_text(group.title): sections})
    nav.append({pages.html_text(t("nav.capabilities")): capabilities})
    nav.append(pages.MATRIX)
    nav.append(pages.RISKS)
    if framework.standards:
        standards = [pages.standard_src(s.id) for s in framework.standards]
        nav.append({pages.html_text(t("nav.standards")): [pages.STANDARDS_INDEX, *standards]})
    ordered = [g for g in guide if g in found]
    rest = sorted(found - set(ordered) - {HOME})
    if ordered or rest:
        nav.append({pages.html_text(t("nav.guide")): [*ordered, *rest]})
    return nav


# (title of one entry, title of a run) from their numbers.
RunTitles = tuple[Callable[[int], str], Callable[[int, int], str]]


def _titles(t: i18n.Messages, keys: tuple[str, str]) -> RunTitles:
    one, run = keys
    return (
        lambda n: pages.html_text(t(one, number=n)),
        lambda first, last: pages.html_text(t(run, first=first, last=last)),
    )


def _capability(book: pages.Playbook, cap: Capability, limit: int, t: i18n.Messages) -> NavEntry:
    """A capability's section: its page, then its practices (by stage when there are many)."""
    members: list[NavEntry]
    if len(cap.practices) <= limit:
        members = [pages.practice_src(p.id) for p in cap.practices]
    else:
        members = [
            {
                pages.html_text(t("common.stage", level=stage.level, title=stage.title)): _runs(
                    [pages.practice_src(p.id) for p in practices],
                    limit,
                    _titles(t, PRACTICE_RUNS),
                )
            }
            for stage, practices in book.capability_groups(cap)
        ]
    return {pages.html_text(cap.title): [pages.capability_src(cap.id), *members]}


def _runs(entries: list[NavEntry], limit: int, titles: RunTitles, first: int = 1) -> list[NavEntry]:
    """`entries` as they are when at most `limit`, else in numbered sections ("Practices 1-50")
    of at most `limit` entries; sections of sections when even those would be too many.

    `titles` names a section of one entry and a section of several.
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
        title = titles[0](low) if low == high else titles[1](low, high)
        out.append({title: _runs(part, limit, titles, low)})
    return out
