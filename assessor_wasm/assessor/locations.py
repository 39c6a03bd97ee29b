"""Where each part of a framework came from: the file, the line and the breadcrumb path."""

from __future__ import annotations

from typing import Any, NamedTuple

from .source import Problem, printable


class Where(NamedTuple):
    """A place in a source file: `file:line: path`."""

    file: str
    line: int | None
    path: str

    def key(self, name: str, line: int | None = None) -> Where:
        """The place of a mapping key below this one (on `line` when known)."""
        path = f"{self.path}.{name}" if self.path else name
        return Where(self.file, self.line if line is None else line, path)

    def item(self, index: int, value: Any, line: int | None = None) -> Where:
        """The place of a list item below this one, naming the item's id when it has one."""
        crumb = f"{self.path}[{index}]"
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            # The id is still unchecked here: escaped, so a newline cannot split the error line.
            crumb += f" (id {printable(value['id'])})"
        return Where(self.file, self.line if line is None else line, crumb)

    def problem(self, message: str) -> Problem:
        """A problem found at this place."""
        return Problem(self.file, self.line, self.path, message)


UNKNOWN = Where("?", None, "")


class SourceMap:
    """Model objects -> where they, their fields and their items were written.

    Model objects are frozen and compared by value, so they are looked up by identity; the map
    keeps every recorded object alive, so an identity is never reused while the map exists.
    """

    def __init__(self) -> None:
        self._kept: list[object] = []
        self._objects: dict[int, Where] = {}
        self._fields: dict[tuple[int, str], Where] = {}
        self._items: dict[tuple[int, int], Where] = {}

    def _keep(self, obj: object) -> int:
        self._kept.append(obj)
        return id(obj)

    def record(self, obj: object, where: Where) -> None:
        """Where a model object (a mapping in the source) was written."""
        self._objects[self._keep(obj)] = where

    def record_field(self, obj: object, name: str, where: Where) -> None:
        """Where one field (or mapping key) of `obj` was written."""
        self._fields[self._keep(obj), name] = where

    def record_item(self, sequence: object, index: int, where: Where) -> None:
        """Where item `index` of a list value was written."""
        self._items[self._keep(sequence), index] = where

    def of(self, obj: object) -> Where:
        """Where `obj` itself was written."""
        return self._objects.get(id(obj), UNKNOWN)

    def field(self, obj: object, name: str) -> Where:
        """Where field `name` of `obj` was written (the object's place if unknown)."""
        return self._fields.get((id(obj), name)) or self.of(obj)

    def item(self, obj: object, name: str, index: int) -> Where:
        """Where item `index` of the list in field `name` of `obj` was written."""
        found = self._items.get((id(getattr(obj, name)), index))
        return found if found is not None else self.field(obj, name)

    def value_item(self, sequence: object, index: int, fallback: Where) -> Where:
        """Where item `index` of a list value (e.g. a mapping's value) was written."""
        return self._items.get((id(sequence), index), fallback)
