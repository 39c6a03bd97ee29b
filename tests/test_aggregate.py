"""Many answers files: team calibration (golden cases worked out by hand), the organisation roll-up,
a team's history, the roadmap CSV and the browser's api ops; the team cases also under real
Pyodide in Node."""

from __future__ import annotations

import base64
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT, api_call, run_under_pyodide, score
from hostile import share_fragment

from assessor import Framework, api, parse_answers
from assessor import score as score_result
from assessor.aggregate import AnswersFile, Rejected, read_many, saved_at_key, unique_names
from assessor.aggregate_contracts import HistoryResult, OrgResult
from assessor.codec import framework_from_trusted_dict, framework_to_dict
from assessor.cpython.batch import read_file
from assessor.cpython.load import load_framework
from assessor.history import history, render_history_markdown
from assessor.model import NOT_APPLICABLE
from assessor.org import org, render_org_csv, render_org_markdown
from assessor.team import render_team_markdown, team
from assessor.tracker_csv import roadmap_csv
from playbook_site.runtime import framework_json

TEAM_GOLDEN = FIXTURES / "golden" / "team.json"
TEAM_CASES: list[dict[str, Any]] = json.loads(TEAM_GOLDEN.read_text(encoding="utf-8"))["cases"]
ORG = FIXTURES / "org"
HISTORY = FIXTURES / "history"
# Why tests/fixtures/org/broken.json (cut off after its third line) is left out.
BROKEN = "line 4: invalid JSON: Expecting property name enclosed in double quotes (column 1)"


@pytest.fixture(scope="module")
def mlops() -> Framework:
    return load_framework(ROOT / "framework")


def load(framework: Framework, files: list[tuple[str, Any]]) -> list[AnswersFile | Rejected]:
    """Files given as (name, data): data is a dict (dumped to JSON) or raw text."""
    sources = [(n, d if isinstance(d, str) else json.dumps(d)) for n, d in files]
    return list(read_many(framework, sources))


def case_files(case: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(f["name"], f["data"]) for f in case["files"]]


def mlops_file(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "maturity-playbook/answers@2",
        "framework": {"id": "mlops", "version": "2027.1"},
        "answers": {},
    }
    data.update(fields)
    return data


# --- team: golden cases ---------------------------------------------------------------------


def test_there_are_enough_team_cases() -> None:
    assert len(TEAM_CASES) >= 6
    assert len({c["name"] for c in TEAM_CASES}) == len(TEAM_CASES)
    assert all(c["why"] and c["expect"] for c in TEAM_CASES)


@pytest.mark.parametrize("case", TEAM_CASES, ids=[c["name"] for c in TEAM_CASES])
def test_team_golden_case(kitchen: Framework, case: dict[str, Any]) -> None:
    result = team(kitchen, load(kitchen, case_files(case)))
    expect = case["expect"]
    assert result["format"] == "maturity-playbook/team@1"
    assert result["respondents"] == expect["respondents"]
    rows = {row["practice"]: row for row in result["practices"]}
    assert list(rows) == [p.id for p in kitchen.practices]
    assert {pid: row["spread"] for pid, row in rows.items()} == expect["spread"]
    assert {pid for pid, row in rows.items() if row["disagreement"]} == {
        pid for pid, spread in expect["spread"].items() if spread >= 0.5
    }
    for pid, answers in expect.get("answers", {}).items():
        assert rows[pid]["answers"] == answers, pid
    for key in ("evidence", "notes"):
        for pid, given in expect.get(key, {}).items():
            assert rows[pid][key] == given, (key, pid)
    assert result["discuss_first"] == expect["discuss_first"]
    assert result["consensus"] == expect["consensus"]
    assert {pid: row["consensus"] for pid, row in rows.items()} == {
        p.id: expect["consensus"]["answers"].get(p.id) for p in kitchen.practices
    }
    assert result["consensus_stage"] == expect["consensus_stage"]
    assert result["shortened"] == []
    assert result["rejected"] == []


@pytest.mark.parametrize("case", TEAM_CASES, ids=[c["name"] for c in TEAM_CASES])
def test_consensus_scores_as_a_normal_answers_file(
    kitchen: Framework, case: dict[str, Any]
) -> None:
    consensus = team(kitchen, load(kitchen, case_files(case)))["consensus"]
    text = json.dumps(consensus)
    result = score(kitchen, parse_answers(text, kitchen, "consensus.json"))
    assert result["evidenced_stage"]["id"] == case["expect"]["consensus_stage"]
    # The page imports it like any export: nothing is lost on the way in.
    imported = json.loads(
        api.handle(json.dumps({"op": "load", "framework": _slim(kitchen), "verify": False}))
    )
    assert imported["ok"], imported
    reply = json.loads(api.handle(json.dumps({"op": "import", "payload": {"text": text}})))
    assert reply["ok"], reply
    assert reply["answers"] == consensus


def _slim(framework: Framework) -> Any:
    return json.loads(framework_json(framework))


