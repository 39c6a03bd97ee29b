"""Browser benchmark of the assessment page, in headless system Chromium on a local server.

It builds the site (default framework unless --framework) for a free localhost port, adds a bare
page that only runs `loadPyodide()` and `runPython("1")` from the same runtime files, serves both
with Python's http.server and measures, in fresh browser contexts (cold cache), interleaving the
two pages in every run:

- time from navigation start until the first question is answerable (rendered, enabled);
- time until the scorer is ready, against the bare page (ratio; target <= 1.15);
- re-score latency after one answer changes, click to rendered results (target < 50 ms median);
- our own payload on the assessment page (JS, CSS, JSON, wheel), gzip-compressed (target <= 100 KB).

It prints medians over --runs runs (at least 5) and never asserts: timings depend on the machine.

    .venv/bin/python bench/browser.py [--framework DIR] [--runs 5] [--changes 15]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, sync_playwright

from assessor.cpython.load import load_framework

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the stdlib-only Chromium helpers the tests use too
from tests.chromium import CHROMIUM_FLAGS, INSTALL_HINT, chromium_path, free_port  # noqa: E402

TIMEOUT_MS = 120_000
# Installed before any page script: the first animation frame in which a question's radio button
# is laid out. Frames wait for render-blocking styles, so this is when it can first be clicked.
ANSWERABLE_PROBE = """
(() => {
  const look = () => {
    const input = document.querySelector("fieldset[data-practice] input[type=radio]");
    if (input && !input.disabled && input.getClientRects().length) {
      window.__answerableAt = performance.now();
    } else {
      requestAnimationFrame(look);
    }
  };
  requestAnimationFrame(look);
})();
"""
BARE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bare Pyodide</title></head>
<body><p>Bare page: loadPyodide() and runPython("1") only.</p>
<script type="module">
import {{ loadPyodide }} from "{index}pyodide.mjs";
const pyodide = await loadPyodide({{ indexURL: new URL("{index}", location.href).href }});
pyodide.runPython("1");
document.body.dataset.ready = "1";
</script></body></html>
"""
# Both pages are polled the same way, so the polling error cancels out in the ratio.
BARE_READY = "() => document.body.dataset.ready === '1' ? performance.now() : null"
SCORER_READY = """() => {
  const root = document.getElementById("mp-assessment");
  return root && root.dataset.scorer === "ready" && root.dataset.scored === root.dataset.changes
    ? performance.now() : null;
}"""
RESCORE = """async (selector) => {
  const root = document.getElementById("mp-assessment");
  const input = document.querySelector(selector);
  const started = performance.now();
  input.click();
  await new Promise((resolve) => {
    const done = () => root.dataset.scored === root.dataset.changes;
    if (done()) return resolve();
    const observer = new MutationObserver(() => {
      if (done()) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(root, { attributes: true, attributeFilter: ["data-scored"] });
  });
  return performance.now() - started;
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        del format, args


def build(framework: Path, site: Path, site_url: str) -> None:
    """`mkdocs build --strict` of the real mkdocs.yml for `framework`, served at `site_url`."""
    env = dict(os.environ, PLAYBOOK_FRAMEWORK=str(framework), SITE_URL=site_url)
    env["NO_MKDOCS_2_WARNING"] = "1"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip


def add_bare_page(site: Path) -> str:
    """Write the bare Pyodide page into the built site; returns its path."""
    versions = sorted(p.name for p in (site / "assets" / "pyodide").iterdir())
    if len(versions) != 1:
        raise SystemExit(f"expected one Pyodide version in the site, found {versions}")
    folder = site / "bench-bare"
    folder.mkdir()
    page = BARE_PAGE.format(index=f"../assets/pyodide/{versions[0]}/")
    (folder / "index.html").write_text(page, encoding="utf-8")
    return "bench-bare/"


def is_ours(url: str, origin: str) -> bool:
    """Our own payload: the assessment's modules, styles, framework.json and the wheel."""
    path = urlsplit(url).path
    return url.startswith(origin) and path.startswith(("/assets/assessment/", "/assets/assessor/"))


def gzip_size(path: Path) -> int:
    """Size after gzip at level 6, what common static servers use."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def bare_run(browser: Browser, url: str) -> float:
    """Milliseconds from navigation start until the bare page has run Python."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        handle = page.wait_for_function(BARE_READY, polling=10, timeout=TIMEOUT_MS)
        return float(handle.json_value())
    finally:
        context.close()


