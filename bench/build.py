"""Build-time benchmark: the hooks versus the same pages written by hand, on synthetic frameworks.

For each size (default 100 and 1000 practices in 20 capabilities) it writes a synthetic framework,
then times, in the same run and interleaved, `mkdocs build` of the real mkdocs.yml with the hooks
(PLAYBOOK_FRAMEWORK pointing at the synthetic framework) and `mkdocs build` of the same pages and
assets exported as plain files by `python -m playbook_site export`, with the same nav and theme
but no hooks. It prints the medians, their ratio (target <= 1.1 at 1000 practices) and how build
time grows with size.

Then, for each --one-capability size (default 1000), it times N practices in a single capability
against the same N over 20 capabilities, both with the hooks, and prints the medians and their
ratio (target <= 1.5: build time linear in one capability's size) and, with several sizes, how
the one-capability build grows. It never asserts: timings depend on the machine.

    .venv/bin/python bench/build.py [--sizes 100 1000] [--one-capability 1000 2000 4000]
                                    [--runs 5] [--keep DIR]

An empty list (`--sizes` or `--one-capability` with no value) skips that part.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from playbook_site.export import export

ROOT = Path(__file__).resolve().parent.parent
CAPABILITIES = 20
STAGES = ("start", "managed", "defined", "measured", "optimized")
RISKS = ("delay", "waste", "bottleneck", "exposure", "degradation", "rework")
VOCABULARY = (
    "team process review owner change release record check signal budget schedule service "
    "report audit metric target backlog handoff runbook dashboard contract baseline incident "
    "policy request approval rollback inventory standard template evidence quarter customer "
    "system pipeline version register monitor trace alert capacity document training"
)
WORDS = VOCABULARY.split()


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def synthetic_framework(
    directory: Path,
    practices: int,
    seed: int = 7,
    capabilities: int = CAPABILITIES,
    compact: bool = False,
) -> None:
    """Write a valid framework: `practices` practices over `capabilities` capabilities, 5 stages.

    `compact` gives each practice one item of prose per field instead of three or four, in
    sentences half as long (a fifth of the bytes), so that 4,000 practices fit one capability
    file under the loader's 5 MB limit.
    """
    rng = random.Random(seed)
    listed, steps = (1, 1) if compact else (3, 4)

    def say(words: int) -> str:  # a practice's sentence: half as long when compact
        return _sentence(rng, words // 2 if compact else words)

    caps = directory / "capabilities"
    caps.mkdir(parents=True)

    def dump(path: Path, data: Any) -> None:
        path.write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
        )

    dump(
        directory / "framework.yaml",
        {
            "id": f"synthetic-{practices}",
            "title": f"Synthetic Playbook ({practices} practices)",
            "version": "1.0",
            "summary": _sentence(rng, 30),
            "answer_scale": [
                {"id": "no", "label": "No", "score": 0},
                {"id": "partial", "label": "Partly", "score": 0.5},
                {"id": "yes", "label": "Yes", "score": 1},
            ],
        },
    )
    dump(
        directory / "stages.yaml",
        [
            {
                "id": stage,
                "level": level,
                "title": stage.title(),
                "summary": _sentence(rng, 25),
                "description": " ".join(_sentence(rng, 20) for _ in range(6)),
                "signals": [_sentence(rng, 12) for _ in range(5)],
            }
            for level, stage in enumerate(STAGES)
        ],
    )
    dump(
        directory / "risks.yaml",
        [{"id": r, "title": r.title(), "summary": _sentence(rng, 25)} for r in RISKS],
    )
    per_capability = practices // capabilities
    number = 0
    for c in range(capabilities):
        cap_id = f"capability-{c + 1:02d}"
        items: list[dict[str, Any]] = []
        for i in range(per_capability):
            number += 1
            # Level 0 stays empty (every team starts there); the rest share the practices.
            stage = STAGES[1 + i * (len(STAGES) - 1) // per_capability]
            practice: dict[str, Any] = {
                "id": f"practice-{number:04d}",
                "title": f"Practice {number}: " + _sentence(rng, 7)[:-1],
                "stage": stage,
                "summary": say(25),
                "question": say(15)[:-1] + "?",
                "evidence": [say(12) for _ in range(listed)],
                "why": " ".join(say(20) for _ in range(steps)),
                "how": [say(25) + " Use `tool --flag` where it helps." for _ in range(steps)],
                "pitfalls": [say(18) for _ in range(listed)],
                "tools": [rng.choice(WORDS).title() for _ in range(4)],
                "risks": sorted(set(rng.sample(RISKS, 2))),
                "references": [
                    {"title": _sentence(rng, 6), "url": f"https://example.org/ref/{number}"}
                ],
            }
            if items:  # the capability's previous practice: same or lower stage by construction
                practice["depends_on"] = [items[-1]["id"]]
            if number % 3 == 0:
                practice["weight"] = 2
            items.append(practice)
        dump(
            caps / f"{cap_id}.yaml",
            {
                "id": cap_id,
                "title": f"Capability {c + 1}",
                "summary": _sentence(rng, 20),
                "description": " ".join(_sentence(rng, 20) for _ in range(3)),
                "practices": items,
            },
        )


def timed_build(config_file: Path, site: Path, framework: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one `mkdocs build` in a fresh process, startup included.

    CPU time (user + system of the child) is printed beside wall time because it is less
    disturbed by other work on a shared machine.
    """
    env = dict(os.environ, PLAYBOOK_FRAMEWORK=str(framework), NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)]
    command += ["-d", str(site)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"build failed ({config_file}):\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _figures(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


def hooks_against_plain(sizes: list[int], runs: int, work: Path) -> None:
    """The hooks against the same pages as plain Markdown, per size; then the growth."""
    # size -> (hooks wall, plain wall, hooks CPU, plain CPU) medians
    medians: dict[int, tuple[float, float, float, float]] = {}
    for size in sizes:
        base = work / f"n{size}"
        shutil.rmtree(base, ignore_errors=True)
        framework = base / "framework"
        synthetic_framework(framework, size)
        # The supported plain-files export (python -m playbook_site export): the hooks run
        # in-process, and their own work is timed apart from a whole build's noise.
        exported = export(base / "plain", ROOT / "mkdocs.yml", framework)
        plain_config, pages = exported.config_file, exported.pages
        on_config, on_files = exported.config_seconds, exported.files_seconds
        hooks_runs: list[tuple[float, float]] = []
        plain_runs: list[tuple[float, float]] = []
        for _ in range(runs):  # interleaved, so drift in machine load hits both sides
            hooks_runs.append(timed_build(ROOT / "mkdocs.yml", base / "site-hooks", framework))
            plain_runs.append(timed_build(plain_config, base / "site-plain", framework))
        hw, pw = [w for w, _ in hooks_runs], [w for w, _ in plain_runs]
        hc, pc = [c for _, c in hooks_runs], [c for _, c in plain_runs]
        row = tuple(statistics.median(x) for x in (hw, pw, hc, pc))
        medians[size] = (row[0], row[1], row[2], row[3])
        print(
            f"{size:>5} practices ({pages} pages), {runs} runs each:\n"
            f"      wall: hooks median {row[0]:6.2f} s, plain Markdown median {row[1]:6.2f} s, "
            f"ratio {row[0] / row[1]:.3f}   [hooks {_figures(hw)}; plain {_figures(pw)}]\n"
            f"      CPU:  hooks median {row[2]:6.2f} s, plain Markdown median {row[3]:6.2f} s, "
            f"ratio {row[2] / row[3]:.3f}   [hooks {_figures(hc)}; plain {_figures(pc)}]\n"
            f"      the hooks' own work, in-process: on_config (load and validate) "
            f"{on_config:.2f} s, on_files (generate) {on_files:.2f} s",
            flush=True,
        )
    ordered = sorted(medians)
    if len(ordered) >= 2:
        small, large = ordered[0], ordered[-1]
        print(f"growth from {small} to {large} practices ({large / small:.0f}x the practices):")
        for name, index in (("hooks wall", 0), ("plain wall", 1), ("hooks CPU", 2)):
            t_small, t_large = medians[small][index], medians[large][index]
            per_practice = (t_large - t_small) / (large - small) * 1000
            print(
                f"      {name:<10} {t_large / t_small:5.2f}x the time, "
                f"{per_practice:.1f} ms per added practice"
            )


def one_against_spread(sizes: list[int], runs: int, work: Path) -> None:
    """N practices in one capability against the same N over 20 capabilities (target <= 1.5).

    Both are built with the hooks, interleaved, from compact practices (one capability file of
    4,000 full ones would pass the loader's 5 MB limit). A step quadratic in one capability's
    size (the nav once listed every practice of a capability on each of its pages) shows as a
    ratio that grows with N; the growth line says how the one-capability build scales.
    """
    medians: dict[int, tuple[float, float]] = {}  # size -> (one wall, one CPU) medians
    for size in sizes:
        frameworks = {}
        for label, count in (("one", 1), ("spread", CAPABILITIES)):
            framework = work / f"{label}{size}" / "framework"
            shutil.rmtree(framework.parent, ignore_errors=True)
            synthetic_framework(framework, size, capabilities=count, compact=True)
            frameworks[label] = framework
        one: list[tuple[float, float]] = []
        spread: list[tuple[float, float]] = []
        for _ in range(runs):  # interleaved, so drift in machine load hits both sides
            for label, times in (("one", one), ("spread", spread)):
                site = frameworks[label].parent / "site"
                times.append(timed_build(ROOT / "mkdocs.yml", site, frameworks[label]))
        ow, sw = [w for w, _ in one], [w for w, _ in spread]
        oc, sc = [c for _, c in one], [c for _, c in spread]
        row = tuple(statistics.median(x) for x in (ow, sw, oc, sc))
        medians[size] = (row[0], row[2])
        print(
            f"{size:>5} compact practices in 1 capability against {CAPABILITIES}, {runs} runs "
            f"each (target ratio <= 1.5):\n"
            f"      wall: one median {row[0]:6.2f} s, spread median {row[1]:6.2f} s, "
            f"ratio {row[0] / row[1]:.3f}   [one {_figures(ow)}; spread {_figures(sw)}]\n"
            f"      CPU:  one median {row[2]:6.2f} s, spread median {row[3]:6.2f} s, "
            f"ratio {row[2] / row[3]:.3f}   [one {_figures(oc)}; spread {_figures(sc)}]",
            flush=True,
        )
    ordered = sorted(medians)
    for small, large in itertools.pairwise(ordered):
        wall = medians[large][0] / medians[small][0]
        cpu = medians[large][1] / medians[small][1]
        print(
            f"one capability, {small} -> {large} practices ({large / small:.0f}x): "
            f"{wall:.2f}x the wall time, {cpu:.2f}x the CPU time (linear: {large / small:.0f}x)"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[100, 1000], help="hooks against plain Markdown"
    )
    parser.add_argument(
        "--one-capability",
        type=int,
        nargs="*",
        default=[1000],
        metavar="SIZE",
        help="N practices in one capability against N over 20 capabilities",
    )
    parser.add_argument("--runs", type=int, default=5, help="builds per variant and size (>= 3)")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = parser.parse_args(argv)
    runs = max(3, args.runs)
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-build-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        hooks_against_plain(args.sizes, runs, work)
        one_against_spread(args.one_capability, runs, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
