"""The command line through a subprocess: exit codes, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, KITCHEN, ROOT, score

from assessor.cpython.load import load_framework

ANSWERS = FIXTURES / "kitchen-answers.json"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assessor", *args],
        capture_output=True, text=True, cwd=ROOT, input=stdin, timeout=60, check=False,
    )  # fmt: skip


def test_validate_ok() -> None:
    proc = run("validate", "tests/fixtures/kitchen")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == (
        "tests/fixtures/kitchen: OK: 3 stages, 2 capabilities, 6 practices, 2 risks\n"
    )


def test_validate_default_framework() -> None:
    proc = run("validate")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("framework: OK: 5 stages, ")


def test_validate_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "kitchen"
    subprocess.run(["cp", "-r", str(KITCHEN), str(broken)], check=True)
    stages = broken / "stages.yaml"
    stages.write_text(stages.read_text(encoding="utf-8").replace("level: 1", "level: 7"), "utf-8")
    cap = broken / "capabilities" / "cleaning.yaml"
    cap.write_text(cap.read_text(encoding="utf-8").replace("stage: mastery", "stage: top"), "utf-8")
    proc = run("validate", str(broken))
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (
        f"{broken}/stages.yaml:8: [1] (id 'routine').level: expected level 1: stages are listed "
        "lowest first with levels 0, 1, 2, ... (got 7)\n"
        f"{broken}/capabilities/cleaning.yaml:21: practices[2] (id 'deep-clean-audit').stage: "
        "unknown stage 'top' (known: basic, routine, mastery)\n"
        "2 problems found.\n"
    )


def test_validate_missing_directory() -> None:
    proc = run("validate", "no/such/dir")
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == "no/such/dir: no such framework directory\n1 problem found.\n"


def test_score_text() -> None:
    proc = run("score", str(ANSWERS), "--framework", "tests/fixtures/kitchen")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.splitlines()[:2] == [
        "Evidenced stage: 1 (Routine)",
        "You believe stage 1 (Routine); your evidence supports stage 1 (Routine): your "
        "estimate matches your evidence.",
    ]
    assert "    1. [routine] labelled-leftovers (partial)" in proc.stdout


def test_score_json_equals_library_result() -> None:
    proc = run("score", str(ANSWERS), "--framework", "tests/fixtures/kitchen", "--json")
    assert proc.returncode == 0, proc.stderr
    kitchen = load_framework(KITCHEN)
    expected = score(kitchen, json.loads(ANSWERS.read_text(encoding="utf-8")))
    assert json.loads(proc.stdout) == expected


def test_score_reads_stdin() -> None:
    proc = run(
        "score", "-", "--framework", "tests/fixtures/kitchen", "--json",
        stdin=ANSWERS.read_text(encoding="utf-8"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["evidenced_stage"]["id"] == "routine"


def test_report_markdown_is_exact() -> None:
    proc = run("report", str(ANSWERS), "--framework", "tests/fixtures/kitchen", "--format", "md")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == (FIXTURES / "kitchen-report.md").read_text(encoding="utf-8")
    # Notes are untrusted: their markup is escaped, never passed through.
    assert r"\<b\>bold\</b\>" in proc.stdout


def test_report_base_url_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    proc = run(
        "report", str(ANSWERS), "--framework", "tests/fixtures/kitchen",
        "--base-url", "https://example.org/playbook/", "-o", str(out),
    )  # fmt: skip
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert (
        "1. [Leftovers are labelled with a date]"
        "(https://example.org/playbook/practices/labelled-leftovers/)"
    ) in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "{",
            "{name}:1: invalid JSON: Expecting property name enclosed in double quotes (column 2)",
        ),
        (
            '{"format": "maturity-playbook/answers@1", "framework": {"id": "mlops"}}',
            "{name}: framework.id: these answers are for framework 'mlops', not 'kitchen'",
        ),
    ],
)
def test_bad_answers_file_exits_1_without_traceback(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    proc = run("score", str(path), "--framework", "tests/fixtures/kitchen")
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == expected.format(name=path) + "\n1 problem found.\n"


def test_missing_answers_file() -> None:
    proc = run("score", "nope.json", "--framework", "tests/fixtures/kitchen")
    assert proc.returncode == 1
    assert (
        proc.stderr
        == "nope.json: cannot read answers file: No such file or directory\n1 problem found.\n"
    )


def test_usage_error_exits_2() -> None:
    proc = run("frobnicate")
    assert proc.returncode == 2
    assert "invalid choice: 'frobnicate'" in proc.stderr


def test_schema_prints_json() -> None:
    proc = run("schema", "--kind", "stages")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["title"] == "stages.yaml"
