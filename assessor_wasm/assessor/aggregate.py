"""Many answers files of one framework: read each once, keep the good ones, name the broken ones.

The team, organisation and history views (team.py, org.py, history.py) all start here. A file of
another version is migrated by `parse_answers` (through `replaces`); a file of another framework
or a broken file is rejected by name with the reason, and the rest are still used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .aggregate_contracts import RejectedFile
from .answers import AnswerSet, parse_answers
from .model import Framework
from .source import Problem, ValidationError

# A rejected file's message lists at most this many problems (a broken file can have hundreds).
MAX_PROBLEMS_SHOWN = 3
# Reads one file's data (bytes, text, a decoded object or a path) under the given display name.
Reader = Callable[[Any, Framework, str], AnswerSet]


@dataclass(frozen=True)
class AnswersFile:
    """One answers file that was read and parsed: its display name and its answers."""

    file: str
    answers: AnswerSet

    @property
    def stem(self) -> str:
        """The file name without folders and without a .json ending."""
        return file_stem(self.file)


@dataclass(frozen=True)
class Rejected:
    """A file that could not be used, with every problem found in it."""

    file: str
    problems: tuple[Problem, ...]

    def as_dict(self) -> RejectedFile:
        """The contract's `{"file", "message"}`."""
        return {"file": self.file, "message": rejection_message(self.problems)}


def file_stem(name: str) -> str:
    """'exports/search.json' -> 'search' (either slash; the browser gives bare file names)."""
    base = base_name(name)
    return base[: -len(".json")] if base.lower().endswith(".json") and len(base) > 5 else base


def _problem_text(problem: Problem) -> str:
    where = f"line {problem.line}: " if problem.line is not None else ""
    path = f"{problem.path}: " if problem.path else ""
    return f"{where}{path}{problem.message}"


def rejection_message(problems: Iterable[Problem]) -> str:
    """The problems of one file in one line, without repeating its name."""
    texts = [_problem_text(p) for p in problems]
    shown = "; ".join(texts[:MAX_PROBLEMS_SHOWN])
    more = len(texts) - MAX_PROBLEMS_SHOWN
    return shown + (f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else "")


def read_many(
    framework: Framework, sources: Iterable[tuple[str, Any]], read: Reader = parse_answers
) -> Iterator[AnswersFile | Rejected]:
    """Each source `(name, data)` read with `read`, in order: the parsed file or its rejection.

    A generator, so thousands of files are read one at a time and never all held as text.
    """
    for name, data in sources:
        try:
            yield AnswersFile(name, read(data, framework, name))
        except ValidationError as exc:
            yield Rejected(name, tuple(exc.problems))


def split(loaded: Iterable[AnswersFile | Rejected]) -> tuple[list[AnswersFile], list[Rejected]]:
    """The good files and the rejected ones, each in input order."""
    good: list[AnswersFile] = []
    bad: list[Rejected] = []
    for item in loaded:
        if isinstance(item, AnswersFile):
            good.append(item)
        else:
            bad.append(item)
    return good, bad


def base_name(name: str) -> str:
    """'exports/search.json' -> 'search.json' (either slash)."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def unique_names(names: list[str], files: list[str]) -> list[str]:
    """Names made unique: a name shared by several files gets its file name appended.

    `names[i]` belongs to `files[i]`. Should that still collide (the same file name in two
    folders), the whole path is appended instead; a file given twice gets a counter.
    """
    counts = Counter(names)
    out = [
        f"{n} ({base_name(f)})" if counts[n] > 1 else n for n, f in zip(names, files, strict=True)
    ]
    again = Counter(out)
    out = [
        f"{n} ({f})" if again[o] > 1 and counts[n] > 1 else o
        for n, f, o in zip(names, files, out, strict=True)
    ]
    seen: dict[str, int] = {}
    final = []
    for name in out:
        seen[name] = seen.get(name, 0) + 1
        final.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return final


def saved_at_key(saved_at: str | None) -> datetime | None:
    """`saved_at` as an aware datetime to sort by (no zone: UTC); None if missing or not a date."""
    if saved_at is None:
        return None
    try:
        moment = datetime.fromisoformat(saved_at.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
