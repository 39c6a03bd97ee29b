"""Browser test fixtures: system Chromium for pytest-playwright, and built sites served locally.

Import with `from browserfixtures import *` in a test module. Each site is built once per session
with `mkdocs build --strict` for the port it is then served on: mkdocs-material's instant
navigation only works when the page's host and port equal `site_url`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM_FLAGS, INSTALL_HINT, chromium_path, free_port
from conftest import EXAMPLE, KITCHEN, PANTRY, ROOT
from localserver import Logged, serving
from sitebuild import built

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system Chromium; without it the browser tests fail, never skip."""
    executable = chromium_path()
    if executable is None:
        pytest.fail(f"no system Chromium: run `npm test` (it installs it), or {INSTALL_HINT}")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": list(CHROMIUM_FLAGS),
    }


@dataclass
class ServedSite:
    """A built site served on localhost at `url`, with the server's request log."""

    root: Path
    url: str
    framework_dir: Path
    log: list[Logged] = field(default_factory=list)

    def page(self, path: str = "assessment/") -> str:
        """Absolute URL of a page of the site."""
        return self.url + path


def _serve(
    tmp_path_factory: pytest.TempPathFactory, name: str, framework_dir: Path
) -> Iterator[ServedSite]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    out = built(tmp_path_factory.mktemp(f"served-{name}"), framework_dir, url).root
    with serving(out, port) as server:
        yield ServedSite(out, url, framework_dir, server.log)


@pytest.fixture(scope="session")
def served_kitchen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The kitchen framework's site, served on a free localhost port."""
    yield from _serve(tmp_path_factory, "kitchen", KITCHEN)


@pytest.fixture(scope="session")
def served_example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The data-platform example framework's site, served on a free localhost port."""
    yield from _serve(tmp_path_factory, "example", EXAMPLE)


@pytest.fixture(scope="session")
def served_default(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The default framework's site, served on a free localhost port."""
    yield from _serve(tmp_path_factory, "default", ROOT / "framework")


@pytest.fixture(scope="session")
def served_pantry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The pantry fixture's site (named scales, groups, standards), served on localhost."""
    yield from _serve(tmp_path_factory, "pantry", PANTRY)


__all__ = [
    "AXE",
    "ServedSite",
    "browser_type_launch_args",
    "chromium_path",
    "served_default",
    "served_example",
    "served_kitchen",
    "served_pantry",
]
