"""Answers files v1 and v2: parse untrusted input strictly, migrate renamed ids, write v2 back."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .contracts import AnswersAuthor, AnswersDocument
from .model import MAX_ID_LENGTH, NOT_APPLICABLE, SLUG_PATTERN, Framework
from .source import Problem, ValidationError

ANSWERS_FORMAT = "maturity-playbook/answers@2"
# v1 files (no evidence, respondent or team) are read unchanged.
READ_FORMATS = ("maturity-playbook/answers@1", ANSWERS_FORMAT)
MAX_ANSWERS_BYTES = 1024 * 1024
MAX_NOTE_CHARS = 4000
MAX_ENTRIES = 20000
MAX_EVIDENCE_ITEMS = 10
MAX_EVIDENCE_CHARS = 500
MAX_NAME_CHARS = 200  # respondent and team
MAX_VERSION_CHARS = 64
_SLUG = re.compile(SLUG_PATTERN)
_KEYS = (
    "format", "framework", "respondent", "team", "self_estimate", "answers", "evidence", "notes",
    "saved_at",
)  # fmt: skip
# Evidence may be a link; these schemes could run script if a page ever made them a link.
_SCRIPT_SCHEME = re.compile(r"(javascript|vbscript|data|file|blob):", re.IGNORECASE)
# Browsers drop ASCII control characters and spaces inside a URL's scheme ("java\tscript:").
_URL_IGNORED = re.compile(r"[\x00-\x20]")


@dataclass(frozen=True)
class AnswerSet:
    """A parsed answers file, with ids already carried over to the current framework."""

    framework_id: str
    framework_version: str | None = None
    self_estimate: str | None = None
    answers: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    respondent: str | None = None
    team: str | None = None
    saved_at: str | None = None
    migrated: dict[str, str] = field(default_factory=dict)  # old id -> new id

    def has_evidence(self, practice_id: str) -> bool:
        """Whether at least one non-blank evidence item is given for the practice."""
        return any(item.strip() for item in self.evidence.get(practice_id, ()))


def _short(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**40:
        return "a number with more than 40 digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unencodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class _Parser:
    def __init__(self, framework: Framework, name: str) -> None:
        self.fw = framework
        self.name = name
        self.problems: list[Problem] = []
        self.practices = {p.id: p for p in framework.practices}

    def problem(self, path: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.name, line, path, message))

    def id_map(self, value: Any, path: str, check_value: Any) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"expected an object, got {type(value).__name__}")
            return {}
        if len(value) > MAX_ENTRIES:
            self.problem(path, f"more than {MAX_ENTRIES} entries")
            return {}
        out: dict[str, str] = {}
        for key, item in value.items():
            if not _SLUG.fullmatch(key) or len(key) > MAX_ID_LENGTH:
                self.problem(path, f"{_short(key)} is not a valid practice id")
                continue
            where = f"{path}.{key}"
            if not isinstance(item, str):
                self.problem(where, f"expected text, got {_short(item)}")
                continue
            if check_value(where, item):
                out[key] = item
        return out

    def check_answer(self, where: str, value: str) -> bool:
        practice = self.practices.get(where.rsplit(".", 1)[-1])
        if practice is not None:
            allowed = [o.id for o in self.fw.scale_of(practice)]
        else:  # an id of another version: any option of any scale may be its answer
            scales = [self.fw.answer_scale, *self.fw.answer_scales.values()]
            allowed = list(dict.fromkeys(o.id for scale in scales for o in scale))
        if self.fw.not_applicable_policy != "nowhere":
            allowed.append(NOT_APPLICABLE)
        if value not in allowed:
            self.problem(
                where, f"unknown answer {_short(value)} (expected one of: {', '.join(allowed)})"
            )
            return False
        return True

    def check_note(self, where: str, value: str) -> bool:
        if len(value) > MAX_NOTE_CHARS:
            self.problem(where, f"note is longer than {MAX_NOTE_CHARS} characters")
            return False
        return self.check_text(where, value)

    def check_text(self, where: str, value: str) -> bool:
        if _unencodable(value):
            self.problem(where, "text contains an invalid character (a lone surrogate)")
            return False
        return True

    def check_evidence(self, where: str, value: Any) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.problem(where, f"expected a list of links or short texts, got {_short(value)}")
            return None
        if len(value) > MAX_EVIDENCE_ITEMS:
            self.problem(where, f"more than {MAX_EVIDENCE_ITEMS} evidence items")
            return None
        ok = True
        for i, item in enumerate(value):
            at = f"{where}[{i}]"
            if not isinstance(item, str):
                self.problem(at, f"expected text, got {_short(item)}")
                ok = False
            elif len(item) > MAX_EVIDENCE_CHARS:
                self.problem(at, f"evidence item is longer than {MAX_EVIDENCE_CHARS} characters")
                ok = False
            elif _SCRIPT_SCHEME.match(_URL_IGNORED.sub("", item[:100])):
                scheme = _URL_IGNORED.sub("", item.split(":", 1)[0]).lower()
                self.problem(at, f"'{scheme}:' links are not allowed: give an https: link or text")
                ok = False
            elif not self.check_text(at, item):
                ok = False
        return tuple(value) if ok else None

    def evidence_map(self, value: Any) -> dict[str, tuple[str, ...]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem("evidence", f"expected an object, got {type(value).__name__}")
            return {}
        if len(value) > MAX_ENTRIES:
            self.problem("evidence", f"more than {MAX_ENTRIES} entries")
            return {}
        out: dict[str, tuple[str, ...]] = {}
        for key, items in value.items():
            if not _SLUG.fullmatch(key) or len(key) > MAX_ID_LENGTH:
                self.problem("evidence", f"{_short(key)} is not a valid practice id")
                continue
            checked = self.check_evidence(f"evidence.{key}", items)
            if checked is not None:
                out[key] = checked
        return out

    def free_text(self, data: dict[str, Any], key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or len(value) > MAX_NAME_CHARS:
            self.problem(key, f"expected text of at most {MAX_NAME_CHARS} characters")
            return None
        return value if self.check_text(key, value) else None

    def parse(self, data: Any) -> AnswerSet:
        if not isinstance(data, dict):
            self.problem("(root)", f"expected a JSON object, got {type(data).__name__}")
            raise ValidationError(self.problems)
        for key in data:
            if key not in _KEYS:
                self.problem(_short(key), f"unknown key (known: {', '.join(_KEYS)})")
        if data.get("format") not in READ_FORMATS:
            self.problem(
                "format",
                f"expected '{ANSWERS_FORMAT}' (or @1), got {_short(data.get('format'))}",
            )
        fw_info = data.get("framework")
        version = None
        if not isinstance(fw_info, dict) or not isinstance(fw_info.get("id"), str):
            self.problem("framework", "expected an object with the framework's 'id' and 'version'")
        else:
            if fw_info["id"] != self.fw.id:
                self.problem(
                    "framework.id",
                    f"these answers are for framework {_short(fw_info['id'])}, not '{self.fw.id}'",
                )
            version = fw_info.get("version")
            if not isinstance(version, str | None) or (
                isinstance(version, str) and len(version) > MAX_VERSION_CHARS
            ):
                self.problem(
                    "framework.version",
                    f"expected text of at most {MAX_VERSION_CHARS} characters, got "
                    f"{_short(version)}",
                )
                version = None
            extra = set(fw_info) - {"id", "version"}
            if extra:
                self.problem("framework", f"unknown key(s): {', '.join(sorted(map(str, extra)))}")
        estimate = data.get("self_estimate")
        stage_ids = [s.id for s in self.fw.stages]
        if estimate is not None and estimate not in stage_ids:
            self.problem(
                "self_estimate",
                f"unknown stage {_short(estimate)} (expected one of: {', '.join(stage_ids)})",
            )
            estimate = None
        answers = self.id_map(data.get("answers"), "answers", self.check_answer)
        notes = self.id_map(data.get("notes"), "notes", self.check_note)
        evidence = self.evidence_map(data.get("evidence"))
        respondent = self.free_text(data, "respondent")
        team = self.free_text(data, "team")
        saved_at = data.get("saved_at")
        if saved_at is not None and (not isinstance(saved_at, str) or len(saved_at) > 64):
            self.problem("saved_at", f"expected a timestamp, got {_short(saved_at)}")
        if self.problems:
            raise ValidationError(self.problems)
        answers, migrated = migrate(self.fw, answers)
        notes, _ = migrate(self.fw, notes)
        evidence, _ = migrate(self.fw, evidence)
        return AnswerSet(
            framework_id=self.fw.id,
            framework_version=version,
            self_estimate=estimate,
            answers=answers,
            notes=notes,
            evidence=evidence,
            respondent=respondent,
            team=team,
            saved_at=saved_at,
            migrated=migrated,
        )


V = TypeVar("V")


def migrate(framework: Framework, values: Mapping[str, V]) -> tuple[dict[str, V], dict[str, str]]:
    """Carry values keyed by old ids to the practices that `replaces` them.

    A value already given for the new id wins; values that cannot be carried keep their old id
    and are reported as unknown by the scorer, never dropped.
    """
    current = {p.id for p in framework.practices}
    successor = {old: p.id for p in framework.practices for old in p.replaces}
    out: dict[str, V] = {}
    migrated: dict[str, str] = {}
    for key, value in values.items():
        if key in current:
            out[key] = value
    for key, value in values.items():
        new = successor.get(key) if key not in current else None
        if new is not None and new not in out:
            out[new] = value
            migrated[key] = new
        elif key not in current:
            out.setdefault(key, value)
    return out, migrated


def parse_answers(data: Any, framework: Framework, name: str = "answers") -> AnswerSet:
    """Parse an answers file (JSON text, bytes or a decoded object); raise ValidationError."""
    if isinstance(data, bytes | bytearray):
        if len(data) > MAX_ANSWERS_BYTES:
            raise ValidationError([Problem(name, None, "", _too_large(len(data)))])
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError([Problem(name, None, "", "file is not UTF-8 text")]) from None
    if isinstance(data, str):
        if len(data.encode("utf-8")) > MAX_ANSWERS_BYTES:
            raise ValidationError([Problem(name, None, "", _too_large(len(data.encode())))])
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                [Problem(name, exc.lineno, "", f"invalid JSON: {exc.msg} (column {exc.colno})")]
            ) from None
        except RecursionError:
            raise ValidationError(
                [Problem(name, None, "", "invalid JSON: nested too deep")]
            ) from None
        except ValueError:  # Python refuses to convert integers of more than 4300 digits
            raise ValidationError(
                [Problem(name, None, "", "invalid JSON: a number has too many digits")]
            ) from None
    return _Parser(framework, name).parse(data)


def _too_large(size: int) -> str:
    return (
        f"answers file is too large ({size / 1024 / 1024:.1f} MB; "
        f"the limit is {MAX_ANSWERS_BYTES // 1024 // 1024} MB)"
    )


def dump_answers(framework: Framework, answer_set: AnswerSet, saved_at: str) -> AnswersDocument:
    """An answers file v2 for the current framework version."""
    author: AnswersAuthor = {}
    if answer_set.respondent is not None:
        author["respondent"] = answer_set.respondent
    if answer_set.team is not None:
        author["team"] = answer_set.team
    return {
        "format": ANSWERS_FORMAT,
        "framework": {"id": framework.id, "version": framework.version},
        **author,
        "self_estimate": answer_set.self_estimate,
        "answers": dict(answer_set.answers),
        "evidence": {k: list(v) for k, v in answer_set.evidence.items()},
        "notes": dict(answer_set.notes),
        "saved_at": saved_at,
    }
