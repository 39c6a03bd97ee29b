// Starts the scorer's worker as early as possible. The assessment page loads this module itself
// (an async module script in the page), and it imports nothing, so it runs as soon as it
// arrives instead of after the theme's scripts; Python then does its seconds-long start in
// parallel. scorer.mjs, the page module's worker client, imports it too (the same module
// instance), starts the worker through it when the page was reached by instant navigation, and
// takes the worker over; it asks for a fresh worker when the old one stalled. The URLs are the
// page root's data-* attributes. The team and organisation pages share the same worker (and
// Python): each page's client listens, and one that starts listening late is told the status
// events it missed.
let booted = null; // { worker, error: [text key, values] or "", seen, listeners }

function deliver(target, event) {
  if (booted !== target) return; // a worker that was replaced: its late messages are dropped
  // Replies go to whoever listens now (each client keeps its own ids); status events are kept.
  if (!(event.data && event.data.type === "reply")) target.seen.push(event);
  for (const listener of target.listeners) listener(event);
}

/** Create the worker once per tab (`fresh`: a new one) and ask it to start; returns { worker, error }
 * (`error`: the key of the words that say why, and their values). */
export function boot(root, fresh = false) {
  if (booted && !fresh) return booted;
  if (booted?.worker) booted.worker.terminate();
  const target = { worker: null, error: "", seen: [], listeners: [] };
  booted = target;
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    target.error = ["boot.no_wasm"]; // the page says it in its language (i18n.mjs)
    return target;
  }
  const url = (name) => new URL(root.dataset[name], location.href).href;
  try {
    const worker = new Worker(url("worker"), { type: "module" });
    worker.onmessage = (event) => deliver(target, event);
    worker.onerror = (event) => {
      event.preventDefault(); // reported on the page instead of the console
      deliver(target, event);
    };
    const snapshotURL = root.dataset.snapshot ? url("snapshot") : ""; // none under `mkdocs serve`
    worker.postMessage({ type: "start", indexURL: url("indexUrl"), wheelURL: url("wheel"), frameworkURL: url("framework"), snapshotURL });
    target.worker = worker;
  } catch (error) {
    target.error = ["boot.no_worker", { error: error.message }];
  }
  return target;
}

/** Hand the current worker's events to `listener`, first the status events that came before it. */
export function listen(listener) {
  booted.listeners.push(listener);
  for (const event of booted.seen) listener(event);
}

/** Stop the current worker (it stalled or failed); the next boot() makes a new one. */
export function stop() {
  if (booted?.worker) booted.worker.terminate();
  booted = null;
}

const root = document.querySelector(".mp-app[data-worker]");
if (root) boot(root);
