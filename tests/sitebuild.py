"""Building the site in a subprocess, and reading the HTML it produced (helpers for tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"


def build_site(
    framework_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    site_url: str = DEFAULT_SITE_URL,
    *,
    config_file: str | os.PathLike[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` of `framework_dir` into `out_dir`; never raises on failure."""
    env = dict(os.environ)
    env.update(
        PLAYBOOK_FRAMEWORK=str(Path(framework_dir).resolve()),
        SITE_URL=site_url,
        NO_MKDOCS_2_WARNING="1",
    )
    config = Path(config_file) if config_file is not None else ROOT / "mkdocs.yml"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)]
    command += ["-d", str(Path(out_dir).resolve())]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@dataclass(frozen=True)
class BuiltSite:
    """A finished build: where it is, which framework it shows, and what mkdocs printed."""

    root: Path
    framework_dir: Path
    site_url: str
    result: subprocess.CompletedProcess[str]


def built(out: Path, framework_dir: Path, site_url: str = DEFAULT_SITE_URL) -> BuiltSite:
    """A strict build of a framework that must succeed: else the test fails with mkdocs' output."""
    result = build_site(framework_dir, out, site_url)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict of {framework_dir} failed:\n{result.stderr}")
    return BuiltSite(out, framework_dir, site_url, result)


@dataclass
class Html:
    """What the tests look at in one HTML file."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)  # <a href>
    # (tag, attribute, value) of everything the browser fetches by itself.
    resources: list[tuple[str, str, str]] = field(default_factory=list)
    text: str = ""  # visible text of the whole page
    article: str = ""  # visible text of the page's own content, without navigation
    title: str = ""


# Tag -> attributes whose URLs a browser loads without a click.
FETCHED = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
}


VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track")
)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Html()
        self.chunks: list[str] = []
        self.article: list[str] = []
        self.in_article = 0
        self.in_title = False
        self.skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self.page.links.append(values["href"])
        for attr in FETCHED.get(tag, ()):
            if attr in values:
                self.page.resources.append((tag, attr, values[attr]))
        if tag == "title":
            self.in_title = True
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "article" or (self.in_article and tag not in VOID):
            self.in_article += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.in_article and tag not in VOID:
            self.in_article -= 1
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page.title += data
        elif not self.skip:
            self.chunks.append(data)
            if self.in_article:
                self.article.append(data)


def read_html(path: Path) -> Html:
    """Ids, links, fetched resources and visible text of an HTML file."""
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    # Tags split text into chunks without adding space ("<code>x</code>," reads "x,").
    reader.page.text = " ".join("".join(reader.chunks).split())
    reader.page.article = " ".join("".join(reader.article).split())
    reader.page.title = " ".join(reader.page.title.split())
    return reader.page


def page_url(site: Path, html_file: Path, site_url: str = DEFAULT_SITE_URL) -> str:
    """The URL a built HTML file is served at (directory URLs end in /)."""
    relative = html_file.relative_to(site).as_posix()
    if relative == "index.html":
        relative = ""
    elif relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return urljoin(site_url, relative)


def local_target(
    site: Path, base_url: str, href: str, site_url: str = DEFAULT_SITE_URL
) -> tuple[Path, str] | None:
    """(file, fragment) a same-origin link points to inside `site`, or None for other origins."""
    absolute = urljoin(base_url, href)
    parts = urlsplit(absolute)
    if parts.scheme in ("data", "mailto", "tel", "javascript"):
        return None
    if not absolute.startswith(site_url):
        return None
    path = parts.path[len(urlsplit(site_url).path) :]
    target = site / path
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def broken_links(
    site: Path, site_url: str = DEFAULT_SITE_URL, read: Callable[[Path], Html] = read_html
) -> list[str]:
    """Every link and fetched resource of a built site that names no file or no anchor there."""
    broken = []
    for path in sorted(site.rglob("*.html")):
        page = read(path)
        base = page_url(site, path, site_url)
        for href in page.links + [v for _, _, v in page.resources if " " not in v]:
            target = local_target(site, base, href, site_url)
            if target is None:
                continue
            file, fragment = target
            if not file.is_file():
                broken.append(f"{path.relative_to(site)}: {href} (no {file})")
            elif fragment and file.suffix == ".html" and fragment not in read(file).ids:
                broken.append(f"{path.relative_to(site)}: {href} (no #{fragment})")
    return broken


def urls_of(attr: str, value: str) -> list[str]:
    """The URLs in an attribute value: one, or several for srcset ("a.png 1x, b.png 2x")."""
    if attr == "srcset":
        return [c.split()[0] for c in value.split(",") if c.strip()]
    return [value]


def same_origin(url: str, site_url: str = DEFAULT_SITE_URL) -> bool:
    """Whether a URL found in a page stays on the site's own origin (relative URLs do)."""
    parts = urlsplit(url.strip())
    if parts.scheme == "data":
        return True
    if not parts.scheme and not parts.netloc:
        return True
    own = urlsplit(site_url)
    return (parts.scheme, parts.netloc) == (own.scheme, own.netloc)
