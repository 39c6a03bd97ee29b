"""Browser benchmark of the assessment page, in headless system Chromium on a local server.

It builds the site (default framework unless --framework) for a free localhost port with
`mkdocs build` (so with the start-up snapshot and the service worker), adds a bare page that only
runs `loadPyodide()` and `runPython("1")` from the same runtime files, serves both with Python's
http.server and measures, in fresh browser contexts (cold cache), interleaving the pages in every
run:

- time from navigation start until the first question is answerable (rendered, enabled);
- time until the scorer is ready (framework loaded, first result shown), against the bare page:
  `ready / bare` (target <= 0.5), and the same for the fallback start (the server refuses the
  snapshot, so the worker starts the plain way);
- re-score latency after one answer changes, click to rendered results (target < 50 ms median),
  after both starts;
- our own payload on the assessment page (JS, CSS, JSON, wheel), gzip-compressed (target <= 100 KB).

Then, in fresh browser profiles (a disk cache, like a visitor's browser):

- the bytes a first visit to the assessment page transfers, counted from the server's log until the
  offline copy is complete, each file at its gzip size (as a static host serves it), against the
  bare runtime's five files: `first-visit bytes / bare runtime` (target <= 2.0);
- the repeat visit (the offline copy in place) and a first visit to the assessment after another
  page of the site (the service worker has fetched the runtime while the visitor read).

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
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from assessor.cpython.load import load_framework

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the stdlib-only Chromium and server helpers the tests use too
from tests.chromium import CHROMIUM_FLAGS, INSTALL_HINT, chromium_path, free_port  # noqa: E402
from tests.localserver import Logged, SiteServer, serving  # noqa: E402

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
TIMINGS = """() => ({ ...JSON.parse(document.getElementById("mp-assessment").dataset.scorerTimings),
                     origin: performance.timeOrigin })"""
OFFLINE_READY = "() => ['ready', 'failed'].includes(document.documentElement.dataset.offline)"
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


@functools.cache
def gzip_size(path: Path) -> int:
    """Size after gzip at level 6, what common static servers use (never more than the file)."""
    data = path.read_bytes()
    return min(len(data), len(gzip.compress(data, compresslevel=6)))


def site_file(site: Path, url_path: str) -> Path:
    """The built file a request path names."""
    path = unquote(urlsplit(url_path).path).lstrip("/")
    return site / (path + "index.html" if path == "" or path.endswith("/") else path)


def transferred(site: Path, log: list[Logged]) -> tuple[int, int]:
    """(gzip bytes, requests) of the 200 responses in a server log."""
    sizes = [gzip_size(site_file(site, r.path)) for r in log if r.status == 200]
    return sum(sizes), len(sizes)


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


def _ready(page: Any) -> tuple[float, dict[str, Any]]:
    ready = float(page.wait_for_function(SCORER_READY, polling=10, timeout=TIMEOUT_MS).json_value())
    return ready, page.evaluate(TIMINGS)


def assessment_run(browser: Browser, url: str, changes: int, origin: str) -> dict[str, Any]:
    """One cold load of the assessment page: answerable, ready, re-score latencies, our files."""
    context = browser.new_context()
    try:
        context.add_init_script(ANSWERABLE_PROBE)
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url, wait_until="commit")
        ready, timings = _ready(page)
        answerable = float(page.evaluate("() => window.__answerableAt"))
        worker_at = timings["worker_started"] - timings["origin"]
        steps = {"worker started": worker_at}
        if timings["start"] == "snapshot":
            steps |= {"snapshot downloaded+unpacked": timings["snapshot"]}
            steps |= {"Python restored": timings["python"], "import": timings["import"]}
            steps |= {"warm-up": timings.get("warmup", 0)}
            spent = timings["python"] + timings["import"] + timings.get("warmup", 0)
        else:
            steps |= {"Python": timings["python"], "wheel (loadPackage)": timings["package"]}
            steps |= {"import": timings["import"], "framework": timings["load"]}
            spent = sum(timings[k] for k in ("python", "package", "import", "load"))
        steps["first results"] = ready - worker_at - spent
        latencies = _rescore(page, changes)
        return {
            "answerable": answerable,
            "ready": ready,
            "latencies": latencies,
            "steps": steps,
            "start": timings["start"],
            "fallback": timings["fallback"],
            "ours": sorted({u for u in requested if is_ours(u, origin)}),
        }
    finally:
        context.close()


def _rescore(page: Any, changes: int) -> list[float]:
    """Milliseconds from each click on one question until its results are shown."""
    practice = page.evaluate(
        "() => document.querySelector('fieldset[data-practice]').dataset.practice"
    )
    latencies = []
    for i in range(changes):
        value = "yes" if i % 2 == 0 else "no"
        latencies.append(float(page.evaluate(RESCORE, f"#q-{practice} input[value='{value}']")))
    return latencies


def fallback_run(browser: Browser, url: str, server: SiteServer, changes: int) -> dict[str, Any]:
    """One cold load while the server refuses the snapshot: the worker's plain start."""
    context = browser.new_context()
    server.refuse_snapshot = True
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        ready, timings = _ready(page)
        return {
            "ready": ready,
            "start": timings["start"],
            "fallback": timings["fallback"],
            "latencies": _rescore(page, changes),
        }
    finally:
        server.refuse_snapshot = False
        context.close()


