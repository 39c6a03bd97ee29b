"""The playbook as plain files: docs folder plus a mkdocs.yml that needs no hook and no plugin.

For builders that read mkdocs.yml but run no MkDocs hooks or plugins (Zensical, the successor of
Material for MkDocs). The site's own config runs in-process exactly as during a build (its
config and files events), so the export holds what a build would generate; the playbook's hook
or plugin is then left out of the written config, and everything else is kept.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.structure.files import File, get_files
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from . import csp, events, runtime
from .plugin import NAME as PLUGIN_NAME
from .plugin import PlaybookPlugin

DOCS = "docs"
THEME = "overrides"
CONFIG = "mkdocs.yml"
log = logging.getLogger("mkdocs.playbook.export")


@dataclass(frozen=True)
class Export:
    """What was written, and how long the playbook's own events took (in seconds)."""

    config_file: Path
    docs_dir: Path
    pages: int  # Markdown pages, hand-written and generated
    files: int  # every file written under docs_dir
    config_seconds: float  # the config event: load and validate the framework
    files_seconds: float  # the files event: generate the pages and assets


def export(
    out_dir: Path,
    config_file: Path,
    framework: Path | None = None,
    *,
    force: bool = False,
) -> Export:
    """Write `out_dir/docs` and `out_dir/mkdocs.yml`; ConfigurationError/PluginError on bad input.

    `framework` replaces the framework directory the config names. Without `force`, `out_dir`
    must be empty or absent; with it, only what an export writes there is replaced.
    """
    config_file = config_file.resolve()
    out_dir = out_dir.resolve()
    if not config_file.is_file():
        raise ConfigurationError(f"{config_file}: no such config file")
    config = load_config(str(config_file))
    _check_target(out_dir, config, config_file, framework, force)
    if framework is not None:
        _use_framework(config, framework.resolve())
    started = time.perf_counter()
    config = config.plugins.on_config(config)
    configured = time.perf_counter()
    files = get_files(config)
    listed = time.perf_counter()
    files = config.plugins.on_files(files, config=config)
    done = time.perf_counter()
    # The hook or plugin that generated the assessment's entry module is the playbook's.
    playbook = {
        f.generated_by
        for f in files
        if f.generated_by is not None and f.src_uri.endswith(runtime.ENTRY_MODULE)
    }
    if not playbook:
        raise ConfigurationError(
            f"{config_file}: neither the playbook's hook nor the {PLUGIN_NAME} plugin generated "
            "any file: this config does not build a playbook"
        )
    for name in (DOCS, THEME, CONFIG):
        target = out_dir / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    docs = out_dir / DOCS
    docs.mkdir(parents=True)
    kept = [f for f in files if f.generated_by is None or f.generated_by in playbook]
    for file in kept:
        _write(file, docs)
    plain = plain_config(config, config_file, playbook, out_dir)
    written = out_dir / CONFIG
    written.write_text(
        "# Written by `python -m playbook_site export`: the playbook as plain files, built by any\n"
        "# mkdocs.yml-compatible builder without hooks or plugins. Regenerate it; do not edit.\n"
        + yaml.safe_dump(plain, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8",
    )
    return Export(
        config_file=written,
        docs_dir=docs,
        pages=sum(1 for f in kept if f.src_uri.endswith(".md")),
        files=len(kept),
        config_seconds=configured - started,
        files_seconds=done - listed,
    )


def _check_target(
    out_dir: Path, config: MkDocsConfig, config_file: Path, framework: Path | None, force: bool
) -> None:
    """Refuse an output folder that holds the sources, or that holds anything without --force."""
    sources = [config_file, Path(config.docs_dir).resolve()]
    if framework is not None:
        sources.append(framework.resolve())
    inside = [s for s in sources if s.is_relative_to(out_dir)]
    if inside:
        names = ", ".join(map(str, inside))
        raise ConfigurationError(
            f"{out_dir}: the export would overwrite its own sources ({names}); "
            "choose another output folder"
        )
    if out_dir.is_relative_to(sources[1]):
        raise ConfigurationError(
            f"{out_dir}: the output folder lies inside docs_dir ({sources[1]}); choose another one"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigurationError(f"{out_dir}: not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise ConfigurationError(
            f"{out_dir}: the folder is not empty; choose an empty one, or pass --force to replace "
            f"its {DOCS}/, {THEME}/ and {CONFIG}"
        )


def _use_framework(config: MkDocsConfig, directory: Path) -> None:
    """Point the config's playbook (plugin or extra.playbook for the hook) at `directory`."""
    if not directory.is_dir():
        raise ConfigurationError(f"{directory}: no such framework directory")
    plugins = [p for p in config.plugins.values() if isinstance(p, PlaybookPlugin)]
    for plugin in plugins:
        plugin.config.framework = str(directory)
    if not plugins:
        current = config.extra.get("playbook") or {}
        config.extra["playbook"] = {**dict(current), "framework": str(directory)}


def _write(file: File, docs: Path) -> None:
    target = docs / file.src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    if file.abs_src_path is not None:
        shutil.copyfile(file.abs_src_path, target)
    else:
        target.write_bytes(file.content_bytes)


def _script(value: str | ExtraScriptValue) -> str | dict[str, Any]:
    if isinstance(value, str):
        return value
    out: dict[str, Any] = {"path": value.path}
    if value.type:
        out["type"] = value.type
    if value.defer:
        out["defer"] = True
    if value.async_:
        out["async"] = True
    return out


def plain_config(
    config: MkDocsConfig, config_file: Path, playbook: set[str], out_dir: Path
) -> dict[str, Any]:
    """The written mkdocs.yml: the source config as written, without the playbook's hook/plugin.

    The source is read again as YAML (environment variables resolved, INHERIT merged) rather than
    dumped from the loaded config, so only what the site set is written, not MkDocs' defaults.
    What the playbook's events computed (site name, nav, the assessment's script and styles) is
    taken from the loaded config.
    """
    with config_file.open("rb") as stream:
        try:
            raw: dict[str, Any] = yaml_load(stream, get_yaml_loader())
        except ConfigurationError:
            raise
        except Exception as exc:  # an unknown tag (e.g. !relative) cannot be written out as is
            raise ConfigurationError(f"{config_file}: cannot export this config: {exc}") from None
    raw.pop("site_dir", None)
    raw.pop("watch", None)
    raw["docs_dir"] = DOCS
    raw["site_name"] = config.site_name
    if config.site_description:
        raw["site_description"] = config.site_description
    hooks = [h for h in raw.pop("hooks", None) or [] if h not in playbook]
    if hooks:  # the site's other hooks stay, found from the new folder
        raw["hooks"] = [str((config_file.parent / h).resolve()) for h in hooks]
    if "plugins" in raw:
        raw["plugins"] = [p for p in raw["plugins"] if not _names_plugin(p)]
    extra = raw.get("extra")
    if isinstance(extra, dict):
        extra.pop("playbook", None)
        if not extra:
            raw.pop("extra")
    theme = raw.get("theme")
    if isinstance(theme, dict):
        if config.theme.custom_dir:
            shutil.copytree(config.theme.custom_dir, out_dir / THEME)
        _add_policy(out_dir / THEME)
        theme["custom_dir"] = THEME
    _add_extensions(raw, config)
    raw["extra_javascript"] = [_script(s) for s in config.extra_javascript]
    raw["extra_css"] = list(config.extra_css)
    raw["nav"] = config.nav
    return raw


def _add_policy(theme_dir: Path) -> None:
    """Carry the Content-Security-Policy, which the hook writes into every page, in the theme.

    A site whose theme overrides `main.html` already keeps its own; the log says the policy is
    then left for the site to add.
    """
    main = theme_dir / "main.html"
    if main.exists():
        log.warning(
            "%s: the theme has its own main.html, so the export adds no Content-Security-Policy; "
            "add %s to its site_meta block",
            main,
            csp.meta_tag(),
        )
        return
    theme_dir.mkdir(parents=True, exist_ok=True)
    main.write_text(
        '{% extends "base.html" %}\n'
        "{# Written by the export: the playbook's Content-Security-Policy (csp.py). #}\n"
        "{% block site_meta %}{{ super() }}\n    " + csp.meta_tag() + "\n{% endblock %}\n",
        encoding="utf-8",
    )


def _add_extensions(raw: dict[str, Any], config: MkDocsConfig) -> None:
    """List the Markdown extensions the playbook's events added to the config."""
    listed = raw.get("markdown_extensions") or []
    if isinstance(listed, dict):
        listed = [{name: options} for name, options in listed.items()]
    names = {e if isinstance(e, str) else next(iter(e), None) for e in listed}
    added = [
        name
        for name in events.MARKDOWN_EXTENSIONS
        if name in config.markdown_extensions and name not in names
    ]
    if added:
        raw["markdown_extensions"] = [*listed, *added]


def _names_plugin(entry: Any) -> bool:
    """Whether a `plugins:` entry (a name or {name: options}) is the playbook's plugin."""
    if isinstance(entry, str):
        return entry == PLUGIN_NAME
    return isinstance(entry, dict) and PLUGIN_NAME in entry
