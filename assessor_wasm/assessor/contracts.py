"""The JSON contracts the assessor returns (the CLI's --json and what the browser renders)."""

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
Direction = Literal["improved", "regressed", "changed", "unchanged"]


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
