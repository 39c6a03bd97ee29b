"""The JSON contracts of one answer set: the answers file, the result and the comparison.

The CLI's --json and what the browser renders; many files' contracts are in
`aggregate_contracts`, the worker's replies in `replies`.
"""

from __future__ import annotations

from typing import Literal, TypedDict

WarningCode = Literal[
    "many-not-applicable",
    "many-unanswered",
    "not-applicable-refused",
    "not-applicable-without-reason",
    "unevidenced",
    "unknown-practices",
]
# How a stage, a capability or a coverage moved between two answer sets.
Trend = Literal["improved", "regressed", "unchanged"]
# How a practice moved: "changed" when its answer changed but its credit did not.
Direction = Literal[Trend, "changed"]


class StageRef(TypedDict):
    """A stage named in a result."""

    id: str
    level: int
    title: str


class StageRow(TypedDict):
    """Coverage of one stage and whether it is reached."""

    id: str
    level: int
    title: str
    coverage: float
    reached: bool
    practices: int
    applicable: int
    required_open: list[str]


class CapabilityStage(TypedDict):
    """One stage's row within a capability."""

    id: str
    coverage: float
    reached: bool
    applicable: int
    required_open: list[str]


class CapabilityRow(TypedDict):
    """The stage one capability has reached."""

    id: str
    title: str
    group: str | None
    stage: StageRef
    stages: list[CapabilityStage]


class NextStage(StageRef):
    """What blocks the stage above the evidenced one."""

    coverage: float
    threshold: float
    required_open: list[str]
    reachable_by: list[str]


class RoadmapEntry(TypedDict):
    """One open practice, in the order a team should close them."""

    practice: str
    title: str
    capability: str
    stage: str
    stage_level: int
    weight: float
    required: bool
    answer: str | None
    score: float | None
    unevidenced: bool
    url: str


class RiskRow(TypedDict):
    """Exposure to one risk."""

    id: str
    title: str
    exposure: float
    open_practices: list[str]


class Warning(TypedDict):
    """Something the team should check about its answers."""

    code: WarningCode
    message: str


class Counts(TypedDict):
    """How many practices were answered."""

    practices: int
    answered: int
    unanswered: int
    not_applicable: int


class FrameworkRef(TypedDict):
    """The framework a result is for."""

    id: str
    version: str
    title: str


class Result(TypedDict):
    """`assessor.score(framework, answers)`: format maturity-playbook/result@2."""

    format: str
    framework: FrameworkRef
    evidenced_stage: StageRef
    self_estimate: StageRef | None
    reality_gap: int | None
    gap_statement: str
    next_stage: NextStage | None
    stages: list[StageRow]
    capabilities: list[CapabilityRow]
    roadmap: list[RoadmapEntry]
    risks: list[RiskRow]
    counts: Counts
    unanswered: list[str]
    unevidenced: list[str]
    not_applicable_refused: list[str]
    unknown_answers: dict[str, str]
    migrated: dict[str, str]
    warnings: list[Warning]


class AnswersAuthor(TypedDict, total=False):
    """Who filled in an answers file (each key only when known)."""

    respondent: str
    team: str


class FrameworkVersion(TypedDict):
    """The framework version an answers file was written for."""

    id: str
    version: str


class AnswersDocument(AnswersAuthor):
    """An answers file v2 as the assessor writes it (export, share, consensus): answers@2."""

    format: str
    framework: FrameworkVersion
    self_estimate: str | None
    answers: dict[str, str]
    evidence: dict[str, list[str]]
    notes: dict[str, str]
    saved_at: str


# The comparison of an earlier answer set with the current one (answer_compare.compare).


class StageChange(TypedDict):
    """A stage reached before and now, and which way it moved."""

    earlier: StageRef
    current: StageRef
    change: int
    direction: Trend


class CapabilityChange(StageChange):
    """The stage one capability reached before and now."""

    id: str
    title: str


class CoverageChange(TypedDict):
    """One stage's coverage before and now."""

    id: str
    level: int
    title: str
    earlier: float
    current: float
    direction: Trend


class PracticeChange(TypedDict):
    """One practice whose answer or credit moved."""

    practice: str
    title: str
    capability: str
    earlier: str | None
    current: str | None
    url: str


class PracticeChanges(TypedDict):
    """The practices that moved, by direction, in framework order."""

    improved: list[PracticeChange]
    regressed: list[PracticeChange]
    changed: list[PracticeChange]


class EarlierSet(TypedDict):
    """The earlier answer set: the version it was written for, when, and how much it answered."""

    framework_version: str | None
    saved_at: str | None
    answered: int


class CurrentSet(TypedDict):
    """The current answer set: when, and how much it answered."""

    saved_at: str | None
    answered: int


class ComparisonSummary(TypedDict):
    """How many capabilities and practices moved."""

    capabilities_improved: int
    capabilities_regressed: int
    practices_improved: int
    practices_regressed: int
    practices_changed: int


class Comparison(TypedDict):
    """`compare(framework, earlier, current)`: format maturity-playbook/comparison@1."""

    format: str
    framework: FrameworkRef
    earlier: EarlierSet
    current: CurrentSet
    overall: StageChange
    stages: list[CoverageChange]
    capabilities: list[CapabilityChange]
    practices: PracticeChanges
    summary: ComparisonSummary
