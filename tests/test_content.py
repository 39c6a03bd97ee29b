"""The MLOps framework's content: counts, completeness and honesty of every practice."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, score

import assessor
from assessor.cpython.load import load_framework

FRAMEWORK = load_framework(ROOT / "framework")
PRACTICES = FRAMEWORK.practices
PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|XXX|lorem|ipsum|placeholder)\b", re.IGNORECASE)


def test_counts() -> None:
    assert len(FRAMEWORK.stages) == 5
    assert len(FRAMEWORK.capabilities) >= 12
    assert len(PRACTICES) >= 60
    assert len(FRAMEWORK.risks) >= 6


def test_stages_are_described_with_signals() -> None:
    for stage in FRAMEWORK.stages:
        assert len(stage.summary) >= 40, stage.id
        assert len(stage.description) >= 200, stage.id
        assert len(stage.signals) >= 4, stage.id
    # The stage pages say how the levels map onto the public reference models.
    described = " ".join(s.description for s in FRAMEWORK.stages)
    assert "Microsoft" in described
    assert "Google" in described


@pytest.mark.parametrize("practice", PRACTICES, ids=[p.id for p in PRACTICES])
def test_practice_is_complete(practice: Any) -> None:
    assert practice.question.endswith("?")
    assert "rate" not in practice.question.lower().split()
    assert len(practice.question) >= 30
    assert len(practice.summary) >= 30
    assert len(practice.evidence) >= 2
    assert all(len(e) >= 15 for e in practice.evidence)
    assert len(practice.why) >= 120
    assert len(practice.how) >= 3
    assert all(len(step) >= 20 for step in practice.how)
    assert len(practice.pitfalls) >= 2
    assert len(practice.tools) >= 1
    assert len(practice.risks) >= 1
    assert len(practice.references) >= 1
    for ref in practice.references:
        parts = urlsplit(ref.url)
        assert parts.scheme == "https" and "." in parts.netloc, ref.url
        assert len(ref.title) >= 5


def test_no_practice_sits_at_the_lowest_stage() -> None:
    # Level 0 is always reached: a practice there could never change the evidenced stage.
    lowest = FRAMEWORK.stages[0].id
    assert [p.id for p in PRACTICES if p.stage == lowest] == []


def test_questions_are_unique() -> None:
    counts = Counter(p.question.strip().lower() for p in PRACTICES)
    assert [q for q, n in counts.items() if n > 1] == []


def test_every_risk_is_used() -> None:
    used = {r for p in PRACTICES for r in p.risks}
    assert [r.id for r in FRAMEWORK.risks if r.id not in used] == []


def test_every_capability_spans_three_stages() -> None:
    for cap in FRAMEWORK.capabilities:
        assert len({p.stage for p in cap.practices}) >= 3, cap.id


def test_no_placeholder_text_in_any_yaml() -> None:
    for path in sorted((ROOT / "framework").rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert not PLACEHOLDER.search(line), f"{path}:{number}: {line}"


@pytest.mark.parametrize("folder", ["framework", "examples"])
def test_every_yaml_file_names_its_schema(folder: str) -> None:
    paths = sorted((ROOT / folder).rglob("*.yaml"))
    if folder == "framework":
        assert paths
    for path in paths:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path}: first line must be the yaml-language-server schema line"
        schema = (path.parent / match.group(1)).resolve()
        assert schema.is_file(), f"{path}: schema {schema} does not exist"
        kind = "capability" if path.parent.name == "capabilities" else path.stem
        assert schema.name == f"{kind}.schema.json", path


def test_empty_assessment_roadmap_starts_with_the_first_stage() -> None:
    result = score(FRAMEWORK, {"format": assessor.ANSWERS_FORMAT,
                                        "framework": {"id": FRAMEWORK.id}})  # fmt: skip
    roadmap = result["roadmap"]
    assert len(roadmap) == len(PRACTICES)
    first_stage = FRAMEWORK.stages[1].id
    head = [e for e in roadmap if e["stage"] == first_stage]
    assert roadmap[: len(head)] == head
    position = {e["practice"]: i for i, e in enumerate(roadmap)}
    for practice in PRACTICES:
        for dep in practice.depends_on:
            assert position[dep] < position[practice.id], (dep, practice.id)


def test_committed_schemas_equal_generated(tmp_path: Path) -> None:
    import json

    from assessor.schema import schemas

    for name, doc in schemas().items():
        committed = (ROOT / "framework" / "schema" / name).read_text(encoding="utf-8")
        assert committed == json.dumps(doc, indent=2) + "\n", (
            f"framework/schema/{name} is stale: run python -m assessor schema --write "
            "framework/schema"
        )
