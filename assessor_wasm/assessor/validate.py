"""Validation in two passes: shape (driven by the model's field specs), then cross-references."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from .model import (
    FILE_FIELDS,
    MAX_ID_LENGTH,
    NOT_APPLICABLE,
    SLUG_PATTERN,
    AnswerOption,
    Capability,
    Framework,
    Practice,
    Risk,
    Spec,
    Stage,
    field_specs,
)
from .source import LocatedDict, LocatedList, Problem, ValidationError

_SLUG = re.compile(SLUG_PATTERN)
_INVALID = object()

# Where a value came from: (file, line, path).
Where = tuple[str, int | None, str]


def describe(value: Any) -> str:
    """A reader's name for the type of a parsed value."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def suggest(word: str, known: Iterable[str]) -> str:
    """A ' (did you mean ...?)' hint, or ''."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def printable(text: str, limit: int = 60) -> str:
    """Text quoted for a message: control characters escaped, long text shortened."""
    shown = text if len(text) <= limit else text[: limit - 3] + "..."
    return repr(shown) if any(not c.isprintable() for c in shown) else f"'{shown}'"


def known_list(ids: Iterable[str], limit: int = 12) -> str:
    """'a, b, c' for messages, shortened for long lists."""
    ids = list(ids)
    if not ids:
        return "none"
    shown = ", ".join(ids[:limit])
    return shown + (f", ... ({len(ids) - limit} more)" if len(ids) > limit else "")


def join(path: str, name: str) -> str:
    """Extend a breadcrumb path with a key."""
    return f"{path}.{name}" if path else name


def item_path(path: str, index: int, item: Any) -> str:
    """Breadcrumb for a list item, naming its id when it has one."""
    crumb = f"{path}[{index}]"
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        crumb += f" (id '{item['id']}')"
    return crumb


class Shaper:
    """Builds model objects from located (or plain) data, collecting every shape problem."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        # (id(object), field name) -> where that field's value was written.
        self.where: dict[tuple[int, str], Where] = {}
        self.item_where: dict[tuple[int, str, int], Where] = {}

    def problem(self, where: Where, message: str) -> None:
        self.problems.append(Problem(where[0], where[1], where[2], message))

    def build(self, cls: type, value: Any, where: Where, skip: tuple[str, ...] = ()) -> Any:
        """One model object from a mapping, or _INVALID."""
        if not isinstance(value, dict):
            self.problem(where, f"expected a mapping, got {describe(value)}")
            return _INVALID
        file, line, path = where
        key_lines = value.key_lines if isinstance(value, LocatedDict) else {}
        specs = [s for s in field_specs(cls) if s[0] not in skip]
        names = [s[0] for s in specs]
        for key in value:
            if key not in names:
                self.problem(
                    (file, key_lines.get(key, line), join(path, str(key))),
                    f"unknown key '{key}'{suggest(str(key), names)} (known: {', '.join(names)})",
                )
        kwargs: dict[str, Any] = {}
        fields_where: dict[str, Where] = {}
        ok = True
        for name, field_spec, required in specs:
            fw: Where = (file, key_lines.get(name, line), join(path, name))
            fields_where[name] = fw
            if name not in value:
                if required:
                    self.problem(where, f"missing required key '{name}'")
                    ok = False
                continue
            built = self.value(field_spec, field_spec.kind, value[name], fw)
            if built is _INVALID:
                ok = False
            else:
                kwargs[name] = built
        if not ok:
            return _INVALID
        obj = cls(**kwargs)
        self.where[(id(obj), "")] = where
        for name, fw in fields_where.items():
            self.where[(id(obj), name)] = fw
        return obj

    def value(self, field_spec: Spec, kind: Any, raw: Any, where: Where) -> Any:
        """Check one value against its kind; return the model value or _INVALID."""
        if isinstance(kind, Spec):
            return self.value(kind, kind.kind, raw, where)
        if isinstance(kind, type):
            return self.build(kind, raw, where)
        if kind == "list":
            return self.sequence(field_spec, raw, where)
        if kind == "mapping":
            return self.mapping(field_spec, raw, where)
        if kind == "choice":
            if isinstance(raw, str) and raw in field_spec.choices:
                return raw
            self.problem(
                where,
                f"expected one of {', '.join(field_spec.choices)}, got "
                f"{repr(raw) if isinstance(raw, str) else describe(raw)}"
                f"{suggest(raw, field_spec.choices) if isinstance(raw, str) else ''}",
            )
            return _INVALID
        if kind in ("slug", "text", "markdown", "url"):
            return self.text(kind, raw, where)
        if kind in ("number", "integer"):
            return self.number(field_spec, kind, raw, where)
        if kind == "boolean":
            if isinstance(raw, bool):
                return raw
            self.problem(where, f"expected true or false, got {describe(raw)}")
            return _INVALID
        raise AssertionError(f"unknown field kind {kind!r}")

    def sequence(self, field_spec: Spec, raw: Any, where: Where) -> Any:
        if not isinstance(raw, list):
            self.problem(where, f"expected a list, got {describe(raw)}")
            return _INVALID
        if len(raw) < field_spec.min_items:
            self.problem(where, f"expected at least {field_spec.min_items} item(s), got {len(raw)}")
            return _INVALID
        lines = raw.item_lines if isinstance(raw, LocatedList) else []
        items = []
        ok = True
        for i, item in enumerate(raw):
            line = lines[i] if i < len(lines) else where[1]
            iw: Where = (where[0], line, item_path(where[2], i, item))
            built = self.value(field_spec, field_spec.item, item, iw)
            if built is _INVALID:
                ok = False
            items.append(built)
        if not ok:
            return _INVALID
        result = tuple(items)
        for i, item in enumerate(raw):
            line = lines[i] if i < len(lines) else where[1]
            self.item_where[(id(result), "", i)] = (where[0], line, item_path(where[2], i, item))
        return result

    def mapping(self, field_spec: Spec, raw: Any, where: Where) -> Any:
        if not isinstance(raw, dict):
            self.problem(where, f"expected a mapping, got {describe(raw)}")
            return _INVALID
        key_lines = raw.key_lines if isinstance(raw, LocatedDict) else {}
        out: dict[str, Any] = {}
        ok = True
        for key, item in raw.items():
            kw: Where = (where[0], key_lines.get(key, where[1]), join(where[2], str(key)))
            if self.text("slug", key, kw) is _INVALID:
                ok = False
                continue
            built = self.value(field_spec.item, field_spec.item, item, kw)
            if built is _INVALID:
                ok = False
            else:
                out[key] = built
                self.where[(id(out), key)] = kw
        if not ok:
            return _INVALID
        return out

    def text(self, kind: str, raw: Any, where: Where) -> Any:
        if not isinstance(raw, str):
            hint = " (put it in quotes)" if isinstance(raw, bool | int | float) else ""
            wanted = "an id" if kind == "slug" else "a URL" if kind == "url" else "text"
            self.problem(where, f"expected {wanted}, got {describe(raw)}{hint}")
            return _INVALID
        if not raw.strip():
            self.problem(where, "must not be empty")
            return _INVALID
        if kind == "slug" and (len(raw) > MAX_ID_LENGTH or not _SLUG.fullmatch(raw)):
            shown = printable(raw)
            self.problem(
                where,
                f"{shown} is not a valid id: use lowercase letters, digits and single hyphens, "
                f"at most {MAX_ID_LENGTH} characters, e.g. 'weekly-review'",
            )
            return _INVALID
        if kind == "url":
            parts = urlsplit(raw)
            if (
                parts.scheme not in ("http", "https")
                or not parts.netloc
                or any(c.isspace() for c in raw)
            ):
                self.problem(where, f"'{raw}' is not an absolute http(s) URL")
                return _INVALID
        return raw

    def number(self, field_spec: Spec, kind: str, raw: Any, where: Where) -> Any:
        wanted = "a whole number" if kind == "integer" else "a number"
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            self.problem(where, f"expected {wanted}, got {describe(raw)}")
            return _INVALID
        if kind == "integer" and not isinstance(raw, int):
            self.problem(where, f"expected {wanted}, got {raw}")
            return _INVALID
        if raw != raw or raw in (float("inf"), float("-inf")):
            self.problem(where, f"expected {wanted}, got {raw}")
            return _INVALID
        low, high = field_spec.minimum, field_spec.maximum
        if low is not None and (raw <= low if field_spec.exclusive_minimum else raw < low):
            above = "above" if field_spec.exclusive_minimum else "at least"
            self.problem(where, f"must be {above} {low:g}, got {raw}")
            return _INVALID
        if high is not None and raw > high:
            self.problem(where, f"must be at most {high:g}, got {raw}")
            return _INVALID
        return raw if kind == "integer" else float(raw)