def test_team_puts_must_haves_first_then_weight_then_id(mlops: Framework) -> None:
    """mlops: model-risk-tiering is a must-have of weight 2; llm-guardrails and
    orchestrated-training-pipeline are optional with weight 3; baseline-model weight 1."""
    evidence = ["https://git.example.com/ml"]
    disputed = [
        "baseline-model",
        "orchestrated-training-pipeline",
        "model-risk-tiering",
        "llm-guardrails",
    ]
    yes = mlops_file(
        respondent="Ana",
        answers=dict.fromkeys(disputed, "yes"),
        evidence=dict.fromkeys(disputed, evidence),
    )
    no = mlops_file(respondent="Ben", answers=dict.fromkeys(disputed, "no"))
    result = team(mlops, load(mlops, [("ana.json", yes), ("ben.json", no)]))
    assert result["discuss_first"] == [
        "model-risk-tiering",
        "llm-guardrails",
        "orchestrated-training-pipeline",
        "baseline-model",
    ]


def test_evidence_from_someone_named_like_a_url_scheme_stays_importable(
    kitchen: Framework,
) -> None:
    """Answers files refuse items that start with 'data:' (a script-capable link); a respondent
    named 'Data' must not turn evidence into one."""
    files = [
        (
            f"{name}.json",
            {
                "format": "maturity-playbook/answers@2",
                "framework": {"id": "kitchen", "version": "1.0"},
                "respondent": name,
                "answers": {"fridge-thermometer": "yes"},
                "evidence": {"fridge-thermometer": [f"log kept by {name.strip()}"]},
            },
        )
        for name in ("Data", " java script", "Ana")
    ]
    result = team(kitchen, load(kitchen, files))
    assert result["consensus"]["evidence"] == {
        "fridge-thermometer": [
            "[Data]: log kept by Data",
            "[ java script]: log kept by java script",
            "Ana: log kept by Ana",
        ]
    }
    parse_answers(json.dumps(result["consensus"]), kitchen)


def test_consensus_stays_within_the_answers_file_limits(kitchen: Framework) -> None:
    """12 people give 12 different items: 10 stay evidence, the other 2 go into the note, and
    the practice is listed as shortened when text had to be cut."""
    files = []
    for i in range(12):
        files.append(
            (
                f"p{i:02d}.json",
                {
                    "format": "maturity-playbook/answers@2",
                    "framework": {"id": "kitchen", "version": "1.0"},
                    "respondent": f"P{i:02d}",
                    "answers": {"fridge-thermometer": "yes"},
                    "evidence": {"fridge-thermometer": [f"item {i}"]},
                    "notes": {"fridge-thermometer": "x" * 400},
                },
            )
        )
    result = team(kitchen, load(kitchen, files))
    consensus = result["consensus"]
    assert consensus["evidence"]["fridge-thermometer"] == [f"P{i:02d}: item {i}" for i in range(10)]
    note = consensus["notes"]["fridge-thermometer"]
    assert len(note) == 4000 and note.endswith("…")
    assert result["shortened"] == ["fridge-thermometer"]
    parse_answers(json.dumps(consensus), kitchen)
    # Nothing is lost in the team result itself: every person's own text is there.
    row = next(r for r in result["practices"] if r["practice"] == "fridge-thermometer")
    assert row["notes"] == {f"P{i:02d}": "x" * 400 for i in range(12)}


def test_team_leaves_out_broken_and_foreign_files_and_uses_the_rest(kitchen: Framework) -> None:
    case = TEAM_CASES[0]
    files = [
        *case_files(case),
        ("broken.json", "{"),
        ("ranking.json", mlops_file()),
    ]
    result = team(kitchen, load(kitchen, files))
    assert [r["name"] for r in result["respondents"]] == ["Priya", "Omar", "lee"]
    assert result["consensus"] == case["expect"]["consensus"]
    assert result["rejected"] == [
        {
            "file": "broken.json",
            "message": "line 1: invalid JSON: Expecting property name enclosed in double quotes "
            "(column 2)",
        },
        {
            "file": "ranking.json",
            "message": "framework.id: these answers are for framework 'mlops', not 'kitchen'",
        },
    ]


def test_team_markdown_summary(kitchen: Framework) -> None:
    case = next(c for c in TEAM_CASES if c["name"] == "one-dissenter")
    text = render_team_markdown(team(kitchen, load(kitchen, case_files(case))))
    assert text.splitlines()[:18] == [
        "# Kitchen Hygiene Playbook: team calibration",
        "",
        "3 respondents; the consensus answers reach stage 0 (Getting by).",
        "",
        "| Respondent | File | Self-estimate | Evidenced stage | Reality gap |",
        "| --- | --- | --- | --- | ---: |",
        "| Priya | priya.json | 1 (Routine) | 1 (Routine) | 0 |",
        "| Omar | omar.json | 1 (Routine) | 1 (Routine) | 0 |",
        "| Lee | lee.json | 0 (Getting by) | 0 (Getting by) | 0 |",
        "",
        "## Discuss first",
        "",
        "1. The fridge temperature is checked daily (`fridge-thermometer`): Priya: yes; Omar: yes; "
        "Lee: partial. Spread 0.5.",
        "2. Raw and cooked food use separate boards (`separate-boards`): Priya: yes; Omar: yes; "
        "Lee: no. Spread 1.",
        "",
        "## Answers",
        "",
        "| Practice | Priya | Omar | Lee | Spread | Consensus |",
    ]
    assert "| `separate-boards` | yes | yes | no | 1 | no (disagreement) |" in text


