"""The `maturity-playbook` MkDocs plugin: the playbook and its assessment inside an existing site.

    plugins:
      - search
      - maturity-playbook:
          framework: playbook-framework   # default: the framework of this checkout
          prefix: playbook/               # the playbook's URLs: playbook/assessment/, ...
          guide: [playbook-notes.md]      # site pages shown in the playbook's section
          messages: {practice.why: Why}   # the playbook's UI texts (theme.language) to change

It runs the same functions as this repository's hook (`hooks/playbook.py`), see `events.py`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files

from . import events, i18n, runtime, settings

NAME = "maturity-playbook"
WHERE = f"mkdocs.yml: plugins.{NAME}"
# The framework this checkout ships with: what `plugins: [maturity-playbook]` publishes.
DEFAULT_FRAMEWORK = runtime.ROOT / "framework"
# One path segment of the prefix: URL-safe without escaping, and never "." or "..".
_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")

log = get_plugin_logger(NAME)


def normalize_prefix(value: str) -> str:
    """'playbook' or 'playbook/' -> 'playbook/'; '' stays ''; ValueError for anything else."""
    text = value.strip()
    if not text or text == "/":
        return ""
    segments = text.removesuffix("/").split("/")
    bad = [s for s in segments if not _SEGMENT.fullmatch(s) or set(s) == {"."}]
    if bad:
        raise ValueError(
            f"must be a relative URL path such as 'playbook/' (letters, digits, '-', '_', '.', '~' "
            f"between slashes, no '..'), got {value!r}"
        )
    return "/".join(segments) + "/"


class Prefix(c.Type[str]):
    """The URL prefix of the playbook's pages: a relative path, normalized to end in '/'."""

    def __init__(self) -> None:
        super().__init__(str, default="")

    def run_validation(self, value: object) -> str:
        """Check the type, then the path."""
        text = super().run_validation(value)
        try:
            return normalize_prefix(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


# MkDocs' base classes leave __init_subclass__ untyped.
class PlaybookConfig(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's options, validated by MkDocs when it loads mkdocs.yml."""

    framework = c.Optional(c.Dir(exists=True))
    prefix = Prefix()
    guide = c.ListOfItems(c.Type(str), default=[])
    # Texts by message key, or the path of a catalog file (i18n.py); checked in on_config.
    messages = c.Optional(c.Type((dict, str)))


class PlaybookPlugin(BasePlugin[PlaybookConfig]):  # type: ignore[no-untyped-call]
    """Adds the playbook's pages, assessment and runtime assets under `prefix`, and its nav."""

    def __init__(self) -> None:
        self.build: events.Build | None = None
        self.command: str | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember the command: `mkdocs serve` makes no start-up snapshot."""
        del dirty
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and validate the framework; name the assessment's scripts and styles."""
        framework = self.config.framework
        base = Path(config.config_file_path).resolve().parent if config.config_file_path else Path()
        options = settings.Settings(
            framework_dir=Path(framework).resolve() if framework else DEFAULT_FRAMEWORK,
            guide=tuple(self.config.guide),
            messages=i18n.read_overrides(self.config.messages, f"{WHERE}.messages", base),
        )
        self.build = events.start(
            options,
            self.config.prefix,
            log,
            WHERE,
            language=config.theme.get("language"),
            command=self.command,
        )
        events.configure(config, self.config.prefix)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages and assets under the prefix; add the playbook to the nav."""
        if self.build is None:
            raise PluginError(f"{NAME}: the framework was not loaded (on_config did not run)")
        return events.add_files(self.build, files, config)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the start-up snapshot under the prefix."""
        events.post_build(self.build, config)

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build does not wait for the snapshot being made."""
        del error
        events.build_error(self.build)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Also watch a framework directory that lies outside the `watch:` paths."""
        return events.watch(self.build, server, config)
