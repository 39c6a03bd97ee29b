"""The JSON contracts the assessor returns (the CLI's --json and what the browser renders)."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

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


# Many answers files (DESIGN section 13): team calibration, organisation roll-up, history.


class RejectedFile(TypedDict):
    """A file left out of an aggregate, and why."""

    file: str
    message: str


class CapabilityRef(TypedDict):
    """A capability named in an aggregate (its id and title, in framework order)."""

    id: str
    title: str


class TeamRespondent(TypedDict):
    """One person's answers file in a team calibration."""

    name: str
    file: str
    self_estimate: str | None
    evidenced_stage: str
    reality_gap: int | None


class TeamPractice(TypedDict):
    """One practice across a team: who answered what, and whether they disagree."""

    practice: str
    title: str
    capability: str
    required: bool
    weight: float
    answers: dict[str, str | None]
    spread: float
    disagreement: bool
    consensus: str | None
    evidence: dict[str, list[str]]
    notes: dict[str, str]
    url: str


class TeamResult(TypedDict):
    """`team`: format maturity-playbook/team@1."""

    format: str
    framework: FrameworkRef
    stages: list[StageRef]
    respondents: list[TeamRespondent]
    practices: list[TeamPractice]
    discuss_first: list[str]
    consensus: dict[str, Any]
    consensus_stage: str
    shortened: list[str]
    rejected: list[RejectedFile]


class OrgTeam(TypedDict):
    """One team's row in the organisation roll-up."""

    team: str
    file: str
    evidenced_stage: str
    self_estimate: str | None
    reality_gap: int | None
    capabilities: dict[str, str]


class GapStats(TypedDict):
    """The reality gap across the teams that gave a self-estimate."""

    mean: float | None
    median: float | None
    teams: int


class Blocker(TypedDict):
    """A practice that blocks the next stage of many teams."""

    practice: str
    title: str
    required: bool
    teams: int
    url: str


class OrgResult(TypedDict):
    """`org`: format maturity-playbook/org@1."""

    format: str
    framework: FrameworkRef
    stages: list[StageRef]
    capabilities: list[CapabilityRef]
    teams: list[OrgTeam]
    stage_counts: dict[str, int]
    reality_gap: GapStats
    common_blockers: list[Blocker]
    rejected: list[RejectedFile]


HistoryWarningCode = Literal["undated", "several-teams"]


class HistoryWarning(TypedDict):
    """Something to check about a timeline (files without a date, files of several teams)."""

    code: HistoryWarningCode
    message: str


class HistoryEntry(TypedDict):
    """One export on a team's timeline."""

    file: str
    saved_at: str | None
    dated: bool
    team: str | None
    respondent: str | None
    evidenced_stage: str
    self_estimate: str | None
    reality_gap: int | None
    coverage: dict[str, float]
    answered: int


class HistoryChange(TypedDict):
    """What changed between two consecutive exports (answer_compare.compare)."""

    earlier: str
    current: str
    comparison: dict[str, Any]


class HistoryResult(TypedDict):
    """`history`: format maturity-playbook/history@1."""

    format: str
    framework: FrameworkRef
    stages: list[StageRef]
    timeline: list[HistoryEntry]
    changes: list[HistoryChange]
    warnings: list[HistoryWarning]
    rejected: list[RejectedFile]
