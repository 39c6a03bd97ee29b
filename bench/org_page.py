"""Browser benchmark of the organisation roll-up page: N team files chosen at once, in headless
system Chromium on a local server.

It writes N synthetic team files of the default framework (seeded, as bench/org.py writes them),
builds the site for a free localhost port and, in a fresh browser context per run, opens the
organisation page, waits until Python is ready (not counted), chooses the N files in its file
input and measures, in the page's own clock:

- drop to shown: from the file input's change event until the frame that shows the results has
  been painted (target: < 5 s for 500 files), split into reading the files (with their progress
  shown), the worker's `org` request (Python; the page's `mp-request` and `mp-reply` performance
  marks) and rendering (the heatmap shows 100 teams at a time);
- seconds per 100 files (drop to shown / N x 100);
- how responsive the page stayed meanwhile: the longest main-thread task (PerformanceObserver
  "longtask", i.e. any task over 50 ms) and the longest gap between animation frames.

It prints medians over --runs runs (at least 5) and never asserts: timings depend on the machine.

    .venv/bin/python bench/org_page.py [--files 500] [--runs 5]
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from assessor.cpython.load import load_framework

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the stdlib-only Chromium helpers the tests use too
sys.path.insert(0, str(ROOT / "bench"))  # the other benchmarks: the same build, the same files
from browser import build  # noqa: E402
from org import write_files  # noqa: E402

from tests.chromium import CHROMIUM_FLAGS, INSTALL_HINT, chromium_path, free_port  # noqa: E402

TIMEOUT_MS = 300_000
# Installed before the page's scripts: timestamps of the change event and of every state the
# page root goes through, the first frame after "done", long tasks and the longest frame gap.
PROBE = """
(() => {
  const probe = window.__probe = { states: {}, longest: 0, frameGap: 0, drop: null, shown: null };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (probe.drop !== null && entry.startTime >= probe.drop) {
        probe.longest = Math.max(probe.longest, entry.duration);
      }
    }
  }).observe({ type: "longtask" });
  document.addEventListener("change", () => {
    probe.drop = performance.now();
    let last = probe.drop;
    const frame = (now) => {
      probe.frameGap = Math.max(probe.frameGap, now - last);
      last = now;
      if (probe.shown === null) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }, true);
  const watch = () => {
    const root = document.getElementById("mp-org");
    if (!root) return requestAnimationFrame(watch);
    new MutationObserver(() => {
      const state = root.dataset.state;
      probe.states[state] ??= performance.now();
      if (state === "done" && probe.shown === null) {
        // The task after the next frame: that frame's style, layout and paint are done.
        requestAnimationFrame(() => setTimeout(() => { probe.shown = performance.now(); }, 0));
      }
    }).observe(root, { attributes: true, attributeFilter: ["data-state"] });
  };
  watch();
})();
"""
SHOWN = "() => window.__probe.shown !== null"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        del format, args


def run(browser: Browser, url: str, files: list[str]) -> dict[str, float]:
    """One drop of every file on a freshly opened organisation page; milliseconds."""
    context = browser.new_context()
    try:
        context.add_init_script(PROBE)
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector("#mp-org[data-scorer=ready]", state="attached", timeout=TIMEOUT_MS)
        page.set_input_files("#mp-files", files)
        page.wait_for_function(SHOWN, timeout=TIMEOUT_MS, polling=50)
        probe: dict[str, Any] = page.evaluate(
            """() => ({ ...window.__probe, marks: Object.fromEntries(performance
              .getEntriesByType("mark").map((mark) => [mark.name, mark.startTime])) })"""
        )
        counted = page.evaluate(
            "() => [...document.querySelectorAll('#mp-stage-counts .mp-count')]"
            ".reduce((sum, cell) => sum + Number(cell.textContent), 0)"
        )
        if counted != len(files):
            raise SystemExit(f"the page counts {counted} teams, not {len(files)}")
        states, drop, marks = probe["states"], probe["drop"], probe["marks"]
        return {
            "total": probe["shown"] - drop,
            "reading": states["scoring"] - drop,
            "python": marks["mp-reply"] - marks["mp-request"],
            "render": probe["shown"] - marks["mp-reply"],
            "longest task": probe["longest"],
            "frame gap": probe["frameGap"],
        }
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--framework", type=Path, default=ROOT / "framework")
    parser.add_argument("--files", type=int, default=500, help="team files per drop")
    parser.add_argument("--runs", type=int, default=5, help="drops, each on a fresh page (>= 5)")
    args = parser.parse_args(argv)
    if args.runs < 5:
        parser.error("--runs must be at least 5")
    chromium = chromium_path()
    if chromium is None:
        parser.error(f"no system Chromium found ({INSTALL_HINT})")
    framework = load_framework(args.framework)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="bench-org-page-") as tmp:
        exports = Path(tmp) / "exports"
        write_files(framework, exports, args.files)
        files = sorted(str(p) for p in exports.glob("*.json"))
        size = sum(Path(f).stat().st_size for f in files)
        site = Path(tmp) / "site"
        build(args.framework.resolve(), site, origin + "/")
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
                runs = [run(browser, f"{origin}/organisation/", files) for _ in range(args.runs)]
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print(
        f"Organisation page benchmark: {args.files} team files ({size / 1024 / 1024:.1f} MB) of "
        f"framework {framework.id} ({len(framework.practices)} practices, "
        f"{len(framework.capabilities)} capabilities), {args.runs} runs, Chromium {version}, "
        f"{os.cpu_count()} CPUs"
    )
    totals = " ".join(f"{r['total']:.0f}" for r in runs)
    print(
        f"  drop to results shown   median {median['total']:7.0f} ms   (runs: {totals})   "
        f"target < 5000 ms for 500 files"
    )
    print(f"  seconds per 100 files   {median['total'] / 1000 / args.files * 100:.3f} s")
    print(
        "    where the time goes (medians): "
        f"reading the files {median['reading']:.0f} ms, the worker's org request (Python, "
        f"with the request and reply as JSON) {median['python']:.0f} ms, rendering (until the "
        f"frame is painted) {median['render']:.0f} ms"
    )
    print(
        f"  responsiveness (medians): longest main-thread task {median['longest task']:.0f} ms, "
        f"longest gap between frames {median['frame gap']:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
