"""Pass 1 of validation: the shape of every value, driven by the model's field specs."""

from __future__ import annotations

import dataclasses
import re
from typing import Any
from urllib.parse import urlsplit

from .locations import SourceMap, Where
from .model import (
    FILE_FIELDS,
    MAX_ID_LENGTH,
    SLUG_PATTERN,
    Capability,
    Framework,
    Risk,
    Spec,
    Stage,
    field_specs,
)
from .source import LocatedDict, LocatedList, Problem, describe, printable, suggest

_SLUG = re.compile(SLUG_PATTERN)
# Returned instead of a value that failed its check, so one bad value does not cascade.
INVALID: Any = object()


@dataclasses.dataclass
class Sources:
    """The parsed files of a framework directory, before shaping."""

    framework: tuple[str, Any]
    stages: tuple[str, Any] | None
    risks: tuple[str, Any] | None
    capabilities: list[tuple[str, str, Any]]  # (file, file stem, data)


@dataclasses.dataclass
class Shaped:
    """The result of the shape pass: the model, where each part came from, and the problems."""

    framework: Framework | None
    locations: SourceMap
    # Each capability with the stem of its file: the cross-reference pass compares them.
    capability_files: list[tuple[Capability, str]]
    problems: list[Problem]


def root_line(data: Any) -> int | None:
    """Line of a parsed document's root, if known."""
    return data.line if isinstance(data, LocatedDict | LocatedList) else None