def test_names_made_unique() -> None:
    assert unique_names(
        ["Sam", "Sam", "Kim", "Ana", "Ana", "Bo", "Bo"],
        [
            "a/sam.json",
            "b/sam.json",
            "kim.json",
            "x/ana1.json",
            "x/ana2.json",
            "bo.json",
            "bo.json",
        ],
    ) == [
        "Sam (a/sam.json)",
        "Sam (b/sam.json)",
        "Kim",
        "Ana (ana1.json)",
        "Ana (ana2.json)",
        "Bo (bo.json)",
        "Bo (bo.json) #2",
    ]


# --- reading many files ---------------------------------------------------------------------


def test_read_many_migrates_refuses_and_rejects_by_name(kitchen: Framework) -> None:
    loaded = list(read_many(kitchen, [(p.name, p) for p in sorted(ORG.glob("*.json"))], read_file))
    assert [type(item).__name__ for item in loaded] == [
        "AnswersFile", "Rejected", "AnswersFile", "AnswersFile", "Rejected", "AnswersFile",
    ]  # fmt: skip
    bakery = loaded[0]
    assert isinstance(bakery, AnswersFile) and bakery.file == "bakery.json"
    assert bakery.answers.migrated == {"first-in-first-out": "stock-rotation"}
    assert bakery.answers.answers["stock-rotation"] == "yes"
    assert [r.as_dict() for r in loaded if isinstance(r, Rejected)] == [
        {
            "file": "broken.json",
            "message": BROKEN,
        },
        {
            "file": "mlops-team.json",
            "message": "framework.id: these answers are for framework 'mlops', not 'kitchen'",
        },
    ]


def test_a_rejection_names_at_most_three_problems(kitchen: Framework) -> None:
    bad = {"format": "x", "framework": {"id": "kitchen"}, "answers": {"A": 1, "B": 2, "C": 3}}
    (rejected,) = load(kitchen, [("bad.json", bad)])
    assert isinstance(rejected, Rejected)
    assert rejected.as_dict()["message"] == (
        "format: expected 'maturity-playbook/answers@2' (or @1), got 'x'; answers: 'A' is not a "
        "valid practice id; answers: 'B' is not a valid practice id (and 1 more problem)"
    )


def test_saved_at_is_read_as_a_moment() -> None:
    earlier, later = saved_at_key("2027-01-10T12:00:00+05:00"), saved_at_key("2027-01-10T08:00:00Z")
    assert earlier is not None and later is not None and earlier < later
    assert saved_at_key("2027-01-10T08:00:00") == saved_at_key("2027-01-10T08:00:00Z")
    assert saved_at_key("last Tuesday") is None
    assert saved_at_key(None) is None


# --- org ------------------------------------------------------------------------------------


def org_of_fixture(kitchen: Framework) -> OrgResult:
    sources = [(f"tests/fixtures/org/{p.name}", p) for p in sorted(ORG.glob("*.json"))]
    return org(kitchen, read_many(kitchen, sources, read_file))


def test_org_rows_stages_and_blockers_worked_by_hand(kitchen: Framework) -> None:
    result = org_of_fixture(kitchen)
    rows = [
        (t["team"], t["evidenced_stage"], t["self_estimate"], t["reality_gap"], t["capabilities"])
        for t in result["teams"]
    ]
    assert rows == [
        ("bakery", "mastery", "routine", -1, {"storage": "mastery", "cleaning": "mastery"}),
        ("canteen", "routine", "mastery", 1, {"storage": "mastery", "cleaning": "routine"}),
        ("deli", "basic", None, None, {"storage": "basic", "cleaning": "basic"}),
        ("school", "routine", "routine", 0, {"storage": "routine", "cleaning": "basic"}),
    ]
    assert result["stage_counts"] == {"basic": 1, "routine": 2, "mastery": 1}
    assert sum(result["stage_counts"].values()) == len(result["teams"])
    assert result["reality_gap"] == {"mean": 0.0, "median": 0.0, "teams": 3}
    # canteen and school are blocked by the mastery audit; deli by all four routine practices.
    assert [(b["practice"], b["teams"]) for b in result["common_blockers"]] == [
        ("deep-clean-audit", 2),
        ("cleaning-schedule", 1),
        ("fridge-thermometer", 1),
        ("labelled-leftovers", 1),
        ("separate-boards", 1),
        ("stock-rotation", 1),
    ]
    assert result["rejected"] == [
        {
            "file": "tests/fixtures/org/broken.json",
            "message": BROKEN,
        },
        {
            "file": "tests/fixtures/org/mlops-team.json",
            "message": "framework.id: these answers are for framework 'mlops', not 'kitchen'",
        },
    ]


