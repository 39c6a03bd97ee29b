"""Build-time benchmark: the hooks versus the same pages written by hand, on synthetic frameworks.

For each size (default 100 and 1000 practices in 20 capabilities) it writes a synthetic framework,
then times, in the same run and interleaved, `mkdocs build` of the real mkdocs.yml with the hooks
(PLAYBOOK_FRAMEWORK pointing at the synthetic framework) and `mkdocs build` of the same pages and
assets exported as plain files by `python -m playbook_site export`, with the same nav and theme
but no hooks. It prints the medians,
their ratio (target <= 1.1 at 1000 practices) and how build time grows with size. It never
asserts: timings depend on the machine.

    .venv/bin/python bench/build.py [--sizes 100 1000] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
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


def synthetic_framework(directory: Path, practices: int, seed: int = 7) -> None:
    """Write a valid framework of `practices` practices spread over 20 capabilities and 5 stages."""
    rng = random.Random(seed)
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
    per_capability = practices // CAPABILITIES
    number = 0
    for c in range(CAPABILITIES):
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
                "summary": _sentence(rng, 25),
                "question": _sentence(rng, 15)[:-1] + "?",
                "evidence": [_sentence(rng, 12) for _ in range(3)],
                "why": " ".join(_sentence(rng, 20) for _ in range(4)),
                "how": [
                    _sentence(rng, 25) + " Use `tool --flag` where it helps." for _ in range(4)
                ],
                "pitfalls": [_sentence(rng, 18) for _ in range(3)],
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


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=5, help="builds per variant and size (>= 3)")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = parser.parse_args(argv)
    runs = max(3, args.runs)
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-build-"))
    work.mkdir(parents=True, exist_ok=True)
    # size -> (hooks wall, plain wall, hooks CPU, plain CPU) medians
    medians: dict[int, tuple[float, float, float, float]] = {}
    try:
        for size in args.sizes:
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
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    sizes = sorted(medians)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(f"growth from {small} to {large} practices ({large / small:.0f}x the practices):")
        for name, index in (("hooks wall", 0), ("plain wall", 1), ("hooks CPU", 2)):
            t_small, t_large = medians[small][index], medians[large][index]
            per_practice = (t_large - t_small) / (large - small) * 1000
            print(
                f"      {name:<10} {t_large / t_small:5.2f}x the time, "
                f"{per_practice:.1f} ms per added practice"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
