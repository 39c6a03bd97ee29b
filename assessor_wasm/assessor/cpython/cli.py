"""Command line: validate a framework, score and report an answers file, write the JSON Schemas;
calibrate a team, roll up an organisation and trace a team's history over many answers files."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..aggregate_contracts import OrgResult
from ..answers import MAX_ANSWERS_BYTES, AnswerSet, parse_answers
from ..contracts import Result
from ..framework_diff import diff_frameworks, render_diff
from ..history import history, render_history_markdown
from ..model import Framework
from ..org import org_from_rows, render_org_csv, render_org_markdown
from ..report import render_markdown
from ..schema import schemas
from ..score import score
from ..source import Problem, ValidationError, problems_found
from ..team import render_team_markdown, team
from ..tracker_csv import roadmap_csv
from .batch import Files
from .files import display, make_directory, read_bounded, read_stdin, write_text
from .load import DEFAULT_FRAMEWORK, load_framework


def _fail(problems: list[Problem]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(problems_found(len(problems)), file=sys.stderr)
    return 1


def _load(directory: str) -> Framework:
    return load_framework(directory)


def _read_answers(path: str, framework: Framework) -> AnswerSet:
    if path == "-":
        return parse_answers(read_stdin(MAX_ANSWERS_BYTES), framework, name="<stdin>")
    data = read_bounded(Path(path), MAX_ANSWERS_BYTES, "answers file")
    return parse_answers(data, framework, name=display(Path(path)))


def _positive(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text[:40]!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def cmd_validate(args: argparse.Namespace) -> int:
    framework = _load(args.directory)
    practices = framework.practices
    print(
        f"{args.directory}: OK: {len(framework.stages)} stages, "
        f"{len(framework.capabilities)} capabilities, {len(practices)} practices, "
        f"{len(framework.risks)} risks"
    )
    return 0


def _summary(result: Result, limit: int) -> str:
    evidenced = result["evidenced_stage"]
    lines = [
        f"Evidenced stage: {evidenced['level']} ({evidenced['title']})",
        result["gap_statement"],
        "",
    ]
    lines.append("Capabilities:")
    width = max((len(c["title"]) for c in result["capabilities"]), default=0)
    for cap in result["capabilities"]:
        lines.append(
            f"  {cap['title']:<{width}}  {cap['stage']['level']} ({cap['stage']['title']})"
        )
    nxt = result["next_stage"]
    if nxt is None:
        lines += ["", "Every stage is reached: nothing blocks a higher stage."]
    else:
        lines += [
            "",
            f"To reach stage {nxt['level']} ({nxt['title']}): coverage "
            f"{nxt['coverage'] * 100:.0f}% of {nxt['threshold'] * 100:.0f}% needed.",
        ]
        if nxt["required_open"]:
            lines.append(f"  Must-haves still open: {', '.join(nxt['required_open'])}")
        lines.append(f"  Shortest list that reaches it: {', '.join(nxt['reachable_by'])}")
    roadmap = result["roadmap"]
    lines += ["", f"Roadmap ({len(roadmap)} open practices; first {min(limit, len(roadmap))}):"]
    for i, entry in enumerate(roadmap[:limit], start=1):
        answer = entry["answer"] or "unanswered"
        notes = [answer, *(["must-have"] if entry["required"] else [])]
        notes += ["no evidence"] if entry["unevidenced"] else []
        lines.append(f"  {i:>3}. [{entry['stage']}] {entry['practice']} ({', '.join(notes)})")
    risky = [r for r in result["risks"] if r["exposure"] > 0]
    if risky:
        lines += ["", "Risk exposure:"]
        lines += [f"  {r['title']}: {r['exposure'] * 100:.0f}%" for r in risky]
    for warning in result["warnings"]:
        lines.append(f"warning: {warning['message']}")
    return "\n".join(lines)


def cmd_score(args: argparse.Namespace) -> int:
    framework = _load(args.framework)
    answer_set = _read_answers(args.answers, framework)
    result = score(framework, answer_set)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(_summary(result, args.limit))
    return 0


def _emit(text: str, output: str | None) -> None:
    if output:
        write_text(Path(output), text)
    else:
        sys.stdout.write(text)


def cmd_report(args: argparse.Namespace) -> int:
    framework = _load(args.framework)
    answer_set = _read_answers(args.answers, framework)
    result = score(framework, answer_set)
    _emit(REPORT_FORMATS[args.format](framework, result, answer_set, args.base_url), args.output)
    return 0


# Report formats by name: each renders a result (with its answers) to text.
REPORT_FORMATS: dict[str, Callable[[Framework, Result, AnswerSet, str], str]] = {
    "md": lambda framework, result, answers, base_url: render_markdown(result, answers, base_url),
    "csv": lambda framework, result, answers, base_url: roadmap_csv(framework, result, base_url),
}


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def cmd_team(args: argparse.Namespace) -> int:
    framework = _load(args.framework)
    files = Files(framework, args.files)
    result = team(framework, files)
    if args.output and files.used:
        write_text(Path(args.output), _json(result["consensus"]))
    return files.finish(_json(result) if args.json else render_team_markdown(result), None)


def cmd_org(args: argparse.Namespace) -> int:
    framework = _load(args.framework)
    files = Files(framework, args.files)
    result = org_from_rows(framework, *files.team_rows(args.jobs))
    renderers: dict[str, Callable[[OrgResult], str]] = {
        "md": render_org_markdown,
        "json": _json,
        "csv": render_org_csv,
    }
    return files.finish(renderers[args.format](result), args.output)


def cmd_history(args: argparse.Namespace) -> int:
    framework = _load(args.framework)
    files = Files(framework, args.files)
    result = history(framework, files)
    text = _json(result) if args.format == "json" else render_history_markdown(result)
    return files.finish(text, args.output)


def cmd_schema(args: argparse.Namespace) -> int:
    generated = schemas()
    if args.write:
        out = Path(args.write)
        make_directory(out)
        for name, doc in generated.items():
            write_text(out / name, json.dumps(doc, indent=2) + "\n")
            print(out / name)
        return 0
    print(json.dumps(generated[f"{args.kind}.schema.json"], indent=2))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    changes = diff_frameworks(_load(args.old), _load(args.new))
    print(render_diff(changes), end="")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    top = argparse.ArgumentParser(
        prog="python -m assessor", description="Validate, score and report maturity assessments."
    )
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a framework directory and list every problem")
    p.add_argument("directory", nargs="?", default=DEFAULT_FRAMEWORK)
    p.set_defaults(func=cmd_validate)

    for name, func, help_ in (
        ("score", cmd_score, "score an answers file"),
        (
            "report",
            cmd_report,
            "write the Markdown report (or the roadmap as CSV) of an answers file",
        ),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("answers", help="answers file (JSON), or - for standard input")
        p.add_argument("--framework", default=DEFAULT_FRAMEWORK, metavar="DIR")
        p.set_defaults(func=func)
        if name == "score":
            p.add_argument("--json", action="store_true", help="print the whole result as JSON")
            p.add_argument("--limit", type=_positive, default=10, help="roadmap entries to list")
        else:
            p.add_argument("--format", choices=sorted(REPORT_FORMATS), default="md")
            p.add_argument("--base-url", default="", help="prefix for practice links")
            p.add_argument("-o", "--output", metavar="FILE")

    many = "answers files (JSON), or directories: every *.json in each"
    p = sub.add_parser("team", help="calibrate a team: its members' answers side by side")
    p.add_argument("files", nargs="+", metavar="FILE", help=many)
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK, metavar="DIR")
    p.add_argument("--json", action="store_true", help="print the whole result as JSON")
    p.add_argument("-o", "--output", metavar="FILE", help="write the consensus answers file")
    p.set_defaults(func=cmd_team)

    p = sub.add_parser("org", help="roll many teams' answers files up into one view")
    p.add_argument("files", nargs="+", metavar="FILE", help=many)
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK, metavar="DIR")
    p.add_argument("--format", choices=["md", "json", "csv"], default="md")
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument(
        "--jobs", type=_positive, metavar="N",
        help="worker processes (default: one per CPU from 2,000 files on, else 1)",
    )  # fmt: skip
    p.set_defaults(func=cmd_org)

    p = sub.add_parser("history", help="a team's dated exports as a timeline")
    p.add_argument("files", nargs="+", metavar="FILE", help=many)
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK, metavar="DIR")
    p.add_argument("--format", choices=["md", "json"], default="md")
    p.add_argument("-o", "--output", metavar="FILE")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("schema", help="print or write the JSON Schemas of the YAML files")
    p.add_argument(
        "--kind", choices=["framework", "stages", "risks", "capability"], default="capability"
    )
    p.add_argument("--write", metavar="DIR", help="write all four schema files into DIR")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("diff", help="list practices added, removed, renamed and changed")
    p.add_argument("old", metavar="OLD_DIR")
    p.add_argument("new", metavar="NEW_DIR")
    p.set_defaults(func=cmd_diff)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 problems found, 2 usage error)."""
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ValidationError as exc:
        return _fail(exc.problems)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