def _profile(playwright: Playwright, chromium: str, folder: str) -> BrowserContext:
    return playwright.chromium.launch_persistent_context(
        folder, executable_path=chromium, args=list(CHROMIUM_FLAGS)
    )


def visit_run(
    playwright: Playwright, chromium: str, origin: str, server: SiteServer, site: Path
) -> dict[str, Any]:
    """A fresh profile: first visit (bytes until the offline copy is complete), then a repeat."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        context = _profile(playwright, chromium, folder)
        try:
            page = context.new_page()
            mark = len(server.log)
            page.goto(f"{origin}/assessment/", wait_until="commit")
            first, timings = _ready(page)
            until_ready = transferred(site, server.log[mark:])
            page.wait_for_function(OFFLINE_READY, polling=50, timeout=TIMEOUT_MS)
            offline = page.evaluate("() => document.documentElement.dataset.offline")
            total = transferred(site, server.log[mark:])
            mark = len(server.log)
            page.goto(f"{origin}/assessment/", wait_until="commit")
            repeat, repeat_timings = _ready(page)
            repeat_bytes = transferred(site, server.log[mark:])
        finally:
            context.close()
    return {
        "first": first,
        "start": timings["start"],
        "until_ready": until_ready,
        "total": total,
        "offline": offline,
        "repeat": repeat,
        "repeat_start": repeat_timings["start"],
        "repeat_bytes": repeat_bytes,
    }


def warm_run(playwright: Playwright, chromium: str, origin: str) -> float:
    """A fresh profile reads the home page until the offline copy is kept, then opens the
    assessment: milliseconds from that navigation until the scorer is ready."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        context = _profile(playwright, chromium, folder)
        try:
            page = context.new_page()
            page.goto(f"{origin}/", wait_until="commit")
            page.wait_for_function(OFFLINE_READY, polling=50, timeout=TIMEOUT_MS)
            page.goto(f"{origin}/assessment/", wait_until="commit")
            return _ready(page)[0]
        finally:
            context.close()


def _ms(values: list[float]) -> str:
    return " ".join(f"{v:.0f}" for v in values)