def assessment_run(browser: Browser, url: str, changes: int, origin: str) -> dict[str, Any]:
    """One cold load of the assessment page: answerable, ready, re-score latencies, our files."""
    context = browser.new_context()
    try:
        context.add_init_script(ANSWERABLE_PROBE)
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url, wait_until="commit")
        ready = float(
            page.wait_for_function(SCORER_READY, polling=10, timeout=TIMEOUT_MS).json_value()
        )
        answerable = float(page.evaluate("() => window.__answerableAt"))
        timings = page.evaluate(
            """() => ({ ...JSON.parse(document.getElementById("mp-assessment")
                                       .dataset.scorerTimings), origin: performance.timeOrigin })"""
        )
        worker_at = timings["worker_started"] - timings["origin"]
        steps = {
            "worker started": worker_at,
            "Python": timings["python"],
            "wheel (loadPackage)": timings["package"],
            "import": timings["import"],
            "framework": timings["load"],
        }
        steps["first results"] = (
            ready - worker_at - sum(timings[k] for k in ("python", "package", "import", "load"))
        )
        practice = page.evaluate(
            "() => document.querySelector('fieldset[data-practice]').dataset.practice"
        )
        latencies = []
        for i in range(changes):
            value = "yes" if i % 2 == 0 else "no"
            selector = f"#q-{practice} input[value='{value}']"
            latencies.append(float(page.evaluate(RESCORE, selector)))
        return {
            "answerable": answerable,
            "ready": ready,
            "latencies": latencies,
            "steps": steps,
            "ours": sorted({u for u in requested if is_ours(u, origin)}),
        }
    finally:
        context.close()


def _ms(values: list[float]) -> str:
    return " ".join(f"{v:.0f}" for v in values)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--framework", type=Path, default=ROOT / "framework")
    parser.add_argument("--runs", type=int, default=5, help="cold loads per page (>= 5)")
    parser.add_argument("--changes", type=int, default=15, help="answer changes per run")
    args = parser.parse_args(argv)
    if args.runs < 5:
        parser.error("--runs must be at least 5")
    chromium = chromium_path()
    if chromium is None:
        parser.error(f"no system Chromium found ({INSTALL_HINT})")
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        site = Path(tmp) / "site"
        build(args.framework.resolve(), site, origin + "/")
        bare = add_bare_page(site)
        handler = functools.partial(_Quiet, directory=str(site))
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, args=list(CHROMIUM_FLAGS)
                )
                version = browser.version
                bare_ms: list[float] = []
                runs: list[dict[str, Any]] = []
                for i in range(args.runs):
                    # Alternate which page goes first, so neither always meets a warmer machine.
                    order = ("bare", "assessment") if i % 2 == 0 else ("assessment", "bare")
                    for which in order:
                        if which == "bare":
                            bare_ms.append(bare_run(browser, f"{origin}/{bare}"))
                        else:
                            runs.append(
                                assessment_run(
                                    browser, f"{origin}/assessment/", args.changes, origin
                                )
                            )
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
        ours = sorted(set().union(*(set(r["ours"]) for r in runs)))
        sizes = {u: gzip_size(site / urlsplit(u).path.lstrip("/")) for u in ours}
        raw = {u: (site / urlsplit(u).path.lstrip("/")).stat().st_size for u in ours}
        runtime_dir = next((site / "assets" / "pyodide").iterdir())
        runtime_gz = sum(gzip_size(p) for p in runtime_dir.iterdir())
    answerable = [r["answerable"] for r in runs]
    ready = [r["ready"] for r in runs]
    latencies = [lat for r in runs for lat in r["latencies"]]
    ratios = [a / b for a, b in zip(ready, bare_ms, strict=True)]
    median_ready, median_bare = statistics.median(ready), statistics.median(bare_ms)
    deciles = statistics.quantiles(latencies, n=10)
    framework = load_framework(args.framework)
    print(
        f"Assessment page benchmark: framework {framework.id} ({len(framework.practices)} "
        f"practices), {args.runs} cold runs per page, Chromium {version}, "
        f"Pyodide {runtime_dir.name}, {os.cpu_count()} CPUs"
    )
    print(
        f"  first question answerable  median {statistics.median(answerable):7.0f} ms   "
        f"(runs: {_ms(answerable)})   target < 1000 ms"
    )
    print(f"  scorer ready               median {median_ready:7.0f} ms   (runs: {_ms(ready)})")
    print(f"  bare loadPyodide+runPython median {median_bare:7.0f} ms   (runs: {_ms(bare_ms)})")
    print(
        f"  ready / bare               {median_ready / median_bare:.2f} (ratio of medians); "
        f"{statistics.median(ratios):.2f} (median of per-run ratios)   target <= 1.15"
    )
    steps = {name: statistics.median(r["steps"][name] for r in runs) for name in runs[0]["steps"]}
    print(
        "    where the assessment page's time goes (medians): "
        + ", ".join(f"{name} {ms:.0f} ms" for name, ms in steps.items())
    )
    print(
        f"  re-score after one change  median {statistics.median(latencies):7.1f} ms   "
        f"(n={len(latencies)}, p90 {deciles[-1]:.1f} ms, max {max(latencies):.1f} ms)   "
        f"target < 50 ms"
    )
    total = sum(sizes.values())
    print(
        f"  our payload, gzip -6       {total / 1024:7.1f} KB   ({sum(raw.values()) / 1024:.1f} KB "
        f"raw; Pyodide runtime beside it: {runtime_gz / 1024 / 1024:.1f} MB gzip)   "
        f"target <= 100 KB"
    )
    for url in ours:
        name = urlsplit(url).path
        print(f"      {sizes[url] / 1024:6.1f} KB  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
