"""What a page of the playbook downloads of our own files (JS, CSS, JSON, wheel), gzip-compressed.

A page loads the site-wide entry module and stylesheet, the modules its root names (and what they
import), the framework data and the wheel; the runtime holds the modules of every page, so its
total is not what any one page loads.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from playbook_site import runtime

# `import ... from "./x.mjs"`, `import "./x.mjs"`, `export ... from "./x.mjs"`, `import("./x.mjs")`.
_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*["'](\./[^"']+\.mjs)["']""")


def static_imports(source: str) -> list[str]:
    """The relative module specifiers a module imports (file names, "./" removed)."""
    return [spec.removeprefix("./") for spec in _IMPORT.findall(source)]


def module_graph(files: dict[str, bytes | Path], entries: list[str]) -> set[str]:
    """The runtime URIs of `entries` and of every module they import, transitively."""
    seen: set[str] = set()
    todo = list(entries)
    while todo:
        uri = todo.pop()
        if uri in seen:
            continue
        seen.add(uri)
        data = files[uri]
        source = (data if isinstance(data, bytes) else data.read_bytes()).decode("utf-8")
        folder = uri.rsplit("/", 1)[0]
        todo += [f"{folder}/{name}" for name in static_imports(source)]
    return seen


def gzip_sizes(files: dict[str, bytes | Path], uris: set[str]) -> dict[str, int]:
    """Each URI's size after gzip."""
    return {
        u: len(gzip.compress(d if isinstance(d, bytes) else d.read_bytes()))
        for u, d in files.items()
        if u in uris
    }


def page_payload(
    assets: runtime.RuntimeAssets, page_module: str, stylesheets: list[str]
) -> set[str]:
    """Our files one page loads: the entry module, the boot module, the page's module and the
    worker with their imports, the stylesheets, framework.json and the wheel."""
    urls = assets.urls
    entries = [runtime.ENTRY_MODULE, urls.boot_module_url, page_module, urls.worker_url]
    modules = module_graph(assets.files, entries)
    return {*modules, runtime.STYLESHEET, *stylesheets, urls.framework_url, urls.wheel_url}