def test_org_row_equals_score_of_each_file(kitchen: Framework) -> None:
    result = org_of_fixture(kitchen)
    for row in result["teams"]:
        path = ROOT / row["file"]
        expected = score(kitchen, parse_answers(path.read_bytes(), kitchen))
        assert row["evidenced_stage"] == expected["evidenced_stage"]["id"]
        assert row["reality_gap"] == expected["reality_gap"]
        assert row["capabilities"] == {c["id"]: c["stage"]["id"] for c in expected["capabilities"]}


def _random_file(framework: Framework, rng: random.Random) -> dict[str, Any]:
    answers: dict[str, str] = {}
    evidence: dict[str, list[str]] = {}
    for p in framework.practices:
        options = [o.id for o in framework.scale_of(p)] + [NOT_APPLICABLE, ""]
        if framework.not_applicable_policy == "nowhere":
            options.remove(NOT_APPLICABLE)
        # Lean towards the top answers so that higher stages are reached too.
        choice = rng.choice(options + [options[len(options) - 3]] * 4)
        if choice:
            answers[p.id] = choice
        if rng.random() < 0.7:
            evidence[p.id] = ["https://git.example.com/x"]
    return {
        "format": "maturity-playbook/answers@2",
        "framework": {"id": framework.id, "version": framework.version},
        "self_estimate": rng.choice([None, *(s.id for s in framework.stages)]),
        "answers": answers,
        "evidence": evidence,
    }


@pytest.mark.parametrize("which", ["kitchen", "pantry", "mlops"])
def test_org_rows_equal_score_on_random_answer_sets(
    which: str, kitchen: Framework, pantry: Framework, mlops: Framework
) -> None:
    """The roll-up computes capability stages in one pass for speed: it must agree with `score`
    (must-haves, named scales, honest N/A, the evidence rule) and so must the blockers."""
    framework = {"kitchen": kitchen, "pantry": pantry, "mlops": mlops}[which]
    rng = random.Random(7)
    files = [(f"t{i:03d}.json", _random_file(framework, rng)) for i in range(300)]
    result = org(framework, load(framework, files))
    assert result["rejected"] == []
    rows = {t["file"]: t for t in result["teams"]}
    blocked: dict[str, int] = {}
    reached = set()
    for name, data in files:
        expected = score(framework, data)
        row = rows[name]
        assert row["evidenced_stage"] == expected["evidenced_stage"]["id"], name
        assert row["capabilities"] == {
            c["id"]: c["stage"]["id"] for c in expected["capabilities"]
        }, name
        assert row["reality_gap"] == expected["reality_gap"]
        nxt = expected["next_stage"]
        for pid in set(nxt["required_open"]) | set(nxt["reachable_by"]) if nxt else ():
            blocked[pid] = blocked.get(pid, 0) + 1
        reached |= set(row["capabilities"].values())
    top = sorted(blocked.items(), key=lambda kv: -kv[1])[:10]
    assert [b["teams"] for b in result["common_blockers"]] == [n for _, n in top]
    assert {b["practice"]: b["teams"] for b in result["common_blockers"]}.items() <= blocked.items()
    assert len(reached) >= 3, "the random files should reach several stages"


def test_org_csv_is_exact(kitchen: Framework) -> None:
    text = render_org_csv(org_of_fixture(kitchen))
    assert text == (
        "team,file,evidenced_stage,self_estimate,reality_gap,storage,cleaning\r\n"
        "bakery,tests/fixtures/org/bakery.json,mastery,routine,-1,mastery,mastery\r\n"
        "canteen,tests/fixtures/org/canteen.json,routine,mastery,1,mastery,routine\r\n"
        "deli,tests/fixtures/org/deli.json,basic,,,basic,basic\r\n"
        "school,tests/fixtures/org/school.json,routine,routine,0,routine,basic\r\n"
    )


def test_org_csv_quotes_and_defuses_formulas(kitchen: Framework) -> None:
    files = [
        ("a.json", {"format": "maturity-playbook/answers@1", "framework": {"id": "kitchen"},
                    "team": "=HYPERLINK(\"http://x\")", "answers": {}}),
        ("b.json", {"format": "maturity-playbook/answers@1", "framework": {"id": "kitchen"},
                    "team": "Ops, \"core\"\nteam", "answers": {}}),
    ]  # fmt: skip
    text = render_org_csv(org(kitchen, load(kitchen, files)))
    assert text.splitlines()[1:] == [
        '"\'=HYPERLINK(""http://x"")",a.json,basic,,,basic,basic',
        '"Ops, ""core""',
        'team",b.json,basic,,,basic,basic',
    ]


