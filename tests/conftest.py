"""Shared fixtures: paths, the kitchen framework, golden cases."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import assessor
from assessor import AnswerSet, Framework, api, parse_answers

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
KITCHEN = FIXTURES / "kitchen"
GOLDEN = FIXTURES / "golden" / "kitchen.json"
# A tiny v2 framework (community food pantry) that uses every schema v2 field.
PANTRY = FIXTURES / "pantry"
GOLDEN_PANTRY = FIXTURES / "golden" / "pantry.json"
# The complete second example framework (not MLOps), built and assessed like the default one.
EXAMPLE = ROOT / "examples" / "data-platform"
# The small example that uses every feature of schema v2 (scales, groups, standards, must-haves).
EXAMPLE_V2 = ROOT / "examples" / "docs-practice"
# The kitchen playbook's generated pages in framework order, as its nav lists them.
KITCHEN_STAGE_PAGES = [
    "stages/index.md",
    "stages/basic.md",
    "stages/routine.md",
    "stages/mastery.md",
]
KITCHEN_CAPABILITY_NAV: list[Any] = [
    "capabilities/index.md",
    {"Food storage": ["capabilities/storage/index.md", "practices/labelled-leftovers.md",
                      "practices/fridge-thermometer.md", "practices/stock-rotation.md"]},
    {"Cleaning": ["capabilities/cleaning/index.md", "practices/separate-boards.md",
                  "practices/cleaning-schedule.md", "practices/deep-clean-audit.md"]},
]  # fmt: skip
KITCHEN_NAV: list[Any] = [
    {"Assessment": ["assessment.md", "team.md", "organisation.md"]},
    {"Stages": KITCHEN_STAGE_PAGES},
    {"Capabilities": KITCHEN_CAPABILITY_NAV},
    "matrix.md",
    "risks.md",
]


def score(framework: Framework, answers: Any) -> dict[str, Any]:
    """Score plain answers data (as a test writes it) or an AnswerSet."""
    if not isinstance(answers, AnswerSet):
        answers = parse_answers(answers, framework)
    return assessor.score(framework, answers)


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m assessor ARGS` in a subprocess from the repository root; never raises."""
    return subprocess.run(
        [sys.executable, "-m", "assessor", *args],
        capture_output=True, text=True, cwd=ROOT, input=stdin, timeout=60, check=False,
    )  # fmt: skip


def cli_score(answers: dict[str, Any], framework_dir: Path, tmp_path: Path) -> dict[str, Any]:
    """The result `python -m assessor score --json` prints for these answers (which must score)."""
    path = tmp_path / "cli-answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    proc = run_cli("score", str(path), "--framework", str(framework_dir), "--json")
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def api_call(op: str, **fields: Any) -> dict[str, Any]:
    """One request to the browser's entry point (`assessor.api.handle`): JSON in, reply out."""
    reply: dict[str, Any] = json.loads(api.handle(json.dumps({"op": op, **fields})))
    return reply


def golden_cases(path: Path = GOLDEN) -> list[dict[str, Any]]:
    """The hand-worked scoring cases (of the kitchen framework unless another file is given)."""
    return list(json.loads(path.read_text(encoding="utf-8"))["cases"])


def mutated_copy(tmp_path: Path, mutations: list[tuple[str, object, object]]) -> Path:
    """A copy of the kitchen framework with text replacements, rewrites and deletions applied."""
    root = tmp_path / "kitchen"
    shutil.copytree(KITCHEN, root)
    for name, old, new in mutations:
        path = root / name
        if new is None:
            path.unlink()
        elif old is None:
            path.write_bytes(new if isinstance(new, bytes) else str(new).encode("utf-8"))
        else:
            text = path.read_text(encoding="utf-8")
            assert isinstance(old, str) and old in text, f"fixture text not found: {old!r}"
            path.write_text(text.replace(old, str(new), 1), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def kitchen() -> Any:
    from assessor.cpython.load import load_framework

    return load_framework(KITCHEN)


@pytest.fixture(scope="session")
def pantry() -> Any:
    from assessor.cpython.load import load_framework

    return load_framework(PANTRY)


def _built_site(tmp_path_factory: pytest.TempPathFactory, name: str, framework: Path) -> Any:
    from sitebuild import built

    return built(tmp_path_factory.mktemp(f"site-{name}"), framework)


@pytest.fixture(scope="session")
def site_default(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The site of the default framework, built once per session with `mkdocs build --strict`."""
    return _built_site(tmp_path_factory, "default", ROOT / "framework")


@pytest.fixture(scope="session")
def site_kitchen(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The site of the tiny kitchen framework, chosen through PLAYBOOK_FRAMEWORK."""
    return _built_site(tmp_path_factory, "kitchen", KITCHEN)


@pytest.fixture(scope="session")
def site_example(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The site of the data-platform example framework, chosen through PLAYBOOK_FRAMEWORK."""
    return _built_site(tmp_path_factory, "example", EXAMPLE)


@pytest.fixture(scope="session")
def site_example_v2(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The site of the docs-practice example (every schema v2 feature), built strictly."""
    return _built_site(tmp_path_factory, "example-v2", EXAMPLE_V2)


def without_prose(value: Any) -> Any:
    """A model object as framework.json carries it: prose at its default, some text blanked."""
    import dataclasses

    from playbook_site.runtime import BLANKED_FIELDS, PROSE_FIELDS

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            current = getattr(value, f.name)
            if f.name in PROSE_FIELDS:
                changes[f.name] = (
                    f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
                )
            elif f.name in BLANKED_FIELDS and isinstance(current, str):
                changes[f.name] = ""
            else:
                changes[f.name] = without_prose(current)
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(without_prose(v) for v in value)
    if isinstance(value, dict):
        return {k: without_prose(v) for k, v in value.items()}
    return value


def run_under_pyodide(requests: list[dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
    """Send requests to assessor.api.handle under real Pyodide in Node, from the shipped wheel.

    Returns {"python", "yaml", "replies"} as tests/pyodide/run_api.mjs writes them.
    """
    from playbook_site.wheel import build_wheel

    node = shutil.which("node")
    assert node, "node is required for the Pyodide tests"
    assert (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file(), "run npm ci first"
    name, data = build_wheel()
    wheel = tmp_path / name
    wheel.write_bytes(data)
    (tmp_path / "requests.json").write_text(json.dumps(requests), encoding="utf-8")
    out = tmp_path / "replies.json"
    proc = subprocess.run(
        [node, str(ROOT / "tests/pyodide/run_api.mjs"), str(wheel), str(tmp_path / "requests.json"),
         str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ran: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert ran["python"].startswith("3.14")
    assert ran["yaml"] is False
    assert len(ran["replies"]) == len(requests)
    return ran
