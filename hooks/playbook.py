"""MkDocs hooks of the Maturity Playbook: thin event functions over the `playbook_site` package.

The `maturity-playbook` plugin (playbook_site/plugin.py) runs the same functions, for a site that
adds the playbook under a prefix; this repository's site is the playbook, so it uses no prefix.
"""

from __future__ import annotations

import logging
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from playbook_site import csp, events, pages, settings

log = logging.getLogger("mkdocs.hooks.playbook")

# What on_config found, for the later events of the same build.
_current: dict[str, events.Build] = {}
# The MkDocs command (build, gh-deploy, serve): `serve` makes no snapshot and no offline copy,
# and its live reload is an inline script the CSP must allow.
_command: dict[str, str] = {}


def on_startup(*, command: str, dirty: bool) -> None:
    """Remember the command: it decides the snapshot, the offline copy and the CSP."""
    del dirty
    _command["name"] = command


def _serving() -> bool:
    return _command.get("name") == "serve"


def _build() -> events.Build:
    build = _current.get("build")
    if build is None:
        raise PluginError("playbook: the framework was not loaded (on_config did not run)")
    return build


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Read extra.playbook, load and validate the framework, choose the UI's texts for
    theme.language, name the site after it."""
    _current.clear()
    options = settings.read_settings(config.extra, config.config_file_path)
    build = events.start(
        options,
        "",
        log,
        settings.WHERE,
        language=config.theme.get("language"),
        command=_command.get("name"),
        offline=True,
    )
    _current["build"] = build
    events.configure(config, build.prefix)
    # The theme writes both into the page (and into attributes) without escaping them.
    config.site_name = pages.html_text(build.framework.title)
    config.site_description = pages.html_text(build.framework.summary)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages and the assessment's files; build the nav from the framework."""
    return events.add_files(_build(), files, config)


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    """Write the Content-Security-Policy into every page."""
    return csp.add_meta(output, serving=_serving())


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Write the Content-Security-Policy into the theme's own pages (404.html)."""
    if not template_name.endswith(".html"):
        return output_content
    return csp.add_meta(output_content, serving=_serving())


def on_post_build(*, config: MkDocsConfig) -> None:
    """Write the start-up snapshot and the service worker of the offline copy."""
    events.post_build(_current.get("build"), config)


def on_build_error(*, error: Exception) -> None:
    """A failed build does not wait for the snapshot being made."""
    del error
    events.build_error(_current.get("build"))


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Also watch a framework directory that lies outside the `watch:` paths."""
    return events.watch(_current.get("build"), server, config)
