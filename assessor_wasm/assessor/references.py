"""Pass 2 of validation: every reference resolves, ids are unique, order rules hold."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .locations import SourceMap, Where
from .model import NOT_APPLICABLE, AnswerOption, Capability, Framework, Practice, Stage
from .source import Problem, known_list, suggest


class CrossChecker:
    """Second pass: every reference resolves, ids are unique, order rules hold."""

    def __init__(
        self,
        framework: Framework,
        locations: SourceMap,
        capability_files: list[tuple[Capability, str]],
    ) -> None:
        self.fw = framework
        self.locations = locations
        self.capability_files = capability_files
        self.problems: list[Problem] = []

    def at(self, obj: Any, name: str = "") -> Where:
        return self.locations.field(obj, name) if name else self.locations.of(obj)

    def item_at(self, obj: Any, name: str, index: int) -> Where:
        return self.locations.item(obj, name, index)

    def problem(self, where: Where, message: str) -> None:
        self.problems.append(where.problem(message))

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
            self.check_scale(options, ends=True, where=self.at(fw.answer_scales, name))
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
                    f"duplicate {what} id '{item.id}' (first at {first.file}:{first.line})",
                )
            else:
                seen[item.id] = item
        return seen

    def check_capabilities(self) -> None:
        if not self.fw.capabilities:
            fw_file = self.at(self.fw).file
            folder = fw_file.rsplit("framework.yaml", 1)[0] + "capabilities"
            self.problem(Where(folder, None, ""), "no capability files (*.yaml) found")
        for cap, stem in self.capability_files:
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
                        f"duplicate practice id '{practice.id}' "
                        f"(first at {first.file}:{first.line})",
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
            where = self.at(practice.mappings, standard_id)
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
                at = self.locations.value_item(labels, i, where)
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