def test_org_same_team_names_are_made_unique(kitchen: Framework) -> None:
    data = {"format": "maturity-playbook/answers@2", "framework": {"id": "kitchen"}, "team": "ops"}
    result = org(kitchen, load(kitchen, [("q1/ops.json", data), ("q2/ops.json", data)]))
    assert [t["team"] for t in result["teams"]] == ["ops (q1/ops.json)", "ops (q2/ops.json)"]


def test_org_markdown(kitchen: Framework) -> None:
    text = render_org_markdown(org_of_fixture(kitchen))
    assert "| 1 | Routine | 2 |" in text
    assert (
        "Mean 0, median 0 stages, over the 3 team(s) that gave a self-estimate "
        "(positive: the team overestimates)." in text
    )
    assert "| A monthly deep-clean audit (`deep-clean-audit`) | no | 2 |" in text
    assert "| bakery | tests/fixtures/org/bakery.json | 2 | 1 | -1 | 2 | 2 |" in text
    assert "| deli | tests/fixtures/org/deli.json | 0 | - | - | 0 | 0 |" in text
    assert text.endswith(
        "## Files left out\n\n"
        f"- tests/fixtures/org/broken.json: {BROKEN}\n"
        "- tests/fixtures/org/mlops-team.json: framework.id: these answers are for framework "
        "'mlops', not 'kitchen'\n"
    )


def test_org_of_nothing(kitchen: Framework) -> None:
    result = org(kitchen, [])
    assert result["teams"] == [] and result["common_blockers"] == []
    assert result["stage_counts"] == {"basic": 0, "routine": 0, "mastery": 0}
    assert result["reality_gap"] == {"mean": None, "median": None, "teams": 0}


# --- history --------------------------------------------------------------------------------


def history_of(kitchen: Framework, names: list[str]) -> HistoryResult:
    sources = [(name, HISTORY / name) for name in names]
    return history(kitchen, read_many(kitchen, sources, read_file))


@pytest.mark.parametrize(
    "order",
    [
        ["a-april.json", "b-october.json", "c-january.json"],
        ["c-january.json", "a-april.json", "b-october.json"],
        ["b-october.json", "c-january.json", "a-april.json"],
    ],
)
def test_history_is_in_date_order_whatever_the_argument_order(
    kitchen: Framework, order: list[str]
) -> None:
    result = history_of(kitchen, order)
    timeline = [
        (e["file"], e["evidenced_stage"], e["self_estimate"], e["coverage"], e["dated"])
        for e in result["timeline"]
    ]
    assert timeline == [
        ("b-october.json", "basic", "routine", {"basic": 1.0, "routine": 0.0833, "mastery": 0.0},
         True),
        ("c-january.json", "routine", "routine", {"basic": 1.0, "routine": 0.8333, "mastery": 0.0},
         True),
        ("a-april.json", "routine", "mastery", {"basic": 1.0, "routine": 0.8333, "mastery": 0.5},
         True),
    ]  # fmt: skip
    moves = [
        (
            c["earlier"],
            c["current"],
            c["comparison"]["overall"]["direction"],
            [p["practice"] for p in c["comparison"]["practices"]["improved"]],
            [p["practice"] for p in c["comparison"]["practices"]["regressed"]],
        )
        for c in result["changes"]
    ]
    assert moves == [
        ("b-october.json", "c-january.json", "improved",
         ["labelled-leftovers", "fridge-thermometer", "cleaning-schedule"], []),
        ("c-january.json", "a-april.json", "unchanged",
         ["stock-rotation", "separate-boards"], ["fridge-thermometer"]),
    ]  # fmt: skip
    assert result["warnings"] == []


def test_history_puts_undated_files_last_by_name_and_flags_them(
    kitchen: Framework, tmp_path: Path
) -> None:
    for name in ("z-undated.json", "m-undated.json"):
        data = json.loads((HISTORY / "c-january.json").read_text(encoding="utf-8"))
        del data["saved_at"]
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    data["saved_at"] = "not a date"
    (tmp_path / "k-bad-date.json").write_text(json.dumps(data), encoding="utf-8")
    shutil.copy(HISTORY / "b-october.json", tmp_path)
    names = ["z-undated.json", "b-october.json", "m-undated.json", "k-bad-date.json"]
    result = history(kitchen, read_many(kitchen, [(n, tmp_path / n) for n in names], read_file))
    assert [(e["file"], e["dated"]) for e in result["timeline"]] == [
        ("b-october.json", True),
        ("k-bad-date.json", False),
        ("m-undated.json", False),
        ("z-undated.json", False),
    ]
    assert result["warnings"] == [
        {
            "code": "undated",
            "message": "3 file(s) have no saved_at date, so they are placed after the dated "
            "ones, by file name: k-bad-date.json, m-undated.json, z-undated.json.",
        }
    ]


def test_history_warns_about_several_teams(kitchen: Framework) -> None:
    october = json.loads((HISTORY / "b-october.json").read_text(encoding="utf-8"))
    other = {**october, "team": "bakery", "saved_at": "2026-11-01T00:00:00Z"}
    result = history(kitchen, load(kitchen, [("a.json", october), ("b.json", other)]))
    assert result["warnings"] == [
        {
            "code": "several-teams",
            "message": "The files name 2 different teams (bakery, canteen): a history compares "
            "exports of one team.",
        }
    ]


