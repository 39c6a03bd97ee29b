"""The assessment page: a static questionnaire generated from the framework, answerable at once."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from assessor import Framework, answers
from assessor.answers import ANSWERS_FORMAT, MAX_EVIDENCE_CHARS, MAX_EVIDENCE_ITEMS, MAX_NOTE_CHARS
from assessor.model import NOT_APPLICABLE, Capability, Group, Practice, Stage, practice_url

from . import i18n
from .pages import ASSESSMENT, html_text
from .runtime import Runtime
from .templating import html_environment

# The texts assess.mjs shows when the page's modules cannot be loaded (it imports nothing, so
# the page hands them over in a data-* attribute).
FALLBACK_KEYS = (
    "fallback",
    "fallback_saving",
    "fallback_not_saving",
    "fallback_end",
    "fallback_foreign",
    "fallback_too_large",
    "fallback_refused",
)
# The page flags the evidence links Python refuses (javascript:, data:, ...) as they are typed,
# even before Python has started: Python's own patterns, handed over in data-* attributes.
REFUSED_LINK = answers._SCRIPT_SCHEME.pattern
IGNORED_IN_SCHEME = answers._URL_IGNORED.pattern
# Characters Python-Markdown treats as syntax in a heading; backslash-escaped so a title in the
# YAML stays plain text. `&` and `<` become entities instead: they cannot be backslash-escaped.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!>])")


@dataclass(frozen=True)
class Option:
    """One answer the visitor can pick."""

    id: str
    label: str


@dataclass(frozen=True)
class Question:
    """What one practice's question offers: its own scale, and "not applicable" only if honest."""

    options: tuple[Option, ...]
    not_applicable: bool
    stage: Stage


@dataclass(frozen=True)
class Section:
    """Capabilities shown under one heading: a group, or (without groups) all of them."""

    group: Group | None
    capabilities: tuple[Capability, ...]


def question(framework: Framework, practice: Practice, stages: dict[str, Stage]) -> Question:
    """The answers a practice's question offers (its own scale; N/A where the rules accept it)."""
    options = tuple(Option(o.id, o.label) for o in framework.scale_of(practice))
    return Question(options, framework.accepts_not_applicable(practice), stages[practice.stage])


def sections(framework: Framework) -> tuple[Section, ...]:
    """The questionnaire's sections: one per group in group order, or one without a heading."""
    if not framework.groups:
        return (Section(None, framework.capabilities),)
    return tuple(
        Section(g, tuple(c for c in framework.capabilities if c.group == g.id))
        for g in framework.groups
    )


def md_heading(text: str) -> str:
    """Plain text made safe to place in a Markdown heading line."""
    text = " ".join(str(text).split()).replace("&", "&amp;").replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the assessment templates (HTML autoescaping on)."""
    # The theme writes the front matter's title and description into the page unescaped.
    return html_environment((("md_heading", md_heading), ("html_text", html_text)))


def page_url(config: MkDocsConfig | None) -> str:
    """Site-relative URL of the assessment page."""
    if config is not None and not config.use_directory_urls:
        return "assessment.html"
    return "assessment/"


def runtime_urls(runtime: Runtime, url: str) -> dict[str, str]:
    """What a page root that starts the scorer names, relative to the page at `url`: the site's
    root, the boot module, the worker, Pyodide, the wheel, framework.json and the snapshot ("" when
    the build made none; whichever page starts Python first starts it from the snapshot)."""

    def rel(target: str) -> str:
        return get_relative_url(target, url)

    root = rel("")
    return {
        "site_root": root if root.endswith("/") else root + "/",
        "boot_module": rel(runtime.boot_module_url),
        "worker": rel(runtime.worker_url),
        "index": rel(runtime.index_url),
        "wheel": rel(runtime.wheel_url),
        "framework": rel(runtime.framework_url),
        "snapshot": rel(runtime.snapshot_url) if runtime.snapshot_url else "",
    }


def render_page(
    framework: Framework,
    runtime: Runtime,
    url: str = "assessment/",
    messages: i18n.Messages | None = None,
) -> str:
    """The Markdown source of the assessment page, in the language of `messages` (default:
    English)."""
    t = messages or i18n.english()

    def rel(target: str) -> str:
        return get_relative_url(target, url)

    def practice_link(practice: Practice) -> Markup:
        return Markup('<a href="{}">{}</a>').format(rel(practice_url(practice.id)), practice.title)

    stages = {s.id: s for s in framework.stages}
    fallback = {
        key.removeprefix("fallback_"): t.texts[f"assessment.{key}"] for key in FALLBACK_KEYS
    }
    context: dict[str, Any] = {
        "t": t,
        "framework": framework,
        "stages": framework.stages,
        "sections": sections(framework),
        "practice_count": len(framework.practices),
        "questions": {p.id: question(framework, p, stages) for p in framework.practices},
        "not_applicable": Option(NOT_APPLICABLE, t("assessment.not_applicable")),
        "top_label": max(framework.answer_scale, key=lambda o: o.score).label,
        "max_note_chars": MAX_NOTE_CHARS,
        "max_evidence_items": MAX_EVIDENCE_ITEMS,
        "max_evidence_chars": MAX_EVIDENCE_CHARS,
        "refused_link": REFUSED_LINK,
        "ignored_in_scheme": IGNORED_IN_SCHEME,
        "answers_format": ANSWERS_FORMAT,
        "practice_link": practice_link,
        "answered_span": Markup('<span id="mp-answered">0</span>'),
        "summary_stage": Markup('<strong id="mp-summary-stage"></strong>'),
        "fallback_text": json.dumps(fallback, ensure_ascii=False, separators=(",", ":")),
        "urls": {**runtime_urls(runtime, url), "page_module": rel(runtime.page_module_url)},
    }
    return environment().get_template("assessment.md.j2").render(context)


def files(
    config: MkDocsConfig,
    framework: Framework,
    runtime: Runtime,
    messages: i18n.Messages | None = None,
) -> list[File]:
    """Generated files of the assessment page."""
    content = render_page(framework, runtime, page_url(config), messages)
    return [File.generated(config, ASSESSMENT, content=content)]
