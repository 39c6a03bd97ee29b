"""Command line: validate a framework, score and report an answers file, write the JSON Schemas."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from ..answers import MAX_ANSWERS_BYTES, AnswerSet, parse_answers
from ..contracts import Result
from ..framework_diff import diff_frameworks, render_diff
from ..model import Framework
from ..report import render_markdown
from ..schema import schemas
from ..score import score
from ..source import Problem, ValidationError, problems_found
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


def cmd_report(args: argparse.Namespace) -> int:
    framework = _load(args.framework)
    answer_set = _read_answers(args.answers, framework)
    result = score(framework, answer_set)
    text = REPORT_FORMATS[args.format](result, answer_set, args.base_url)
    if args.output:
        write_text(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


# Report formats by name: each renders a result (with its answers) to text.
REPORT_FORMATS: dict[str, Callable[[Result, AnswerSet, str], str]] = {
    "md": lambda result, answers, base_url: render_markdown(result, answers, base_url),
}


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
        ("report", cmd_report, "write the Markdown report of an answers file"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("answers", help="answers file v1 (JSON), or - for standard input")
        p.add_argument("--framework", default=DEFAULT_FRAMEWORK, metavar="DIR")
        p.set_defaults(func=func)
        if name == "score":
            p.add_argument("--json", action="store_true", help="print the whole result as JSON")
            p.add_argument("--limit", type=_positive, default=10, help="roadmap entries to list")
        else:
            p.add_argument("--format", choices=sorted(REPORT_FORMATS), default="md")
            p.add_argument("--base-url", default="", help="prefix for practice links")
            p.add_argument("-o", "--output", metavar="FILE")

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
