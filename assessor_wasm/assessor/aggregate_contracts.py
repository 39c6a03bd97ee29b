"""The JSON contracts of many answers files: team calibration, organisation roll-up, history.

DESIGN section 13; the contracts of one answer set are in `contracts`.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from .contracts import AnswersDocument, Comparison, FrameworkRef, StageRef

HistoryWarningCode = Literal["undated", "several-teams"]


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
    consensus: AnswersDocument
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
    comparison: Comparison


class HistoryResult(TypedDict):
    """`history`: format maturity-playbook/history@1."""

    format: str
    framework: FrameworkRef
    stages: list[StageRef]
    timeline: list[HistoryEntry]
    changes: list[HistoryChange]
    warnings: list[HistoryWarning]
    rejected: list[RejectedFile]
