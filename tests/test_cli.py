"""The command line through a subprocess: exit codes, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, KITCHEN, ROOT, score
from conftest import run_cli as run

from assessor.cpython.load import load_framework

ANSWERS = FIXTURES / "kitchen-answers.json"


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


# --- many answers files: team, org, history; the roadmap as CSV ----------------------------

TEAM_CASES = json.loads((FIXTURES / "golden" / "team.json").read_text(encoding="utf-8"))["cases"]
KITCHEN_ARG = ("--framework", "tests/fixtures/kitchen")
ORG_CSV = (
    "team,file,evidenced_stage,self_estimate,reality_gap,storage,cleaning\r\n"
    "bakery,tests/fixtures/org/bakery.json,mastery,routine,-1,mastery,mastery\r\n"
    "canteen,tests/fixtures/org/canteen.json,routine,mastery,1,mastery,routine\r\n"
    "deli,tests/fixtures/org/deli.json,basic,,,basic,basic\r\n"
    "school,tests/fixtures/org/school.json,routine,routine,0,routine,basic\r\n"
)
ORG_REJECTED = (
    "tests/fixtures/org/broken.json:4: invalid JSON: Expecting property name enclosed in double "
    "quotes (column 1)\n"
    "tests/fixtures/org/mlops-team.json: framework.id: these answers are for framework 'mlops', "
    "not 'kitchen'\n"
    "2 files left out; the other 4 used.\n"
)


def write_case(directory: Path, name: str) -> Path:
    """A golden team case's files, written into `directory`."""
    case = next(c for c in TEAM_CASES if c["name"] == name)
    directory.mkdir(parents=True, exist_ok=True)
    for f in case["files"]:
        (directory / Path(f["name"]).name).write_text(json.dumps(f["data"]), encoding="utf-8")
    return directory


def test_team_directory_json_and_consensus_file(tmp_path: Path) -> None:
    members = write_case(tmp_path / "members", "one-dissenter")
    consensus = tmp_path / "consensus.json"
    proc = run("team", str(members), *KITCHEN_ARG, "--json", "-o", str(consensus))
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    result = json.loads(proc.stdout)
    # A directory is read as its *.json files sorted by name: lee, omar, priya.
    assert [(r["name"], r["file"]) for r in result["respondents"]] == [
        ("Lee", str(members / "lee.json")),
        ("Omar", str(members / "omar.json")),
        ("Priya", str(members / "priya.json")),
    ]
    assert result["discuss_first"] == ["fridge-thermometer", "separate-boards"]
    expected = next(c for c in TEAM_CASES if c["name"] == "one-dissenter")["expect"]
    assert json.loads(consensus.read_text(encoding="utf-8")) == expected["consensus"]
    # The consensus is an ordinary answers file: `score` reads it.
    proc = run("score", str(consensus), *KITCHEN_ARG, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["evidenced_stage"]["id"] == "basic"


def test_team_prints_markdown_by_default(tmp_path: Path) -> None:
    members = write_case(tmp_path, "unanimous")
    proc = run("team", str(members / "priya.json"), str(members / "omar.json"), *KITCHEN_ARG)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.splitlines()[:3] == [
        "# Kitchen Hygiene Playbook: team calibration",
        "",
        "2 respondents; the consensus answers reach stage 1 (Routine).",
    ]
    assert "No disagreements: every practice's answers are less than 0.5 apart." in proc.stdout


def test_org_csv_of_a_directory_is_exact_and_names_the_rejected_files() -> None:
    proc = run("org", "tests/fixtures/org", *KITCHEN_ARG, "--format", "csv")
    assert proc.returncode == 1  # some files were left out; the roll-up of the others is printed
    # run() reads text with universal newlines; the -o test below checks the CRLF bytes.
    assert proc.stdout == ORG_CSV.replace("\r\n", "\n")
    assert proc.stderr == ORG_REJECTED


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_org_json_equals_the_library_in_one_or_two_processes(jobs: str) -> None:
    from assessor.aggregate import read_many
    from assessor.cpython.batch import read_file
    from assessor.org import org

    proc = run("org", "tests/fixtures/org", *KITCHEN_ARG, "--format", "json", "--jobs", jobs)
    assert proc.returncode == 1
    assert proc.stderr == ORG_REJECTED
    kitchen = load_framework(KITCHEN)
    paths = sorted((ROOT / "tests/fixtures/org").glob("*.json"))
    sources = [(f"tests/fixtures/org/{p.name}", p) for p in paths]
    assert json.loads(proc.stdout) == org(kitchen, read_many(kitchen, sources, read_file))


def test_org_of_good_files_exits_0_and_writes_the_output_file(tmp_path: Path) -> None:
    out = tmp_path / "org.csv"
    names = ["canteen", "school", "deli", "bakery"]
    files = [f"tests/fixtures/org/{n}.json" for n in names]
    proc = run("org", *files, *KITCHEN_ARG, "--format", "csv", "-o", str(out))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert out.read_bytes() == ORG_CSV.encode("utf-8")


def test_org_markdown_by_default() -> None:
    proc = run("org", "tests/fixtures/org/canteen.json", *KITCHEN_ARG)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.startswith("# Kitchen Hygiene Playbook: organisation\n\n1 team.\n")


def test_history_orders_by_date_whatever_the_argument_order() -> None:
    files = [f"tests/fixtures/history/{n}.json" for n in ("a-april", "c-january", "b-october")]
    proc = run("history", *files, *KITCHEN_ARG, "--format", "json")
    assert (proc.returncode, proc.stderr) == (0, "")
    timeline = json.loads(proc.stdout)["timeline"]
    assert [(e["file"], e["evidenced_stage"]) for e in timeline] == [
        ("tests/fixtures/history/b-october.json", "basic"),
        ("tests/fixtures/history/c-january.json", "routine"),
        ("tests/fixtures/history/a-april.json", "routine"),
    ]
    proc = run("history", "tests/fixtures/history", *KITCHEN_ARG)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert [line for line in proc.stdout.splitlines() if line.startswith("## ")] == [
        "## tests/fixtures/history/b-october.json → tests/fixtures/history/c-january.json",
        "## tests/fixtures/history/c-january.json → tests/fixtures/history/a-april.json",
    ]


def test_report_csv_roadmap() -> None:
    proc = run(
        "report", str(ANSWERS), *KITCHEN_ARG, "--format", "csv", "--base-url", "https://x.org/"
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(proc.stdout, newline="")))
    assert [r[0] for r in rows] == [
        "title",
        "Leftovers are labelled with a date",
        "Raw and cooked food use separate boards",
        "A monthly deep-clean audit",
        "Older stock is used first",
    ]
    assert rows[1][2:] == [
        "stage:routine capability:storage",
        "false",
        "https://x.org/practices/labelled-leftovers/",
    ]


def test_many_files_usage_problems(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run("org", str(empty), *KITCHEN_ARG)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == f"{empty}: no *.json files in this directory\n1 problem found.\n"
    proc = run("team", "tests/fixtures/org/broken.json", *KITCHEN_ARG)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr.endswith("No answers file could be used.\n")
    assert run("org", *KITCHEN_ARG).returncode == 2  # no file named at all
