"""Browser runtime assets: Pyodide, the assessor wheel, framework.json and the page's JS and CSS.

Everything the assessment page loads is served from the site itself (no CDN). Paths that a browser
may cache carry a version or a content hash, so a new build never meets a stale file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assessor_wheel import build_wheel, content_hash
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from assessor import Framework

ROOT = Path(__file__).resolve().parent.parent
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
PACKAGE_JSON = ROOT / "package.json"
WEB_DIR = ROOT / "assessor_wasm" / "web"
# The five files Pyodide needs at run time; nothing else from the npm package is deployed.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
# Referenced from mkdocs.yml (extra_javascript / extra_css), so their names cannot carry a hash;
# the entry module is tiny and loads everything else from hashed paths.
ENTRY_MODULE = "assets/assessment/assess.mjs"
STYLESHEET = "assets/assessment/assess.css"
STABLE_WEB_FILES = {"assess.mjs": ENTRY_MODULE, "assess.css": STYLESHEET}
SETUP_HINT = "run `npm ci` (or the README's set-up command) to install it"
# Prose the scorer never reads: leaving it out of framework.json keeps the page's payload small
# (the questionnaire HTML already carries the evidence lists).
PROSE_FIELDS = frozenset(
    {"description", "signals", "evidence", "why", "how", "pitfalls", "tools", "references"}
)


@dataclass(frozen=True)
class Runtime:
    """Site-relative URLs of the runtime assets (what the page's config block names)."""

    pyodide_version: str
    index_url: str  # the folder of pyodide.mjs, ending in "/"
    wheel_url: str
    framework_url: str
    page_module_url: str
    boot_module_url: str
    worker_url: str


def pinned_pyodide_version(package_json: Path | None = None) -> str:
    """The Pyodide version pinned in package.json (the single place it is set)."""
    package_json = PACKAGE_JSON if package_json is None else package_json
    data = json.loads(package_json.read_text(encoding="utf-8"))
    version = data.get("dependencies", {}).get("pyodide")
    if not isinstance(version, str) or not version[:1].isdigit():
        raise PluginError(f"{package_json}: 'dependencies.pyodide' must pin an exact version")
    return version


def pyodide_dir(node_pyodide: Path | None = None, package_json: Path | None = None) -> Path:
    """The installed Pyodide package, checked against the pinned version and for its files."""
    # Module globals are read at call time, so tests can point them elsewhere.
    node_pyodide = NODE_PYODIDE if node_pyodide is None else node_pyodide
    pinned = pinned_pyodide_version(PACKAGE_JSON if package_json is None else package_json)
    manifest = node_pyodide / "package.json"
    if not manifest.is_file():
        raise PluginError(
            f"The Pyodide runtime is missing: {node_pyodide} does not exist. "
            f"The assessment page serves Pyodide {pinned} from the site itself; {SETUP_HINT}."
        )
    installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    if installed != pinned:
        raise PluginError(
            f"{node_pyodide} holds Pyodide {installed}, but package.json pins {pinned}: "
            f"{SETUP_HINT}."
        )
    missing = [name for name in PYODIDE_FILES if not (node_pyodide / name).is_file()]
    if missing:
        raise PluginError(
            f"{node_pyodide} lacks {', '.join(missing)}: the install is incomplete; {SETUP_HINT}."
        )
    return node_pyodide


def framework_json(framework: Framework) -> bytes:
    """The scorer's view of the framework: `to_dict()` without prose, as compact JSON."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in PROSE_FIELDS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    text = json.dumps(strip(framework.to_dict()), ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def web_files() -> dict[str, bytes]:
    """The page's own JS/CSS sources by file name."""
    return {
        path.name: path.read_bytes()
        for path in sorted(WEB_DIR.iterdir())
        if path.is_file() and path.suffix in (".mjs", ".css")
    }


def _hash_all(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:12]


def assets(framework: Framework) -> dict[str, bytes | Path]:
    """Every runtime asset by its site-relative URI: bytes, or the file to copy."""
    pyodide = pyodide_dir()
    version = pinned_pyodide_version()
    out: dict[str, bytes | Path] = {
        f"assets/pyodide/{version}/{name}": pyodide / name for name in PYODIDE_FILES
    }
    wheel_name, wheel = build_wheel()
    out[f"assets/assessor/{content_hash(wheel)}/{wheel_name}"] = wheel
    data = framework_json(framework)
    out[f"assets/assessor/{content_hash(data)}/framework.json"] = data
    web = web_files()
    hashed = {name: data for name, data in web.items() if name not in STABLE_WEB_FILES}
    folder = f"assets/assessment/{_hash_all(hashed)}"
    for name, data in web.items():
        out[STABLE_WEB_FILES.get(name, f"{folder}/{name}")] = data
    return out


def runtime_urls(uris: dict[str, bytes | Path] | list[str]) -> Runtime:
    """Pick the URLs the page needs out of the asset URIs that `assets` returns."""

    def one(suffix: str) -> str:
        found = [u for u in uris if u.endswith(suffix)]
        if len(found) != 1:
            raise PluginError(f"expected one runtime asset ending in {suffix!r}, got {found}")
        return found[0]

    index = one("/pyodide.mjs")
    return Runtime(
        pyodide_version=index.split("/")[2],
        index_url=index.rsplit("/", 1)[0] + "/",
        wheel_url=one("-py3-none-any.whl"),
        framework_url=one("/framework.json"),
        page_module_url=one("/page.mjs"),
        boot_module_url=one("/boot.mjs"),
        worker_url=one("/worker.mjs"),
    )


def files(config: MkDocsConfig, framework: Framework) -> list[File]:
    """Generated runtime files for the site."""
    out = []
    for uri, source in assets(framework).items():
        if isinstance(source, Path):
            out.append(File.generated(config, uri, abs_src_path=str(source)))
        else:
            out.append(File.generated(config, uri, content=source))
    return out
