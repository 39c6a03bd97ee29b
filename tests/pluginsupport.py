"""Helpers for tests of the MkDocs plugin and the export: another site that uses the plugin.

The plugin is found by MkDocs through the `mkdocs.plugins` entry point that `pip install` writes
from pyproject.toml. A shared environment may hold an install made before the entry point was
declared, so these helpers write the entry points declared in pyproject.toml into a dist-info
folder of their own and put it first on the build's PYTHONPATH: MkDocs then resolves
`maturity-playbook` exactly as it does after `pip install -e .`, from the declaration under test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitebuild import DEFAULT_SITE_URL

ROOT = Path(__file__).resolve().parent.parent
DIST = "maturity_playbook_assessor"


def declared_plugins() -> dict[str, str]:
    """The `mkdocs.plugins` entry points declared in pyproject.toml."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    plugins: dict[str, str] = data["project"]["entry-points"]["mkdocs.plugins"]
    return plugins


def entry_points_dir(directory: Path) -> Path:
    """A folder holding a dist-info with pyproject.toml's entry points, for PYTHONPATH."""
    info = directory / f"{DIST}-0.0.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {DIST.replace('_', '-')}\nVersion: 0.0.0\n",
        encoding="utf-8",
    )
    lines = ["[mkdocs.plugins]", *(f"{k} = {v}" for k, v in declared_plugins().items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def build_env(entry_points: Path) -> dict[str, str]:
    """The environment of a build that finds the plugin through its entry point."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    paths = [str(entry_points), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env.pop("PLAYBOOK_FRAMEWORK", None)
    return env


def write_site(
    root: Path, config: dict[str, Any], pages: dict[str, str]
) -> tuple[Path, dict[str, str]]:
    """Write a site's mkdocs.yml and its hand-written pages; return the config file and pages."""
    docs = root / "docs"
    for name, text in pages.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file, pages


def mkdocs_build(
    config_file: Path, out: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a config into `out`; never raises on failure."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)]
    command += ["-d", str(out)]
    return subprocess.run(
        command,
        cwd=config_file.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@dataclass(frozen=True)
class PluginSite:
    """A built site that uses the plugin."""

    root: Path  # the built site
    config_file: Path
    stderr: str
    returncode: int


def build_plugin_site(
    tmp: Path, config: dict[str, Any], docs: dict[str, str], site_url: str = DEFAULT_SITE_URL
) -> PluginSite:
    """Write a site that uses the plugin (found by its entry point) under `tmp` and build it."""
    config = {"site_url": site_url, **config}
    config_file, _ = write_site(tmp / "project", config, docs)
    env = build_env(entry_points_dir(tmp / "entry-points"))
    out = tmp / "site"
    result = mkdocs_build(config_file, out, env)
    return PluginSite(out, config_file, result.stderr, result.returncode)


def built_plugin_site(
    tmp: Path, config: dict[str, Any], docs: dict[str, str], site_url: str = DEFAULT_SITE_URL
) -> PluginSite:
    """`build_plugin_site` that must succeed: else the test fails with mkdocs' output."""
    site = build_plugin_site(tmp, config, docs, site_url)
    if site.returncode != 0:
        pytest.fail(f"the plugin site failed to build:\n{site.stderr}")
    return site


def html_pages(site: Path) -> set[str]:
    """Every HTML file of a built site, by path relative to the site."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def data_attributes(html: str, element_id: str) -> dict[str, str]:
    """The data-* attributes of the element with this id (written one per line or on one line)."""
    match = re.search(rf'<[a-z]+[^>]*\bid="{element_id}"([^>]*)>', html, re.S)
    assert match is not None, f"no element #{element_id}"
    return dict(re.findall(r'\bdata-([a-z-]+)="([^"]*)"', match.group(0)))
