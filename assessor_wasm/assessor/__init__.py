"""Maturity Playbook assessor: model, scoring rules and report; standard library only."""

from __future__ import annotations

from .answers import ANSWERS_FORMAT, AnswerSet, dump_answers, parse_answers
from .model import Framework
from .report import render_markdown
from .score import RESULT_FORMAT, score
from .source import Problem, ValidationError

__version__ = "0.1.0"

__all__ = [
    "ANSWERS_FORMAT",
    "RESULT_FORMAT",
    "AnswerSet",
    "Framework",
    "Problem",
    "ValidationError",
    "dump_answers",
    "parse_answers",
    "render_markdown",
    "score",
]
