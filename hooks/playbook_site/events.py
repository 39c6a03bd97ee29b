"""What the hook and the plugin do at each MkDocs event: one implementation for both.

The playbook is generated as if it were the whole site (source paths like `practices/<id>.md`),
then every generated file moves under the prefix. Generated pages link to each other, to the
runtime assets and to the playbook's root with relative URLs only, so the move changes no link.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import nest_paths

from assessor import Framework

from . import (
    assessment,
    frameworks,
    i18n,
    navigation,
    offline,
    pages,
    runtime,
    settings,
    snapshot,
    teams,
)

# Markdown extensions the generated pages use (admonitions, heading ids, Markdown inside the
# evidence <div>); MkDocs always adds toc, tables and fenced_code itself.
MARKDOWN_EXTENSIONS = ("admonition", "attr_list", "md_in_html")

Logger = logging.Logger | logging.LoggerAdapter[logging.Logger]
# MkDocs' `nav` format: page paths and {title: entries} mappings.
NavEntry = navigation.NavEntry


@dataclass(frozen=True)
class Build:
    """What the config event found, for the later events of the same build."""

    settings: settings.Settings
    framework: Framework
    prefix: str  # "" or a relative URL path ending in "/"
    log: Logger
    where: str  # where the settings were written, for messages: "mkdocs.yml: extra.playbook"
    # The MkDocs command (build, gh-deploy, serve): `serve` makes no snapshot and no offline copy.
    command: str | None = None
    # Whether the site keeps an offline copy (a service worker at the site's root): the
    # playbook's own site does; a site that adds the playbook as a plugin decides for itself.
    offline: bool = False
    # The UI's texts in the site's language (theme.language), with the fork's overrides.
    messages: i18n.Messages = field(default_factory=i18n.english)
    # The runtime assets of this build, made by on_files, for on_post_build.
    made: list[runtime.RuntimeAssets] = field(default_factory=list)


def start(
    options: settings.Settings,
    prefix: str,
    log: Logger,
    where: str,
    *,
    language: str | None = None,
    command: str | None = None,
    offline: bool = False,
) -> Build:
    """Load and validate the framework (a PluginError lists every problem); choose the UI's
    texts for `language` (the theme's)."""
    messages = i18n.resolve(language, options.messages, log)
    framework = frameworks.load(options.framework_dir)
    log.info(
        "Playbook: %s %s, %d practices from %s%s",
        framework.id,
        framework.version,
        len(framework.practices),
        options.framework_dir,
        f", under {prefix}" if prefix else "",
    )
    return Build(options, framework, prefix, log, where, command, offline, messages)


def configure(config: MkDocsConfig, prefix: str) -> None:
    """Name the assessment's entry module and stylesheet and the Markdown extensions the pages need.

    Each is added only when the site's config does not already have it, so a mkdocs.yml that
    lists them (this repository's) stays as written.
    """
    module = prefix + runtime.ENTRY_MODULE
    if not any(str(script) == module for script in config.extra_javascript):
        script = ExtraScriptValue(module)
        script.type = "module"
        config.extra_javascript.append(script)
    stylesheet = prefix + runtime.STYLESHEET
    if stylesheet not in config.extra_css:
        config.extra_css.append(stylesheet)
    for name in MARKDOWN_EXTENSIONS:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)


def generated(build: Build, config: MkDocsConfig) -> dict[str, str | bytes | Path]:
    """Every generated file of the playbook by its unprefixed source path: text, bytes or a file."""
    framework = build.framework
    out: dict[str, str | bytes | Path] = dict(pages.render_pages(framework, build.messages))
    assets = runtime.build(
        framework,
        snapshot=snapshot.wanted(build.command),
        offline=build.offline and offline.wanted(build.command),
        messages=build.messages,
    )
    build.made[:] = [assets]
    out.update(assets.files)
    out[pages.ASSESSMENT] = assessment.render_page(
        framework, assets.urls, assessment.page_url(config), build.messages
    )
    out.update(teams.generated(framework, assets.urls, config, build.messages))
    return out


def generated_files(build: Build, config: MkDocsConfig) -> list[File]:
    """The generated files as MkDocs files, under the prefix."""
    out = []
    for src_uri, source in generated(build, config).items():
        uri = build.prefix + src_uri
        if isinstance(source, Path):
            out.append(File.generated(config, uri, abs_src_path=str(source)))
        else:
            out.append(File.generated(config, uri, content=source))
    return out


def add_files(build: Build, files: Files, config: MkDocsConfig) -> Files:
    """Add the generated files (refusing any that clash with the site's own) and set the nav."""
    handwritten = [f.src_uri for f in files.documentation_pages()]
    new = generated_files(build, config)
    clashes = sorted(f.src_uri for f in new if files.get_file_from_path(f.src_uri))
    if clashes:
        raise PluginError(
            f"{config.docs_dir}: these files clash with generated ones; rename or remove them"
            + (" or choose another prefix" if build.prefix else "")
            + ": "
            + ", ".join(clashes)
        )
    missing = [g for g in build.settings.guide if g not in handwritten]
    if missing:
        raise PluginError(
            f"{build.where}.guide: no such page in {config.docs_dir}: {', '.join(missing)}"
        )
    for file in new:
        files.append(file)
    config.nav = site_nav(build, config.nav, handwritten)
    return files


