"""Organisation roll-up benchmark: `org` over N synthetic team files of the default framework.

For each size (default 1,000 and 10,000 files) it writes N answers files (seeded: every run writes
the same files) into a temporary directory, then times, interleaved, `org` in-process (framework
already loaded: read, parse, score and roll up every file) and `python -m assessor org DIR
--format csv` as a subprocess (the whole command: start-up and framework loading included), once
as it runs by default (one worker process per CPU from 2,000 files on) and once with --jobs 1. It
prints the medians, the seconds per 1,000 files at each size and the linearity ratio (seconds per
1,000 files at the largest size / at the smallest; 1.0 is perfectly linear). Target: 10,000 files
in under 10 s on a 2-core machine. It never asserts: timings depend on the machine, and on what
else runs on it, so the CPU time of each run is printed beside its wall time and the load average
before and after.

    .venv/bin/python bench/org.py [--sizes 1000 10000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assessor.aggregate import read_many
from assessor.cpython.batch import read_file
from assessor.cpython.load import load_framework
from assessor.model import NOT_APPLICABLE, Framework
from assessor.org import org, render_org_csv

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK = ROOT / "framework"


def synthetic_answers(framework: Framework, index: int, rng: random.Random) -> dict[str, object]:
    """One team's plausible answers file: most practices answered, evidence for most top answers."""
    answers: dict[str, str] = {}
    evidence: dict[str, list[str]] = {}
    notes: dict[str, str] = {}
    maturity = rng.random()  # how far along this team is
    for practice in framework.practices:
        roll = rng.random()
        if roll < 0.05:
            continue  # unanswered
        if roll < 0.1 and framework.accepts_not_applicable(practice):
            answers[practice.id] = NOT_APPLICABLE
            notes[practice.id] = "We serve no online predictions."
            continue
        scale = framework.scale_of(practice)
        position = min(len(scale) - 1, int((maturity + rng.random()) / 2 * len(scale)))
        answers[practice.id] = scale[position].id
        if scale[position].score >= 1 and rng.random() < 0.8:
            evidence[practice.id] = [f"https://git.example.com/team-{index}/{practice.id}"]
    return {
        "format": "maturity-playbook/answers@2",
        "framework": {"id": framework.id, "version": framework.version},
        "respondent": f"Lead of team {index}",
        "team": f"team-{index:05d}",
        "self_estimate": rng.choice(framework.stages).id,
        "answers": answers,
        "evidence": evidence,
        "notes": notes,
        "saved_at": f"2027-01-{1 + index % 28:02d}T12:00:00Z",
    }


def write_files(framework: Framework, directory: Path, count: int, seed: int = 13) -> None:
    """Write `count` team files into `directory`."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        data = synthetic_answers(framework, index, rng)
        (directory / f"team-{index:05d}.json").write_text(json.dumps(data), encoding="utf-8")


def time_in_process(framework: Framework, directory: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, teams) of reading, parsing, scoring and rolling up every file."""
    wall, cpu = time.perf_counter(), time.process_time()
    paths = sorted(directory.glob("*.json"))
    result = org(framework, read_many(framework, ((str(p), p) for p in paths), read_file))
    render_org_csv(result)
    return time.perf_counter() - wall, time.process_time() - cpu, len(result["teams"])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_cli(directory: Path, out: Path, jobs: int | None) -> tuple[float, float]:
    """(wall, CPU) seconds of the whole command in a fresh interpreter (`jobs`: its --jobs);
    CPU counts the command and its worker processes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "assessor_wasm")}
    more = [] if jobs is None else ["--jobs", str(jobs)]
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assessor", "org", str(directory), "--framework", str(FRAMEWORK),
         "--format", "csv", "-o", str(out), *more],
        check=True, cwd=ROOT, env=env,
    )  # fmt: skip
    return time.perf_counter() - start, _children_cpu() - cpu


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="write the files here and keep them")
    args = parser.parse_args()
    framework = load_framework(FRAMEWORK)
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-org-"))
    print(f"framework {framework.id} {framework.version}: {len(framework.practices)} practices; "
          f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    per_thousand: dict[str, dict[int, float]] = {"in-process": {}, "cli": {}, "cli --jobs 1": {}}
    for size in args.sizes:
        directory = base / f"teams-{size}"
        if not directory.is_dir() or len(list(directory.glob("*.json"))) != size:
            write_files(framework, directory, size)
        runs: dict[str, list[tuple[float, float]]] = {kind: [] for kind in per_thousand}
        for _ in range(args.runs):  # interleaved, so a busy moment hits all three alike
            wall, cpu, teams = time_in_process(framework, directory)
            assert teams == size, f"{teams} teams rolled up, expected {size}"
            runs["in-process"].append((wall, cpu))
            runs["cli"].append(time_cli(directory, base / f"org-{size}.csv", None))
            runs["cli --jobs 1"].append(time_cli(directory, base / f"org-{size}-1.csv", 1))
        print(f"{size:>6} files (medians of {args.runs}; CPU: user + system of every process):")
        for kind, figures in runs.items():
            wall = statistics.median(w for w, _ in figures)
            cpu = statistics.median(c for _, c in figures)
            per_thousand[kind][size] = wall / size * 1000
            print(f"    {kind:<13} {wall:6.2f} s  {wall / size * 1000:.3f} s per 1,000   "
                  f"CPU {cpu:6.2f} s")  # fmt: skip
    low, high = min(args.sizes), max(args.sizes)
    if low != high:
        for kind, per_size in per_thousand.items():
            ratio = per_size[high] / per_size[low]
            print(f"linearity ({kind}): s per 1,000 at {high} / at {low} = {ratio:.2f}")
    print(f"load average now {os.getloadavg()[0]:.1f}")
    largest = max(args.sizes)
    seconds = per_thousand["cli"][largest] * largest / 1000
    print(f"target: {largest} files via the CLI in < 10 s: {'met' if seconds < 10 else 'NOT met'}")
    if not args.keep:
        for path in sorted(base.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        base.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
