"""The two Jinja2 environments of the site: Markdown pages, and HTML fragments of the assessment."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def markdown_environment(
    filters: tuple[tuple[str, Callable[..., Any]], ...] = (),
) -> jinja2.Environment:
    """Templates that write Markdown, where framework text is Markdown by design (no escaping)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(dict(filters))
    return env


@cache
def html_environment(
    filters: tuple[tuple[str, Callable[..., Any]], ...] = (),
) -> jinja2.Environment:
    """Templates that write HTML (the questionnaire): every value is escaped."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(dict(filters))
    return env
