"""Version diff and answer migration between two versions of a framework."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import KITCHEN, mutated_copy, run_cli

from assessor import parse_answers
from assessor.cpython.load import load_framework
from assessor.framework_diff import diff_frameworks, render_diff

# tests/fixtures/kitchen-v2 is version 2 of the kitchen framework: labelled-leftovers and
# fridge-thermometer merged into fridge-discipline, stock-rotation renamed oldest-first,
# separate-boards removed, deep-clean-audit moved to routine with a new question, and
# cleaning-schedule weighted 3.
KITCHEN_V2 = KITCHEN.parent / "kitchen-v2"
C = "capabilities/cleaning.yaml"


def test_diff_lists_every_kind_of_change() -> None:
    diff = diff_frameworks(load_framework(KITCHEN), load_framework(KITCHEN_V2))
    assert render_diff(diff) == (
        "Framework 1.0 -> 2.0\n"
        "\n"
        "Removed (1):\n"
        "  - separate-boards\n"
        "\n"
        "Renamed or merged (2):\n"
        "  ~ labelled-leftovers, fridge-thermometer -> fridge-discipline (merged)\n"
        "  ~ stock-rotation -> oldest-first (renamed)\n"
        "\n"
        "Changed (3):\n"
        "  * cleaning-schedule: weight 2 -> 3\n"
        "  * deep-clean-audit: stage mastery -> routine\n"
        "  * deep-clean-audit: question \"Can you show last month's completed deep-clean "
        'checklist?" -> "Can you show the last two completed deep-clean checklists?"\n'
    )


def test_diff_of_identical_frameworks() -> None:
    kitchen = load_framework(KITCHEN)
    assert render_diff(diff_frameworks(kitchen, kitchen)) == (
        "Framework 1.0 -> 1.0\nNo practice was added, removed, renamed or changed.\n"
    )


def test_diff_lists_added_practices(tmp_path: Path) -> None:
    knife = (
        "  - id: knife-sharpening\n    title: Knives are sharp\n    stage: routine\n"
        "    summary: Sharp knives slip less.\n    question: Can you show the sharpening log?\n"
    )
    new = mutated_copy(
        tmp_path, [(C, "  - id: deep-clean-audit", knife + "  - id: deep-clean-audit")]
    )
    diff = diff_frameworks(load_framework(KITCHEN), load_framework(new))
    assert (diff.added, diff.removed, diff.renamed, diff.changed) == (
        ["knife-sharpening"],
        [],
        {},
        [],
    )


def test_old_answers_migrate_and_orphans_are_listed() -> None:
    new = load_framework(KITCHEN_V2)
    old_answers = {
        "format": "maturity-playbook/answers@1",
        "framework": {"id": "kitchen", "version": "1.0"},
        "answers": {
            "labelled-leftovers": "yes",
            "fridge-thermometer": "no",
            "stock-rotation": "partial",
            "separate-boards": "yes",
            "cleaning-schedule": "yes",
        },
        "notes": {"stock-rotation": "front to back"},
    }
    parsed = parse_answers(old_answers, new)
    # The first merged id's answer is carried; the second is kept and listed, never dropped.
    assert parsed.migrated == {
        "labelled-leftovers": "fridge-discipline",
        "stock-rotation": "oldest-first",
    }
    assert parsed.answers == {
        "cleaning-schedule": "yes",
        "fridge-discipline": "yes",
        "fridge-thermometer": "no",
        "oldest-first": "partial",
        "separate-boards": "yes",
    }
    assert parsed.notes == {"oldest-first": "front to back"}
    import assessor

    result = assessor.score(new, parsed)
    assert result["unknown_answers"] == {"fridge-thermometer": "no", "separate-boards": "yes"}
    assert result["migrated"] == parsed.migrated


def test_cli_diff() -> None:
    new = KITCHEN_V2
    proc = run_cli("diff", str(KITCHEN), str(new))
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.startswith("Framework 1.0 -> 2.0\n\nRemoved (1):\n  - separate-boards\n")


def test_cli_migrates_old_answers_in_score(tmp_path: Path) -> None:
    new = KITCHEN_V2
    answers = tmp_path / "old.json"
    answers.write_text(
        json.dumps(
            {
                "format": "maturity-playbook/answers@1",
                "framework": {"id": "kitchen", "version": "1.0"},
                "answers": {"stock-rotation": "yes", "separate-boards": "no"},
            }
        ),
        encoding="utf-8",
    )
    proc = run_cli("score", str(answers), "--framework", str(new), "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["migrated"] == {"stock-rotation": "oldest-first"}
    assert result["unknown_answers"] == {"separate-boards": "no"}
