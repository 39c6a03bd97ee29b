"""JSON Schemas for the framework's YAML files, generated from the model's field specs."""

from __future__ import annotations

from typing import Any

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

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
URL_PATTERN = r"^https?://\S+$"


def _kind(spec_: Spec, kind: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if isinstance(kind, Spec):
        return _kind(kind, kind.kind, defs)
    if isinstance(kind, type):
        _define(kind, defs)
        return {"$ref": f"#/$defs/{kind.__name__}"}
    if kind == "list":
        out: dict[str, Any] = {"type": "array", "items": _kind(spec_, spec_.item, defs)}
        if spec_.min_items:
            out["minItems"] = spec_.min_items
        return out
    if kind == "mapping":
        return {
            "type": "object",
            "propertyNames": {"pattern": SLUG_PATTERN, "maxLength": MAX_ID_LENGTH},
            "additionalProperties": _kind(spec_.item, spec_.item, defs),
        }
    if kind == "choice":
        return {"type": "string", "enum": list(spec_.choices)}
    if kind == "slug":
        return {"type": "string", "pattern": SLUG_PATTERN, "maxLength": MAX_ID_LENGTH}
    if kind == "url":
        return {"type": "string", "pattern": URL_PATTERN}
    if kind in ("text", "markdown"):
        return {"type": "string", "minLength": 1}
    if kind == "boolean":
        return {"type": "boolean"}
    out = {"type": "integer" if kind == "integer" else "number"}
    if kind == "integer":
        out["minimum"] = 0
    if spec_.minimum is not None:
        key = "exclusiveMinimum" if spec_.exclusive_minimum else "minimum"
        out[key] = spec_.minimum
    if spec_.maximum is not None:
        out["maximum"] = spec_.maximum
    return out


def _object(cls: type, defs: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    properties = {}
    required = []
    for name, spec_, is_required in field_specs(cls):
        if name in skip:
            continue
        prop = _kind(spec_, spec_.kind, defs)
        prop["description"] = spec_.doc
        properties[name] = prop
        if is_required:
            required.append(name)
    return {
        "type": "object",
        "description": (cls.__doc__ or "").strip(),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _define(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ not in defs:
        defs[cls.__name__] = {}  # placeholder first: guards against recursion
        defs[cls.__name__] = _object(cls, defs)


def _document(title: str, body: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = {"$schema": SCHEMA_DIALECT, "title": title, **body}
    if defs:
        doc["$defs"] = dict(sorted(defs.items()))
    return doc


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema for framework.yaml, stages.yaml, risks.yaml and a capability."""
    out = {}
    defs: dict[str, Any] = {}
    body = _object(Framework, defs, skip=FILE_FIELDS)
    out["framework.schema.json"] = _document("framework.yaml", body, defs)
    for name, cls in (("stages", Stage), ("risks", Risk)):
        defs = {}
        _define(cls, defs)
        body = {"type": "array", "items": {"$ref": f"#/$defs/{cls.__name__}"}}
        if name == "stages":
            body["minItems"] = 1
        out[f"{name}.schema.json"] = _document(f"{name}.yaml", body, defs)
    defs = {}
    body = _object(Capability, defs)
    out["capability.schema.json"] = _document("capabilities/<id>.yaml", body, defs)
    return out
