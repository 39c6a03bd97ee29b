"""Loading the framework for a build, with a cache that `mkdocs serve` rebuilds can trust."""

from __future__ import annotations

import hashlib
from pathlib import Path

from mkdocs.exceptions import PluginError

from assessor import Framework, ValidationError
from assessor.cpython.load import load_framework
from assessor.source import problems_found

# One entry is enough: a serve session builds one framework over and over.
_cache: dict[str, tuple[str, Framework]] = {}


def fingerprint(directory: Path) -> str:
    """A hash of the names and bytes of every file the loader reads: equal means unchanged."""
    digest = hashlib.sha256()
    capabilities = directory / "capabilities"
    paths = [directory / name for name in ("framework.yaml", "stages.yaml", "risks.yaml")]
    if capabilities.is_dir():
        paths += sorted(capabilities.iterdir())
    for path in paths:
        try:
            data = path.read_bytes() if path.is_file() else b""
        except OSError:
            data = b""
        digest.update(f"{path.relative_to(directory).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def problems_message(error: ValidationError) -> str:
    """The loader's problems one per line, then their count, as the CLI prints them."""
    lines = [str(p) for p in error.problems]
    lines.append(problems_found(len(error.problems)))
    return "\n".join(lines)


def load(directory: Path) -> Framework:
    """The validated framework in `directory`; PluginError with file:line problems if invalid."""
    # Hashing content rather than mtimes: an edit saved twice within a second still reloads.
    key = str(directory)
    stamp = fingerprint(directory)
    cached = _cache.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        framework = load_framework(directory)
    except ValidationError as exc:
        _cache.pop(key, None)
        raise PluginError(problems_message(exc)) from None
    _cache.clear()
    _cache[key] = (stamp, framework)
    return framework
