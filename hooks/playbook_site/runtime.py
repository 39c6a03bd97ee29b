"""Browser runtime assets: Pyodide, the assessor wheel, framework.json, the start-up snapshot and
the page's JS and CSS.

Everything the assessment page loads is served from the site itself (no CDN). Paths that a browser
may cache carry a version or a content hash, so a new build never meets a stale file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from assessor import Framework
from assessor.codec import framework_to_dict

from . import comments, i18n
from . import snapshot as start_snapshot
from .wheel import build_wheel, content_hash

ROOT = Path(__file__).resolve().parents[2]
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
# the entry modules are tiny and load everything else from hashed paths.
ENTRY_MODULE = "assets/assessment/assess.mjs"
OFFLINE_MODULE = "assets/assessment/offline.mjs"
STYLESHEET = "assets/assessment/assess.css"
STABLE_WEB_FILES = {
    "assess.mjs": ENTRY_MODULE,
    "offline.mjs": OFFLINE_MODULE,
    "assess.css": STYLESHEET,
}
# The line of offline.mjs that names the service worker; a build without one (`mkdocs serve`)
# empties it, and the module then removes any service worker an earlier build left behind.
SERVICE_WORKER_LINE = b'const SERVICE_WORKER = "sw.js";'
NO_SERVICE_WORKER_LINE = b'const SERVICE_WORKER = "";'
# Written by the build beside the modules (i18n.mjs imports it): the texts of the site's language.
STRINGS_MODULE = "strings.mjs"
SETUP_HINT = "run `npm ci` (or the README's set-up command) to install it"
# Prose the scorer never reads: leaving it out of framework.json keeps the page's payload small
# (the questionnaire HTML already carries the evidence lists).
PROSE_FIELDS = frozenset(
    {"description", "signals", "evidence", "why", "how", "pitfalls", "tools", "references"}
)
# Required text the scorer never reads either: kept as empty strings, so the model's shape holds
# (the page shows these texts from its own HTML). Two thirds of framework.json's bytes.
BLANKED_FIELDS = frozenset({"summary", "question"})


@dataclass(frozen=True)
class Runtime:
    """Site-relative URLs of the runtime assets (what the page's config block names)."""

    index_url: str  # the folder of pyodide.mjs, ending in "/"
    wheel_url: str
    framework_url: str
    page_module_url: str
    boot_module_url: str
    worker_url: str
    # The team calibration and organisation roll-up pages (playbook_site/teams.py).
    team_module_url: str
    organisation_module_url: str
    teams_stylesheet_url: str
    snapshot_url: str = ""  # the start-up snapshot; "" when the build made none


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
            return {
                k: "" if k in BLANKED_FIELDS and isinstance(v, str) else strip(v)
                for k, v in value.items()
                if k not in PROSE_FIELDS
            }
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    text = json.dumps(
        strip(framework_to_dict(framework)), ensure_ascii=False, separators=(",", ":")
    )
    return text.encode("utf-8")


def web_files() -> dict[str, bytes]:
    """The page's own JS/CSS by file name, as shipped: without their comment lines."""
    return {
        path.name: comments.strip(path.read_bytes(), module=path.suffix == ".mjs")
        for path in sorted(WEB_DIR.iterdir())
        if path.is_file() and path.suffix in (".mjs", ".css")
    }


def strings_module(messages: i18n.Messages) -> bytes:
    """The browser modules' texts in the build's language, as a module (JSON is a JS literal)."""
    texts = json.dumps(
        messages.browser(), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    return f"export default {texts};\n".encode()


def _hash_all(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class RuntimeAssets:
    """Every runtime asset by its site-relative URI (bytes, or a file to copy), and the URLs the
    assessment page names."""

    files: dict[str, bytes | Path]
    urls: Runtime
    # Being made in the background; the hook writes it into the site after the pages.
    snapshot: start_snapshot.Pending | None = None


def build(
    framework: Framework,
    *,
    snapshot: bool = False,
    offline: bool = True,
    messages: i18n.Messages | None = None,
) -> RuntimeAssets:
    """Build every runtime asset once: the wheel, framework.json, the modules under their hashes
    (with the texts of `messages`, default English); with `snapshot`, start making the start-up
    snapshot (snapshot.py); without `offline`, the site-wide module removes the service worker
    instead of keeping one."""
    pyodide = pyodide_dir()
    version = pinned_pyodide_version()
    index = f"assets/pyodide/{version}/"
    files: dict[str, bytes | Path] = {index + name: pyodide / name for name in PYODIDE_FILES}
    wheel_name, wheel = build_wheel()
    wheel_url = f"assets/assessor/{content_hash(wheel)}/{wheel_name}"
    files[wheel_url] = wheel
    data = framework_json(framework)
    framework_url = f"assets/assessor/{content_hash(data)}/framework.json"
    files[framework_url] = data
    pending = start_snapshot.start(pyodide, version, wheel, data) if snapshot else None
    web = web_files()
    if SERVICE_WORKER_LINE not in web.get("offline.mjs", b""):
        raise PluginError(f"{WEB_DIR / 'offline.mjs'}: the line {SERVICE_WORKER_LINE!r} is missing")
    if not offline:
        web["offline.mjs"] = web["offline.mjs"].replace(SERVICE_WORKER_LINE, NO_SERVICE_WORKER_LINE)
    web[STRINGS_MODULE] = strings_module(messages or i18n.english())
    hashed = {name: text for name, text in web.items() if name not in STABLE_WEB_FILES}
    folder = f"assets/assessment/{_hash_all(hashed)}"
    for name, source in web.items():
        files[STABLE_WEB_FILES.get(name, f"{folder}/{name}")] = source
    urls = Runtime(
        index_url=index,
        wheel_url=wheel_url,
        framework_url=framework_url,
        page_module_url=f"{folder}/page.mjs",
        boot_module_url=f"{folder}/boot.mjs",
        worker_url=f"{folder}/worker.mjs",
        team_module_url=f"{folder}/team.mjs",
        organisation_module_url=f"{folder}/org.mjs",
        teams_stylesheet_url=f"{folder}/teams.css",
        snapshot_url=pending.url if pending else "",
    )
    named = (
        urls.page_module_url, urls.boot_module_url, urls.worker_url, urls.team_module_url,
        urls.organisation_module_url, urls.teams_stylesheet_url,
    )  # fmt: skip
    missing = [u for u in named if u not in files]
    if missing:
        if pending:
            pending.cancel()
        raise PluginError(f"{WEB_DIR}: missing browser modules: {', '.join(missing)}")
    return RuntimeAssets(files, urls, pending)


def files(config: MkDocsConfig, assets: RuntimeAssets) -> list[File]:
    """Generated runtime files for the site."""
    out = []
    for uri, source in assets.files.items():
        if isinstance(source, Path):
            out.append(File.generated(config, uri, abs_src_path=str(source)))
        else:
            out.append(File.generated(config, uri, content=source))
    return out
