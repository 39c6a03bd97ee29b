"""The Team calibration and Organisation roll-up pages: many answers files, read in the browser.

Both pages are static drop zones; the files a visitor drops are read in the browser and sent to
the same worker (and the same Python) as the self-assessment's, whose `team` and `org` requests
do all the work (`assessor.team`, `assessor.org`). Nothing here scores anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import get_relative_url

from assessor import Framework
from assessor.answers import MAX_ANSWERS_BYTES

from . import i18n
from .assessment import md_heading, runtime_urls
from .pages import html_text
from .runtime import Runtime
from .templating import html_environment

TEAM = "team.md"
ORGANISATION = "organisation.md"


@dataclass(frozen=True)
class Page:
    """What differs between the two pages."""

    src: str  # source path
    kind: str  # "team" | "org": the root's id is mp-<kind>
    title: str  # catalog keys: the page's title and description ({framework})
    description: str
    module: str  # the Runtime field naming the page's module


TEAM_PAGE = Page(
    TEAM,
    "team",
    "teams.team_title",
    "teams.team_description",
    "team_module_url",
)
ORGANISATION_PAGE = Page(
    ORGANISATION,
    "org",
    "teams.org_title",
    "teams.org_description",
    "organisation_module_url",
)
PAGES = (TEAM_PAGE, ORGANISATION_PAGE)


def page_url(page: Page, config: MkDocsConfig | None) -> str:
    """Site-relative URL of one of the pages."""
    stem = page.src.removesuffix(".md")
    if config is not None and not config.use_directory_urls:
        return f"{stem}.html"
    return f"{stem}/"


def render_page(
    page: Page,
    framework: Framework,
    runtime: Runtime,
    url: str = "",
    messages: i18n.Messages | None = None,
) -> str:
    """The Markdown source of the team or the organisation page, in the language of `messages`
    (default: English)."""
    t = messages or i18n.english()
    url = url or page_url(page, None)

    def rel(target: str) -> str:
        return get_relative_url(target, url)

    context: dict[str, Any] = {
        "t": t,
        "page": page,
        "framework": framework,
        # The words of assess.mjs's message when the page's module cannot be loaded.
        "fallback_text": json.dumps(
            {"failure": t.texts["teams.failure"]}, ensure_ascii=False, separators=(",", ":")
        ),
        "max_bytes": MAX_ANSWERS_BYTES,
        "urls": {
            **runtime_urls(runtime, url),
            "module": rel(getattr(runtime, page.module)),
            "stylesheet": rel(runtime.teams_stylesheet_url),
        },
    }
    env = html_environment((("md_heading", md_heading), ("html_text", html_text)))
    return env.get_template("teams.md.j2").render(context)


def generated(
    framework: Framework,
    runtime: Runtime,
    config: MkDocsConfig,
    messages: i18n.Messages | None = None,
) -> dict[str, str]:
    """Both pages' Markdown by source path, in the language of `messages`."""
    return {p.src: render_page(p, framework, runtime, page_url(p, config), messages) for p in PAGES}