def test_history_markdown(kitchen: Framework) -> None:
    result = history_of(kitchen, ["a-april.json", "b-october.json", "c-january.json"])
    text = render_history_markdown(result)
    assert text.splitlines()[4:9] == [
        "| Saved at | File | Evidenced | Self-estimate | Getting by | Routine | Mastery |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        "| 2026-10-01T12:00:00Z | b-october.json | 0 | 1 | 100% | 8% | 0% |",
        "| 2027-01-10T12:00:00Z | c-january.json | 1 | 1 | 100% | 83% | 0% |",
        "| 2027-04-02T12:00:00+02:00 | a-april.json | 1 | 2 | 100% | 83% | 50% |",
    ]
    assert (
        "- Regressed: `fridge-thermometer` (yes → partial)" in text
        and "## c-january.json → a-april.json" in text
    )


# --- roadmap CSV ----------------------------------------------------------------------------


def test_roadmap_csv_is_exact(kitchen: Framework) -> None:
    answers = parse_answers((FIXTURES / "kitchen-answers.json").read_bytes(), kitchen)
    text = roadmap_csv(kitchen, score_result(kitchen, answers), "https://example.org/pb/")
    assert text.split("\r\n")[:3] == [
        "title,description,labels,required,url",
        'Leftovers are labelled with a date,"Every container in the fridge says what it is and '
        "when it was cooked.\n\nPractice: https://example.org/pb/practices/labelled-leftovers/\n"
        "Stage: 1 (Routine). Capability: Food storage.\nCurrent answer: partial.\n"
        "Question: Does every container in the fridge carry a dated label right now?\n\n"
        "Evidence to produce:\n- A roll of labels next to the fridge\n- Labels on today's "
        'containers",stage:routine capability:storage,false,'
        "https://example.org/pb/practices/labelled-leftovers/",
        'Raw and cooked food use separate boards,"Colour-coded boards keep raw meat away from '
        "ready-to-eat food.\n\nPractice: https://example.org/pb/practices/separate-boards/\n"
        "Stage: 1 (Routine). Capability: Cleaning.\nCurrent answer: no.\n"
        "Question: Are there colour-coded boards, and is each in use for its colour?\n\n"
        'Evidence to produce:\n- What shows the answer to the question.",'
        "stage:routine capability:cleaning,false,https://example.org/pb/practices/separate-boards/",
    ]
    assert text.endswith("\r\n") and text.count("\r\n") == 5  # header and four open practices


def test_roadmap_csv_of_the_default_framework_marks_must_haves(mlops: Framework) -> None:
    import csv
    import io

    result = score(mlops, mlops_file(answers={"code-in-version-control": "yes"}))
    rows = list(csv.DictReader(io.StringIO(roadmap_csv(mlops, result))))
    assert len(rows) == len(result["roadmap"])
    first = rows[0]
    assert first["title"] == result["roadmap"][0]["title"]
    assert first["required"] == "true"
    assert first["labels"] == (
        f"stage:{result['roadmap'][0]['stage']} capability:{result['roadmap'][0]['capability']}"
    )
    assert (
        "Current answer: yes (no evidence given, so it counts one step lower)."
        in first["description"]
    )
    assert "A must-have for its stage." in first["description"]


# --- the browser's api ops ------------------------------------------------------------------


Call = Callable[..., dict[str, Any]]


@pytest.fixture()
def call(kitchen: Framework) -> Call:
    assert api_call("load", framework=_slim(kitchen), verify=False)["ok"]
    return api_call


def _payloads(case: dict[str, Any]) -> list[dict[str, Any]]:
    """A case's files as the page sends them: a chosen file, a dropped file, a share link."""
    out = []
    for i, f in enumerate(case["files"]):
        raw = json.dumps(f["data"]).encode("utf-8")
        if i % 3 == 0:
            payload: dict[str, Any] = {"text": raw.decode("utf-8")}
        elif i % 3 == 1:
            payload = {"data_base64": base64.b64encode(raw).decode("ascii"), "size": len(raw)}
        else:
            payload = {"fragment": "#" + share_fragment(raw)}
        out.append({"name": f["name"], "payload": payload})
    return out


@pytest.mark.parametrize("case", TEAM_CASES, ids=[c["name"] for c in TEAM_CASES])
def test_api_team_equals_library(kitchen: Framework, call: Call, case: dict[str, Any]) -> None:
    reply = call("team", files=_payloads(case))
    assert reply["ok"], reply
    expected = team(kitchen, load(kitchen, case_files(case)))
    assert reply["team"] == expected
    assert reply["markdown"] == render_team_markdown(expected)