class Shaper:
    """Builds model objects from located (or plain) data, collecting every shape problem."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.locations = SourceMap()

    def problem(self, where: Where, message: str) -> None:
        self.problems.append(where.problem(message))

    def build(self, cls: type, value: Any, where: Where, skip: tuple[str, ...] = ()) -> Any:
        """One model object from a mapping, or INVALID."""
        if not isinstance(value, dict):
            self.problem(where, f"expected a mapping, got {describe(value)}")
            return INVALID
        key_lines = value.key_lines if isinstance(value, LocatedDict) else {}
        specs = [s for s in field_specs(cls) if s[0] not in skip]
        names = [s[0] for s in specs]
        for key in value:
            if key not in names:
                self.problem(
                    where.key(str(key), key_lines.get(key)),
                    f"unknown key {printable(str(key))}{suggest(str(key), names)} "
                    f"(known: {', '.join(names)})",
                )
        kwargs: dict[str, Any] = {}
        fields_where: dict[str, Where] = {}
        ok = True
        for name, field_spec, required in specs:
            fw = where.key(name, key_lines.get(name))
            fields_where[name] = fw
            if name not in value:
                if required:
                    self.problem(where, f"missing required key '{name}'")
                    ok = False
                continue
            built = self.value(field_spec, field_spec.kind, value[name], fw)
            if built is INVALID:
                ok = False
            else:
                kwargs[name] = built
        if not ok:
            return INVALID
        obj = cls(**kwargs)
        self.locations.record(obj, where)
        for name, fw in fields_where.items():
            self.locations.record_field(obj, name, fw)
        return obj

    def value(self, field_spec: Spec, kind: Any, raw: Any, where: Where) -> Any:
        """Check one value against its kind; return the model value or INVALID."""
        if isinstance(kind, Spec):
            return self.value(kind, kind.kind, raw, where)
        if isinstance(kind, type):
            return self.build(kind, raw, where)
        if kind == "list":
            return self.sequence(field_spec, raw, where)
        if kind == "mapping":
            return self.mapping(field_spec, raw, where)
        if kind == "choice":
            return self.choice(field_spec, raw, where)
        if kind in ("slug", "text", "markdown", "url"):
            return self.text(kind, raw, where)
        if kind in ("number", "integer"):
            return self.number(field_spec, kind, raw, where)
        if kind == "boolean":
            if isinstance(raw, bool):
                return raw
            self.problem(where, f"expected true or false, got {describe(raw)}")
            return INVALID
        raise AssertionError(f"unknown field kind {kind!r}")

    def sequence(self, field_spec: Spec, raw: Any, where: Where) -> Any:
        if not isinstance(raw, list):
            self.problem(where, f"expected a list, got {describe(raw)}")
            return INVALID
        if len(raw) < field_spec.min_items:
            self.problem(where, f"expected at least {field_spec.min_items} item(s), got {len(raw)}")
            return INVALID
        lines = raw.item_lines if isinstance(raw, LocatedList) else []
        places = [
            where.item(i, item, lines[i] if i < len(lines) else None) for i, item in enumerate(raw)
        ]
        items = [
            self.value(field_spec, field_spec.item, item, places[i]) for i, item in enumerate(raw)
        ]
        if any(item is INVALID for item in items):
            return INVALID
        result = tuple(items)
        for i, place in enumerate(places):
            self.locations.record_item(result, i, place)
        return result

    def mapping(self, field_spec: Spec, raw: Any, where: Where) -> Any:
        if not isinstance(raw, dict):
            self.problem(where, f"expected a mapping, got {describe(raw)}")
            return INVALID
        key_lines = raw.key_lines if isinstance(raw, LocatedDict) else {}
        out: dict[str, Any] = {}
        places: dict[str, Where] = {}
        ok = True
        for key, item in raw.items():
            place = where.key(str(key), key_lines.get(key))
            if self.text("slug", key, place) is INVALID:
                ok = False
                continue
            built = self.value(field_spec.item, field_spec.item, item, place)
            if built is INVALID:
                ok = False
            else:
                out[key], places[key] = built, place
        if not ok:
            return INVALID
        for key, place in places.items():
            self.locations.record_field(out, key, place)
        return out

    def choice(self, field_spec: Spec, raw: Any, where: Where) -> Any:
        if isinstance(raw, str) and raw in field_spec.choices:
            return raw
        got = printable(raw) if isinstance(raw, str) else describe(raw)
        hint = suggest(raw, field_spec.choices) if isinstance(raw, str) else ""
        self.problem(where, f"expected one of {', '.join(field_spec.choices)}, got {got}{hint}")
        return INVALID

    def text(self, kind: str, raw: Any, where: Where) -> Any:
        if not isinstance(raw, str):
            hint = " (put it in quotes)" if isinstance(raw, bool | int | float) else ""
            wanted = "an id" if kind == "slug" else "a URL" if kind == "url" else "text"
            self.problem(where, f"expected {wanted}, got {describe(raw)}{hint}")
            return INVALID
        if not raw.strip():
            self.problem(where, "must not be empty")
            return INVALID
        if kind == "slug" and len(raw) > MAX_ID_LENGTH:
            self.problem(
                where,
                f"{printable(raw)} is not a valid id: it has {len(raw)} characters, at most "
                f"{MAX_ID_LENGTH} are allowed",
            )
            return INVALID
        if kind == "slug" and not _SLUG.fullmatch(raw):
            self.problem(
                where,
                f"{printable(raw)} is not a valid id: use lowercase letters, digits and single "
                f"hyphens, at most {MAX_ID_LENGTH} characters, e.g. 'weekly-review'",
            )
            return INVALID
        if kind == "url":
            parts = urlsplit(raw)
            if (
                parts.scheme not in ("http", "https")
                or not parts.netloc
                or any(c.isspace() for c in raw)
            ):
                self.problem(where, f"{printable(raw)} is not an absolute http(s) URL")
                return INVALID
        return raw

    def number(self, field_spec: Spec, kind: str, raw: Any, where: Where) -> Any:
        wanted = "a whole number" if kind == "integer" else "a number"
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            self.problem(where, f"expected {wanted}, got {describe(raw)}")
            return INVALID
        if kind == "integer" and not isinstance(raw, int):
            self.problem(where, f"expected {wanted}, got {raw}")
            return INVALID
        if raw != raw or raw in (float("inf"), float("-inf")):
            self.problem(where, f"expected {wanted}, got {raw}")
            return INVALID
        low, high = field_spec.minimum, field_spec.maximum
        if low is not None and (raw <= low if field_spec.exclusive_minimum else raw < low):
            above = "above" if field_spec.exclusive_minimum else "at least"
            self.problem(where, f"must be {above} {low:g}, got {_short_number(raw)}")
            return INVALID
        if high is not None and raw > high:
            self.problem(where, f"must be at most {high:g}, got {_short_number(raw)}")
            return INVALID
        return raw if kind == "integer" else float(raw)

    def listed(self, source: tuple[str, Any] | None, cls: type, what: str) -> Any:
        """The items of a file that holds a list (stages.yaml, risks.yaml)."""
        if source is None:
            return ()
        file, data = source
        where = Where(file, root_line(data), "")
        if not isinstance(data, list):
            self.problem(where, f"expected a list of {what}, got {describe(data)}")
            return INVALID
        return self.sequence(Spec(what, kind="list", item=cls), data, where)


def _short_number(value: float) -> str:
    # A huge integer would otherwise print thousands of digits into one error line.
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) <= 20 else f"{text[:10]}... ({len(text)} digits)"


def _file_where(source: tuple[str, Any] | None, framework_file: str, name: str) -> Where:
    if source is None:
        return Where(framework_file.rsplit("framework.yaml", 1)[0] + name, None, "")
    return Where(source[0], root_line(source[1]), "")


def shape_framework(sources: Sources) -> Shaped:
    """Pass 1: build the model from parsed files; `framework` is None on any shape problem."""
    shaper = Shaper()
    fw_file, fw_data = sources.framework
    info = shaper.build(Framework, fw_data, Where(fw_file, root_line(fw_data), ""), FILE_FIELDS)
    stages = shaper.listed(sources.stages, Stage, "stages")
    risks = shaper.listed(sources.risks, Risk, "risks")
    capability_files: list[tuple[Capability, str]] = []
    for file, stem, data in sources.capabilities:
        cap = shaper.build(Capability, data, Where(file, root_line(data), ""))
        if cap is not INVALID:
            capability_files.append((cap, stem))
    invalid = INVALID in (info, stages, risks) or len(capability_files) < len(sources.capabilities)
    if shaper.problems or invalid:
        return Shaped(None, shaper.locations, capability_files, shaper.problems)
    framework: Framework = dataclasses.replace(
        info, stages=stages, risks=risks, capabilities=tuple(c for c, _ in capability_files)
    )
    places = shaper.locations
    places.record(framework, places.of(info))
    for name, _, _ in field_specs(Framework):
        places.record_field(framework, name, places.field(info, name))
    places.record_field(framework, "stages", _file_where(sources.stages, fw_file, "stages.yaml"))
    places.record_field(framework, "risks", _file_where(sources.risks, fw_file, "risks.yaml"))
    return Shaped(framework, places, capability_files, shaper.problems)
