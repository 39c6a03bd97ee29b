"""Answers file v1: strict parsing of untrusted input, migration through `replaces`, export."""

from __future__ import annotations

import json
from typing import Any

import hostile
import pytest

from assessor import ValidationError, dump_answers, parse_answers


def answers_file(**overrides: Any) -> dict[str, Any]:
    """A kitchen answers file v1 with two answers and a note, `overrides` applied."""
    fields: dict[str, Any] = {
        "self_estimate": "routine",
        "answers": {"labelled-leftovers": "yes", "stock-rotation": "na"},
        "notes": {"labelled-leftovers": "We use masking tape."},
    }
    return hostile.answers_file("kitchen", **(fields | overrides))


def errors(kitchen: Any, data: Any) -> list[str]:
    with pytest.raises(ValidationError) as info:
        parse_answers(data, kitchen, name="answers.json")
    return [str(p) for p in info.value.problems]


def test_valid_file_parses(kitchen: Any) -> None:
    parsed = parse_answers(json.dumps(answers_file()), kitchen)
    assert parsed.self_estimate == "routine"
    assert parsed.answers == {"labelled-leftovers": "yes", "stock-rotation": "na"}
    assert parsed.notes == {"labelled-leftovers": "We use masking tape."}
    assert parsed.migrated == {}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('{"format": ', ["answers.json:1: invalid JSON: Expecting value (column 12)"]),
        ("[1, 2]", ["answers.json: (root): expected a JSON object, got list"]),
        (
            answers_file(format="maturity-playbook/answers@3"),
            [
                "answers.json: format: expected 'maturity-playbook/answers@2' (or @1), got "
                "'maturity-playbook/answers@3'"
            ],
        ),
        (
            answers_file(framework={"id": "mlops", "version": "2026.11"}),
            ["answers.json: framework.id: these answers are for framework 'mlops', not 'kitchen'"],
        ),
        (
            answers_file(answers={"labelled-leftovers": 1}),
            ["answers.json: answers.labelled-leftovers: expected text, got 1"],
        ),
        (
            answers_file(answers={"labelled-leftovers": "maybe"}),
            [
                "answers.json: answers.labelled-leftovers: unknown answer 'maybe' (expected one "
                "of: no, partial, yes, na)"
            ],
        ),
        (
            answers_file(answers={"<img src=x onerror=alert(1)>": "yes"}),
            ["answers.json: answers: '<img src=x onerror=alert(1)>' is not a valid practice id"],
        ),
        (
            answers_file(answers=["yes"]),
            ["answers.json: answers: expected an object, got list"],
        ),
        (
            answers_file(self_estimate="expert"),
            [
                "answers.json: self_estimate: unknown stage 'expert' (expected one of: basic, "
                "routine, mastery)"
            ],
        ),
        (
            answers_file(notes={"labelled-leftovers": "x" * 4001}),
            ["answers.json: notes.labelled-leftovers: note is longer than 4000 characters"],
        ),
        (
            answers_file(extra=True),
            [
                "answers.json: 'extra': unknown key (known: format, framework, respondent, team, "
                "self_estimate, answers, evidence, notes, saved_at)"
            ],
        ),
        (
            b"\xff\xfe{}",
            ["answers.json: file is not UTF-8 text"],
        ),
        (
            "[" * 100_000 + "]" * 100_000,
            ["answers.json: invalid JSON: nested too deep"],
        ),
    ],
    ids=lambda v: str(v)[:30],
)
def test_bad_answers_give_exact_errors(kitchen: Any, data: Any, expected: list[str]) -> None:
    assert errors(kitchen, data) == expected


def test_oversized_file_is_refused_before_parsing(kitchen: Any) -> None:
    big = json.dumps(answers_file(notes={"labelled-leftovers": "x" * (5 * 1024 * 1024)}))
    assert errors(kitchen, big) == [
        "answers.json: answers file is too large (5.0 MB; the limit is 1 MB)"
    ]


def test_several_problems_are_reported_together(kitchen: Any) -> None:
    data = answers_file(format=None, self_estimate=3, answers={"stock-rotation": "sure"})
    assert errors(kitchen, data) == [
        "answers.json: format: expected 'maturity-playbook/answers@2' (or @1), got None",
        "answers.json: self_estimate: unknown stage 3 (expected one of: basic, routine, mastery)",
        "answers.json: answers.stock-rotation: unknown answer 'sure' (expected one of: no, "
        "partial, yes, na)",
    ]


