"""The generated pages: framework -> {src_uri: Markdown}, rendered from Jinja2 templates."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2
import yaml

from assessor import Framework
from assessor.model import Capability, Group, Practice, Risk, Stage, Standard

from . import i18n
from .templating import markdown_environment

# Source paths (relative to docs_dir) of the generated pages; URLs follow from them.
STAGES_INDEX = "stages/index.md"
CAPABILITIES_INDEX = "capabilities/index.md"
STANDARDS_INDEX = "standards/index.md"
MATRIX = "matrix.md"
RISKS = "risks.md"
ASSESSMENT = "assessment.md"


def practice_src(practice_id: str) -> str:
    """Source path of a practice page (URL practices/<id>/)."""
    return f"practices/{practice_id}.md"


def capability_src(capability_id: str) -> str:
    """Source path of a capability page: an index page, so the nav section links to it."""
    return f"capabilities/{capability_id}/index.md"


def stage_src(stage_id: str) -> str:
    """Source path of a stage page (URL stages/<id>/)."""
    return f"stages/{stage_id}.md"


def standard_src(standard_id: str) -> str:
    """Source path of a standard's crosswalk page (URL standards/<id>/)."""
    return f"standards/{standard_id}.md"


@dataclass
class Playbook:
    """The framework with the lookups the templates need, computed once per build."""

    framework: Framework
    stage: dict[str, Stage] = field(default_factory=dict)
    risk: dict[str, Risk] = field(default_factory=dict)
    standard: dict[str, Standard] = field(default_factory=dict)
    capability_of: dict[str, Capability] = field(default_factory=dict)
    practice: dict[str, Practice] = field(default_factory=dict)
    dependants: dict[str, list[Practice]] = field(default_factory=dict)
    cells: dict[tuple[str, str], list[Practice]] = field(default_factory=dict)
    by_stage: dict[str, list[Practice]] = field(default_factory=dict)
    reducing: dict[str, list[Practice]] = field(default_factory=dict)
    # standard id -> label -> the practices mapped to it, in framework order.
    covering: dict[str, dict[str, list[Practice]]] = field(default_factory=dict)

    @classmethod
    def of(cls, framework: Framework) -> Playbook:
        """Index a framework: stages, owners, dependants, matrix cells, risks and crosswalks."""
        book = cls(framework)
        book.stage = {s.id: s for s in framework.stages}
        book.risk = {r.id: r for r in framework.risks}
        book.standard = {s.id: s for s in framework.standards}
        book.by_stage = {s.id: [] for s in framework.stages}
        book.reducing = {r.id: [] for r in framework.risks}
        # A declared label list gives the crosswalk its order; otherwise labels appear in the
        # order the practices first name them.
        book.covering = {s.id: {label: [] for label in s.labels} for s in framework.standards}
        for cap in framework.capabilities:
            for s in framework.stages:
                book.cells[cap.id, s.id] = []
            for p in cap.practices:
                book.capability_of[p.id] = cap
                book.practice[p.id] = p
                book.dependants[p.id] = []
                book.cells[cap.id, p.stage].append(p)
                book.by_stage[p.stage].append(p)
                for risk_id in p.risks:
                    book.reducing[risk_id].append(p)
                for standard_id, labels in p.mappings.items():
                    for label in labels:
                        book.covering[standard_id].setdefault(label, []).append(p)
        for p in framework.practices:
            for dep in p.depends_on:
                book.dependants[dep].append(p)
        level = {s.id: s.level for s in framework.stages}
        for reducers in book.reducing.values():
            reducers.sort(key=lambda p: level[p.stage])  # stable: framework order within a stage
        return book

    def next_stage(self, stage: Stage) -> Stage | None:
        """The stage right above `stage`, if any."""
        stages = self.framework.stages
        index = stages.index(stage)
        return stages[index + 1] if index + 1 < len(stages) else None

    def populated_stages(self) -> list[Stage]:
        """The stages that have at least one practice: the matrix's columns."""
        return [s for s in self.framework.stages if self.by_stage[s.id]]

    def stage_groups(self, stage: Stage) -> list[tuple[Capability, list[Practice]]]:
        """The practices of a stage grouped by capability, in framework order."""
        groups = [(c, self.cells[c.id, stage.id]) for c in self.framework.capabilities]
        return [(c, ps) for c, ps in groups if ps]

    def capability_groups(self, capability: Capability) -> list[tuple[Stage, list[Practice]]]:
        """The practices of a capability grouped by stage, lowest stage first."""
        groups = [(s, self.cells[capability.id, s.id]) for s in self.framework.stages]
        return [(s, ps) for s, ps in groups if ps]

    def must_haves(self, stage: Stage) -> list[Practice]:
        """The required practices of a stage, in framework order."""
        return [p for p in self.by_stage[stage.id] if p.required]

    def has_must_haves(self) -> bool:
        """Whether any practice of the framework is required."""
        return any(p.required for p in self.practice.values())

    def grouped(self) -> list[tuple[Group | None, list[Capability]]]:
        """Capabilities by group in the groups' order (empty groups left out); one None group
        holding every capability when the framework declares no groups."""
        fw = self.framework
        if not fw.groups:
            return [(None, list(fw.capabilities))]
        members = [(g, [c for c in fw.capabilities if c.group == g.id]) for g in fw.groups]
        return [(g, caps) for g, caps in members if caps]

    def group_of(self, capability: Capability) -> Group | None:
        """The group a capability belongs to, if the framework has groups."""
        return next((g for g in self.framework.groups if g.id == capability.group), None)

    def mappings(self, practice: Practice) -> list[tuple[Standard, list[str]]]:
        """(standard, labels) a practice maps to: standards in framework order, labels in the
        standard's declared order when it has one."""
        out = []
        for standard in self.framework.standards:
            labels = list(practice.mappings.get(standard.id, ()))
            if labels:
                if standard.labels:
                    labels.sort(key=standard.labels.index)
                out.append((standard, labels))
        return out

    def crosswalk(self, standard: Standard) -> list[tuple[str, list[Practice]]]:
        """(label, practices covering it) of a standard: declared labels first, in their order
        (covered or not), then any others in the order the practices name them."""
        return list(self.covering[standard.id].items())

    def uncovered(self, standard: Standard) -> list[str]:
        """The labels a standard declares that no practice covers."""
        return [label for label, practices in self.crosswalk(standard) if not practices]