@dataclasses.dataclass
class Sources:
    """The parsed files of a framework directory, before shaping."""

    framework: tuple[str, Any]
    stages: tuple[str, Any] | None
    risks: tuple[str, Any] | None
    capabilities: list[tuple[str, str, Any]]  # (file, file stem, data)


def root_line(data: Any) -> int | None:
    """Line of a parsed document's root, if known."""
    return data.line if isinstance(data, LocatedDict | LocatedList) else None


def shape_framework(sources: Sources, shaper: Shaper) -> Framework | None:
    """First pass: build the model from parsed files; None if any shape problem was found."""
    fw_file, fw_data = sources.framework
    info = shaper.build(Framework, fw_data, (fw_file, root_line(fw_data), ""), skip=FILE_FIELDS)

    def listed(file_and_data: tuple[str, Any] | None, cls: type, what: str) -> Any:
        if file_and_data is None:
            return ()
        file, data = file_and_data
        where: Where = (file, root_line(data), "")
        if not isinstance(data, list):
            shaper.problem(where, f"expected a list of {what}, got {describe(data)}")
            return _INVALID
        spec_ = Spec(what, kind="list", item=cls)
        return shaper.sequence(spec_, data, where)

    stages = listed(sources.stages, Stage, "stages")
    risks = listed(sources.risks, Risk, "risks")
    capabilities = []
    cap_ok = True
    for file, stem, data in sources.capabilities:
        cap = shaper.build(Capability, data, (file, root_line(data), ""))
        if cap is _INVALID:
            cap_ok = False
        else:
            capabilities.append((cap, stem))
    if shaper.problems or info is _INVALID or stages is _INVALID or risks is _INVALID or not cap_ok:
        return None
    framework: Framework = dataclasses.replace(
        info, stages=stages, risks=risks, capabilities=tuple(c for c, _ in capabilities)
    )
    shaper.where[(id(framework), "")] = shaper.where[(id(info), "")]
    for name, _, _ in field_specs(Framework):
        if (id(info), name) in shaper.where:
            shaper.where[(id(framework), name)] = shaper.where[(id(info), name)]
    shaper.where[(id(framework), "stages")] = _file_where(sources.stages, fw_file, "stages.yaml")
    shaper.where[(id(framework), "risks")] = _file_where(sources.risks, fw_file, "risks.yaml")
    shaper.where[(id(stages), "")] = shaper.where[(id(framework), "stages")]
    shaper.where[(id(risks), "")] = shaper.where[(id(framework), "risks")]
    # The file name travels in the path slot: the capability check compares it with the id.
    for cap, stem in capabilities:
        shaper.where[(id(cap), "stem")] = (shaper.where[(id(cap), "")][0], None, stem)
    return framework


