"""The generated pages: framework -> {src_uri: Markdown}, rendered from Jinja2 templates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2

from assessor import Framework
from assessor.model import Capability, Practice, Risk, Stage

from .templating import markdown_environment

# Source paths (relative to docs_dir) of the generated pages; URLs follow from them.
STAGES_INDEX = "stages/index.md"
CAPABILITIES_INDEX = "capabilities/index.md"
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


@dataclass
class Playbook:
    """The framework with the lookups the templates need, computed once per build."""

    framework: Framework
    stage: dict[str, Stage] = field(default_factory=dict)
    risk: dict[str, Risk] = field(default_factory=dict)
    capability_of: dict[str, Capability] = field(default_factory=dict)
    practice: dict[str, Practice] = field(default_factory=dict)
    dependants: dict[str, list[Practice]] = field(default_factory=dict)
    cells: dict[tuple[str, str], list[Practice]] = field(default_factory=dict)
    by_stage: dict[str, list[Practice]] = field(default_factory=dict)
    reducing: dict[str, list[Practice]] = field(default_factory=dict)

    @classmethod
    def of(cls, framework: Framework) -> Playbook:
        """Index a framework: stages, owners, dependants, matrix cells and risk reducers."""
        book = cls(framework)
        book.stage = {s.id: s for s in framework.stages}
        book.risk = {r.id: r for r in framework.risks}
        book.by_stage = {s.id: [] for s in framework.stages}
        book.reducing = {r.id: [] for r in framework.risks}
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


_WHITESPACE = re.compile(r"\s+")


def oneline(text: str) -> str:
    """Collapse whitespace so a value fits a heading, a link label or a table cell."""
    return _WHITESPACE.sub(" ", str(text)).strip()


def label(text: str) -> str:
    """Text safe inside a Markdown link label or a table cell: brackets and pipes escaped."""
    return (
        oneline(text)
        .replace("\\", "\\\\")
        .replace("[", "\\[")
        .replace("]", "\\]")
        .replace("|", "\\|")
    )


def percent(share: float) -> str:
    """0.8 -> '80%'; keeps a decimal only when it says something (0.825 -> '82.5%')."""
    return f"{share * 100:.1f}".rstrip("0").rstrip(".") + "%"


def number(value: float) -> str:
    """A weight as a reader writes it: 2.0 -> '2', 1.5 -> '1.5'."""
    return f"{value:g}"


@cache
def environment() -> jinja2.Environment:
    """The page templates' environment, created once: templates compile on first use and stay."""
    env = markdown_environment(
        (("oneline", oneline), ("label", label), ("percent", percent), ("number", number))
    )
    # Templates link to source paths (MkDocs checks and rewrites them) through the same helpers
    # as the nav, so a page's path is written in one place only.
    env.globals.update(
        practice_src=practice_src,
        capability_src=capability_src,
        stage_src=stage_src,
        MATRIX=MATRIX,
        RISKS=RISKS,
        ASSESSMENT=ASSESSMENT,
    )
    return env


def _root(src_uri: str) -> str:
    """The relative prefix from a page's folder back to docs_dir."""
    return "../" * src_uri.count("/")


def _render(name: str, src_uri: str, **context: Any) -> str:
    return environment().get_template(name).render(root=_root(src_uri), **context)


def render_pages(framework: Framework) -> dict[str, str]:
    """Every generated page of the playbook as {src_uri: Markdown}, in navigation order."""
    book = Playbook.of(framework)
    common: dict[str, Any] = {"book": book, "fw": framework}
    pages: dict[str, str] = {}
    pages[STAGES_INDEX] = _render("stages.md.j2", STAGES_INDEX, **common)
    for stage in framework.stages:
        src = stage_src(stage.id)
        pages[src] = _render("stage.md.j2", src, stage=stage, **common)
    pages[CAPABILITIES_INDEX] = _render("capabilities.md.j2", CAPABILITIES_INDEX, **common)
    practice_template = environment().get_template("practice.md.j2")
    for cap in framework.capabilities:
        src = capability_src(cap.id)
        pages[src] = _render("capability.md.j2", src, capability=cap, **common)
        for p in cap.practices:
            src = practice_src(p.id)
            pages[src] = practice_template.render(
                root=_root(src), p=p, capability=cap, stage=book.stage[p.stage], **common
            )
    pages[MATRIX] = _render("matrix.md.j2", MATRIX, **common)
    pages[RISKS] = _render("risks.md.j2", RISKS, **common)
    return pages
