"""A build of the playbook's site in another language, or with a fork's texts (plain helpers)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from sitebuild import DEFAULT_SITE_URL, build_site

ROOT = Path(__file__).resolve().parent.parent


def language_config(directory: Path, language: str, playbook: dict[str, Any] | None = None) -> Path:
    """A mkdocs.yml that inherits this repository's and sets theme.language (and, with
    `playbook`, keys of extra.playbook such as `messages`)."""
    directory.mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = {
        "docs_dir": str(ROOT / "content"),
        "hooks": [str(ROOT / "hooks" / "playbook.py")],
        "watch": [],
        "theme": {"custom_dir": str(ROOT / "hooks" / "theme"), "language": language},
    }
    if playbook:
        config["extra"] = {"playbook": playbook}
    path = directory / "mkdocs.yml"
    text = f"INHERIT: {ROOT / 'mkdocs.yml'}\n" + yaml.safe_dump(config, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def build_in(
    framework_dir: str | os.PathLike[str],
    out_dir: Path,
    language: str,
    playbook: dict[str, Any] | None = None,
    site_url: str = DEFAULT_SITE_URL,
) -> Any:
    """`mkdocs build --strict` of a framework in `language`; the CompletedProcess."""
    config = language_config(out_dir.parent / f"{out_dir.name}-config", language, playbook)
    return build_site(framework_dir, out_dir, site_url, config_file=config)