def _file_where(src: tuple[str, Any] | None, fw_file: str, name: str) -> Where:
    if src is None:
        return (fw_file.rsplit("framework.yaml", 1)[0] + name, None, "")
    return (src[0], root_line(src[1]), "")


class CrossChecker:
    """Second pass: every reference resolves, ids are unique, order rules hold."""

    def __init__(self, framework: Framework, shaper: Shaper) -> None:
        self.fw = framework
        self.shaper = shaper

    def at(self, obj: Any, name: str = "") -> Where:
        return self.shaper.where.get((id(obj), name), ("?", None, name))

    def item_at(self, obj: Any, name: str, index: int) -> Where:
        seq = getattr(obj, name)
        where = self.shaper.item_where.get((id(seq), "", index))
        return where if where is not None else self.at(obj, name)

    def problem(self, where: Where, message: str) -> None:
        self.shaper.problem(where, message)

    def check(self) -> None:
        self.check_framework_info()
        stages = self.check_stages()
        risks = self.check_unique(self.fw.risks, "risk")
        self.check_capabilities()
        practices = self.check_practices(stages, risks)
        self.check_dependencies(practices, stages)
        self.check_replaces(practices)

    def check_framework_info(self) -> None:
        fw = self.fw
        self.check_scale(fw.answer_scale, ends=False)
        for name, options in fw.answer_scales.items():
            self.check_scale(
                options, ends=True, where=self.shaper.where.get((id(fw.answer_scales), name))
            )
        if fw.allow_not_applicable is not None and fw.not_applicable is not None:
            self.problem(
                self.at(fw, "not_applicable"),
                "give either 'not_applicable' or the older 'allow_not_applicable', not both",
            )
        self.check_unique(fw.groups, "group")
        standards = self.check_unique(fw.standards, "standard")
        for standard in standards.values():
            self.check_list_refs(standard, "labels", {}, "label", duplicates_only=True)
        caps = [c.id for c in fw.capabilities]
        listed: set[str] = set()
        for i, cap_id in enumerate(fw.capability_order):
            where = self.item_at(fw, "capability_order", i)
            if cap_id in listed:
                self.problem(where, f"capability '{cap_id}' is listed twice")
            elif cap_id not in caps:
                self.problem(
                    where,
                    f"unknown capability '{cap_id}'{suggest(cap_id, caps)} "
                    f"(known: {known_list(caps)})",
                )
            listed.add(cap_id)

    def check_scale(
        self, options: tuple[AnswerOption, ...], *, ends: bool, where: Where | None = None
    ) -> None:
        seen: set[str] = set()
        previous: float | None = None
        for option in options:
            opt_id = self.at(option, "id")
            if option.id == NOT_APPLICABLE:
                self.problem(opt_id, f"'{NOT_APPLICABLE}' is reserved for 'not applicable'")
            if option.id in seen:
                self.problem(opt_id, f"duplicate answer id '{option.id}'")
            seen.add(option.id)
            if previous is not None and option.score <= previous:
                self.problem(
                    self.at(option, "score"),
                    f"scores must increase along the scale, lowest first "
                    f"({option.score:g} is not above {previous:g})",
                )
            previous = option.score
        if ends and options:
            scores = [o.score for o in options]
            at = where or self.at(options[0])
            if 0 not in scores:
                self.problem(at, "a scale needs an option that scores 0 (its lowest answer)")
            if 1 not in scores:
                self.problem(at, "a scale needs an option that scores 1 (full credit)")

    def check_stages(self) -> dict[str, Stage]:
        fw = self.fw
        if not fw.stages:
            self.problem(self.at(fw, "stages"), "at least one stage is required")
        for i, stage in enumerate(fw.stages):
            if stage.level != i:
                self.problem(
                    self.at(stage, "level"),
                    f"expected level {i}: stages are listed lowest first with levels "
                    f"0, 1, 2, ... (got {stage.level})",
                )
        return self.check_unique(fw.stages, "stage")

    def check_unique(self, items: Iterable[Any], what: str) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for item in items:
            if item.id in seen:
                first = self.at(seen[item.id])
                self.problem(
                    self.at(item, "id"),
                    f"duplicate {what} id '{item.id}' (first at {first[0]}:{first[1]})",
                )
            else:
                seen[item.id] = item
        return seen

    def check_capabilities(self) -> None:
        if not self.fw.capabilities:
            fw_file = self.at(self.fw)[0]
            folder = fw_file.rsplit("framework.yaml", 1)[0] + "capabilities"
            self.problem((folder, None, ""), "no capability files (*.yaml) found")
        for cap in self.fw.capabilities:
            stem = self.at(cap, "stem")[2]
            if cap.id != stem:
                self.problem(
                    self.at(cap, "id"),
                    f"capability id '{cap.id}' must equal the file name '{stem}' "
                    f"(rename the file to {cap.id}.yaml or change the id)",
                )
        self.check_unique(self.fw.capabilities, "capability")
        groups = [g.id for g in self.fw.groups]
        for cap in self.fw.capabilities:
            if cap.group is None:
                if groups:
                    self.problem(
                        self.at(cap),
                        f"missing required key 'group': the framework declares groups "
                        f"({known_list(groups)}), so every capability names one",
                    )
            elif cap.group not in groups:
                known = known_list(groups) if groups else "none: declare 'groups' in framework.yaml"
                self.problem(
                    self.at(cap, "group"),
                    f"unknown group '{cap.group}'{suggest(cap.group, groups)} (known: {known})",
                )

    def check_practices(
        self, stages: dict[str, Stage], risks: dict[str, Any]
    ) -> dict[str, Practice]:
        practices: dict[str, Practice] = {}
        for cap in self.fw.capabilities:
            for practice in cap.practices:
                if practice.id in practices:
                    first = self.at(practices[practice.id])
                    self.problem(
                        self.at(practice, "id"),
                        f"duplicate practice id '{practice.id}' (first at {first[0]}:{first[1]})",
                    )
                else:
                    practices[practice.id] = practice
                if practice.stage not in stages:
                    self.problem(
                        self.at(practice, "stage"),
                        f"unknown stage '{practice.stage}'{suggest(practice.stage, stages)} "
                        f"(known: {known_list(stages)})",
                    )
                self.check_list_refs(practice, "risks", risks, "risk")
                self.check_practice_v2(practice)
        return practices

    def check_practice_v2(self, practice: Practice) -> None:
        fw = self.fw
        if practice.required and practice.not_applicable_when:
            self.problem(
                self.at(practice, "not_applicable_when"),
                "a required practice never accepts 'not applicable': remove "
                "'not_applicable_when' or 'required'",
            )
        if practice.scale is not None and practice.scale not in fw.answer_scales:
            names = list(fw.answer_scales)
            known = (
                known_list(names) if names else "none: declare 'answer_scales' in framework.yaml"
            )
            self.problem(
                self.at(practice, "scale"),
                f"unknown answer scale '{practice.scale}'{suggest(practice.scale, names)} "
                f"(known: {known})",
            )
        standards = {s.id: s for s in fw.standards}
        for standard_id, labels in practice.mappings.items():
            where = self.shaper.where.get((id(practice.mappings), standard_id), self.at(practice))
            standard = standards.get(standard_id)
            if standard is None:
                known = known_list(standards) if standards else "none: declare 'standards'"
                self.problem(
                    where,
                    f"unknown standard '{standard_id}'{suggest(standard_id, standards)} "
                    f"(known: {known})",
                )
                continue
            seen: set[str] = set()
            for i, label in enumerate(labels):
                at = self.shaper.item_where.get((id(labels), "", i), where)
                if label in seen:
                    self.problem(at, f"'{label}' is listed twice")
                elif standard.labels and label not in standard.labels:
                    self.problem(
                        at,
                        f"'{label}' is not a label of '{standard_id}'"
                        f"{suggest(label, standard.labels)} (known: {known_list(standard.labels)})",
                    )
                seen.add(label)

    def check_list_refs(
        self,
        obj: Any,
        name: str,
        known: dict[str, Any],
        what: str,
        duplicates_only: bool = False,
    ) -> None:
        seen: set[str] = set()
        for i, ref in enumerate(getattr(obj, name)):
            where = self.item_at(obj, name, i)
            if ref in seen:
                self.problem(where, f"'{ref}' is listed twice")
            elif not duplicates_only and ref not in known:
                self.problem(
                    where,
                    f"unknown {what} '{ref}'{suggest(ref, known)} (known: {known_list(known)})",
                )
            seen.add(ref)

    def check_dependencies(self, practices: dict[str, Practice], stages: dict[str, Stage]) -> None:
        rank = {stage_id: i for i, stage_id in enumerate(stages)}
        for practice in practices.values():
            seen: set[str] = set()
            for i, dep_id in enumerate(practice.depends_on):
                where = self.item_at(practice, "depends_on", i)
                dep = practices.get(dep_id)
                if dep_id in seen:
                    self.problem(where, f"'{dep_id}' is listed twice")
                elif dep_id == practice.id:
                    self.problem(where, "a practice cannot depend on itself")
                elif dep is None:
                    self.problem(where, f"unknown practice '{dep_id}'{suggest(dep_id, practices)}")
                elif dep.stage in rank and practice.stage in rank:
                    # File order is the truth about levels, even while a level number is wrong.
                    mine, theirs = rank[practice.stage], rank[dep.stage]
                    if theirs > mine:
                        self.problem(
                            where,
                            f"'{dep_id}' is at stage '{dep.stage}' (level {theirs}), above "
                            f"this practice's stage '{practice.stage}' (level {mine}): a practice "
                            f"may only depend on practices of its own or a lower stage",
                        )
                seen.add(dep_id)
        self.check_cycles(practices)

    def check_cycles(self, practices: dict[str, Practice]) -> None:
        white, grey, black = 0, 1, 2
        color = dict.fromkeys(practices, white)
        reported: set[frozenset[str]] = set()
        for start in practices:
            if color[start] != white:
                continue
            # Iterative DFS: a hostile framework must not hit the recursion limit.
            stack: list[tuple[str, int]] = [(start, 0)]
            trail: list[str] = [start]
            color[start] = grey
            while stack:
                node, index = stack[-1]
                deps = [d for d in practices[node].depends_on if d in practices and d != node]
                if index < len(deps):
                    stack[-1] = (node, index + 1)
                    nxt = deps[index]
                    if color[nxt] == grey:
                        cycle = [*trail[trail.index(nxt) :], nxt]
                        key = frozenset(cycle)
                        if key not in reported:
                            reported.add(key)
                            first = practices[cycle[0]]
                            where = self.item_at(
                                first, "depends_on", list(first.depends_on).index(cycle[1])
                            )
                            self.problem(where, f"dependency cycle: {' -> '.join(cycle)}")
                    elif color[nxt] == white:
                        color[nxt] = grey
                        stack.append((nxt, 0))
                        trail.append(nxt)
                else:
                    color[node] = black
                    stack.pop()
                    trail.pop()

    def check_replaces(self, practices: dict[str, Practice]) -> None:
        replaced_by: dict[str, Practice] = {}
        for practice in practices.values():
            for i, old in enumerate(practice.replaces):
                where = self.item_at(practice, "replaces", i)
                if old in practices:
                    self.problem(
                        where,
                        f"'{old}' is still a practice id: a practice can only replace ids that "
                        f"no longer exist",
                    )
                elif old in replaced_by and replaced_by[old] is not practice:
                    self.problem(where, f"'{old}' is already replaced by '{replaced_by[old].id}'")
                elif old in replaced_by:
                    self.problem(where, f"'{old}' is listed twice")
                replaced_by.setdefault(old, practice)


