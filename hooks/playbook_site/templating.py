"""The two Jinja2 environments of the site: Markdown pages, and HTML fragments of the assessment."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"
Filters = tuple[tuple[str, Callable[..., Any]], ...]


@cache
def _environment(html: bool, filters: Filters) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        # Markdown templates are block-structured; the questionnaire's HTML keeps its whitespace.
        trim_blocks=not html,
        lstrip_blocks=not html,
        keep_trailing_newline=True,
    )
    env.filters.update(dict(filters))
    return env


def markdown_environment(filters: Filters = ()) -> jinja2.Environment:
    """Templates that write Markdown, where framework text is Markdown by design (no escaping)."""
    return _environment(False, filters)


def html_environment(filters: Filters = ()) -> jinja2.Environment:
    """Templates that write HTML (the questionnaire): every value is escaped."""
    return _environment(True, filters)
