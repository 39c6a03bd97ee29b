// How the scorer starts: from the build's start-up snapshot when there is one that fits this page,
// otherwise the plain way (start Pyodide, install the wheel, import the assessor, load
// framework.json). Shared by the worker and the Node tests; everything that touches the network
// or the environment comes in through `io`, so both run exactly this logic.
import { SnapshotRefused, keyOf, snapshotOptions, unpackSnapshot } from "./snapshot.mjs";

// Scorings of every practice run after a restore (see fromSnapshot).
const WARMUP_CALLS = 5;

/** A start that failed; its message is shown to the visitor, in the page's language by `key`
 * (i18n.mjs) with `values`. */
export class StartError extends Error {
  constructor(message, key, values) {
    super(message);
    this.key = key;
    this.values = values;
  }
}

function now() {
  return performance.now();
}

// Python from the snapshot, with assessor.api imported and the framework already loaded. The
// snapshot downloads and unpacks while Pyodide fetches and compiles its other files.
async function fromSnapshot(io) {
  const started = now();
  let unpackedAt = started;
  const snapshot = Promise.resolve()
    .then(() => io.open(io.snapshotURL)) // rejects with SnapshotRefused when it cannot be had
    .then((stream) => unpackSnapshot(stream, { key: keyOf(io.snapshotURL), pyodide: io.version }))
    .then((unpacked) => {
      unpackedAt = now();
      return unpacked;
    });
  snapshot.catch(() => {}); // awaited by Pyodide below; this only silences an early rejection
  const factory = await io.factory();
  let pyodide;
  try {
    pyodide = await io.loadPyodide(snapshotOptions(snapshot, factory));
  } catch (error) {
    if (error instanceof StartError || error instanceof SnapshotRefused) throw error;
    throw new SnapshotRefused(`Pyodide refused the snapshot (${String(error.message).split("\n")[0]})`);
  }
  const pythonAt = now();
  let api;
  try {
    api = pyodide.pyimport("assessor.api");
  } catch (error) {
    throw new SnapshotRefused(`the snapshot lacks the assessor (${String(error.message).trim().split("\n").pop()})`);
  }
  const unpacked = await snapshot;
  const { info, warmup } = unpacked.header;
  if (!info || !info.framework) throw new SnapshotRefused("the snapshot's header lacks the framework it loaded");
  const importAt = now();
  // The restored interpreter's WebAssembly is compiled when first called and optimised after some
  // use: a few scorings now spare the visitor's first answers that cost.
  if (warmup) {
    const request = JSON.stringify(warmup);
    for (let i = 0; i < WARMUP_CALLS; i += 1) api.handle(request);
  }
  // The snapshot's 30 MB are in Python's memory now; let the copy go (Pyodide's config keeps the
  // option it was given for the life of the worker).
  unpacked.bytes = null;
  if (pyodide._api && pyodide._api.config) pyodide._api.config._loadSnapshot = undefined;
  // `snapshot`: until it was downloaded and unpacked; `python`: until Python was restored (both
  // from the start, they overlap).
  return {
    api,
    info,
    timings: { snapshot: unpackedAt - started, python: pythonAt - started, package: 0, import: importAt - pythonAt, load: 0, warmup: now() - importAt },
  };
}

// The plain start: what the page did before snapshots, and the fallback.
async function plain(io) {
  const started = now();
  // framework.json downloads while Python starts.
  const frameworkText = io.text(io.frameworkURL, "The framework data");
  frameworkText.catch(() => {}); // awaited below; this only silences an early rejection
  // Whichever fails first is reported: no waiting for Python when framework.json is missing.
  const frameworkFailed = frameworkText.then(() => new Promise(() => {}));
  const pyodide = await Promise.race([io.loadPyodide({}), frameworkFailed]);
  const pythonAt = now();
  io.progress("Loading the assessor…", "startup.loading");
  // loadPackage does not raise when a download fails: it reports through errorCallback and
  // returns the packages it did load.
  const errors = [];
  const loaded = await pyodide.loadPackage(io.wheelURL, {
    messageCallback: () => {},
    errorCallback: (message) => errors.push(message),
  });
  const fileName = io.wheelURL.slice(io.wheelURL.lastIndexOf("/") + 1);
  if (errors.length || !loaded.some((pkg) => pkg.fileName === fileName)) {
    const why = errors.join(" ");
    throw new StartError(`the assessor package could not be loaded (${why || "nothing was installed"})`,
      why ? "startup.package" : "startup.no_package", { error: why });
  }
  const packageAt = now();
  const api = pyodide.pyimport("assessor.api");
  const importAt = now();
  let framework;
  try {
    framework = JSON.parse(await frameworkText);
  } catch (error) {
    throw error instanceof StartError ? error : new StartError(`the framework data is damaged (${error.message})`, "startup.damaged", { error: error.message });
  }
  // framework.json comes from the same build as this page and was validated there.
  const reply = JSON.parse(api.handle(JSON.stringify({ op: "load", framework, verify: false })));
  if (!reply.ok) {
    const why = `${reply.error.message} ${reply.error.problems.join("; ")}`;
    throw new StartError(`the framework data was refused: ${why}`, "startup.refused", { error: why });
  }
  return {
    api,
    info: reply,
    timings: { python: pythonAt - started, package: packageAt - pythonAt, import: importAt - packageAt, load: now() - importAt },
  };
}

/**
 * Start the scorer. `io`: { version (Pyodide's, from pyodide.mjs), loadPyodide(extra options),
 * factory() (pyodide.asm.mjs's default export), open(url) (a ReadableStream; throws
 * SnapshotRefused), text(url, what) (throws StartError), progress(message, key), snapshotURL ("" when
 * the build made none), wheelURL, frameworkURL }.
 * Resolves to { handle(requestJson) → replyJson, info, timings }; `timings.start` is "snapshot"
 * or "plain" and `timings.fallback` says why the snapshot was not used.
 */
export async function startScorer(io) {
  let result = null;
  let fallback = "this build has no start-up snapshot";
  if (io.snapshotURL) {
    try {
      result = await fromSnapshot(io);
    } catch (error) {
      if (!(error instanceof SnapshotRefused)) throw error;
      fallback = error.message;
    }
  }
  const start = result ? "snapshot" : "plain";
  if (!result) result = await plain(io);
  const { api } = result;
  return {
    handle: (text) => api.handle(text),
    info: result.info,
    timings: { start, fallback: start === "snapshot" ? "" : fallback, ...result.timings },
  };
}
