"""The site navigation, built from the framework in framework order plus the hand-written pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assessor import Framework

from . import pages

HOME = "index.md"
HOME_TITLE = "Home"
GUIDE_TITLE = "Guide"

# MkDocs' `nav` format: a list of page paths and {section title: [entries]} mappings.
NavEntry = str | dict[str, Any]


def build_nav(
    framework: Framework, handwritten: Iterable[str], guide: Iterable[str] = ()
) -> list[NavEntry]:
    """Home, assessment, stages, capabilities with their practices, matrix, risks, then the guide.

    `handwritten` are the Markdown pages found in docs_dir; `guide` orders some of them, and the
    rest follow by path.
    """
    found = set(handwritten)
    nav: list[NavEntry] = []
    if HOME in found:
        nav.append({HOME_TITLE: HOME})
    # Without a title MkDocs takes the assessment page's own title.
    nav.append(pages.ASSESSMENT)
    nav.append({"Stages": [pages.STAGES_INDEX, *(pages.stage_src(s.id) for s in framework.stages)]})
    capabilities: list[NavEntry] = [pages.CAPABILITIES_INDEX]
    for cap in framework.capabilities:
        members = [pages.practice_src(p.id) for p in cap.practices]
        capabilities.append({pages.oneline(cap.title): [pages.capability_src(cap.id), *members]})
    nav.append({"Capabilities": capabilities})
    nav.append(pages.MATRIX)
    nav.append(pages.RISKS)
    ordered = [g for g in guide if g in found]
    rest = sorted(found - set(ordered) - {HOME})
    if ordered or rest:
        nav.append({GUIDE_TITLE: [*ordered, *rest]})
    return nav
