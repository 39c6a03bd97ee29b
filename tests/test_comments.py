"""The browser's modules ship without their comment lines, and still parse."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from playbook_site import comments, runtime


def test_only_comment_and_blank_lines_go() -> None:
    source = b"""// why this module exists
/** A docstring
 * over lines. */
export function f(a) {

  // a comment
  const t = `a template
// that keeps this line
/* and this one */
`;
  return a; // a trailing comment stays
}
/* a block */ /* another */
"""
    assert (
        comments.strip(source, module=True)
        == b"""export function f(a) {
  const t = `a template
// that keeps this line
/* and this one */
`;
  return a; // a trailing comment stays
}
"""
    )


def test_a_stylesheet_keeps_lines_that_start_with_slashes() -> None:
    source = b"/* colours */\n.a { color: red; }\n\n// not a CSS comment\n"
    assert comments.strip(source, module=False) == b".a { color: red; }\n// not a CSS comment\n"


def test_unpaired_backticks_ship_the_source_as_it_is() -> None:
    source = b"const a = `open\n// inside\n"
    assert comments.strip(source, module=True) == source


def test_every_shipped_module_is_its_source_minus_whole_lines_and_parses(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to check the shipped modules (the build needs it too)")
    shipped = runtime.web_files()
    for path in sorted(runtime.WEB_DIR.glob("*.mjs")):
        kept = shipped[path.name].decode("utf-8").splitlines()
        lines = iter(path.read_text(encoding="utf-8").splitlines())
        # Every kept line appears in the source, in order: only whole lines went.
        assert all(any(line == source for source in lines) for line in kept), path.name
        assert len(kept) < len(path.read_text(encoding="utf-8").splitlines()), path.name
        out = tmp_path / path.name
        out.write_bytes(shipped[path.name])
        check = subprocess.run([node, "--check", str(out)], capture_output=True, text=True)
        assert check.returncode == 0, (path.name, check.stderr)
