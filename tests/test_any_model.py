"""Any maturity model: the v2 example uses every v2 feature; SAMM- and DSOMM-shaped models validate.

The two shaped models are generated here (in a temporary folder, as YAML files the loader reads)
with the structure of OWASP SAMM and OWASP DSOMM but none of their text: they prove the schema
can express those models, not that this project ships them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLE_V2, score, without_prose

from assessor import Framework, ValidationError
from assessor.codec import framework_from_trusted_dict, framework_to_dict
from assessor.cpython.load import load_framework
from playbook_site import runtime

ANSWERS = "maturity-playbook/answers@2"
V2 = load_framework(EXAMPLE_V2)


def _answers(framework: Framework, answers: dict[str, str], **more: Any) -> dict[str, Any]:
    return {
        "format": ANSWERS,
        "framework": {"id": framework.id, "version": framework.version},
        "answers": answers,
        **more,
    }


# --- the docs-practice example: every feature of schema v2 ------------------------------------


def test_v2_example_uses_every_v2_feature() -> None:
    fw = V2
    # Named scales beside the default one, each picked by some practice (and the default too).
    assert list(fw.answer_scales) == ["coverage", "cadence", "yes-no"]
    assert {p.scale for p in fw.practices} == {None, "coverage", "cadence", "yes-no"}
    assert [o.label for o in fw.answer_scales["coverage"]] == [
        "No",
        "Yes, for some of our docs",
        "Yes, for at least half of our docs",
        "Yes, for most or all of our docs",
    ]
    # Groups, with every capability in one.
    assert [g.id for g in fw.groups] == ["write", "publish", "improve"]
    assert {c.id: c.group for c in fw.capabilities} == {
        "docs-as-code": "write",
        "content-types": "write",
        "publishing": "publish",
        "accessible-docs": "publish",
        "reader-feedback": "improve",
    }
    # Two standards with full label lists; practices map to both.
    assert [(s.id, len(s.labels)) for s in fw.standards] == [("diataxis", 4), ("wcag-22", 13)]
    mapped = {sid for p in fw.practices for sid in p.mappings}
    assert mapped == {"diataxis", "wcag-22"}
    # The honest-scoring fields.
    assert fw.not_applicable_policy == "listed"
    assert fw.evidence_required is True
    assert [p.id for p in fw.practices if p.required] == [
        "docs-in-version-control",
        "getting-started-tutorial",
        "image-text-alternatives",
        "task-success-measured",
    ]
    assert [p.id for p in fw.practices if p.not_applicable_when] == [
        "generated-reference",
        "versioned-docs",
        "video-captions",
    ]


def test_v2_example_scores_on_each_practice_own_scale() -> None:
    written = {
        "docs-in-version-control": "yes",  # yes-no scale
        "getting-started-tutorial": "yes",  # default scale
        "one-docs-site": "yes",  # yes-no scale
        "release-notes": "every-release",  # cadence scale
    }
    evidence = {pid: [f"https://docs.example.com/{pid}"] for pid in written}
    result = score(V2, _answers(V2, written, evidence=evidence))
    assert result["evidenced_stage"]["id"] == "written"
    assert result["unevidenced"] == []
    # Without evidence, a top answer counts as the next lower option of its own scale: on the
    # two-option yes-no scale that is "no", so the must-have is open and the stage is lost.
    bare = dict(evidence)
    del bare["docs-in-version-control"]
    result = score(V2, _answers(V2, written, evidence=bare))
    assert result["unevidenced"] == ["docs-in-version-control"]
    assert result["evidenced_stage"]["id"] == "improvised"
    assert result["next_stage"]["required_open"] == ["docs-in-version-control"]


def test_v2_example_accepts_na_only_where_a_practice_says_when() -> None:
    answers = {"versioned-docs": "na", "one-docs-site": "na", "image-text-alternatives": "na"}
    notes = {pid: "We ship one version." for pid in answers}
    result = score(V2, _answers(V2, answers, notes=notes))
    assert result["not_applicable_refused"] == ["one-docs-site", "image-text-alternatives"]


def test_v2_example_survives_the_browser_json() -> None:
    data = json.loads(runtime.framework_json(V2))
    assert framework_from_trusted_dict(data) == without_prose(V2)
    assert framework_from_trusted_dict(framework_to_dict(V2)) == V2


# --- shaped like SAMM and DSOMM ---------------------------------------------------------------


class _NoAliases(yaml.SafeDumper):
    """Writes a repeated value out each time: the loader refuses YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")