def test_older_version_migrates_through_replaces_and_keeps_orphans(kitchen: Any) -> None:
    data = answers_file(
        framework={"id": "kitchen", "version": "0.9"},
        answers={"first-in-first-out": "yes", "mop-rota": "partial", "separate-boards": "no"},
        notes={"first-in-first-out": "oldest at the front"},
    )
    parsed = parse_answers(data, kitchen)
    assert parsed.framework_version == "0.9"
    assert parsed.answers == {
        "separate-boards": "no",
        "stock-rotation": "yes",
        "mop-rota": "partial",
    }
    assert parsed.notes == {"stock-rotation": "oldest at the front"}
    assert parsed.migrated == {"first-in-first-out": "stock-rotation"}


def test_answer_for_new_id_wins_over_migrated_one(kitchen: Any) -> None:
    data = answers_file(answers={"first-in-first-out": "yes", "stock-rotation": "no"})
    parsed = parse_answers(data, kitchen)
    assert parsed.answers == {"stock-rotation": "no", "first-in-first-out": "yes"}
    assert parsed.migrated == {}


def test_not_applicable_refused_when_framework_forbids_it(kitchen: Any) -> None:
    import dataclasses

    strict = dataclasses.replace(kitchen, allow_not_applicable=False)
    assert errors(strict, answers_file()) == [
        "answers.json: answers.stock-rotation: unknown answer 'na' (expected one of: no, "
        "partial, yes)"
    ]


def test_dump_writes_v2_and_round_trips(kitchen: Any) -> None:
    v1 = answers_file()
    parsed = parse_answers(v1, kitchen)
    dumped = dump_answers(kitchen, parsed, saved_at="2026-11-25T18:00:00Z")
    assert dumped == {**v1, "format": "maturity-playbook/answers@2", "evidence": {}}
    assert list(dumped) == [
        "format", "framework", "self_estimate", "answers", "evidence", "notes", "saved_at"
    ]  # fmt: skip
    assert parse_answers(json.dumps(dumped), kitchen) == parsed


# Answers file v2 (DESIGN section 12): evidence, respondent and team are untrusted input too.


def answers_v2(**overrides: Any) -> dict[str, Any]:
    return answers_file(format="maturity-playbook/answers@2", **overrides)


def v2_text(body: str) -> str:
    """A v2 answers file as JSON text, with `body` spliced in raw (escapes stay as written)."""
    head = (
        '{"format": "maturity-playbook/answers@2", "framework": {"id": "kitchen", "version": "1.0"}'
    )
    return f"{head}, {body}}}"