_WHITESPACE = re.compile(r"\s+")


def oneline(text: str) -> str:
    """Collapse whitespace so a value fits a heading, a link label or a table cell."""
    return _WHITESPACE.sub(" ", str(text)).strip()


# Plain-text fields (titles, summaries, evidence, ...) are shown as written: nothing in them is
# read as HTML or Markdown. HTML's three special characters become entities; the characters
# that start Markdown inline markup are backslash-escaped (`{` and `}` too: attr_list would read
# `{ onclick=... }` as attributes). Code spans are the one exception, kept because the content
# writes file names and commands in them: Markdown shows a code span's content literally, so
# nothing inside one can become markup either.
_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        **{c: "\\" + c for c in "\\`*_[]{}|#"},
    }
)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)([^|]+?)(?<!`)\1(?!`)")
# What starts a block when it opens a line (a list item's text opens a line too): list markers,
# setext rules, admonitions (`!!!`), details (`???`), fences (`~~~`), tabs (`===`).
_BLOCK_START = re.compile(r"^[-+=!?~:]")
_ORDERED_START = re.compile(r"^(\d+)([.)])")


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def markdown_text(text: str) -> str:
    """A plain-text value as Markdown that shows it literally, on one line (any context: a
    paragraph, a list item, a heading, a link label, a table cell)."""
    value = oneline(text)
    parts: list[str] = []
    end = 0
    for span in _CODE_SPAN.finditer(value):
        parts.append(_escape(value[end : span.start()]))
        parts.append(span.group(0))
        end = span.end()
    parts.append(_escape(value[end:]))
    out = "".join(parts)
    if _BLOCK_START.match(out):
        out = f"&#{ord(out[0])};{out[1:]}"
    return _ORDERED_START.sub(r"\1\\\2", out)


def html_text(text: str) -> str:
    """A plain-text value as HTML text on one line (nav titles, the site name): the theme
    writes these into the page, and into attributes, without escaping them."""
    return html.escape(oneline(text), quote=True)


