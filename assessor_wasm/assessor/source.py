"""Values read from a file that remember where they came from, and the problems found in them."""

from __future__ import annotations

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