def validate(sources: Sources) -> Framework:
    """Both passes over parsed files: the model, or ValidationError with every problem."""
    shaper = Shaper()
    framework = shape_framework(sources, shaper)
    if framework is not None:
        CrossChecker(framework, shaper).check()
    if shaper.problems:
        raise ValidationError(shaper.problems)
    assert framework is not None
    return order_capabilities(framework)


def order_capabilities(framework: Framework) -> Framework:
    """Apply capability_order: listed ids first, the rest in their file order."""
    if not framework.capability_order:
        return framework
    rank = {cap_id: i for i, cap_id in enumerate(framework.capability_order)}
    caps = sorted(framework.capabilities, key=lambda c: rank.get(c.id, len(rank)))
    return dataclasses.replace(framework, capabilities=tuple(caps))


def framework_from_dict(data: Any, name: str = "framework.json") -> Framework:
    """Validate plain data (e.g. framework.json) with the same two passes as the YAML files."""
    if not isinstance(data, dict):
        raise ValidationError(
            [Problem(name, None, "", f"expected a mapping, got {describe(data)}")]
        )
    info = {k: v for k, v in data.items() if k not in FILE_FIELDS}
    caps = data.get("capabilities", [])
    sources = Sources(
        framework=(name, info),
        stages=(name, data.get("stages", [])),
        risks=(name, data.get("risks", [])),
        capabilities=[
            (name, str(c.get("id")) if isinstance(c, dict) else "", c)
            for c in (caps if isinstance(caps, list) else [caps])
        ],
    )
    return validate(sources)


