"""MkDocs hooks of the Maturity Playbook: thin event functions over the `playbook_site` package."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from assessor import Framework
from playbook_site import assessment, csp, frameworks, navigation, pages, runtime, settings

log = logging.getLogger("mkdocs.hooks.playbook")

# What on_config found, for the later events of the same build.
_current: dict[str, Any] = {}
# Whether this run is `mkdocs serve` (its live reload is an inline script the CSP must allow).
_serving: list[bool] = [False]


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether the pages are built for `mkdocs serve`."""
    del dirty
    _serving[0] = command == "serve"


def _framework() -> Framework:
    framework = _current.get("framework")
    if not isinstance(framework, Framework):
        raise PluginError("playbook: the framework was not loaded (on_config did not run)")
    return framework


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Read extra.playbook, load and validate the framework, name the site after it."""
    _current.clear()
    options = settings.read_settings(config.extra, config.config_file_path)
    framework = frameworks.load(options.framework_dir)
    _current.update(settings=options, framework=framework)
    config.site_name = pages.oneline(framework.title)
    config.site_description = pages.oneline(framework.summary)
    log.info(
        "Playbook: %s %s, %d practices from %s",
        framework.id,
        framework.version,
        len(framework.practices),
        options.framework_dir,
    )
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages and the assessment's files; build the nav from the framework."""
    framework = _framework()
    options: settings.Settings = _current["settings"]
    handwritten = [f.src_uri for f in files.documentation_pages()]
    generated = [
        File.generated(config, src_uri, content=markdown)
        for src_uri, markdown in pages.render_pages(framework).items()
    ]
    assets = runtime.build(framework)
    generated += runtime.files(config, assets)
    generated += assessment.files(config, framework, assets.urls)
    clashes = sorted(f.src_uri for f in generated if files.get_file_from_path(f.src_uri))
    if clashes:
        raise PluginError(
            f"{config.docs_dir}: these files clash with generated ones; rename or remove them: "
            + ", ".join(clashes)
        )
    for file in generated:
        files.append(file)
    missing = [g for g in options.guide if g not in handwritten]
    if missing:
        raise PluginError(
            f"{settings.WHERE}.guide: no such page in {config.docs_dir}: {', '.join(missing)}"
        )
    if config.nav is None:
        config.nav = navigation.build_nav(framework, handwritten, options.guide)
    else:
        log.info("Playbook: mkdocs.yml has a nav; the framework's nav is not used")
    return files


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    """Write the Content-Security-Policy into every page."""
    return csp.add_meta(output, serving=_serving[0])


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Write the Content-Security-Policy into the theme's own pages (404.html)."""
    if not template_name.endswith(".html"):
        return output_content
    return csp.add_meta(output_content, serving=_serving[0])


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Also watch a framework directory that lies outside the `watch:` paths."""
    options = _current.get("settings")
    if isinstance(options, settings.Settings):
        path = options.framework_dir
        watched = [Path(w).resolve() for w in config.watch]
        if not any(path.is_relative_to(w) for w in watched):
            server.watch(str(path))
    return server
