"""Coverage per standard (assessor.standards) and what the API hands the assessment page."""

from __future__ import annotations

import dataclasses
from typing import Any

from conftest import api_call, score
from hostile import answers_file

from assessor import Framework, parse_answers
from assessor.codec import framework_to_dict
from assessor.score import effective_scores
from assessor.standards import standards_coverage

# Worked by hand on the pantry fixture (labels: S1 shelf-labels + allergen-labels, S2
# stock-count, S3 cold-chain, D1 pickup-slots, D2 allergen-labels):
# - S1: shelf-labels yes with evidence = 1; allergen-labels na (accepted) leaves it: in place.
# - S2: stock-count "all" without evidence counts as "half" (0.5): open.
# - S3: cold-chain yes with evidence = 1: in place.
# - D1: pickup-slots is a must-have, so its "na" is refused and scores 0: open.
# - D2: its only practice is not applicable: not applicable.
CASE = answers_file(
    "pantry",
    answers={"shelf-labels": "yes", "stock-count": "all", "allergen-labels": "na",
             "cold-chain": "yes", "pickup-slots": "na"},
    evidence={"shelf-labels": ["photo of the shelves"], "cold-chain": ["https://x.example/log"]},
    notes={"allergen-labels": "We hand out sealed goods only."},
)  # fmt: skip


def _labels(rows: list[dict[str, Any]]) -> list[tuple[str, str, list[str], list[str]]]:
    return [(r["label"], r["status"], r["practices"], r["open"]) for r in rows]


def _coverage(framework: Framework, data: dict[str, Any]) -> list[Any]:
    scores = effective_scores(framework, parse_answers(data, framework)).scores
    return list(standards_coverage(framework, scores))


def test_a_label_is_in_place_when_every_applicable_mapped_practice_scores_1(
    pantry: Framework,
) -> None:
    [row] = _coverage(pantry, CASE)
    assert {k: v for k, v in row.items() if k != "labels"} == {
        "id": "pantry-guide",
        "title": "Community Pantry Safety Guide",
        "url": "https://example.org/pantry-guide",
        "total": 5,
        "in_place": 2,
        "open": 2,
        "not_applicable": 1,
        "uncovered": 0,
    }
    assert _labels(row["labels"]) == [
        ("S1", "in-place", ["shelf-labels", "allergen-labels"], []),
        ("S2", "open", ["stock-count"], ["stock-count"]),
        ("S3", "in-place", ["cold-chain"], []),
        ("D1", "open", ["pickup-slots"], ["pickup-slots"]),
        ("D2", "not-applicable", ["allergen-labels"], []),
    ]
    # The same scores as the result: stock-count unevidenced, pickup-slots' "na" refused.
    result = score(pantry, CASE)
    assert result["unevidenced"] == ["stock-count"]
    assert result["not_applicable_refused"] == ["pickup-slots"]


def test_evidence_puts_a_label_in_place(pantry: Framework) -> None:
    evidenced = CASE | {"evidence": {**CASE["evidence"], "stock-count": ["count sheet"]}}
    [row] = _coverage(pantry, evidenced)
    assert (row["in_place"], row["open"]) == (3, 1)
    assert _labels(row["labels"])[1] == ("S2", "in-place", ["stock-count"], [])


def test_labels_follow_the_declared_list_and_uncovered_labels_count(pantry: Framework) -> None:
    guide = dataclasses.replace(pantry.standards[0], labels=("D2", "X9", "S1"))
    # A declared list that leaves out mapped labels is invalid YAML; the function still lists
    # them after the declared ones, in the order the practices name them.
    framework = dataclasses.replace(pantry, standards=(guide,))
    [row] = _coverage(framework, CASE)
    assert [r["label"] for r in row["labels"]] == ["D2", "X9", "S1", "S2", "S3", "D1"]
    assert row["labels"][1] == {"label": "X9", "status": "uncovered", "practices": [], "open": []}
    assert (row["total"], row["in_place"], row["uncovered"]) == (6, 2, 1)
    # Without a declared list: the order in which the practices (framework order) name them.
    bare = dataclasses.replace(pantry, standards=(dataclasses.replace(guide, labels=()),))
    [row] = _coverage(bare, CASE)
    assert [r["label"] for r in row["labels"]] == ["S1", "S2", "S3", "D1", "D2"]


def test_unanswered_practices_keep_every_label_open(pantry: Framework) -> None:
    [row] = _coverage(pantry, answers_file("pantry"))
    assert [r["status"] for r in row["labels"]] == ["open"] * 5
    assert row["in_place"] == 0


def _call(op: str, **fields: Any) -> dict[str, Any]:
    reply = api_call(op, **fields)
    assert reply["ok"], reply
    return reply


def test_load_tells_the_page_each_practice_scale_and_the_groups(pantry: Framework) -> None:
    info = _call("load", framework=framework_to_dict(pantry))
    assert info["answer_scales"] == {
        "coverage": [{"id": "none", "label": "No shelf or slot"},
                     {"id": "some", "label": "Some of them"},
                     {"id": "half", "label": "At least half of them"},
                     {"id": "all", "label": "All of them"}],
        "check": [{"id": "no", "label": "No"}, {"id": "yes", "label": "Yes"}],
    }  # fmt: skip
    assert info["practice_scales"] == {
        "stock-count": "coverage", "donation-log": "check", "cold-chain": "check",
        "pickup-slots": "coverage",
    }  # fmt: skip
    assert info["groups"] == [
        {"id": "keep", "title": "Keeping stock"},
        {"id": "share", "title": "Sharing food"},
    ]
    assert info["limits"] == {
        "max_answers_bytes": 1024 * 1024, "max_note_chars": 4000,
        "max_evidence_items": 10, "max_evidence_chars": 500,
    }  # fmt: skip


def test_score_replies_with_the_coverage_per_standard(pantry: Framework, kitchen: Any) -> None:
    _call("load", framework=framework_to_dict(pantry))
    reply = _call("score", answers=CASE)
    assert reply["result"] == score(pantry, CASE)
    assert reply["standards"] == _coverage(pantry, CASE)
    # A framework without standards gets no such part.
    _call("load", framework=framework_to_dict(kitchen))
    reply = _call("score", answers=answers_file("kitchen", answers={"labelled-leftovers": "yes"}))
    assert set(reply) == {"ok", "result"}
    info = _call("load", framework=framework_to_dict(kitchen))
    assert (info["answer_scales"], info["practice_scales"], info["groups"]) == ({}, {}, [])
