// The client of the scorer's worker (worker.mjs, Python's assessor.api.handle inside): starts it
// once per tab, sends requests and matches replies. No DOM: it reports its status through the
// `events` it was created with, and the page shows it.
//
// Time budgets: Python's first start downloads several megabytes, so it gets three minutes (a
// download that never finishes ends there); every request then gets ten seconds (the heaviest,
// a 1 MB import, takes well under one). Past a budget the worker is stopped, the page says so and
// offers to start a fresh one; the answers never live in the worker, so nothing is lost.
import { t } from "./i18n.mjs";

export const BUDGETS = { startMs: 180_000, callMs: 10_000 };

// What a request was doing when it ran out of time.
const WHAT = {
  score: "scorer.scoring", import: "scorer.importing", export: "scorer.exporting",
  report: "scorer.reporting", share: "scorer.sharing", compare: "scorer.comparing",
};

let nextCallId = 1;

// The words of a worker's message: its key in the page's language, else its own text.
function said(data) {
  return data.key ? t(data.key, data.values) : data.message;
}

/**
 * A scorer that has not started. `events.status()` runs on every status change,
 * `events.failed()` after a failure (status "failed"; `failure` says why, `stalled` whether it
 * had started) and `events.ready()` once Python answers requests.
 */
export function createScorer(events) {
  return {
    status: "idle", // idle | loading | ready | failed
    worker: null,
    starts: 0,
    info: null, // what the worker reported when ready: answer scale, limits
    timings: null,
    failure: "",
    stalled: false, // the failure came after the scorer had started (a request ran too long)
    progress: "",
    runtimePath: "",
    calls: new Map(),
    run: 0, // which start this is; events of an earlier worker are ignored
    startTimer: null,
    stopWorker: () => {},
    events,
  };
}

function setStatus(scorer, status, text) {
  scorer.status = status;
  if (text !== undefined) scorer.progress = text;
  scorer.events.status();
}

/** An error of a request the scorer dropped; the page has already said why, once. */
function dropped(message) {
  const error = new Error(message);
  error.shown = true;
  return error;
}

/** Marks the scorer failed (once per start): pending calls are rejected, the worker is stopped. */
export function fail(scorer, message, stalled = false) {
  if (scorer.status === "failed") return;
  clearTimeout(scorer.startTimer);
  scorer.stopWorker();
  scorer.failure = message;
  scorer.stalled = stalled;
  setStatus(scorer, "failed");
  for (const { reject, timer } of scorer.calls.values()) {
    clearTimeout(timer);
    reject(dropped(message));
  }
  scorer.calls.clear();
  scorer.events.failed();
}

function onWorkerEvent(scorer, run, event) {
  if (run !== scorer.run) return;
  if (event.type === "error") {
    const why = event.message || t("scorer.network");
    if (scorer.status === "loading") fail(scorer, t("scorer.script_failed", { why }));
    else fail(scorer, t("scorer.crashed", { why }), true);
    return;
  }
  const data = event.data;
  if (data.type === "progress") setStatus(scorer, "loading", said(data));
  else if (data.type === "failed") fail(scorer, said(data));
  else if (data.type === "ready") {
    clearTimeout(scorer.startTimer);
    scorer.info = data.info;
    scorer.timings = data.timings;
    setStatus(scorer, "ready");
    scorer.events.ready();
  } else if (data.type === "reply") {
    const pending = scorer.calls.get(data.id);
    scorer.calls.delete(data.id);
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.resolve(JSON.parse(data.reply));
  }
}

/**
 * Starts the worker (once: later calls do nothing, unless `fresh` asks for a new one after a
 * failure); `root` is the page root, whose data-* name the URLs.
 */
export async function startScorer(scorer, root, fresh = false) {
  if (scorer.status !== "idle" && !(fresh && scorer.status === "failed")) return;
  scorer.run += 1;
  const run = scorer.run;
  scorer.starts += 1;
  scorer.failure = "";
  scorer.stalled = false;
  scorer.runtimePath = new URL(root.dataset.indexUrl, location.href).pathname;
  setStatus(scorer, "loading", t("scorer.starting"));
  scorer.startTimer = setTimeout(() => {
    fail(scorer, t("scorer.start_timeout", { count: BUDGETS.startMs / 60000 }));
  }, BUDGETS.startMs);
  // Imported here rather than at the top, so the page (and the answers) work without it.
  let bootModule;
  try {
    bootModule = await import("./boot.mjs");
  } catch (error) {
    fail(scorer, t("scorer.no_boot", { error: error.message }));
    return;
  }
  if (run !== scorer.run || scorer.status !== "loading") return;
  // Usually already started by boot.mjs, which the page loads early on its own.
  const booted = bootModule.boot(root, fresh);
  scorer.stopWorker = bootModule.stop;
  if (booted.error) {
    fail(scorer, t(...booted.error));
    return;
  }
  scorer.worker = booted.worker;
  bootModule.listen((event) => onWorkerEvent(scorer, run, event));
}

/** Starts a fresh worker after a failure; the answers stay on the page. */
export function restartScorer(scorer, root) {
  return startScorer(scorer, root, true);
}

/** Send one request to assessor.api.handle; resolves with its reply object. */
export function call(scorer, request, budgetMs = BUDGETS.callMs) {
  if (scorer.status !== "ready") return Promise.reject(new Error(t("scorer.not_ready")));
  // Ids are unique across clients: every client of the shared worker sees every reply.
  const id = nextCallId;
  nextCallId += 1;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const what = WHAT[request.op] ? t(WHAT[request.op]) : request.op;
      fail(scorer, t("scorer.too_long", { count: budgetMs / 1000, what }), true);
    }, budgetMs);
    scorer.calls.set(id, { resolve, reject, timer });
    scorer.worker.postMessage({ type: "call", id, request: JSON.stringify(request) });
  });
}