def _stages(levels: int) -> list[dict[str, Any]]:
    return [
        {"id": f"level-{n}", "level": n, "title": f"Level {n}", "summary": f"Stage {n}."}
        for n in range(levels + 1)
    ]


def _model(root: Path, framework: dict[str, Any], levels: int) -> None:
    """framework.yaml, `levels` stages above a level 0, and one risk."""
    _dump(root / "framework.yaml", framework)
    _dump(root / "stages.yaml", _stages(levels))
    _dump(root / "risks.yaml", [{"id": "breach", "title": "Breach", "summary": "A breach."}])


def _capability(
    root: Path, cap_id: str, title: str, summary: str, group: str, practices: list[Any]
) -> None:
    """capabilities/<cap_id>.yaml."""
    _dump(
        root / "capabilities" / f"{cap_id}.yaml",
        {"id": cap_id, "title": title, "summary": summary, "group": group, "practices": practices},
    )


def _practice(pid: str, stage: int, **more: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "title": f"Activity {pid}",
        "stage": f"level-{stage}",
        "summary": "An activity.",
        "question": f"Can you show evidence of {pid}?",
        **more,
    }


# SAMM's answer sets share a shape (no, then three growing degrees) with their own wording.
SAMM_DEGREES = (
    ("applications", "for some applications", "for at least half", "for most or all"),
    ("teams", "some of them", "at least half of them", "most or all of them"),
    ("releases", "for some releases", "for at least half", "for every release"),
)


def samm_shaped(root: Path) -> Path:
    """Write a framework shaped like SAMM: 24 answer sets, 5 functions, 15 practices, 90 questions.

    Each practice has two streams with one question per level (3 levels above a level 0), and
    each question is asked with one of the 24 answer sets.
    """
    scales: dict[str, list[dict[str, Any]]] = {}
    for n in range(24):
        _, some, half, most = SAMM_DEGREES[n % len(SAMM_DEGREES)]
        scales[f"set-{n + 1:02d}"] = [
            {"id": "no", "label": "No", "score": 0},
            {"id": "some", "label": f"Yes, {some} (set {n + 1})", "score": 0.25},
            {"id": "half", "label": f"Yes, {half} (set {n + 1})", "score": 0.5},
            {"id": "most", "label": f"Yes, {most} (set {n + 1})", "score": 1},
        ]
    functions = ["governance", "design", "implementation", "verification", "operations"]
    _model(
        root,
        {
            "id": "samm-shaped",
            "title": "A model shaped like SAMM",
            "version": "1",
            "summary": "Five functions, fifteen practices, ninety questions.",
            "answer_scale": scales["set-01"],
            "answer_scales": scales,
            "groups": [{"id": f, "title": f.title()} for f in functions],
        },
        3,
    )
    question = 0
    for f_index, function in enumerate(functions):
        for p_index in range(3):
            cap_id = f"{function}-practice-{p_index + 1}"
            practices = []
            for stream in "ab":
                for level in (1, 2, 3):
                    scale = f"set-{question % 24 + 1:02d}"
                    question += 1
                    practices.append(_practice(f"{cap_id}-{stream}{level}", level, scale=scale))
            title = f"Practice {f_index * 3 + p_index + 1}"
            _capability(root, cap_id, title, "A security practice.", function, practices)
    return root


def iso_27001_controls() -> list[str]:
    """The 93 control numbers of ISO/IEC 27001:2022 Annex A (37 + 8 + 14 + 34)."""
    themes = {5: 37, 6: 8, 7: 14, 8: 34}
    return [f"A.{theme}.{n}" for theme, count in themes.items() for n in range(1, count + 1)]


def samm_streams() -> list[str]:
    """Labels of a SAMM-like standard: 15 practices x 2 streams x 3 levels."""
    return [f"P{p:02d}-{s}{level}" for p in range(1, 16) for s in "AB" for level in (1, 2, 3)]


