// The client of the scorer's worker (worker.mjs, Python's assessor.api.handle inside): starts it
// once per tab, sends requests and matches replies. No DOM: it reports its status through the
// `events` it was created with, and the page shows it.
import { boot, listen } from "./boot.mjs";

let nextCallId = 1;

/**
 * A scorer that has not started. `events.status()` runs on every status change,
 * `events.failed()` after a failure (status "failed", `failure` says why) and `events.ready()`
 * once Python answers requests.
 */
export function createScorer(events) {
  return {
    status: "idle", // idle | loading | ready | failed
    worker: null,
    starts: 0,
    info: null, // what the worker reported when ready: answer scale, limits
    timings: null,
    failure: "",
    progress: "",
    runtimePath: "",
    calls: new Map(),
    events,
  };
}

function setStatus(scorer, status, text) {
  scorer.status = status;
  if (text !== undefined) scorer.progress = text;
  scorer.events.status();
}

/** Marks the scorer failed: pending calls are rejected with `message`. */
export function fail(scorer, message) {
  scorer.failure = message;
  setStatus(scorer, "failed");
  for (const { reject } of scorer.calls.values()) reject(new Error(message));
  scorer.calls.clear();
  scorer.events.failed();
}

function onWorkerEvent(scorer, event) {
  if (event.type === "error") {
    if (scorer.status === "loading") fail(scorer, `the scorer's script failed to load (${event.message || "network or script error"})`);
    return;
  }
  const data = event.data;
  if (data.type === "progress") setStatus(scorer, "loading", data.message);
  else if (data.type === "failed") fail(scorer, data.message);
  else if (data.type === "ready") {
    scorer.info = data.info;
    scorer.timings = data.timings;
    setStatus(scorer, "ready");
    scorer.events.ready();
  } else if (data.type === "reply") {
    const pending = scorer.calls.get(data.id);
    scorer.calls.delete(data.id);
    if (pending) pending.resolve(JSON.parse(data.reply));
  }
}

/** Starts the worker (once: later calls do nothing); `root` is the page root, whose data-* name the URLs. */
export function startScorer(scorer, root) {
  if (scorer.status !== "idle") return;
  scorer.starts += 1;
  scorer.runtimePath = new URL(root.dataset.indexUrl, location.href).pathname;
  setStatus(scorer, "loading", "starting…");
  // Usually already started by boot.mjs, which the page loads early on its own.
  const booted = boot(root);
  if (booted.error) {
    fail(scorer, booted.error);
    return;
  }
  scorer.worker = booted.worker;
  listen((event) => onWorkerEvent(scorer, event));
}

/** Send one request to assessor.api.handle; resolves with its reply object. */
export function call(scorer, request) {
  if (scorer.status !== "ready") return Promise.reject(new Error("the scorer is not ready"));
  // Ids are unique across clients: every client of the shared worker sees every reply.
  const id = nextCallId;
  nextCallId += 1;
  return new Promise((resolve, reject) => {
    scorer.calls.set(id, { resolve, reject });
    scorer.worker.postMessage({ type: "call", id, request: JSON.stringify(request) });
  });
}