def _mb(size: int) -> str:
    return f"{size / 1e6:.2f} MB"


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
        assessment = f"{origin}/assessment/"
        with serving(site, port) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=list(CHROMIUM_FLAGS)
            )
            version = browser.version
            bare_ms: list[float] = []
            runs: list[dict[str, Any]] = []
            fallbacks: list[dict[str, Any]] = []
            for i in range(args.runs):
                # Rotate which page goes first, so none always meets a warmer machine.
                order = ["bare", "assessment", "fallback"]
                order = order[i % 3 :] + order[: i % 3]
                for which in order:
                    if which == "bare":
                        bare_ms.append(bare_run(browser, f"{origin}/{bare}"))
                    elif which == "assessment":
                        runs.append(assessment_run(browser, assessment, args.changes, origin))
                    else:
                        fallbacks.append(fallback_run(browser, assessment, server, args.changes))
            browser.close()
            visits = [
                visit_run(playwright, chromium, origin, server, site) for _ in range(args.runs)
            ]
            warm = [warm_run(playwright, chromium, origin) for _ in range(args.runs)]
        ours = sorted(set().union(*(set(r["ours"]) for r in runs)))
        sizes = {u: gzip_size(site_file(site, urlsplit(u).path)) for u in ours}
        raw = {u: site_file(site, urlsplit(u).path).stat().st_size for u in ours}
        runtime_dir = next((site / "assets" / "pyodide").iterdir())
        runtime_gz = sum(gzip_size(p) for p in runtime_dir.iterdir())
        snapshot_file = next((site / "assets" / "snapshot").glob("*/*"))
        snapshot_bytes = snapshot_file.stat().st_size
    framework = load_framework(args.framework)
    print(
        f"Assessment page benchmark: framework {framework.id} ({len(framework.practices)} "
        f"practices), {args.runs} cold runs per page, Chromium {version}, "
        f"Pyodide {runtime_dir.name}, {os.cpu_count()} CPUs"
    )
    answerable = [r["answerable"] for r in runs]
    ready = [r["ready"] for r in runs]
    fallback_ms = [r["ready"] for r in fallbacks]
    median_ready, median_bare = statistics.median(ready), statistics.median(bare_ms)
    median_fallback = statistics.median(fallback_ms)
    print(
        f"  first question answerable  median {statistics.median(answerable):7.0f} ms   "
        f"(runs: {_ms(answerable)})   target < 1000 ms"
    )
    starts = [r["start"] for r in runs]
    print(
        f"  scorer ready               median {median_ready:7.0f} ms   (runs: {_ms(ready)}; "
        f"start from the snapshot in {starts.count('snapshot')} of {len(starts)})"
    )
    print(f"  bare loadPyodide+runPython median {median_bare:7.0f} ms   (runs: {_ms(bare_ms)})")
    ratios = [a / b for a, b in zip(ready, bare_ms, strict=True)]
    print(
        f"  ready / bare  {median_ready / median_bare:.2f}   (ratio of medians, cold cache; "
        f"median of per-run ratios {statistics.median(ratios):.2f})   target <= 0.5"
    )
    steps = {name: statistics.median(r["steps"][name] for r in runs) for name in runs[0]["steps"]}
    print(
        "    where the assessment page's time goes (medians, from navigation; the snapshot's "
        "download overlaps Python's start): "
        + ", ".join(f"{name} {ms:.0f} ms" for name, ms in steps.items())
    )
    reasons = sorted({r["fallback"] for r in fallbacks})
    plain = sum(r["start"] == "plain" for r in fallbacks)
    print(
        f"  fallback ready / bare  {median_fallback / median_bare:.2f}   (median "
        f"{median_fallback:.0f} ms, runs: {_ms(fallback_ms)}; plain start in {plain} of "
        f"{len(fallbacks)}: {'; '.join(reasons)})"
    )
    latencies = [lat for r in runs for lat in r["latencies"]]
    deciles = statistics.quantiles(latencies, n=10)
    print(
        f"  re-score after one change  median {statistics.median(latencies):7.1f} ms   "
        f"(n={len(latencies)}, p90 {deciles[-1]:.1f} ms, max {max(latencies):.1f} ms)   "
        f"target < 50 ms"
    )
    plain_latencies = [lat for r in fallbacks for lat in r["latencies"]]
    print(
        f"    the same after the fallback start  median "
        f"{statistics.median(plain_latencies):7.1f} ms   (n={len(plain_latencies)}; same run: "
        f"the machine's load, not the start, sets this figure when the two agree)"
    )
    total = statistics.median(v["total"][0] for v in visits)
    until_ready = statistics.median(v["until_ready"][0] for v in visits)
    requests = statistics.median(v["total"][1] for v in visits)
    print(
        f"  first-visit bytes / bare runtime  {total / runtime_gz:.2f}   ({_mb(total)} gzip in "
        f"{requests:.0f} requests, offline copy included; {_mb(until_ready)} until the scorer is "
        f"ready, {until_ready / runtime_gz:.2f}x; bare runtime {_mb(runtime_gz)}; snapshot file "
        f"{_mb(snapshot_bytes)})   target <= 2.0"
    )
    first = [v["first"] for v in visits]
    repeat = [v["repeat"] for v in visits]
    offline = sorted({v["offline"] for v in visits})
    print(
        f"  first visit (fresh profile) median {statistics.median(first):7.0f} ms   "
        f"(runs: {_ms(first)}; offline copy: {', '.join(offline)})"
    )
    repeat_bytes = statistics.median(v["repeat_bytes"][0] for v in visits)
    print(
        f"  repeat visit ready         median {statistics.median(repeat):7.0f} ms   "
        f"(runs: {_ms(repeat)}; {statistics.median(repeat) / median_bare:.2f}x bare; "
        f"{repeat_bytes / 1e3:.0f} KB transferred)"
    )
    print(
        f"  assessment after another page (runtime kept while reading) median "
        f"{statistics.median(warm):7.0f} ms   (runs: {_ms(warm)}; "
        f"{statistics.median(warm) / median_bare:.2f}x bare)"
    )
    ours_total, ours_raw = sum(sizes.values()), sum(raw.values())
    print(
        f"  our payload, gzip -6       {ours_total / 1024:7.1f} KB   ({ours_raw / 1024:.1f} KB "
        f"raw; Pyodide runtime beside it: {runtime_gz / 1024 / 1024:.1f} MB gzip)   "
        f"target <= 100 KB"
    )
    for url in ours:
        name = urlsplit(url).path
        print(f"      {sizes[url] / 1024:6.1f} KB  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