def test_api_org_history_and_roadmap_csv(kitchen: Framework, call: Call) -> None:
    files = [
        {"name": p.name, "payload": {"text": p.read_text(encoding="utf-8")}}
        for p in sorted(ORG.glob("*.json"))
    ]
    reply = call("org", files=files)
    assert reply["ok"], reply
    expected = org(kitchen, read_many(kitchen, [(p.name, p) for p in sorted(ORG.glob("*.json"))],
                                      read_file))  # fmt: skip
    # The page's files are checked for bracket nesting before JSON sees them (see api.nesting_ok),
    # so the broken file's message differs from the CLI's; everything else is the same.
    assert reply["org"]["rejected"] == [
        {
            "file": "broken.json",
            "message": "invalid JSON: brackets do not balance or nest deeper than 32 levels",
        },
        expected["rejected"][1],
    ]
    assert {**reply["org"], "rejected": expected["rejected"]} == expected
    assert reply["csv"] == render_org_csv(expected)
    assert reply["media_type"] == "text/csv"
    assert reply["filename"].startswith("kitchen-organisation-")

    names = ["c-january.json", "a-april.json", "b-october.json"]
    reply = call(
        "history",
        files=[{"name": n, "payload": {"text": (HISTORY / n).read_text("utf-8")}} for n in names],
    )
    assert reply["ok"], reply
    assert reply["history"] == history_of(kitchen, names)

    answers = json.loads((FIXTURES / "kitchen-answers.json").read_text(encoding="utf-8"))
    result = score(kitchen, answers)
    reply = call("roadmap_csv", answers=answers, base_url="https://example.org/pb/")
    assert reply["ok"], reply
    # The site's framework.json has no evidence lists: every practice takes the fallback line.
    assert reply["text"] == roadmap_csv(
        framework_from_trusted_dict(_slim(kitchen)),
        result,
        "https://example.org/pb/",
    )
    assert reply["text"].count("- What shows the answer to the question.") == 4
    assert reply["media_type"] == "text/csv"
    assert call("load", framework=framework_to_dict(kitchen))["ok"]
    reply = call("roadmap_csv", answers=answers, base_url="https://example.org/pb/")
    assert reply["text"] == roadmap_csv(kitchen, result, "https://example.org/pb/")


def test_api_roadmap_csv_takes_the_page_s_questions_and_evidence(
    kitchen: Framework, call: Call
) -> None:
    """framework.json has no questions or evidence lists; the page sends the ones it shows, so
    the browser's rows equal the CLI's but for the summary, which the page does not show."""
    answers = json.loads((FIXTURES / "kitchen-answers.json").read_text(encoding="utf-8"))
    shown = {
        p.id: {"question": p.question, "evidence": list(p.evidence)} for p in kitchen.practices
    }
    reply = call(
        "roadmap_csv", answers=answers, base_url="https://example.org/pb/", practices=shown
    )
    assert reply["ok"], reply
    assert reply["text"].split("\r\n")[:3] == [
        "title,description,labels,required,url",
        'Leftovers are labelled with a date,"Practice: https://example.org/pb/practices/'
        "labelled-leftovers/\nStage: 1 (Routine). Capability: Food storage.\n"
        "Current answer: partial.\n"
        "Question: Does every container in the fridge carry a dated label right now?\n\n"
        "Evidence to produce:\n- A roll of labels next to the fridge\n- Labels on today's "
        'containers",stage:routine capability:storage,false,'
        "https://example.org/pb/practices/labelled-leftovers/",
        'Raw and cooked food use separate boards,"Practice: https://example.org/pb/practices/'
        "separate-boards/\nStage: 1 (Routine). Capability: Cleaning.\nCurrent answer: no.\n"
        "Question: Are there colour-coded boards, and is each in use for its colour?\n\n"
        'Evidence to produce:\n- What shows the answer to the question.",'
        "stage:routine capability:cleaning,false,https://example.org/pb/practices/separate-boards/",
    ]
    full = roadmap_csv(kitchen, score(kitchen, answers), "https://example.org/pb/")
    without_summaries = full
    for practice in kitchen.practices:
        without_summaries = without_summaries.replace(f'"{practice.summary.strip()}\n\n', '"')
    assert reply["text"] == without_summaries


@pytest.mark.parametrize(
    "practices",
    [
        [],
        {"labelled-leftovers": "a question"},
        {"labelled-leftovers": {"question": 5}},
        {"labelled-leftovers": {"question": "q", "evidence": "one item"}},
        {"labelled-leftovers": {"question": "q", "evidence": [1]}},
        {"labelled-leftovers": {"question": "q" * 10001}},
        {"labelled-leftovers": {"question": "q", "evidence": ["e"] * 101}},
    ],
)
def test_api_roadmap_csv_refuses_malformed_page_text(call: Call, practices: Any) -> None:
    answers = json.loads((FIXTURES / "kitchen-answers.json").read_text(encoding="utf-8"))
    reply = call("roadmap_csv", answers=answers, practices=practices)
    assert reply["error"]["message"] == (
        "Request field 'practices' must map practice ids to a question and an evidence list."
    )


