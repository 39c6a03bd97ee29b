// Module Web Worker: starts Python once (startup.mjs: from the build's snapshot, else the plain
// way), then answers JSON requests by calling assessor.api.handle. No logic of its own: every
// decision is made in Python.
//
// No static imports: the start message arrives as soon as this file has run, and the large
// downloads (the snapshot, Pyodide's runtime script) begin at once, in parallel with the modules
// this worker imports.
let handle = null;
let StartError = null; // startup.mjs's, once it is loaded

// A start failure before startup.mjs is there. Failures carry the key of the words the page
// shows (i18n.mjs) and their values; the message is the English.
class ModulesMissing extends Error {
  key = "worker.modules";
  constructor(error) {
    super(`the scorer's modules could not be loaded (${error.message})`);
    this.values = { error: error.message };
  }
}

function post(message) {
  self.postMessage(message);
}

// When pyodide.asm.wasm cannot be fetched or compiled, Pyodide 314 only logs
// "wasm instantiation failed!" (then the error) with console.warn, and loadPyodide never settles.
// Watching for that warning turns the hang into a failure the visitor is told about.
function watchWasmFailure() {
  const original = console.warn;
  let reject;
  let seen = false;
  const failed = new Promise((_, fail) => {
    reject = fail;
  });
  const give = (detail) => reject(new StartError(`Python's WebAssembly runtime (pyodide.asm.wasm) could not be loaded${detail ? ` (${detail})` : ""}: it was blocked or did not download`,
    detail ? "worker.wasm_detail" : "worker.wasm", { detail }));
  console.warn = (...args) => {
    original.apply(console, args);
    if (seen) give(args[0] && args[0].message ? args[0].message : String(args[0]));
    else if (String(args[0]).includes("wasm instantiation failed")) {
      seen = true;
      setTimeout(() => give(""), 200); // in case the error itself is never logged
    }
  };
  return { failed, stop: () => { console.warn = original; } };
}

// A response, or the error `Failure` that says what could not be downloaded (`key`: in the page's
// words).
async function checked(response, what, Failure, key) {
  let value;
  try {
    value = await response;
  } catch (error) {
    throw new Failure(`${what} could not be downloaded (${error.message})`, key, { error: error.message });
  }
  if (!value.ok) throw new Failure(`${what} could not be downloaded (HTTP ${value.status})`, key, { error: `HTTP ${value.status}` });
  return value;
}

async function start({ indexURL, wheelURL, frameworkURL, snapshotURL }) {
  const started = performance.now();
  // The largest downloads first, then the modules that use them.
  const snapshot = snapshotURL ? fetch(snapshotURL) : null;
  const runtimeScript = import(`${indexURL}pyodide.asm.mjs`);
  const loader = import(`${indexURL}pyodide.mjs`);
  const own = Promise.all([import("./startup.mjs"), import("./snapshot.mjs")]);
  for (const early of [snapshot, runtimeScript, loader]) early?.catch(() => {}); // awaited below
  let startScorer;
  let SnapshotRefused;
  try {
    [{ StartError, startScorer }, { SnapshotRefused }] = await own;
  } catch (error) {
    throw new ModulesMissing(error);
  }
  post({ type: "progress", message: "Starting Python (several megabytes to download the first time)…", key: "worker.starting" });
  let pyodideModule;
  try {
    pyodideModule = await loader;
  } catch (error) {
    throw new StartError(`Pyodide's loader could not be loaded (${error.message})`, "worker.loader", { error: error.message });
  }
  const loadPyodide = async (options) => {
    const watch = watchWasmFailure();
    try {
      return await Promise.race([pyodideModule.loadPyodide({ indexURL, stdout: () => {}, stderr: () => {}, ...options }), watch.failed]);
    } catch (error) {
      throw error instanceof StartError || error instanceof SnapshotRefused ? error
        : new StartError(`Python (Pyodide) could not start (${error.message})`, "worker.python", { error: error.message });
    } finally {
      watch.stop();
    }
  };
  const scorer = await startScorer({
    version: pyodideModule.version,
    loadPyodide,
    factory: async () => {
      try {
        return (await runtimeScript).default;
      } catch (error) {
        throw new StartError(`Pyodide's runtime script could not be loaded (${error.message})`, "worker.runtime", { error: error.message });
      }
    },
    open: async () => (await checked(snapshot, "the snapshot", SnapshotRefused)).body,
    // The only text startup.mjs fetches is framework.json.
    text: async (url, what) => (await checked(fetch(url), what, StartError, "worker.framework")).text(),
    progress: (message, key) => post({ type: "progress", message, key }),
    snapshotURL,
    wheelURL,
    frameworkURL,
  });
  handle = scorer.handle;
  // Where start-up time goes (milliseconds; the two clock readings are absolute), which start was
  // used and why: for the benchmark and for curious visitors.
  const clock = (at) => performance.timeOrigin + at;
  post({ type: "ready", info: scorer.info, timings: { worker_started: clock(started), ...scorer.timings, worker_ready: clock(performance.now()) } });
}

self.onmessage = ({ data }) => {
  if (data.type === "start") {
    start(data).catch((error) => {
      const known = error instanceof ModulesMissing || (StartError !== null && error instanceof StartError);
      if (known) post({ type: "failed", message: error.message, key: error.key, values: error.values });
      else post({ type: "failed", message: `unexpected error: ${error}`, key: "worker.unexpected", values: { error: String(error) } });
    });
  } else if (data.type === "call") {
    let reply;
    try {
      if (!handle) throw new Error("the scorer is not ready");
      reply = handle(data.request);
    } catch (error) {
      reply = JSON.stringify({ ok: false, error: { message: `The scorer failed: ${error.message}`, problems: [], more: 0 } });
    }
    post({ type: "reply", id: data.id, reply });
  }
};
