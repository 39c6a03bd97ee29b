"""Values read from a file that remember where they came from, and the problems found in them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class LocatedDict(dict[str, Any]):
    """A mapping that knows its file, its own line and the line of each key."""

    def __init__(self, file: str, line: int | None) -> None:
        super().__init__()
        self.file = file
        self.line = line
        self.key_lines: dict[str, int | None] = {}


class LocatedList(list[Any]):
    """A sequence that knows its file, its own line and the line of each item."""

    def __init__(self, file: str, line: int | None) -> None:
        super().__init__()
        self.file = file
        self.line = line
        self.item_lines: list[int | None] = []


@dataclass(frozen=True)
class Problem:
    """One error, printed as `FILE:LINE: PATH: MESSAGE`."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ValidationError(Exception):
    """Every problem found in a framework or an answers file, raised once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def problems_found(count: int) -> str:
    """'1 problem found.' / 'N problems found.': the last line of every problem listing."""
    return f"{count} problem{'s' if count != 1 else ''} found."


def describe(value: Any) -> str:
    """A reader's name for the type of a parsed value."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def suggest(word: str, known: Iterable[str], cutoff: float = 0.75) -> str:
    """A ' (did you mean ...?)' hint, or ''."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def known_list(ids: Iterable[str], limit: int = 12) -> str:
    """'a, b, c' for messages, shortened for long lists."""
    ids = list(ids)
    if not ids:
        return "none"
    shown = ", ".join(ids[:limit])
    return shown + (f", ... ({len(ids) - limit} more)" if len(ids) > limit else "")


def printable(text: str, limit: int = 60) -> str:
    """Text quoted for a message: control characters escaped, long text shortened."""
    shown = text if len(text) <= limit else text[: limit - 3] + "..."
    return repr(shown) if any(not c.isprintable() for c in shown) else f"'{shown}'"