def test_api_rejects_bad_payloads_by_file_and_goes_on(kitchen: Framework, call: Call) -> None:
    case = TEAM_CASES[0]
    files = [
        *_payloads(case),
        {"name": "bad64.json", "payload": {"data_base64": "***"}},
        {"name": "nothing.json", "payload": None},
        {"name": "link", "payload": {"fragment": "#a=!!"}},
        {"name": "deep.json", "payload": {"text": "[" * 40 + "]" * 40}},
        {"payload": {"text": "{"}},
    ]
    reply = call("team", files=files)
    assert reply["ok"], reply
    assert len(reply["team"]["respondents"]) == 3
    assert reply["team"]["rejected"] == [
        {"file": "bad64.json", "message": "Request field 'data_base64' is not base64."},
        {"file": "nothing.json", "message": "Request field 'payload' must be an object."},
        {
            "file": "link",
            "message": "the link is damaged: it has characters a share link never contains",
        },
        {
            "file": "deep.json",
            "message": "invalid JSON: brackets do not balance or nest deeper than 32 levels",
        },
        {
            "file": "file 8",
            "message": "invalid JSON: brackets do not balance or nest deeper than 32 levels",
        },
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (None, "Request field 'files' must be a non-empty list."),
        ([], "Request field 'files' must be a non-empty list."),
        (["x"], "Each of 'files' must be an object with a 'name' and a 'payload'."),
        ([{"name": "a", "payload": {"text": "{}"}}] * 20001,
         "Too many files (20001; at most 20000 at once)."),
    ],
)  # fmt: skip
def test_api_many_files_request_errors(call: Call, files: Any, message: str) -> None:
    for op in ("team", "org", "history"):
        reply = call(op, files=files)
        assert reply == {"ok": False, "error": {"message": message, "problems": [], "more": 0}}


def test_api_without_one_usable_file_is_an_error_listing_each(call: Call) -> None:
    files = [
        {"name": "a.json", "payload": {"text": "{"}},
        {"name": "b.json", "payload": {"text": json.dumps(mlops_file())}},
    ]
    reply = call("team", files=files)
    assert reply == {
        "ok": False,
        "error": {
            "message": "2 problems found.",
            "problems": [
                "a.json: invalid JSON: brackets do not balance or nest deeper than 32 levels",
                "b.json: framework.id: these answers are for framework 'mlops', not 'kitchen'",
            ],
            "more": 0,
        },
    }


def test_api_team_consensus_saved_at_can_be_given(call: Call) -> None:
    reply = call("team", files=_payloads(TEAM_CASES[0]), saved_at="2027-02-01T10:00:00Z")
    assert reply["team"]["consensus"]["saved_at"] == "2027-02-01T10:00:00Z"
    assert call("team", files=_payloads(TEAM_CASES[0]), saved_at=5)["error"]["message"] == (
        "Request field 'saved_at' must be text."
    )


def test_api_file_names_are_bounded_and_clean(call: Call) -> None:
    data = json.dumps({"format": "maturity-playbook/answers@1", "framework": {"id": "kitchen"}})
    reply = call("org", files=[{"name": "\ud800" + "x" * 300, "payload": {"text": data}}])
    assert reply["ok"], reply
    (row,) = reply["org"]["teams"]
    assert row["file"] == "\ufffd" + "x" * 254


# --- the same under real Pyodide ------------------------------------------------------------


@pytest.mark.pyodide
def test_team_org_history_under_pyodide_equal_cpython(
    tmp_path: Path, kitchen: Framework, call: Call
) -> None:
    """Every team golden case, the org fixture and a history, sent to `assessor.api` under real
    Pyodide in Node (tests/pyodide/run_api.mjs, the wheel the site ships): the replies equal
    CPython's, byte for byte once decoded."""
    requests: list[dict[str, Any]] = [
        {"op": "load", "framework": _slim(kitchen), "verify": False},
        *({"op": "team", "files": _payloads(case)} for case in TEAM_CASES),
        {"op": "org", "files": [{"name": p.name, "payload": {"text": p.read_text("utf-8")}}
                                for p in sorted(ORG.glob("*.json"))]},
        {"op": "history", "files": [{"name": p.name, "payload": {"text": p.read_text("utf-8")}}
                                    for p in sorted(HISTORY.glob("*.json"))]},
    ]  # fmt: skip
    replies = run_under_pyodide(requests, tmp_path)["replies"]
    for request, reply in zip(requests[1:], replies[1:], strict=True):
        cpython = json.loads(api.handle(json.dumps(request)))
        # The org reply's file name carries the day it was made: not compared (midnight).
        reply.pop("filename", None)
        cpython.pop("filename", None)
        assert reply == cpython, request["op"]
        assert reply["ok"], reply
    for case, reply in zip(TEAM_CASES, replies[1:], strict=False):
        assert reply["team"]["consensus"] == case["expect"]["consensus"], case["name"]
        assert reply["team"]["discuss_first"] == case["expect"]["discuss_first"], case["name"]
