"""The MLOps framework's content: counts, completeness and honesty of every practice."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, score

from assessor import parse_answers
from assessor.cpython.load import load_framework

FRAMEWORK = load_framework(ROOT / "framework")
PRACTICES = FRAMEWORK.practices
PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|XXX|lorem|ipsum|placeholder)\b", re.IGNORECASE)


def test_counts() -> None:
    assert len(FRAMEWORK.stages) == 5
    assert len(FRAMEWORK.capabilities) >= 15
    assert len(PRACTICES) >= 85
    assert len(FRAMEWORK.risks) >= 6


def test_honest_by_construction() -> None:
    assert FRAMEWORK.evidence_required is True
    assert FRAMEWORK.not_applicable_policy == "listed"
    for stage in FRAMEWORK.stages[1:]:
        required = [p.id for p in PRACTICES if p.stage == stage.id and p.required]
        assert len(required) >= 2, (stage.id, required)
    with_na = [p.id for p in PRACTICES if p.not_applicable_when]
    assert len(with_na) * 5 <= len(PRACTICES), with_na


def test_questions_ask_for_artefacts() -> None:
    banned = re.compile(r"(Do you|Does|Is|Are|Have you|Could|Would)\b")
    assert [p.id for p in PRACTICES if banned.match(p.question)] == []
    can_you = [p.id for p in PRACTICES if p.question.startswith("Can you")]
    assert len(can_you) * 5 <= len(PRACTICES), can_you


def test_crosswalks_cover_the_ml_test_score() -> None:
    standards = {s.id: s for s in FRAMEWORK.standards}
    assert set(standards) >= {
        "ml-test-score", "google-mlops-levels", "microsoft-mlops-maturity", "eu-ai-act",
        "nist-ai-rmf",
    }  # fmt: skip
    assert len(standards["ml-test-score"].labels) == 28
    covered = {label for p in PRACTICES for label in p.mappings.get("ml-test-score", ())}
    assert len(covered) >= 26, sorted(set(standards["ml-test-score"].labels) - covered)


# Dead, deprecated or end-of-life tools, and entries that are not tools at all.
NOT_TOOLS = re.compile(
    r"^(Neptune|Triton Model Analyzer|Netflix Dispatch|Dispatch|Opsgenie|Python|Git|Make|Markdown"
    r"|Confluence|ML Test Score rubric|NIST AI RMF Playbook)$",
    re.IGNORECASE,
)


def test_no_dead_tools_or_non_tools() -> None:
    found = sorted({(p.id, t) for p in PRACTICES for t in p.tools if NOT_TOOLS.match(t.strip())})
    assert found == []


def test_one_title_per_reference_url() -> None:
    titles: dict[str, set[str]] = {}
    for practice in PRACTICES:
        for ref in practice.references:
            titles.setdefault(ref.url, set()).add(ref.title)
    assert {url: t for url, t in titles.items() if len(t) > 1} == {}


def test_prose_drops_the_formula() -> None:
    assert [p.id for p in PRACTICES if p.why.lstrip().startswith("Without")] == []
    texts = {p.id: " ".join([p.why, p.summary, p.question, *p.how, *p.pitfalls]) for p in PRACTICES}
    assert [pid for pid, text in texts.items() if "nobody" in text.lower()] == []


# The review's gaming scenario: "yes" with evidence to everything up to stage 3 except these.
CRITICAL = (
    "access-controlled-data", "secrets-management", "idle-resource-shutdown", "audit-trail",
    "approval-workflow", "ml-threat-modeling", "model-risk-tiering",
)  # fmt: skip


def _answers(answers: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "format": "maturity-playbook/answers@2",
        "framework": {"id": FRAMEWORK.id, "version": FRAMEWORK.version},
        "answers": answers,
        **extra,
    }


def test_gaming_scenario_does_not_reach_continuous_delivery() -> None:
    levels = {s.id: s.level for s in FRAMEWORK.stages}
    assert set(CRITICAL) <= {p.id for p in PRACTICES}
    chosen = [p.id for p in PRACTICES if levels[p.stage] <= 3 and p.id not in CRITICAL]
    answers = dict.fromkeys(chosen, "yes") | dict.fromkeys(CRITICAL, "no")
    evidence = {pid: ["https://git.example.com/evidence/" + pid] for pid in chosen}
    result = score(FRAMEWORK, _answers(answers, evidence=evidence))
    assert result["evidenced_stage"]["level"] < 3
    # The must-haves are what blocks: stage 1 already lacks access control and secrets.
    assert result["evidenced_stage"]["id"] == "ad-hoc"
    assert result["next_stage"] is not None
    assert result["next_stage"]["required_open"] == ["access-controlled-data", "secrets-management"]


def test_same_answers_without_evidence_count_one_step_lower() -> None:
    answers = dict.fromkeys((p.id for p in PRACTICES), "yes")
    result = score(FRAMEWORK, _answers(answers))
    assert result["evidenced_stage"]["id"] == "ad-hoc"
    assert len(result["unevidenced"]) == len(PRACTICES)


def test_marking_every_optional_practice_na_is_refused_and_stays_low() -> None:
    answers = {p.id: ("yes" if p.required else "na") for p in PRACTICES}
    evidence = {p.id: ["the signed-off record in the wiki"] for p in PRACTICES if p.required}
    result = score(FRAMEWORK, _answers(answers, evidence=evidence))
    refused = [p.id for p in PRACTICES if not p.required and not p.not_applicable_when]
    assert result["not_applicable_refused"] == refused
    assert "not-applicable-refused" in [w["code"] for w in result["warnings"]]
    assert result["evidenced_stage"]["level"] <= 1


def test_answers_of_version_2026_11_migrate() -> None:
    old = {
        "format": "maturity-playbook/answers@1",
        "framework": {"id": "mlops", "version": "2026.11"},
        "self_estimate": "automated",
        "answers": {"champion-challenger-comparison": "yes", "code-in-version-control": "yes"},
        "notes": {"champion-challenger-comparison": "compared in the weekly review"},
    }
    answer_set = parse_answers(old, FRAMEWORK)
    assert answer_set.migrated == {"champion-challenger-comparison": "model-quality-gates"}
    assert answer_set.answers == {"code-in-version-control": "yes", "model-quality-gates": "yes"}
    assert answer_set.notes == {"model-quality-gates": "compared in the weekly review"}
    result = score(FRAMEWORK, answer_set)
    assert result["migrated"] == {"champion-challenger-comparison": "model-quality-gates"}
    assert result["unknown_answers"] == {}


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


@pytest.mark.parametrize(
    "folder", ["framework", "examples", "examples/data-platform", "examples/docs-practice"]
)
def test_every_yaml_file_names_its_schema(folder: str) -> None:
    paths = sorted((ROOT / folder).rglob("*.yaml"))
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
    result = score(FRAMEWORK, _answers({}))
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
