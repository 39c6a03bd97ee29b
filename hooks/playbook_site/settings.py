"""The `extra.playbook` mapping of mkdocs.yml, read and checked before anything is built."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from assessor.cpython.load import DEFAULT_FRAMEWORK
from assessor.source import suggest

from . import i18n

KNOWN_KEYS = ("framework", "guide", "messages")
WHERE = "mkdocs.yml: extra.playbook"


@dataclass(frozen=True)
class Settings:
    """What the hooks need from mkdocs.yml."""

    framework_dir: Path  # absolute
    # Hand-written pages shown after the generated ones, in this order; the rest follow by name.
    guide: tuple[str, ...] = ()
    # The fork's own UI texts by message key, checked against the English catalog (i18n.py).
    messages: Mapping[str, i18n.Message] = field(default_factory=dict)


def read_settings(extra: Mapping[str, Any], config_file: str | None) -> Settings:
    """Check `extra.playbook` and resolve the framework directory against mkdocs.yml's folder."""
    raw = extra.get("playbook")
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise PluginError(f"{WHERE}: must be a mapping, e.g. {{framework: framework}}")
    problems = []
    for key in raw:
        if key not in KNOWN_KEYS:
            problems.append(
                f"{WHERE}: unknown key '{key}'{suggest(str(key), KNOWN_KEYS, cutoff=0.6)} "
                f"(known: {', '.join(KNOWN_KEYS)})"
            )
    framework = raw.get("framework", DEFAULT_FRAMEWORK)
    if not isinstance(framework, str) or not framework.strip():
        problems.append(f"{WHERE}.framework: must be a directory path, got {framework!r}")
        framework = DEFAULT_FRAMEWORK
    guide = raw.get("guide", [])
    if not isinstance(guide, list) or not all(isinstance(g, str) and g for g in guide):
        problems.append(f"{WHERE}.guide: must be a list of page paths relative to docs_dir")
        guide = []
    base = Path(config_file).resolve().parent if config_file else Path.cwd()
    messages: Mapping[str, i18n.Message] = {}
    try:
        messages = i18n.read_overrides(raw.get("messages"), f"{WHERE}.messages", base)
    except PluginError as exc:
        problems.append(str(exc))
    if problems:
        raise PluginError("\n".join(problems))
    return Settings(
        framework_dir=(base / framework).resolve(), guide=tuple(guide), messages=messages
    )
