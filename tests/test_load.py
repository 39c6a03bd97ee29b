"""The loader and validator: a hostile corpus with exact error lines, and a property test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import KITCHEN, PANTRY, mutated_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor import ValidationError
from assessor.codec import framework_from_dict, framework_to_dict
from assessor.cpython.load import load_framework

S = "capabilities/storage.yaml"
C = "capabilities/cleaning.yaml"
F = "framework.yaml"
# Schema v2 additions are spliced in after this line of the kitchen's framework.yaml.
T = "stage_threshold: 0.75"
SCALE = T + "\nanswer_scales:\n  check:\n"
GROUPS = T + "\ngroups:\n  - {id: keep, title: Keeping food}\n  - {id: clean, title: Keeping clean}"
STANDARD = T + (
    "\nstandards:\n  - id: haccp\n    title: HACCP principles\n"
    '    url: "https://example.org/haccp"\n    labels: ["P1", "P2", "P3"]'
)
BOARDS = "    risks: [food-poisoning]\n  - id: cleaning-schedule"


P0 = "kitchen/capabilities/cleaning.yaml:12: practices[0] (id 'separate-boards').mappings."


def boards_mapping(mapping: str) -> tuple[str, str, str]:
    """A `mappings` line added to the practice separate-boards (cleaning.yaml line 12)."""
    return (
        C,
        BOARDS,
        f"    risks: [food-poisoning]\n    mappings: {mapping}\n  - id: cleaning-schedule",
    )


# (name, [(file, old text or None, new text/bytes or None to delete)], exact error lines)
HOSTILE = [
    (
        "yaml-syntax",
        [(S, "    stage: routine\n    weight: 2", "    stage: [routine\n    weight: 2")],
        [
            "kitchen/capabilities/storage.yaml:21: YAML syntax error: did not find expected ',' or "
            "']'"
        ],
    ),
    (
        "empty-file",
        [("stages.yaml", None, "")],
        ["kitchen/stages.yaml:1: file is empty"],
    ),
    (
        "comment-only-file",
        [("risks.yaml", None, "# nothing here\n")],
        ["kitchen/risks.yaml:1: file is empty"],
    ),
    (
        "not-utf8",
        [(C, None, b"id: cleaning\ntitle: Caf\xe9\n")],
        ["kitchen/capabilities/cleaning.yaml:2: file is not valid UTF-8 text"],
    ),
    (
        "missing-framework-yaml",
        [("framework.yaml", None, None)],
        ["kitchen/framework.yaml: file not found"],
    ),
    (
        "missing-stages-yaml",
        [("stages.yaml", None, None)],
        ["kitchen/stages.yaml: file not found"],
    ),
    (
        "unknown-key-typo",
        [(S, "    question: Can you show this week", "    questoin: Can you show this week")],
        [
            "kitchen/capabilities/storage.yaml:23: practices[1] (id 'fridge-thermometer').questoin: "
            "unknown key 'questoin' (did you mean 'question'?) (known: id, title, stage, summary, "
            "question, weight, evidence, why, how, pitfalls, tools, risks, depends_on, references, "
            "replaces, required, not_applicable_when, scale, mappings)",
            "kitchen/capabilities/storage.yaml:18: practices[1] (id 'fridge-thermometer'): missing "
            "required key 'question'",
        ],
    ),
    (
        "duplicate-key",
        [(S, "    weight: 2\n", "    weight: 2\n    weight: 3\n")],
        [
            "kitchen/capabilities/storage.yaml:22: practices[1].weight: duplicate key 'weight' "
            "(first at line 21)"
        ],
    ),
    (
        "bad-slug",
        [(S, "  - id: fridge-thermometer", "  - id: Fridge Thermometer")],
        [
            "kitchen/capabilities/storage.yaml:18: practices[1] (id 'Fridge Thermometer').id: "
            "'Fridge Thermometer' is not a valid id: use lowercase letters, digits and single "
            "hyphens, at most 100 characters, e.g. 'weekly-review'"
        ],
    ),
    (
        "unknown-stage",
        [(C, "    stage: mastery", "    stage: masterie")],
        [
            "kitchen/capabilities/cleaning.yaml:21: practices[2] (id 'deep-clean-audit').stage: "
            "unknown stage 'masterie' (did you mean 'mastery'?) (known: basic, routine, mastery)"
        ],
    ),
    (
        "unknown-risk",
        [
            (
                C,
                "    risks: [food-poisoning]\n  - id: cleaning-schedule",
                "    risks: [food-poison]\n  - id: cleaning-schedule",
            )
        ],
        [
            "kitchen/capabilities/cleaning.yaml:11: practices[0] (id 'separate-boards').risks[0]: "
            "unknown risk 'food-poison' (did you mean 'food-poisoning'?) (known: food-waste, "
            "food-poisoning)"
        ],
    ),
    (
        "unknown-dependency",
        [(C, "depends_on: [separate-boards]", "depends_on: [separate-board]")],
        [
            "kitchen/capabilities/cleaning.yaml:18: practices[1] (id "
            "'cleaning-schedule').depends_on[0]: unknown practice 'separate-board' (did you mean "
            "'separate-boards'?)"
        ],
    ),
    (
        "self-dependency",
        [(C, "depends_on: [separate-boards]", "depends_on: [cleaning-schedule]")],
        [
            "kitchen/capabilities/cleaning.yaml:18: practices[1] (id "
            "'cleaning-schedule').depends_on[0]: a practice cannot depend on itself"
        ],
    ),
    (
        "dependency-on-higher-stage",
        [
            (
                S,
                "    risks: [food-waste]\n    references",
                "    risks: [food-waste]\n    depends_on: [stock-rotation]\n    references",
            )
        ],
        [
            "kitchen/capabilities/storage.yaml:17: practices[0] (id "
            "'labelled-leftovers').depends_on[0]: 'stock-rotation' is at stage 'mastery' (level 2), "
            "above this practice's stage 'routine' (level 1): a practice may only depend on "
            "practices of its own or a lower stage",
            "kitchen/capabilities/storage.yaml:17: practices[0] (id "
            "'labelled-leftovers').depends_on[0]: dependency cycle: labelled-leftovers -> "
            "stock-rotation -> labelled-leftovers",
        ],
    ),
    (
        "dependency-cycle",
        [
            (
                C,
                "    risks: [food-poisoning]\n  - id: cleaning-schedule",
                "    risks: [food-poisoning]\n    depends_on: [cleaning-schedule]\n  - id: cleaning-schedule",
            )
        ],
        [
            "kitchen/capabilities/cleaning.yaml:12: practices[0] (id "
            "'separate-boards').depends_on[0]: dependency cycle: separate-boards -> "
            "cleaning-schedule -> separate-boards"
        ],
    ),
    (
        "capability-id-not-file-name",
        [(C, "id: cleaning\n", "id: cleaning-up\n")],
        [
            "kitchen/framework.yaml:12: capability_order[1]: unknown capability 'cleaning' (did you "
            "mean 'cleaning-up'?) (known: cleaning-up, storage)",
            "kitchen/capabilities/cleaning.yaml:2: id: capability id 'cleaning-up' must equal the "
            "file name 'cleaning' (rename the file to cleaning-up.yaml or change the id)",
        ],
    ),
    (
        "duplicate-practice-id",
        [(C, "  - id: deep-clean-audit", "  - id: fridge-thermometer")],
        [
            "kitchen/capabilities/storage.yaml:18: practices[1] (id 'fridge-thermometer').id: "
            "duplicate practice id 'fridge-thermometer' (first at "
            "kitchen/capabilities/cleaning.yaml:19)"
        ],
    ),
    (
        "duplicate-stage-id",
        [("stages.yaml", "- id: mastery", "- id: routine")],
        [
            "kitchen/stages.yaml:13: [2] (id 'routine').id: duplicate stage id 'routine' (first at "
            "kitchen/stages.yaml:7)",
            "kitchen/capabilities/cleaning.yaml:21: practices[2] (id 'deep-clean-audit').stage: "
            "unknown stage 'mastery' (known: basic, routine)",
            "kitchen/capabilities/storage.yaml:28: practices[2] (id 'stock-rotation').stage: "
            "unknown stage 'mastery' (known: basic, routine)",
        ],
    ),
    (
        "stage-levels-out-of-order",
        [("stages.yaml", "  level: 1", "  level: 2")],
        [
            "kitchen/stages.yaml:8: [1] (id 'routine').level: expected level 1: stages are listed "
            "lowest first with levels 0, 1, 2, ... (got 2)"
        ],
    ),
    (
        "score-out-of-range",
        [("framework.yaml", "score: 1}", "score: 1.5}")],
        ["kitchen/framework.yaml:11: answer_scale[2] (id 'yes').score: must be at most 1, got 1.5"],
    ),
    (
        "weight-zero",
        [(C, "    weight: 2", "    weight: 0")],
        [
            "kitchen/capabilities/cleaning.yaml:15: practices[1] (id 'cleaning-schedule').weight: "
            "must be above 0, got 0"
        ],
    ),
    (
        "threshold-above-one",
        [("framework.yaml", "stage_threshold: 0.75", "stage_threshold: 75")],
        ["kitchen/framework.yaml:7: stage_threshold: must be at most 1, got 75"],
    ),
    (
        "version-unquoted",
        [("framework.yaml", 'version: "1.0"', "version: 1.0")],
        ["kitchen/framework.yaml:5: version: expected text, got a number (put it in quotes)"],
    ),
    (
        "missing-required-key",
        [(C, "    question: Can you show last month's completed deep-clean checklist?\n", "")],
        [
            "kitchen/capabilities/cleaning.yaml:19: practices[2] (id 'deep-clean-audit'): missing "
            "required key 'question'"
        ],
    ),
    (
        "text-instead-of-list",
        [
            (
                S,
                '    evidence: ["A thermometer inside the fridge", "A log sheet with daily readings"]',
                "    evidence: A thermometer inside the fridge",
            )
        ],
        [
            "kitchen/capabilities/storage.yaml:24: practices[1] (id 'fridge-thermometer').evidence: "
            "expected a list, got text"
        ],
    ),
    (
        "empty-title",
        [(C, "title: Cleaning\n", 'title: ""\n')],
        ["kitchen/capabilities/cleaning.yaml:3: title: must not be empty"],
    ),
    (
        "reserved-na-answer",
        [("framework.yaml", '{id: partial, label: "Sometimes"', '{id: na, label: "Sometimes"')],
        [
            "kitchen/framework.yaml:10: answer_scale[1] (id 'na').id: 'na' is reserved for 'not "
            "applicable'"
        ],
    ),
    (
        "scores-not-increasing",
        [("framework.yaml", "score: 0.5}", "score: 0}")],
        [
            "kitchen/framework.yaml:10: answer_scale[1] (id 'partial').score: scores must increase "
            "along the scale, lowest first (0 is not above 0)"
        ],
    ),
    (
        "yaml-alias",
        [
            (
                C,
                "summary: Surfaces and tools are clean before and after use.",
                "summary: &s Surfaces and tools are clean before and after use.\ndescription: *s",
            )
        ],
        [
            "kitchen/capabilities/cleaning.yaml:4: description: YAML aliases (*name) are not "
            "supported: write the value out"
        ],
    ),
    (
        "python-tag",
        [(C, "title: Cleaning\n", "title: !!python/object/apply:os.system [echo hi]\n")],
        [
            "kitchen/capabilities/cleaning.yaml:3: title: unsupported YAML tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'"
        ],
    ),
    (
        "capability-is-a-list",
        [(C, None, "- id: cleaning\n")],
        ["kitchen/capabilities/cleaning.yaml:1: expected a mapping, got a list"],
    ),
    (
        "stages-is-a-mapping",
        [("stages.yaml", None, "id: basic\nlevel: 0\n")],
        ["kitchen/stages.yaml:1: expected a list of stages, got a mapping"],
    ),
    (
        "replaces-existing-id",
        [
            (
                C,
                "    depends_on: [separate-boards]",
                "    depends_on: [separate-boards]\n    replaces: [separate-boards]",
            )
        ],
        [
            "kitchen/capabilities/cleaning.yaml:19: practices[1] (id "
            "'cleaning-schedule').replaces[0]: 'separate-boards' is still a practice id: a practice "
            "can only replace ids that no longer exist"
        ],
    ),
    (
        "replaces-cycle",
        [
            (S, "replaces: [first-in-first-out]", "replaces: [labelled-leftovers]"),
            (
                S,
                "    risks: [food-waste]\n    references",
                "    risks: [food-waste]\n    replaces: [stock-rotation]\n    references",
            ),
        ],
        [
            "kitchen/capabilities/storage.yaml:17: practices[0] (id 'labelled-leftovers').replaces[0]: 'stock-rotation' is still a practice id: a practice can only replace ids that no longer exist",
            "kitchen/capabilities/storage.yaml:34: practices[2] (id 'stock-rotation').replaces[0]: 'labelled-leftovers' is still a practice id: a practice can only replace ids that no longer exist",
        ],
    ),
    (
        "replaced-twice",
        [
            (
                C,
                "    depends_on: [separate-boards]",
                "    depends_on: [separate-boards]\n    replaces: [first-in-first-out]",
            )
        ],
        [
            "kitchen/capabilities/storage.yaml:33: practices[2] (id 'stock-rotation').replaces[0]: "
            "'first-in-first-out' is already replaced by 'cleaning-schedule'"
        ],
    ),
    (
        "unknown-capability-in-order",
        [
            (
                "framework.yaml",
                "capability_order: [storage, cleaning]",
                "capability_order: [storage, cleaning, washing]",
            )
        ],
        [
            "kitchen/framework.yaml:12: capability_order[2]: unknown capability 'washing' (known: "
            "cleaning, storage)"
        ],
    ),
    (
        "javascript-url",
        [(S, 'url: "https://example.org/labels"', 'url: "javascript:alert(1)"')],
        [
            "kitchen/capabilities/storage.yaml:17: practices[0] (id "
            "'labelled-leftovers').references[0].url: 'javascript:alert(1)' is not an absolute "
            "http(s) URL"
        ],
    ),
    (
        "yml-extension",
        [("capabilities/extra.yml", None, "id: extra\n")],
        ["kitchen/capabilities/extra.yml: capability files must end in .yaml"],
    ),
    (
        "key-not-text",
        [(C, "title: Cleaning\n", "title: Cleaning\nyes: sure\n")],
        [
            "kitchen/capabilities/cleaning.yaml:4: (root): keys must be text, got True (put it in "
            "quotes)"
        ],
    ),
    (
        "merge-key",
        [(C, "title: Cleaning\n", "title: Cleaning\n<<: {summary: x}\n")],
        ["kitchen/capabilities/cleaning.yaml:4: (root): YAML merge keys (<<) are not supported"],
    ),
    (
        "two-documents",
        [(C, "title: Cleaning\n", "title: Cleaning\n---\nid: other\n")],
        [
            "kitchen/capabilities/cleaning.yaml:4: YAML syntax error: expected a single document in "
            "the stream, but found another document"
        ],
    ),
    (
        "deep-nesting",
        [
            (
                C,
                "title: Cleaning\n",
                "title: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
            )
        ],
        [
            "kitchen/capabilities/cleaning.yaml:3: "
            "title[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][...][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: "
            "nested more than 50 levels deep"
        ],
    ),
    (
        "no-capabilities",
        [(S, None, None), (C, None, None)],
        [
            "kitchen/framework.yaml:12: capability_order[0]: unknown capability 'storage' (known: "
            "none)",
            "kitchen/framework.yaml:12: capability_order[1]: unknown capability 'cleaning' (known: "
            "none)",
            "kitchen/capabilities: no capability files (*.yaml) found",
        ],
    ),
    (
        "errors-in-several-files",
        [
            (C, "    stage: mastery", "    stage: masterie"),
            (S, "    weight: 2", "    weight: heavy"),
            ("stages.yaml", "  title: Routine", "  titel: Routine"),
        ],
        [
            "kitchen/stages.yaml:9: [1] (id 'routine').titel: unknown key 'titel' (did you mean "
            "'title'?) (known: id, level, title, summary, description, signals)",
            "kitchen/stages.yaml:7: [1] (id 'routine'): missing required key 'title'",
            "kitchen/capabilities/storage.yaml:21: practices[1] (id 'fridge-thermometer').weight: "
            "expected a number, got text",
        ],
    ),
    # Schema v2 (DESIGN section 10).
    (
        "v2-required-with-not-applicable-when",
        [
            (
                C,
                "    weight: 2\n",
                '    weight: 2\n    required: true\n    not_applicable_when: "You never cook."\n',
            )
        ],
        [
            "kitchen/capabilities/cleaning.yaml:17: practices[1] (id "
            "'cleaning-schedule').not_applicable_when: a required practice never accepts 'not "
            "applicable': remove 'not_applicable_when' or 'required'"
        ],
    ),
    (
        "v2-unknown-not-applicable-policy",
        [(F, T, T + "\nnot_applicable: sometimes")],
        [
            "kitchen/framework.yaml:8: not_applicable: expected one of anywhere, listed, nowhere, "
            "got 'sometimes'"
        ],
    ),
    (
        "v2-both-not-applicable-keys",
        [(F, T, T + "\nallow_not_applicable: true\nnot_applicable: listed")],
        [
            "kitchen/framework.yaml:9: not_applicable: give either 'not_applicable' or the older "
            "'allow_not_applicable', not both"
        ],
    ),
    (
        "v2-unknown-scale-none-declared",
        [(C, "    weight: 2\n", "    weight: 2\n    scale: coverage\n")],
        [
            "kitchen/capabilities/cleaning.yaml:16: practices[1] (id 'cleaning-schedule').scale: "
            "unknown answer scale 'coverage' (known: none: declare 'answer_scales' in "
            "framework.yaml)"
        ],
    ),
    (
        "v2-unknown-scale-typo",
        [
            (
                F,
                T,
                SCALE
                + '    - {id: "no", label: "No", score: 0}\n    - {id: "yes", label: "Yes", score: 1}',
            ),
            (C, "    weight: 2\n", "    weight: 2\n    scale: chek\n"),
        ],
        [
            "kitchen/capabilities/cleaning.yaml:16: practices[1] (id 'cleaning-schedule').scale: "
            "unknown answer scale 'chek' (did you mean 'check'?) (known: check)"
        ],
    ),
    (
        "v2-scale-without-zero",
        [
            (
                F,
                T,
                SCALE
                + '    - {id: some, label: "Some", score: 0.5}\n    - {id: all, label: "All", score: 1}',
            )
        ],
        [
            "kitchen/framework.yaml:9: answer_scales.check: a scale needs an option that scores 0 "
            "(its lowest answer)"
        ],
    ),
    (
        "v2-scale-without-one",
        [
            (
                F,
                T,
                SCALE
                + '    - {id: "no", label: "No", score: 0}\n    - {id: most, label: "Most", score: 0.75}',
            )
        ],
        [
            "kitchen/framework.yaml:9: answer_scales.check: a scale needs an option that scores 1 "
            "(full credit)"
        ],
    ),
    (
        "v2-capability-without-group",
        [(F, T, GROUPS), (S, "title: Food storage\n", "title: Food storage\ngroup: keep\n")],
        [
            "kitchen/capabilities/cleaning.yaml:2: missing required key 'group': the framework "
            "declares groups (keep, clean), so every capability names one"
        ],
    ),
    (
        "v2-unknown-group",
        [
            (F, T, GROUPS),
            (S, "title: Food storage\n", "title: Food storage\ngroup: keep\n"),
            (C, "title: Cleaning\n", "title: Cleaning\ngroup: cleen\n"),
        ],
        [
            "kitchen/capabilities/cleaning.yaml:4: group: unknown group 'cleen' (did you mean "
            "'clean'?) (known: keep, clean)"
        ],
    ),
    (
        "v2-unknown-standard-none-declared",
        [boards_mapping("{haccp: [P1]}")],
        [P0 + "haccp: unknown standard 'haccp' (known: none: declare 'standards')"],
    ),
    (
        "v2-unknown-standard-typo",
        [(F, T, STANDARD), boards_mapping("{hacp: [P1]}")],
        [P0 + "hacp: unknown standard 'hacp' (did you mean 'haccp'?) (known: haccp)"],
    ),
    (
        "v2-label-outside-standard",
        [(F, T, STANDARD), boards_mapping("{haccp: [P1, P4]}")],
        [P0 + "haccp[1]: 'P4' is not a label of 'haccp' (known: P1, P2, P3)"],
    ),
    (
        "v2-duplicate-label-in-mapping",
        [(F, T, STANDARD), boards_mapping("{haccp: [P2, P2]}")],
        [P0 + "haccp[1]: 'P2' is listed twice"],
    ),
    (
        "v2-duplicate-label-in-standard",
        [(F, T, STANDARD.replace('"P3"]', '"P1"]'))],
        ["kitchen/framework.yaml:12: standards[0] (id 'haccp').labels[2]: 'P1' is listed twice"],
    ),
    (
        "v2-mapping-without-labels",
        [(F, T, STANDARD), boards_mapping("{haccp: []}")],
        [P0 + "haccp: expected at least 1 item(s), got 0"],
    ),
    (
        "v2-required-not-boolean",
        [(C, "    weight: 2\n", "    weight: 2\n    required: yes please\n")],
        [
            "kitchen/capabilities/cleaning.yaml:16: practices[1] (id "
            "'cleaning-schedule').required: expected true or false, got text"
        ],
    ),
    (
        "v2-evidence-required-not-boolean",
        [(F, T, T + '\nevidence_required: "true"')],
        ["kitchen/framework.yaml:8: evidence_required: expected true or false, got text"],
    ),
    (
        # A block scalar keeps its final newline. Each problem must stay one printable line:
        # the id in the path is escaped like the one in the message.
        "v2-id-with-trailing-newline",
        [(C, "  - id: separate-boards\n", "  - id: |\n      separate-boards\n")],
        [
            "kitchen/capabilities/cleaning.yaml:6: practices[0] (id 'separate-boards\\n').id: "
            "'separate-boards\\n' is not a valid id: use lowercase letters, digits and single "
            "hyphens, at most 100 characters, e.g. 'weekly-review'"
        ],
    ),
    (
        # A right-to-left override and a bell reach the terminal raw through the path.
        "v2-id-with-control-characters",
        [(C, "  - id: separate-boards\n", '  - id: "sep\\u202eboards\\a"\n')],
        [
            "kitchen/capabilities/cleaning.yaml:6: practices[0] (id 'sep\\u202eboards\\x07').id: "
            "'sep\\u202eboards\\x07' is not a valid id: use lowercase letters, digits and single "
            "hyphens, at most 100 characters, e.g. 'weekly-review'"
        ],
    ),
    (
        "v2-id-of-101-characters",
        [(C, "  - id: separate-boards\n", "  - id: " + "a" * 101 + "\n")],
        [
            "kitchen/capabilities/cleaning.yaml:6: practices[0] (id '"
            + "a" * 57
            + "...').id: '"
            + "a" * 57
            + "...' is not a valid id: it has 101 characters, at most 100 are allowed"
        ],
    ),
    (
        # 100 characters is still a valid id: only the dependency on the old id is left dangling.
        "v2-id-of-100-characters-is-valid",
        [(C, "  - id: separate-boards\n", "  - id: " + "a" * 100 + "\n")],
        [
            "kitchen/capabilities/cleaning.yaml:18: practices[1] (id "
            "'cleaning-schedule').depends_on[0]: unknown practice 'separate-boards'"
        ],
    ),
]


def test_hostile_corpus_is_large_enough() -> None:
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize(("name", "mutations", "expected"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_framework_gives_exact_errors(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    mutations: list[tuple[str, object, object]],
    expected: list[str],
) -> None:
    mutated_copy(tmp_path, mutations)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationError) as info:
        load_framework("kitchen")
    assert [str(p) for p in info.value.problems] == expected


def test_missing_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationError) as info:
        load_framework("nowhere")
    assert str(info.value) == "nowhere: no such framework directory"


def test_valid_fixture_and_default_framework_load() -> None:
    kitchen = load_framework(KITCHEN)
    assert [c.id for c in kitchen.capabilities] == ["storage", "cleaning"]
    assert [s.level for s in kitchen.stages] == [0, 1, 2]
    assert load_framework(KITCHEN.parent.parent.parent / "framework").id == "mlops"


def test_framework_round_trips_through_plain_dict() -> None:
    kitchen = load_framework(KITCHEN)
    assert framework_from_dict(framework_to_dict(kitchen)) == kitchen


def test_from_dict_reports_bad_plain_data() -> None:
    data = framework_to_dict(load_framework(KITCHEN))
    data["capabilities"][0]["practices"][0]["weight"] = "heavy"
    with pytest.raises(ValidationError) as info:
        framework_from_dict(data)
    assert str(info.value) == (
        "framework.json: practices[0] (id 'labelled-leftovers').weight: expected a number, got text"
    )


_FILES = sorted(p.relative_to(KITCHEN).as_posix() for p in KITCHEN.rglob("*.yaml"))


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, int, str, str]:
    """A file, a position, and an edit: delete, duplicate, or insert hostile text."""
    name = draw(st.sampled_from(_FILES))
    size = len((KITCHEN / name).read_text(encoding="utf-8"))
    pos = draw(st.integers(0, size))
    kind = draw(st.sampled_from(["delete", "insert", "duplicate-line"]))
    text = draw(
        st.one_of(
            st.sampled_from(
                [":", "- ", "  ", "\n", "[", "{", "&a ", "*a", "!!python/name:os.system ",
                 "<<: ", "? ", "\t", "'", '"', "|", ">", "%", "@", "`", "\x00", "\ufeff", "yes",
                 "~", "1e400", "-.inf", ".nan", "2026-11-25", "0x1F"]
            ),
            st.text(max_size=8),
        )
    )  # fmt: skip
    return name, pos, kind, text


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(mutation(), min_size=1, max_size=3))
def test_mutated_yaml_is_accepted_or_rejected_cleanly(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, int, str, str]]
) -> None:
    root = tmp_path_factory.mktemp("mutant") / "kitchen"
    shutil.copytree(KITCHEN, root)
    for name, pos, kind, text in edits:
        path = root / name
        data = path.read_text(encoding="utf-8")
        pos = min(pos, len(data))
        if kind == "delete":
            data = data[:pos] + data[pos + max(1, len(text)) :]
        elif kind == "insert":
            data = data[:pos] + text + data[pos:]
        else:
            start = data.rfind("\n", 0, pos) + 1
            end = data.find("\n", pos)
            line = data[start : end + 1 if end >= 0 else len(data)]
            data = data[:start] + line + data[start:]
        path.write_text(data, encoding="utf-8")
    try:
        framework = load_framework(root)
    except ValidationError as exc:
        assert exc.problems, "a ValidationError must carry at least one problem"
        for problem in exc.problems:
            # Every problem names a file of this framework, on one line.
            assert Path(problem.file).resolve().is_relative_to(root.resolve()), problem
            assert "\n" not in str(problem) and problem.message, problem
    else:
        assert framework.id


def test_pantry_fixture_uses_every_schema_v2_field() -> None:
    """The v2 golden cases rely on tests/fixtures/pantry using each v2 field at least once."""
    pantry = load_framework(PANTRY)
    assert pantry.not_applicable_policy == "listed"
    assert pantry.evidence_required
    assert {name: [o.score for o in scale] for name, scale in pantry.answer_scales.items()} == {
        "coverage": [0, 0.25, 0.5, 1],
        "check": [0, 1],
    }
    assert [g.id for g in pantry.groups] == ["keep", "share"]
    assert all(c.group for c in pantry.capabilities)
    assert [s.labels for s in pantry.standards] == [("S1", "S2", "S3", "D1", "D2")]
    practices = pantry.practices
    assert len(pantry.stages) == 4
    assert any(p.required for p in practices)
    assert any(p.not_applicable_when for p in practices)
    assert {p.scale for p in practices} == {None, "coverage", "check"}
    assert any(p.mappings for p in practices)
    assert any(p.depends_on for p in practices)
    assert len({p.weight for p in practices}) > 1
