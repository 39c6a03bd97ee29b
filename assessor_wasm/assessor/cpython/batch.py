"""Many answers files from the command line: directories expanded, files read one at a time, the
rejected ones remembered, and big organisation roll-ups spread over worker processes."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..aggregate import AnswersFile, Rejected, read_many
from ..answers import MAX_ANSWERS_BYTES, AnswerSet, parse_answers
from ..model import Framework
from ..org import TeamRow, team_rows
from ..source import Problem, ValidationError
from .files import display, read_bounded, write_text

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 2000
# Chunks per worker: small enough to even out, large enough that each costs one round trip.
CHUNKS_PER_WORKER = 4


def answers_paths(arguments: list[str]) -> list[tuple[str, Path]]:
    """(display name, path) of each file named; a directory stands for every *.json in it, sorted.

    Directories spare the shell's argument limit: `org exports/` reads 10,000 files.
    """
    found: list[tuple[str, Path]] = []
    problems: list[Problem] = []
    for argument in arguments:
        path = Path(argument)
        if not path.is_dir():
            found.append((display(path), path))
            continue
        shown = display(path)
        try:
            members = sorted(p for p in path.glob("*.json") if not p.is_dir())
        except OSError as exc:
            problems.append(
                Problem(shown, None, "", f"cannot list directory: {exc.strerror or exc}")
            )
            continue
        if not members:
            problems.append(Problem(shown, None, "", "no *.json files in this directory"))
        # One `display` per directory, not per file: it resolves the path, which adds up.
        found += [(p.name if shown == "." else os.path.join(shown, p.name), p) for p in members]
    if problems:
        raise ValidationError(problems)
    return found


def read_file(path: Path, framework: Framework, name: str) -> AnswerSet:
    """One answers file from disk (bounded, regular files only), parsed."""
    data = read_bounded(path, MAX_ANSWERS_BYTES, "answers file", name)
    return parse_answers(data, framework, name)


class Files:
    """The answers files of one command, read one at a time; remembers the rejected ones."""

    def __init__(self, framework: Framework, arguments: list[str]) -> None:
        self.framework = framework
        self.sources = answers_paths(arguments)
        self.rejected: list[Rejected] = []
        self.used = 0

    def __iter__(self) -> Iterator[AnswersFile | Rejected]:
        for item in read_many(self.framework, self.sources, read_file):
            if isinstance(item, Rejected):
                self.rejected.append(item)
            else:
                self.used += 1
            yield item

    def team_rows(self, jobs: int | None) -> tuple[list[TeamRow], list[Rejected]]:
        """`org.team_rows` of every file, in worker processes when there are many files."""
        if jobs is None:
            jobs = (os.cpu_count() or 1) if len(self.sources) >= PARALLEL_FROM else 1
        workers = min(jobs, len(self.sources))
        if workers > 1:
            try:
                rows, rejected = _parallel_rows(self.framework, self.sources, workers)
            except (OSError, NotImplementedError, ImportError):
                pass  # no process support here (e.g. no semaphores): read them all in this one
            else:
                self.rejected += rejected
                self.used += len(rows)
                return rows, rejected
        return team_rows(self.framework, self)

    def finish(self, text: str, output: str | None) -> int:
        """Write the output (unless no file could be used), list the rejected files; exit code."""
        for rejected in self.rejected:
            for problem in rejected.problems:
                print(problem, file=sys.stderr)
        if not self.used:
            print("No answers file could be used.", file=sys.stderr)
            return 1
        if output:
            write_text(Path(output), text)
        else:
            sys.stdout.write(text)
        if self.rejected:
            count = len(self.rejected)
            print(
                f"{count} file{'s' if count != 1 else ''} left out; the other {self.used} used.",
                file=sys.stderr,
            )
            return 1
        return 0


_worker_framework: Framework | None = None


def _start_worker(framework: Framework) -> None:
    global _worker_framework
    _worker_framework = framework


def _rows_of_chunk(chunk: list[tuple[str, Path]]) -> tuple[list[TeamRow], list[Rejected]]:
    assert _worker_framework is not None, "the worker was started without a framework"
    return team_rows(_worker_framework, read_many(_worker_framework, chunk, read_file))


def _parallel_rows(
    framework: Framework, sources: list[tuple[str, Path]], workers: int
) -> tuple[list[TeamRow], list[Rejected]]:
    """`team_rows` over contiguous chunks in `workers` processes, joined back in input order."""
    size = max(1, -(-len(sources) // (workers * CHUNKS_PER_WORKER)))
    chunks = [sources[i : i + size] for i in range(0, len(sources), size)]
    rows: list[TeamRow] = []
    rejected: list[Rejected] = []
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(framework,)) as pool:
        for chunk_rows, chunk_rejected in pool.map(_rows_of_chunk, chunks):
            rows += chunk_rows
            rejected += chunk_rejected
    return rows, rejected
