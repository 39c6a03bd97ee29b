"""Validation of a whole framework: the shape pass, then (when shapes are right) the references."""

from __future__ import annotations

import dataclasses

from .model import Framework
from .references import CrossChecker
from .shape import Sources, shape_framework
from .source import ValidationError

__all__ = ["Sources", "order_capabilities", "validate"]


def validate(sources: Sources) -> Framework:
    """Both passes over parsed files: the model, or ValidationError with every problem."""
    shaped = shape_framework(sources)
    problems = list(shaped.problems)
    # Cross-references are checked only on a well-shaped framework, so one typo does not cascade.
    if shaped.framework is not None:
        checker = CrossChecker(shaped.framework, shaped.locations, shaped.capability_files)
        checker.check()
        problems += checker.problems
    if problems or shaped.framework is None:
        raise ValidationError(problems)
    return order_capabilities(shaped.framework)


def order_capabilities(framework: Framework) -> Framework:
    """Apply capability_order: listed ids first, the rest in their file order."""
    if not framework.capability_order:
        return framework
    rank = {cap_id: i for i, cap_id in enumerate(framework.capability_order)}
    caps = sorted(framework.capabilities, key=lambda c: rank.get(c.id, len(rank)))
    return dataclasses.replace(framework, capabilities=tuple(caps))