LL = "answers.json: evidence.labelled-leftovers"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            answers_v2(evidence={"labelled-leftovers": ["photo"] * 11}),
            [f"{LL}: more than 10 evidence items"],
        ),
        (
            answers_v2(evidence={"labelled-leftovers": ["ok", "x" * 501]}),
            [f"{LL}[1]: evidence item is longer than 500 characters"],
        ),
        (
            answers_v2(evidence={"labelled-leftovers": [42, None, {"url": "https://x"}]}),
            [
                f"{LL}[0]: expected text, got 42",
                f"{LL}[1]: expected text, got None",
                f"{LL}[2]: expected text, got {{'url': 'https://x'}}",
            ],
        ),
        (
            answers_v2(evidence={"labelled-leftovers": "https://example.org/labels"}),
            [f"{LL}: expected a list of links or short texts, got 'https://example.org/labels'"],
        ),
        (
            answers_v2(evidence={"labelled-leftovers": ["javascript:alert(1)"]}),
            [f"{LL}[0]: 'javascript:' links are not allowed: give an https: link or text"],
        ),
        (
            answers_v2(evidence={"labelled-leftovers": ["   JAVASCRIPT:alert(1)"]}),
            [f"{LL}[0]: 'javascript:' links are not allowed: give an https: link or text"],
        ),
        (
            answers_v2(evidence={"labelled-leftovers": ["data:text/html,<b>1</b>", "VBScript :x"]}),
            [
                f"{LL}[0]: 'data:' links are not allowed: give an https: link or text",
                f"{LL}[1]: 'vbscript:' links are not allowed: give an https: link or text",
            ],
        ),
        (
            answers_v2(evidence={"Labelled Leftovers": ["x"]}),
            ["answers.json: evidence: 'Labelled Leftovers' is not a valid practice id"],
        ),
        (
            answers_v2(evidence=["https://example.org"]),
            ["answers.json: evidence: expected an object, got list"],
        ),
        (
            v2_text('"notes": {"labelled-leftovers": "bad \\ud800 note"}'),
            [
                "answers.json: notes.labelled-leftovers: text contains an invalid character (a "
                "lone surrogate)"
            ],
        ),
        (
            v2_text('"evidence": {"labelled-leftovers": ["\\udfff"]}'),
            [f"{LL}[0]: text contains an invalid character (a lone surrogate)"],
        ),
        (
            v2_text('"respondent": "\\ud800"'),
            ["answers.json: respondent: text contains an invalid character (a lone surrogate)"],
        ),
        (
            answers_v2(respondent="r" * 201),
            ["answers.json: respondent: expected text of at most 200 characters"],
        ),
        (
            answers_v2(team=["search"]),
            ["answers.json: team: expected text of at most 200 characters"],
        ),
        (
            answers_v2(framework={"id": "kitchen", "version": "v" * 65}),
            [
                "answers.json: framework.version: expected text of at most 64 characters, got '"
                + "v" * 56
                + "..."
            ],
        ),
        (
            v2_text('"answers": {"labelled-leftovers": ' + "9" * 5000 + "}"),
            ["answers.json: invalid JSON: a number has too many digits"],
        ),
        (
            answers_v2(answers={"labelled-leftovers": 10**5000}),
            [
                "answers.json: answers.labelled-leftovers: expected text, got a number with more "
                "than 40 digits"
            ],
        ),
    ],
    ids=[
        "11-items", "501-characters", "not-text", "not-a-list", "javascript", "JAVASCRIPT-spaces",
        "data-vbscript", "bad-practice-id", "evidence-list", "surrogate-note", "surrogate-evidence",
        "surrogate-respondent", "respondent-201", "team-not-text", "version-65",
        "5000-digit-json-number", "5000-digit-int",
    ],
)  # fmt: skip
def test_hostile_v2_fields_give_exact_errors(kitchen: Any, data: Any, expected: list[str]) -> None:
    assert errors(kitchen, data) == expected


def test_v2_evidence_links_and_text_are_accepted(kitchen: Any) -> None:
    items = ["https://git.example.com/kitchen/labels", "tag v41 in the registry", "  "]
    data = answers_v2(
        respondent="r" * 200,
        team="night shift",
        evidence={
            "labelled-leftovers": items,
            "stock-rotation": ["x" * 500] * 10,
        },
        notes={"labelled-leftovers": "\ud83d\ude00 fine"},
    )
    parsed = parse_answers(json.dumps(data), kitchen)
    assert parsed.evidence == {
        "labelled-leftovers": tuple(items),
        "stock-rotation": ("x" * 500,) * 10,
    }
    assert parsed.respondent == "r" * 200
    assert parsed.team == "night shift"
    assert parsed.has_evidence("labelled-leftovers")
    assert not parse_answers(
        answers_v2(evidence={"labelled-leftovers": ["", " \t"]}), kitchen
    ).has_evidence("labelled-leftovers")


def test_surrogate_pair_in_json_text_is_one_valid_character(kitchen: Any) -> None:
    parsed = parse_answers(v2_text('"notes": {"labelled-leftovers": "\\ud83d\\ude00"}'), kitchen)
    assert parsed.notes == {"labelled-leftovers": "\U0001f600"}


def test_v1_file_still_parses_without_evidence_or_respondent(kitchen: Any) -> None:
    parsed = parse_answers(json.dumps(answers_file()), kitchen)
    assert parsed.evidence == {}
    assert parsed.respondent is None and parsed.team is None
    assert not parsed.has_evidence("labelled-leftovers")
    assert parsed.answers == {"labelled-leftovers": "yes", "stock-rotation": "na"}
