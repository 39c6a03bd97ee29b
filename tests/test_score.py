"""Scoring rules v1 on hand-worked golden cases, under CPython and under real Pyodide in Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest
from conftest import GOLDEN, ROOT, golden_cases, score
from golden import mismatches

from assessor.score import roadmap

CASES = golden_cases()


def test_there_are_enough_golden_cases() -> None:
    assert len(CASES) >= 12
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_case_cpython(kitchen: Any, case: dict[str, Any]) -> None:
    result = score(kitchen, case["answers"])
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
def pyodide_results(tmp_path_factory: pytest.TempPathFactory, kitchen: Any) -> dict[str, Any]:
    """Run every golden case under real Pyodide in Node, the browser's way (see run_golden.mjs)."""
    from playbook_site.runtime import framework_json as slim_json
    from playbook_site.wheel import build_wheel

    node = shutil.which("node")
    assert node, "node is required for the Pyodide tests"
    assert (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file(), "run npm ci first"
    tmp = tmp_path_factory.mktemp("pyodide")
    name, data = build_wheel()
    wheel = tmp / name
    wheel.write_bytes(data)
    framework_json = tmp / "framework.json"
    framework_json.write_bytes(slim_json(kitchen))
    out = tmp / "results.json"
    proc = subprocess.run(
        [node, str(ROOT / "tests/pyodide/run_golden.mjs"), str(wheel), str(framework_json),
         str(GOLDEN), str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    print(proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f": {len(CASES)} passed, 0 failed" in proc.stdout
    results: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return results


@pytest.mark.pyodide
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_case_pyodide_equals_cpython(
    kitchen: Any, pyodide_results: dict[str, Any], case: dict[str, Any]
) -> None:
    assert pyodide_results[case["name"]] == score(kitchen, case["answers"])
