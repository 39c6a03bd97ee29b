"""The JSON replies of the browser worker's entry point (`api.handle`), one per operation.

Every reply starts with "ok": true and the operation's fields, or is an `ErrorReply`.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from .aggregate_contracts import HistoryResult, OrgResult, TeamResult
from .contracts import AnswersDocument, Comparison, FrameworkRef, Result
from .standards import StandardRow


class OkReply(TypedDict):
    """What every successful reply starts with."""

    ok: Literal[True]


class ScaleOption(TypedDict):
    """One answer of a scale, as the page names it."""

    id: str
    label: str


class GroupRef(TypedDict):
    """A capability group the page shows."""

    id: str
    title: str


class Limits(TypedDict):
    """The bounds of an answers file, so the page refuses what the assessor would."""

    max_answers_bytes: int
    max_note_chars: int
    max_evidence_items: int
    max_evidence_chars: int


class LoadReply(OkReply):
    """`load`: the framework kept, and what the page needs to show its answers."""

    api: int
    framework: FrameworkRef
    practices: int
    answer_scale: list[ScaleOption]
    answer_scales: dict[str, list[ScaleOption]]
    practice_scales: dict[str, str]
    groups: list[GroupRef]
    format: str
    limits: Limits


class ScoreReply(OkReply):
    """`score`: the result, and coverage per standard when the framework has standards."""

    result: Result
    standards: NotRequired[list[StandardRow]]


class ImportReply(OkReply):
    """`import`: untrusted answers checked and rewritten for this framework version."""

    answers: AnswersDocument
    imported: int
    orphans: dict[str, str]
    migrated: dict[str, str]
    from_version: str | None
    other_version: bool


class FileReply(OkReply):
    """`export`, `report`, `roadmap_csv`: a file for the visitor to download."""

    text: str
    filename: str
    media_type: str


class ShareReply(OkReply):
    """`share`: the URL fragment (without '#') that carries the current answers."""

    fragment: str


class CompareReply(OkReply):
    """`compare`: the earlier export against the current answers."""

    comparison: Comparison
    orphans: dict[str, str]


class TeamReply(OkReply):
    """`team`: the calibration and the meeting's Markdown."""

    team: TeamResult
    markdown: str


class OrgReply(OkReply):
    """`org`: the roll-up and its CSV to download."""

    org: OrgResult
    csv: str
    filename: str
    media_type: str


class HistoryReply(OkReply):
    """`history`: a team's exports as a timeline."""

    history: HistoryResult


class ErrorDetail(TypedDict):
    """Why a request failed: a message, the first problems and how many more there are."""

    message: str
    problems: list[str]
    more: int


class ErrorReply(TypedDict):
    """Any request that could not be served."""

    ok: Literal[False]
    error: ErrorDetail


OperationReply = (
    LoadReply
    | ScoreReply
    | ImportReply
    | FileReply
    | ShareReply
    | CompareReply
    | TeamReply
    | OrgReply
    | HistoryReply
)
Reply = OperationReply | ErrorReply
