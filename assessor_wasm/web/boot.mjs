// Starts the scorer's worker as early as possible. The assessment page loads this module itself
// (an async module script in the page), and it imports nothing, so it runs as soon as it
// arrives instead of after the theme's scripts; Python then does its seconds-long start in
// parallel. scorer.mjs, the page module's worker client, imports it too (the same module
// instance), starts the worker through it when the page was reached by instant navigation, and
// takes the worker over; it asks for a fresh worker when the old one stalled. The URLs are the
// page root's data-* attributes.
let booted = null; // { worker, error: [text key, values] or "", queue, listener }

function deliver(target, event) {
  if (booted !== target) return; // a worker that was replaced: its late messages are dropped
  if (target.listener) target.listener(event);
  else target.queue.push(event);
}

/** Create the worker once per tab (`fresh`: a new one) and ask it to start; returns { worker, error }
 * (`error`: the key of the words that say why, and their values). */
export function boot(root, fresh = false) {
  if (booted && !fresh) return booted;
  if (booted?.worker) booted.worker.terminate();
  const target = { worker: null, error: "", queue: [], listener: null };
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

/** Hand the current worker's events to `listener`, first those that arrived before it. */
export function listen(listener) {
  booted.listener = listener;
  for (const event of booted.queue.splice(0)) listener(event);
}

/** Stop the current worker (it stalled or failed); the next boot() makes a new one. */
export function stop() {
  if (booted?.worker) booted.worker.terminate();
  booted = null;
}

const root = document.getElementById("mp-assessment");
if (root) boot(root);
