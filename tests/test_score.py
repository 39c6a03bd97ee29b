"""Scoring rules on hand-worked golden cases, under CPython and under real Pyodide in Node.

Two golden files: kitchen.json (the v1 kitchen framework) and pantry.json (the v2 pantry
framework, which uses every schema v2 field)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import GOLDEN, GOLDEN_PANTRY, KITCHEN, PANTRY, ROOT, golden_cases, score
from golden import mismatches

from assessor import Framework
from assessor.score import roadmap

CASES = golden_cases()
# framework name -> (framework directory, golden file)
GOLDEN_FILES: dict[str, tuple[Path, Path]] = {
    "kitchen": (KITCHEN, GOLDEN),
    "pantry": (PANTRY, GOLDEN_PANTRY),
}
ALL_CASES = [(name, c) for name, (_, path) in GOLDEN_FILES.items() for c in golden_cases(path)]
ALL_IDS = [f"{name}-{case['name']}" for name, case in ALL_CASES]


@pytest.fixture(scope="module")
def frameworks(kitchen: Framework, pantry: Framework) -> dict[str, Framework]:
    return {"kitchen": kitchen, "pantry": pantry}


@pytest.mark.parametrize("name", list(GOLDEN_FILES))
def test_there_are_enough_golden_cases(name: str) -> None:
    data = json.loads(GOLDEN_FILES[name][1].read_text(encoding="utf-8"))
    assert data["framework"] == name
    cases = data["cases"]
    assert len(cases) >= 12
    assert len({c["name"] for c in cases}) == len(cases)
    assert all(c["why"] and c["expect"] for c in cases)


@pytest.mark.parametrize(("name", "case"), ALL_CASES, ids=ALL_IDS)
def test_golden_case_cpython(
    frameworks: dict[str, Framework], name: str, case: dict[str, Any]
) -> None:
    result = score(frameworks[name], case["answers"])
    assert mismatches(result, case["expect"]) == []


def test_result_is_plain_json(kitchen: Any) -> None:
    result = score(kitchen, CASES[3]["answers"])
    assert json.loads(json.dumps(result)) == result


def test_roadmap_entry_carries_answer_stage_and_url(kitchen: Any) -> None:
    result = score(kitchen, CASES[3]["answers"])
    assert result["roadmap"][0] == {
        "practice": "labelled-leftovers",
        "title": "Leftovers are labelled with a date",
        "capability": "storage",
        "stage": "routine",
        "stage_level": 1,
        "weight": 1.0,
        "required": False,
        "answer": "partial",
        "score": 0.5,
        "unevidenced": False,
        "url": "practices/labelled-leftovers/",
    }


def test_roadmap_respects_dependencies_across_capabilities(kitchen: Any) -> None:
    scores: dict[str, float | None] = {p.id: 0.0 for p in kitchen.practices}
    order = [e["practice"] for e in roadmap(kitchen, {}, scores)]
    for practice in kitchen.practices:
        for dep in practice.depends_on:
            assert order.index(dep) < order.index(practice.id)


def test_risk_exposure_uses_top_stage_when_nothing_above(kitchen: Any) -> None:
    answers = {**CASES[0]["answers"], "answers": {p.id: "yes" for p in kitchen.practices}}
    answers["answers"]["stock-rotation"] = "partial"
    result = score(kitchen, answers)
    assert result["evidenced_stage"]["id"] == "mastery"
    assert {r["id"]: r["open_practices"] for r in result["risks"]} == {
        "food-waste": ["stock-rotation"],
        "food-poisoning": [],
    }


@pytest.fixture(scope="module")
def pyodide_results(
    tmp_path_factory: pytest.TempPathFactory, frameworks: dict[str, Framework]
) -> Callable[[str], dict[str, Any]]:
    """Run a framework's golden cases under real Pyodide in Node, the browser's way (see
    run_golden.mjs): one wheel for the module, one Node run per framework, on first use."""
    from playbook_site.runtime import framework_json as slim_json
    from playbook_site.wheel import build_wheel

    node = shutil.which("node")
    assert node, "node is required for the Pyodide tests"
    assert (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file(), "run npm ci first"
    tmp = tmp_path_factory.mktemp("pyodide")
    wheel_name, data = build_wheel()
    wheel = tmp / wheel_name
    wheel.write_bytes(data)
    cache: dict[str, dict[str, Any]] = {}

    def run(name: str) -> dict[str, Any]:
        if name in cache:
            return cache[name]
        golden = GOLDEN_FILES[name][1]
        framework_json = tmp / f"{name}.json"
        framework_json.write_bytes(slim_json(frameworks[name]))
        out = tmp / f"{name}-results.json"
        proc = subprocess.run(
            [node, str(ROOT / "tests/pyodide/run_golden.mjs"), str(wheel), str(framework_json),
             str(golden), str(out)],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        print(proc.stdout)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert f": {len(golden_cases(golden))} passed, 0 failed" in proc.stdout
        cache[name] = json.loads(out.read_text(encoding="utf-8"))
        return cache[name]

    return run


@pytest.mark.pyodide
@pytest.mark.parametrize(("name", "case"), ALL_CASES, ids=ALL_IDS)
def test_golden_case_pyodide_equals_cpython(
    frameworks: dict[str, Framework],
    pyodide_results: Callable[[str], dict[str, Any]],
    name: str,
    case: dict[str, Any],
) -> None:
    assert pyodide_results(name)[case["name"]] == score(frameworks[name], case["answers"])
