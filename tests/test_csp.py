"""The Content-Security-Policy, checked on the built HTML (no browser); and the browser's limits."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT
from sitebuild import BuiltSite

from assessor import answers, model
from playbook_site import csp

# Script types a browser runs; anything else (e.g. the theme's application/json config) is data.
RUNNABLE = {"", "text/javascript", "module", "application/javascript"}


class _Head(HTMLParser):
    """Every CSP meta, where it is, and every script and inline handler of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.policies: list[str] = []
        self.first_fetch: int | None = None  # index of the first script or stylesheet
        self.policy_at: int | None = None
        self.count = 0
        self.inline: list[str] = []  # runnable scripts without src
        self.handlers: list[str] = []  # on* attributes
        self.in_script: dict[str, str | None] | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.count += 1
        values = dict(attrs)
        self.handlers += [f"<{tag} {k}>" for k, _ in attrs if k.startswith("on")]
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(values.get("content") or "")
            self.policy_at = self.count
        fetches = tag == "script" or (tag == "link" and values.get("rel") == "stylesheet")
        if fetches and self.first_fetch is None:
            self.first_fetch = self.count
        if tag == "script":
            self.in_script = values
            self.text = ""

    def handle_data(self, data: str) -> None:
        if self.in_script is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.in_script is not None:
            kind = (self.in_script.get("type") or "").lower()
            if "src" not in self.in_script and kind in RUNNABLE:
                self.inline.append(self.text.strip()[:80])
            self.in_script = None


def _read(path: Path) -> _Head:
    head = _Head()
    head.feed(path.read_text(encoding="utf-8"))
    head.close()
    return head


@pytest.fixture(params=["default", "kitchen"])
def site(request: pytest.FixtureRequest) -> BuiltSite:
    built: BuiltSite = request.getfixturevalue(f"site_{request.param}")
    return built


def test_every_built_page_carries_the_policy_before_any_script(site: BuiltSite) -> None:
    pages = sorted(site.root.rglob("*.html"))
    assert len(pages) > 10
    assert site.root / "404.html" in pages
    for path in pages:
        head = _read(path)
        assert head.policies == [csp.policy()], path
        assert head.policy_at is not None and head.first_fetch is not None, path
        assert head.policy_at < head.first_fetch, path
        assert head.inline == [], path
        assert head.handlers == [], path


def test_the_policy_allows_only_the_site_and_webassembly() -> None:
    directives = dict(d.split(" ", 1) for d in csp.policy().split("; "))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["worker-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert "unsafe-eval'" not in csp.policy().replace("'wasm-unsafe-eval'", "")
    assert "frame-ancestors" not in directives  # ignored in a <meta>: the header carries it
    assert csp.header_policy() == csp.policy() + "; frame-ancestors 'self'"


def test_add_meta_places_the_policy_after_the_charset_once() -> None:
    page = '<!doctype html><html><head><meta charset="utf-8"><script src="a.js"></script>'
    once = csp.add_meta(page)
    assert once.index(csp.meta_tag()) == once.index('<meta charset="utf-8">') + 22 + 5
    assert csp.add_meta(once) == once
    assert csp.add_meta('<?xml version="1.0"?><urlset/>') == '<?xml version="1.0"?><urlset/>'


def test_only_mkdocs_serve_allows_inline_scripts_for_its_live_reload() -> None:
    assert "'unsafe-inline'" not in csp.policy().split("; ")[1]
    assert csp.policy(serving=True) == csp.policy().replace(
        "script-src 'self' 'wasm-unsafe-eval'",
        "script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'",
    )
    page = '<html><head><meta charset="utf-8"></head>'
    assert csp.meta_tag(serving=True) in csp.add_meta(page, serving=True)


def test_the_deploy_guide_gives_the_exact_header() -> None:
    guide = (ROOT / "content" / "customize.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Content-Security-Policy") :]
    assert f"Content-Security-Policy: {csp.header_policy()}" in section
    assert "unsafe-eval" in section  # it says whether Pyodide needs it


def test_the_page_saves_within_the_limits_python_loads() -> None:
    """limits.mjs repeats Python's limits (no build step can share them): they must agree."""
    source = (ROOT / "assessor_wasm" / "web" / "limits.mjs").read_text(encoding="utf-8")
    found = {k: int(v) for k, v in re.findall(r"^\s+(\w+): ([\d ]+),", source, re.MULTILINE)}
    assert found == {
        "maxAnswersBytes": answers.MAX_ANSWERS_BYTES,
        "maxEntries": answers.MAX_ENTRIES,
        "maxNoteChars": answers.MAX_NOTE_CHARS,
        "maxIdChars": model.MAX_ID_LENGTH,
        "maxEvidenceItems": answers.MAX_EVIDENCE_ITEMS,
        "maxEvidenceChars": answers.MAX_EVIDENCE_CHARS,
        "maxNameChars": answers.MAX_NAME_CHARS,
        "maxVersionChars": answers.MAX_VERSION_CHARS,
        "maxSavedAtChars": 64,
    }
    slug = re.search(r"const SLUG = /(.+)/;", source)
    assert slug is not None and slug[1] == model.SLUG_PATTERN
    fallback = (ROOT / "assessor_wasm" / "web" / "assess.mjs").read_text(encoding="utf-8")
    assert f"const MAX_BYTES = {answers.MAX_ANSWERS_BYTES};" in fallback