DSOMM_CAPABILITIES = (3, 4, 4, 4, 4)  # sub-dimensions per dimension: 19 in all


def dsomm_shaped(root: Path) -> Path:
    """Write a framework shaped like DSOMM: 5 dimensions, 19 sub-dimensions, 5 levels above 0.

    Every activity maps to both standards (a SAMM-like one and ISO 27001's Annex A).
    """
    dimensions = ["build-deploy", "culture-org", "implementation", "information", "test-verify"]
    samm, iso = samm_streams(), iso_27001_controls()
    _model(
        root,
        {
            "id": "dsomm-shaped",
            "title": "A model shaped like DSOMM",
            "version": "1",
            "summary": "Five dimensions, nineteen sub-dimensions, five levels.",
            "answer_scale": [
                {"id": "no", "label": "Not implemented", "score": 0},
                {"id": "yes", "label": "Implemented", "score": 1},
            ],
            "groups": [{"id": d, "title": d.replace("-", " ").title()} for d in dimensions],
            "standards": [
                {"id": "samm", "title": "SAMM-like", "url": "https://example.org/samm",
                 "labels": samm},
                {"id": "iso-27001", "title": "ISO/IEC 27001:2022 Annex A",
                 "url": "https://www.iso.org/standard/27001", "labels": iso},
            ],
        },
        5,
    )  # fmt: skip
    activity = 0
    for dimension, count in zip(dimensions, DSOMM_CAPABILITIES, strict=True):
        for n in range(count):
            cap_id = f"{dimension}-{n + 1}"
            practices = []
            for level in range(1, 6):
                mappings = {
                    "samm": [samm[activity % len(samm)]],
                    "iso-27001": [iso[activity % len(iso)], iso[(activity + 7) % len(iso)]],
                }
                activity += 1
                practices.append(_practice(f"{cap_id}-l{level}", level, mappings=mappings))
            title = f"Sub-dimension {cap_id}"
            _capability(root, cap_id, title, "A sub-dimension.", dimension, practices)
    return root


def test_a_samm_shaped_model_validates(tmp_path: Path) -> None:
    fw = load_framework(samm_shaped(tmp_path / "samm"))
    assert len(fw.answer_scales) == 24
    assert len(fw.groups) == 5
    assert len(fw.capabilities) == 15
    assert [s.level for s in fw.stages] == [0, 1, 2, 3]
    assert len(fw.practices) == 90
    assert {p.scale for p in fw.practices} == set(fw.answer_scales)
    assert {c.group for c in fw.capabilities} == {g.id for g in fw.groups}
    by_id = {p.id: p for p in fw.practices}
    # Each question offers its own set's labels; the 25th question starts over with set 1.
    assert fw.scale_of(by_id["governance-practice-1-a1"])[1].label == (
        "Yes, for some applications (set 1)"
    )
    assert fw.scale_of(by_id["governance-practice-2-a2"])[3].label == (
        "Yes, most or all of them (set 8)"
    )
    assert by_id["design-practice-2-a1"].scale == "set-01"
    # Every question answered with the top option of its own set reaches the top level.
    top = {p.id: "most" for p in fw.practices}
    assert score(fw, _answers(fw, top))["evidenced_stage"]["id"] == "level-3"


def test_a_dsomm_shaped_model_validates(tmp_path: Path) -> None:
    fw = load_framework(dsomm_shaped(tmp_path / "dsomm"))
    assert len(fw.groups) == 5
    assert len(fw.capabilities) == 19
    assert [s.level for s in fw.stages] == [0, 1, 2, 3, 4, 5]
    assert len(fw.practices) == 95
    assert [(s.id, len(s.labels)) for s in fw.standards] == [("samm", 90), ("iso-27001", 93)]
    assert all(set(p.mappings) == {"samm", "iso-27001"} for p in fw.practices)


def test_a_dsomm_shaped_mapping_outside_the_standard_is_refused(tmp_path: Path) -> None:
    root = dsomm_shaped(tmp_path / "dsomm")
    path = root / "capabilities" / "culture-org-2.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("A.5.", "A.9.", 1), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_framework(root)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{path}:")
    assert "is not a label of 'iso-27001'" in str(problem)
