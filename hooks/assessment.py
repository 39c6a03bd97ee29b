"""The assessment page: a static questionnaire generated from the framework (stub: being built)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from assessor import Framework


def files(config: MkDocsConfig, framework: Framework) -> list[File]:
    """Generated files of the assessment page."""
    del framework
    return [File.generated(config, "assessment.md", content="# Self-assessment\n")]