def post_build(build: Build | None, config: MkDocsConfig) -> None:
    """Write the start-up snapshot (made while the pages were rendered), then the service worker
    that keeps the built site offline (neither under `mkdocs serve`)."""
    if build is None:
        return
    for assets in build.made:
        if assets.snapshot is not None:
            assets.snapshot.write(Path(config.site_dir) / build.prefix)
    if build.offline and offline.wanted(build.command):
        offline.write_service_worker(config)


def build_error(build: Build | None) -> None:
    """A failed build does not wait for the snapshot being made."""
    for assets in build.made if build else ():
        if assets.snapshot is not None:
            assets.snapshot.cancel()


def playbook_nav(build: Build) -> list[NavEntry]:
    """The playbook's own nav (assessment, stages, capabilities, matrix, risks, guide), prefixed.

    Guide pages are the site's own files and keep their paths.
    """
    guide = [g for g in build.settings.guide if g != navigation.HOME]
    entries = navigation.build_nav(build.framework, guide, guide, messages=build.messages)
    own = set(guide)
    return [_prefixed(entry, build.prefix, own) for entry in entries]


def section_title(framework: Framework) -> str:
    """The title of the playbook's section in a site's nav."""
    return pages.html_text(framework.title)  # the theme writes nav titles unescaped


def site_nav(
    build: Build, nav: list[NavEntry] | None, handwritten: Iterable[str]
) -> list[NavEntry] | None:
    """The site's nav with the playbook in it.

    Without a prefix the playbook is the site: its nav is the whole nav (unless mkdocs.yml has
    one). With a prefix it is a section: added after the site's own pages when the site has no
    nav; put where the site's nav names the prefix (`- Title: playbook/`); else the nav is left
    as it is and the log says how to link the playbook.
    """
    handwritten = list(handwritten)
    if not build.prefix:
        if nav is None:
            return navigation.build_nav(
                build.framework, handwritten, build.settings.guide, messages=build.messages
            )
        build.log.info("Playbook: mkdocs.yml has a nav; the framework's nav is not used")
        return nav
    title = section_title(build.framework)
    section: NavEntry = {title: playbook_nav(build)}
    if nav is None:
        guide = set(build.settings.guide)
        # The nav MkDocs itself would build from these pages (nest_paths is untyped).
        own: list[NavEntry] = nest_paths(  # type: ignore[no-untyped-call]
            p for p in handwritten if p not in guide
        )
        return [*own, section]
    replaced, found = _replace_marker(nav, build.prefix, playbook_nav(build), title)
    if found:
        return replaced
    build.log.info(
        "Playbook: the site's nav does not name the playbook, so its pages are not in the nav; "
        "to place them, add this entry to `nav:` where the section should go:  - %s: %s",
        title,
        build.prefix,
    )
    return nav


def _prefixed(entry: NavEntry, prefix: str, own: set[str]) -> NavEntry:
    if isinstance(entry, str):
        return entry if entry in own else prefix + entry
    return {title: _prefixed_value(value, prefix, own) for title, value in entry.items()}


def _prefixed_value(value: Any, prefix: str, own: set[str]) -> Any:
    if isinstance(value, list):
        return [_prefixed(item, prefix, own) for item in value]
    return _prefixed(value, prefix, own)


def _replace_marker(
    nav: list[Any], prefix: str, section: list[NavEntry], title: str
) -> tuple[list[Any], bool]:
    """The nav with every entry pointing at the prefix replaced by the playbook's section."""
    marker = {prefix, prefix.rstrip("/"), "/" + prefix}
    found = False
    out: list[Any] = []
    for entry in nav:
        if isinstance(entry, str) and entry in marker:
            out.append({title: section})
            found = True
        elif isinstance(entry, Mapping) and len(entry) == 1:
            (key, value), *_ = entry.items()
            if isinstance(value, str) and value in marker:
                out.append({key: section})
                found = True
            elif isinstance(value, list):
                inner, inner_found = _replace_marker(value, prefix, section, title)
                out.append({key: inner})
                found = found or inner_found
            else:
                out.append(entry)
        else:
            out.append(entry)
    return out, found


def watch(build: Build | None, server: Any, config: MkDocsConfig) -> Any:
    """Also watch a framework directory that lies outside the `watch:` paths."""
    if build is not None:
        path = build.settings.framework_dir
        watched = [Path(w).resolve() for w in config.watch]
        if not any(path.is_relative_to(w) for w in watched):
            server.watch(str(path))
    return server
