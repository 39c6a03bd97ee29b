"""Plain data <-> model: `to_plain` for JSON, and reading plain data back (validated or trusted)."""

from __future__ import annotations

import dataclasses
from typing import Any

from .model import FILE_FIELDS, Framework, Spec, field_specs
from .source import Problem, ValidationError, describe
from .validate import Sources, validate


def to_plain(value: Any) -> Any:
    """Model objects to plain dicts and lists; fields at their default are left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Defaults read back as defaults, and empty text is not valid input.
        return {
            f.name: to_plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not _is_default(f, getattr(value, f.name))
        }
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


def _is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(value == f.default_factory())
    return False


def framework_to_dict(framework: Framework) -> dict[str, Any]:
    """Plain JSON-ready data of a framework; `framework_from_dict` reads it back."""
    data: dict[str, Any] = to_plain(framework)
    return data


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
