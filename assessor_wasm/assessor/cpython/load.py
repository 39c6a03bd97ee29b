"""Reading a framework directory of YAML files, keeping the file and line of every value.

This is the only module that needs PyYAML; the browser never imports it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ..model import Framework
from ..source import LocatedDict, LocatedList, Problem, ValidationError
from ..validate import Sources, validate
from .files import display as display_path
from .files import read_bounded

# The framework directory read when none is named (CLI and site).
DEFAULT_FRAMEWORK = "framework"
# A framework file is hand-written text; anything this large is a mistake or an attack.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 50

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
# Only plain YAML data: anything else (e.g. !!python/object) is refused, never constructed.
_SCALAR_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp"))


class _Reader:
    """Turns one file's YAML nodes into located values, collecting problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()

    def problem(self, line: int | None, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, path, message))

    def convert(self, node: yaml.Node, path: str, depth: int = 0) -> Any:
        line = node.start_mark.line + 1
        if len(path) > 120:
            path = path[:60] + "..." + path[-40:]
        if id(node) in self.seen:
            self.problem(line, path, "YAML aliases (*name) are not supported: write the value out")
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problem(line, path, f"nested more than {MAX_DEPTH} levels deep")
            return None
        expected = (
            {_CORE + "map"}
            if isinstance(node, yaml.MappingNode)
            else {_CORE + "seq"}
            if isinstance(node, yaml.SequenceNode)
            else _SCALAR_TAGS
        )
        if node.tag not in expected:
            self.problem(line, path or "(root)", f"unsupported YAML tag '{node.tag}'")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            seq = LocatedList(self.file, line)
            for i, item in enumerate(node.value):
                seq.append(self.convert(item, f"{path}[{i}]", depth + 1))
                seq.item_lines.append(item.start_mark.line + 1)
            return seq
        if node.tag == _STR:
            return node.value  # most values are text: skip the constructor's bookkeeping
        try:
            return self.constructor.construct_object(node)
        except yaml.YAMLError:
            self.problem(line, path, f"unsupported YAML tag '{node.tag}'")
            return None
        except ValueError:  # e.g. an integer of more than 4300 digits
            self.problem(line, path, f"the number has too many digits ({len(node.value)})")
            return None

    def mapping(self, node: yaml.MappingNode, path: str, depth: int) -> LocatedDict:
        out = LocatedDict(self.file, node.start_mark.line + 1)
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_line, path or "(root)", "YAML merge keys (<<) are not supported")
                continue
            key = self.convert(key_node, path, depth + 1) if key_node.tag else None
            if not isinstance(key, str):
                self.problem(
                    key_line, path or "(root)", f"keys must be text, got {key!r} (put it in quotes)"
                )
                continue
            key_path = f"{path}.{key}" if path else key
            if key in out:
                self.problem(
                    key_line,
                    key_path,
                    f"duplicate key '{key}' (first at line {out.key_lines[key]})",
                )
                continue
            out[key] = self.convert(value_node, key_path, depth + 1)
            out.key_lines[key] = key_line
        return out


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    """Parse one YAML file into located values; append problems and return None on failure."""
    file = display_path(path)
    try:
        raw = read_bounded(path, MAX_FILE_BYTES)
    except ValidationError as exc:
        problems.extend(exc.problems)
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(file, bad_line, "", "file is not valid UTF-8 text"))
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and what.startswith("but "):
            what = f"{exc.context}, {what}"
        problems.append(Problem(file, line, "", f"YAML syntax error: {what}"))
        return None
    except yaml.reader.ReaderError as exc:
        # Raised on a control character: its message spans lines, its position is an offset.
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character
        code = char if isinstance(char, int) else ord(str(char)[:1] or "?")
        what = f"unacceptable character #x{code:04x}: {exc.reason}"
        problems.append(Problem(file, line, "", f"YAML syntax error: {what}"))
        return None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        problems.append(Problem(file, None, "", f"YAML syntax error: {message}"))
        return None
    except RecursionError:
        problems.append(Problem(file, None, "", f"nested more than {MAX_DEPTH} levels deep"))
        return None
    if node is None:
        problems.append(Problem(file, 1, "", "file is empty"))
        return None
    reader = _Reader(file)
    value = reader.convert(node, "")
    problems.extend(reader.problems)
    return None if reader.problems else value


def load_framework(directory: str | os.PathLike[str]) -> Framework:
    """Read and validate a framework directory; raise ValidationError listing every problem."""
    root = Path(directory)
    problems: list[Problem] = []
    if not root.is_dir():
        what = "is not a directory" if root.exists() else "no such framework directory"
        raise ValidationError([Problem(display_path(root), None, "", what)])
    fw_path = root / "framework.yaml"
    if not fw_path.is_file():
        problems.append(Problem(display_path(fw_path), None, "", "file not found"))
        fw_data = None
    else:
        fw_data = read_yaml(fw_path, problems)
    stages_path, risks_path = root / "stages.yaml", root / "risks.yaml"
    stages = None
    if not stages_path.is_file():
        problems.append(Problem(display_path(stages_path), None, "", "file not found"))
    else:
        stages = read_yaml(stages_path, problems)
    risks = read_yaml(risks_path, problems) if risks_path.is_file() else None
    caps_dir = root / "capabilities"
    capabilities = []
    if not caps_dir.is_dir():
        problems.append(Problem(display_path(caps_dir), None, "", "no such directory"))
    else:
        try:
            entries = sorted(caps_dir.iterdir())
        except OSError as exc:
            message = f"cannot read directory: {exc.strerror or exc}"
            raise ValidationError([Problem(display_path(caps_dir), None, "", message)]) from None
        for path in entries:
            if path.suffix in (".yml", ".json"):
                problems.append(
                    Problem(display_path(path), None, "", "capability files must end in .yaml")
                )
            if path.suffix != ".yaml" or path.name.startswith("."):
                continue
            data = read_yaml(path, problems)
            capabilities.append((display_path(path), path.stem, data))
    if problems:
        raise ValidationError(problems)
    sources = Sources(
        framework=(display_path(fw_path), fw_data),
        stages=(display_path(stages_path), stages),
        risks=(display_path(risks_path), risks) if risks is not None else None,
        capabilities=capabilities,
    )
    return validate(sources)