def front_matter(title: str) -> str:
    """YAML front matter naming a page after a plain-text title.

    The theme writes `page.meta.title` into <title> as it is, but the title MkDocs takes from
    the page's heading through `striptags`, which turns `&lt;/title&gt;` back into a real tag:
    with the escaped title given here, no heading text can close <title>.
    """
    dumped = yaml.safe_dump(
        {"title": html_text(title)}, allow_unicode=True, width=float("inf"), sort_keys=False
    )
    return f"---\n{dumped}---"


def percent(share: float) -> str:
    """0.8 -> '80%'; keeps a decimal only when it says something (0.825 -> '82.5%'). English:
    the pages write numbers with their language's `Messages.percent`."""
    return i18n.english().percent(share)


def number(value: float) -> str:
    """A weight as a reader writes it: 2.0 -> '2', 1.5 -> '1.5' (English, as `percent`)."""
    return i18n.english().number(value)


def must_have_badge(messages: i18n.Messages) -> str:
    """The must-have label the pages put beside a practice (HTML inside Markdown)."""
    return f'<span class="playbook-must-have">{html.escape(messages("common.must_have"))}</span>'


@cache
def environment() -> jinja2.Environment:
    """The page templates' environment, created once: templates compile on first use and stay."""
    env = markdown_environment(
        (
            ("text", markdown_text),
            ("front_matter", front_matter),
        )
    )
    # Templates link to source paths (MkDocs checks and rewrites them) through the same helpers
    # as the nav, so a page's path is written in one place only.
    env.globals.update(
        practice_src=practice_src,
        capability_src=capability_src,
        stage_src=stage_src,
        standard_src=standard_src,
        MATRIX=MATRIX,
        RISKS=RISKS,
        ASSESSMENT=ASSESSMENT,
        STANDARDS_INDEX=STANDARDS_INDEX,
        CAPABILITIES_INDEX=CAPABILITIES_INDEX,
    )
    return env


def _root(src_uri: str) -> str:
    """The relative prefix from a page's folder back to docs_dir."""
    return "../" * src_uri.count("/")


def _render(name: str, src_uri: str, **context: Any) -> str:
    return environment().get_template(name).render(root=_root(src_uri), **context)


def render_pages(framework: Framework, messages: i18n.Messages | None = None) -> dict[str, str]:
    """Every generated page of the playbook as {src_uri: Markdown}, in reading order (the nav's,
    except that it lists a long capability's practices by stage), in the language of `messages`
    (default: English)."""
    book = Playbook.of(framework)
    t = messages or i18n.english()
    # `t(key, **values)`: the UI's text in the build's language (values already Markdown).
    common: dict[str, Any] = {
        "book": book,
        "fw": framework,
        "t": t,
        "MUST_HAVE": must_have_badge(t),
    }
    pages: dict[str, str] = {}
    pages[STAGES_INDEX] = _render("stages.md.j2", STAGES_INDEX, **common)
    for stage in framework.stages:
        src = stage_src(stage.id)
        pages[src] = _render("stage.md.j2", src, stage=stage, **common)
    pages[CAPABILITIES_INDEX] = _render("capabilities.md.j2", CAPABILITIES_INDEX, **common)
    practice_template = environment().get_template("practice.md.j2")
    for _, capabilities in book.grouped():
        for cap in capabilities:
            src = capability_src(cap.id)
            pages[src] = _render("capability.md.j2", src, capability=cap, **common)
            for p in cap.practices:
                src = practice_src(p.id)
                pages[src] = practice_template.render(
                    root=_root(src), p=p, capability=cap, stage=book.stage[p.stage], **common
                )
    pages[MATRIX] = _render("matrix.md.j2", MATRIX, **common)
    pages[RISKS] = _render("risks.md.j2", RISKS, **common)
    if framework.standards:
        pages[STANDARDS_INDEX] = _render("standards.md.j2", STANDARDS_INDEX, **common)
        for standard in framework.standards:
            src = standard_src(standard.id)
            pages[src] = _render("standard.md.j2", src, standard=standard, **common)
    return pages
