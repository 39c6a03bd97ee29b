"""The framework model: frozen dataclasses whose field specs drive validation and schema."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal[
    "slug", "text", "markdown", "url", "number", "integer", "boolean", "choice", "list", "mapping"
]

# A slug is what URLs and saved answers are keyed on, so it is kept boring on purpose. It is
# matched whole (re.fullmatch): with `$`, a trailing newline would pass.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Ids become file names, URL paths and storage keys: this bound suits every one of them.
MAX_ID_LENGTH = 100
NOT_APPLICABLE = "na"
# Where "not applicable" is accepted (schema v2): on any practice, only on practices that state
# when it applies (`not_applicable_when`), or nowhere.
NA_POLICIES = ("anywhere", "listed", "nowhere")


@dataclass(frozen=True)
class Spec:
    """How one model field is checked and described: the single source for validation and schema."""

    doc: str
    kind: Kind = "text"
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    min_items: int = 0
    # Lists and mappings: the kind of each item (or mapping value): a kind, a model class, or a
    # nested Spec for a list of lists. Mapping keys are always slugs.
    item: Any = None
    choices: tuple[str, ...] = ()  # for kind "choice"


def spec(doc: str, default: Any = dataclasses.MISSING, **kwargs: Any) -> Any:
    """Declare a model field with its spec; a default makes the field optional in YAML."""
    metadata = {"spec": Spec(doc, **kwargs)}
    if default is dataclasses.MISSING:
        return field(metadata=metadata)
    if isinstance(default, dict):
        return field(default_factory=dict, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True, kw_only=True)
class Reference:
    """A public source that backs a practice."""

    title: str = spec("What the reader will find at the link.")
    url: str = spec("An absolute https:// URL.", kind="url")


@dataclass(frozen=True, kw_only=True)
class AnswerOption:
    """One step of the answer scale."""

    id: str = spec("Stable id stored in answers files, e.g. 'yes'.", kind="slug")
    label: str = spec("What the visitor reads next to the option.")
    score: float = spec(
        "Credit in [0, 1] that this answer gives.", kind="number", minimum=0, maximum=1
    )


@dataclass(frozen=True, kw_only=True)
class Stage:
    """One maturity stage; stages are ordered by level, lowest first."""

    id: str = spec("Stable slug of the stage.", kind="slug")
    level: int = spec("0 for the lowest stage, then 1, 2, ... in file order.", kind="integer")
    title: str = spec("Short name of the stage.")
    summary: str = spec("One or two sentences.")
    description: str = spec("Markdown shown on the stage page.", default="", kind="markdown")
    signals: tuple[str, ...] = spec(
        "Observable signs that a team is at this stage.", default=(), kind="list", item="text"
    )


@dataclass(frozen=True, kw_only=True)
class Risk:
    """A consequence that open gaps expose a team to."""

    id: str = spec("Stable slug of the risk.", kind="slug")
    title: str = spec("Short name of the risk.")
    summary: str = spec("What happens when the risk materialises.")


@dataclass(frozen=True, kw_only=True)
class Practice:
    """One assessable practice: a question, a roadmap step and a playbook page."""

    id: str = spec("Globally unique, stable slug: URLs and saved answers use it.", kind="slug")
    title: str = spec("The practice stated as a fact.")
    stage: str = spec("Id of the stage where a team should first have it.", kind="slug")
    summary: str = spec("One sentence.")
    question: str = spec("An evidence question answered with the answer scale.")
    weight: float = spec(
        "Relative weight inside its stage.", default=1.0, kind="number", minimum=0,
        exclusive_minimum=True, maximum=100,
    )  # fmt: skip
    evidence: tuple[str, ...] = spec("What a team can show.", default=(), kind="list", item="text")
    why: str = spec("Why it matters (Markdown).", default="", kind="markdown")
    how: tuple[str, ...] = spec(
        "Steps to get there (Markdown).", default=(), kind="list", item="markdown"
    )
    pitfalls: tuple[str, ...] = spec("Common mistakes.", default=(), kind="list", item="markdown")
    tools: tuple[str, ...] = spec("Tools that help.", default=(), kind="list", item="text")
    risks: tuple[str, ...] = spec(
        "Ids of the risks it reduces.", default=(), kind="list", item="slug"
    )
    depends_on: tuple[str, ...] = spec(
        "Ids of practices that must come first.", default=(), kind="list", item="slug"
    )
    references: tuple[Reference, ...] = spec(
        "Public sources.", default=(), kind="list", item=Reference
    )
    replaces: tuple[str, ...] = spec(
        "Ids this practice had in earlier versions (renamed or merged).",
        default=(), kind="list", item="slug",
    )  # fmt: skip
    required: bool = spec(
        "A must-have: its stage is not reached while it scores below 1; never 'not applicable'.",
        default=False, kind="boolean",
    )  # fmt: skip
    not_applicable_when: str = spec(
        "When 'not applicable' is an honest answer; with `not_applicable: listed`, only practices "
        "that state it accept 'na'.",
        default="",
    )  # fmt: skip
    scale: str | None = spec(
        "Name of an answer scale from `answer_scales`; default: `answer_scale`.",
        default=None, kind="slug",
    )  # fmt: skip
    mappings: Mapping[str, tuple[str, ...]] = spec(
        "Standard id -> the labels of that standard this practice covers.",
        default={}, kind="mapping", item=Spec("Labels of the standard.", kind="list", item="text",
                                              min_items=1),
    )  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Capability:
    """A group of practices about one concern, one YAML file each."""

    id: str = spec("Stable slug; equals the file name.", kind="slug")
    title: str = spec("Short name of the capability.")
    summary: str = spec("One or two sentences.")
    group: str | None = spec(
        "Id of its group from `groups`; required when groups are declared.",
        default=None, kind="slug",
    )  # fmt: skip
    description: str = spec("Markdown shown on the capability page.", default="", kind="markdown")
    practices: tuple[Practice, ...] = spec(
        "The practices of this capability.", kind="list", item=Practice, min_items=1
    )


@dataclass(frozen=True, kw_only=True)
class Group:
    """A group of capabilities (e.g. a business function), shown together in the nav and matrix."""

    id: str = spec("Stable slug of the group.", kind="slug")
    title: str = spec("Short name of the group.")
    summary: str = spec("One or two sentences.", default="")


@dataclass(frozen=True, kw_only=True)
class Standard:
    """An external standard that practices map to; the site gets a crosswalk page for it."""

    id: str = spec("Stable slug of the standard.", kind="slug")
    title: str = spec("Name of the standard.")
    url: str = spec("Where to read it (https).", kind="url")
    labels: tuple[str, ...] = spec(
        "Its full list of labels (e.g. test or article numbers), if known: the crosswalk shows "
        "uncovered labels and a mapping outside the list is an error.",
        default=(), kind="list", item="text",
    )  # fmt: skip


DEFAULT_THRESHOLD = 0.8


@dataclass(frozen=True, kw_only=True)
class Framework:
    """A whole maturity framework: framework.yaml plus stages, risks and capabilities."""

    id: str = spec("Slug of the framework; answers are stored per framework id.", kind="slug")
    title: str = spec("Title of the playbook.")
    version: str = spec('Version of the content, e.g. "2026.11" (quoted).')
    summary: str = spec("One paragraph shown on the home page.", kind="markdown")
    answer_scale: tuple[AnswerOption, ...] = spec(
        "Ordered answer options, lowest score first.", kind="list", item=AnswerOption, min_items=2
    )
    stage_threshold: float = spec(
        "Weighted share of a stage's applicable practices needed to reach it.",
        default=DEFAULT_THRESHOLD, kind="number", minimum=0, exclusive_minimum=True, maximum=1,
    )  # fmt: skip
    allow_not_applicable: bool | None = spec(
        "v1: whether 'not applicable' may be answered (true = anywhere, false = nowhere); "
        "use `not_applicable` instead.",
        default=None, kind="boolean",
    )  # fmt: skip
    not_applicable: str | None = spec(
        "Where 'not applicable' is accepted: anywhere (default), listed (only practices with "
        "`not_applicable_when`) or nowhere.",
        default=None, kind="choice", choices=NA_POLICIES,
    )  # fmt: skip
    evidence_required: bool = spec(
        "A top answer (score 1) without evidence counts as the next lower option of its scale.",
        default=False, kind="boolean",
    )  # fmt: skip
    answer_scales: Mapping[str, tuple[AnswerOption, ...]] = spec(
        "Named answer scales beside `answer_scale`; a practice picks one with `scale`.",
        default={}, kind="mapping",
        item=Spec("Ordered options, lowest first; one scores 0, one scores 1.", kind="list",
                  item=AnswerOption, min_items=2),
    )  # fmt: skip
    groups: tuple[Group, ...] = spec(
        "Groups of capabilities, in order.", default=(), kind="list", item=Group
    )
    standards: tuple[Standard, ...] = spec(
        "External standards the practices map to.", default=(), kind="list", item=Standard
    )
    capability_order: tuple[str, ...] = spec(
        "Capability ids in reading order; capabilities not listed follow in file-name order.",
        default=(), kind="list", item="slug",
    )  # fmt: skip
    stages: tuple[Stage, ...] = spec("From stages.yaml.", default=(), kind="list", item=Stage)
    risks: tuple[Risk, ...] = spec("From risks.yaml.", default=(), kind="list", item=Risk)
    capabilities: tuple[Capability, ...] = spec(
        "From capabilities/*.yaml.", default=(), kind="list", item=Capability
    )

    # Cached: the model is frozen, and scoring and parsing ask for it several times per answers
    # file (a fifth of the CPU of `org` over 10,000 files when it was rebuilt on every call).
    @functools.cached_property
    def practices(self) -> tuple[Practice, ...]:
        """Every practice in framework order."""
        return tuple(p for c in self.capabilities for p in c.practices)

    @property
    def not_applicable_policy(self) -> str:
        """anywhere | listed | nowhere, reading v1's `allow_not_applicable` too."""
        if self.not_applicable is not None:
            return self.not_applicable
        return "nowhere" if self.allow_not_applicable is False else "anywhere"

    def scale_of(self, practice: Practice) -> tuple[AnswerOption, ...]:
        """The answer options of a practice: its named scale, or the default scale."""
        if practice.scale is None:
            return self.answer_scale
        return self.answer_scales[practice.scale]

    def accepts_not_applicable(self, practice: Practice) -> bool:
        """Whether 'na' counts for this practice (required practices never accept it)."""
        policy = self.not_applicable_policy
        if practice.required or policy == "nowhere":
            return False
        return policy == "anywhere" or bool(practice.not_applicable_when)


# Fields of Framework that come from their own files rather than framework.yaml.
FILE_FIELDS = ("stages", "risks", "capabilities")


@functools.cache
def field_specs(cls: type) -> tuple[tuple[str, Spec, bool], ...]:
    """(name, spec, required) for each field of a model class, in declaration order."""
    out = []
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out.append((f.name, f.metadata["spec"], required))
    return tuple(out)


def practice_url(practice_id: str) -> str:
    """Site-relative URL of a practice page."""
    return f"practices/{practice_id}/"
