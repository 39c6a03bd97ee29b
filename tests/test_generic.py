"""The generator holds nothing MLOps-specific: no id or title of the default framework appears in
the hooks, templates, browser code or the assessor."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT

from assessor.cpython.load import load_framework

SEARCHED = ("hooks", "assessor_wasm")
SUFFIXES = {".py", ".j2", ".html", ".md", ".mjs", ".js", ".css", ".json"}


def forbidden_literals() -> list[str]:
    """Ids and titles of the default framework, plus its name."""
    fw = load_framework(ROOT / "framework")
    literals = {fw.id, fw.title}
    for items in (fw.stages, fw.risks, fw.capabilities, fw.practices):
        for item in items:
            literals.add(item.title)
            # Single-word ids ("serving") are ordinary words in code; they count when quoted.
            literals.update([item.id] if "-" in item.id else [f'"{item.id}"', f"'{item.id}'"])
    return sorted(literals)


def searched_files() -> list[Path]:
    files = []
    for folder in SEARCHED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                files.append(path)
    return files


def test_the_search_covers_code_templates_and_browser_glue() -> None:
    names = {p.name for p in searched_files()}
    assert {"score.py", "playbook.py", "pages.py"} <= names
    assert any(p.suffix == ".j2" for p in searched_files())
    assert any(p.suffix == ".mjs" for p in searched_files())


def test_no_mlops_literal_in_generator() -> None:
    literals = forbidden_literals()
    assert len(literals) > 150
    pattern = re.compile("|".join(re.escape(x) for x in literals) + r"|\bmlops\b", re.IGNORECASE)
    found = []
    for path in searched_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = pattern.search(line)
            if match:
                found.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)!r}")
    assert found == []
