// Module Web Worker: loads Pyodide and the assessor wheel once, then answers JSON requests by
// calling assessor.api.handle. No logic of its own: every decision is made in Python.
let handle = null;

class StartError extends Error {}

function post(message) {
  self.postMessage(message);
}

async function fetchText(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new StartError(`${what} could not be downloaded (${error.message})`);
  }
  if (!response.ok) throw new StartError(`${what} could not be downloaded (HTTP ${response.status})`);
  return response.text();
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
  const give = (detail) => reject(new StartError(`Python's WebAssembly runtime (pyodide.asm.wasm) could not be loaded${detail ? ` (${detail})` : ""}: it was blocked or did not download`));
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

async function start({ indexURL, wheelURL, frameworkURL }) {
  const started = performance.now();
  // framework.json downloads while Python starts.
  const frameworkText = fetchText(frameworkURL, "The framework data");
  frameworkText.catch(() => {}); // awaited below; this only silences an early rejection
  post({ type: "progress", message: "Starting Python (several megabytes to download the first time)…" });
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(`${indexURL}pyodide.mjs`));
  } catch (error) {
    throw new StartError(`Pyodide's loader could not be loaded (${error.message})`);
  }
  let pyodide;
  const watch = watchWasmFailure();
  try {
    // Whichever fails first is reported: no waiting for Python when framework.json is missing.
    const frameworkFailed = frameworkText.then(() => new Promise(() => {}));
    pyodide = await Promise.race([loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} }), watch.failed, frameworkFailed]);
  } catch (error) {
    throw error instanceof StartError ? error : new StartError(`Python (Pyodide) could not start (${error.message})`);
  } finally {
    watch.stop();
  }
  const pythonAt = performance.now();
  post({ type: "progress", message: "Loading the assessor…" });
  // loadPackage does not raise when a download fails: it reports through errorCallback and
  // returns the packages it did load.
  const errors = [];
  const loaded = await pyodide.loadPackage(wheelURL, {
    messageCallback: () => {},
    errorCallback: (message) => errors.push(message),
  });
  const fileName = wheelURL.slice(wheelURL.lastIndexOf("/") + 1);
  if (errors.length || !loaded.some((pkg) => pkg.fileName === fileName)) {
    throw new StartError(`the assessor package could not be loaded (${errors.join(" ") || "nothing was installed"})`);
  }
  const packageAt = performance.now();
  const api = pyodide.pyimport("assessor.api");
  const importAt = performance.now();
  handle = (text) => api.handle(text);
  let framework;
  try {
    framework = JSON.parse(await frameworkText);
  } catch (error) {
    throw error instanceof StartError ? error : new StartError(`the framework data is damaged (${error.message})`);
  }
  // framework.json comes from the same build as this page and was validated there.
  const reply = JSON.parse(handle(JSON.stringify({ op: "load", framework, verify: false })));
  if (!reply.ok) {
    handle = null;
    throw new StartError(`the framework data was refused: ${reply.error.message} ${reply.error.problems.join("; ")}`);
  }
  // Where start-up time goes (milliseconds), for the benchmark and for curious visitors.
  const timings = {
    worker_started: performance.timeOrigin + started,
    python: pythonAt - started,
    package: packageAt - pythonAt,
    import: importAt - packageAt,
    load: performance.now() - importAt,
  };
  post({ type: "ready", info: reply, timings });
}

self.onmessage = ({ data }) => {
  if (data.type === "start") {
    start(data).catch((error) => {
      const message = error instanceof StartError ? error.message : `unexpected error: ${error}`;
      post({ type: "failed", message });
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
