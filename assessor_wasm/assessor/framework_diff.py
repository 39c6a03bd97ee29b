"""What changed between two versions of a framework, practice by practice."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Framework

COMPARED = ("stage", "weight", "question")


@dataclass(frozen=True)
class FrameworkDiff:
    """Practices added, removed, renamed or merged (via `replaces`), and changed."""

    old_version: str
    new_version: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: dict[str, list[str]] = field(default_factory=dict)  # new id -> old ids
    changed: list[tuple[str, str, object, object]] = field(default_factory=list)


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Compare two frameworks; a practice that `replaces` old ids counts as renamed or merged."""
    old_practices = {p.id: p for p in old.practices}
    new_practices = {p.id: p for p in new.practices}
    result = FrameworkDiff(old.version, new.version)
    carried: set[str] = set()
    for practice in new.practices:
        olds = [o for o in practice.replaces if o in old_practices]
        if olds and practice.id not in old_practices:
            result.renamed[practice.id] = olds
            carried.update(olds)
        elif practice.id not in old_practices:
            result.added.append(practice.id)
    result.removed.extend(
        pid for pid in old_practices if pid not in new_practices and pid not in carried
    )
    for practice in new.practices:
        before = old_practices.get(practice.id)
        if before is None and practice.id in result.renamed:
            before = old_practices[result.renamed[practice.id][0]]
        if before is None:
            continue
        for name in COMPARED:
            was, now = getattr(before, name), getattr(practice, name)
            if was != now:
                result.changed.append((practice.id, name, was, now))
    return result


def render_diff(diff: FrameworkDiff) -> str:
    """The diff as plain text, one practice per line, in framework order."""
    lines = [f"Framework {diff.old_version} -> {diff.new_version}"]
    if not (diff.added or diff.removed or diff.renamed or diff.changed):
        return lines[0] + "\nNo practice was added, removed, renamed or changed.\n"
    if diff.added:
        lines += ["", f"Added ({len(diff.added)}):"] + [f"  + {pid}" for pid in diff.added]
    if diff.removed:
        lines += ["", f"Removed ({len(diff.removed)}):"] + [f"  - {pid}" for pid in diff.removed]
    if diff.renamed:
        lines += ["", f"Renamed or merged ({len(diff.renamed)}):"]
        for new_id, olds in diff.renamed.items():
            how = "merged" if len(olds) > 1 else "renamed"
            lines.append(f"  ~ {', '.join(olds)} -> {new_id} ({how})")
    if diff.changed:
        lines += ["", f"Changed ({len(diff.changed)}):"]
        for pid, name, was, now in diff.changed:
            if name == "weight":
                lines.append(f"  * {pid}: weight {was:g} -> {now:g}")
            elif name == "stage":
                lines.append(f"  * {pid}: stage {was} -> {now}")
            else:
                lines.append(f'  * {pid}: {name} "{was}" -> "{now}"')
    return "\n".join(lines) + "\n"
