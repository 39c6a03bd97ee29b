"""Browser runtime assets: Pyodide files, the assessor wheel, framework.json (stub: being built)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from assessor import Framework


def files(config: MkDocsConfig, framework: Framework) -> list[File]:
    """Generated runtime files for the site."""
    del config, framework
    return []