def _from_trusted(cls: type, data: Any, path: str) -> Any:
    def refuse(message: str) -> ValidationError:
        return ValidationError([Problem("framework.json", None, "", message)])

    if not isinstance(data, dict):
        raise refuse(f"{path} must be an object")
    values: dict[str, Any] = {}
    for name, field_spec, required in field_specs(cls):
        if name not in data:
            if required:
                raise refuse(f"{path} lacks '{name}'")
            continue
        value = data[name]
        if field_spec.kind == "mapping":
            if not isinstance(value, dict):
                raise refuse(f"{path}.{name} must be an object")
            inner: Spec = field_spec.item
            value = {
                key: tuple(
                    _from_trusted(inner.item, v, f"{path}.{name}.{key}[{i}]")
                    if isinstance(inner.item, type)
                    else v
                    for i, v in enumerate(items)
                )
                for key, items in value.items()
            }
        elif field_spec.kind == "list":
            if not isinstance(value, list):
                raise refuse(f"{path}.{name} must be a list")
            if isinstance(field_spec.item, type):
                value = [
                    _from_trusted(field_spec.item, v, f"{path}.{name}[{i}]")
                    for i, v in enumerate(value)
                ]
            value = tuple(value)
        values[name] = value
    return cls(**values)


def framework_from_trusted_dict(data: Any) -> Framework:
    """A framework from data the build already validated (the site's framework.json).

    Only the structure is checked, so a damaged file still fails clearly: the two validation
    passes again would cost a noticeable part of a second at every page load under Pyodide.
    """
    framework: Framework = _from_trusted(Framework, data, "framework")
    return framework
