// Starts the scorer's worker as early as possible. The assessment page loads this module itself
// (an async module script in the page), and it imports nothing, so it runs as soon as it
// arrives instead of after the theme's scripts; Python then does its seconds-long start in
// parallel. scorer.mjs, the page module's worker client, imports it too (the same module
// instance), starts the worker through it when the page was reached by instant navigation, and
// takes the worker over. The URLs are the page root's data-* attributes.
let booted = null; // { worker, error, queue, listener }

function deliver(event) {
  if (booted.listener) booted.listener(event);
  else booted.queue.push(event);
}

/** Create the worker once per tab and ask it to start; returns { worker, error }. */
export function boot(root) {
  if (booted) return booted;
  booted = { worker: null, error: "", queue: [], listener: null };
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    booted.error = "this browser does not run WebAssembly in a worker (or it is switched off), which the scorer needs";
    return booted;
  }
  const url = (name) => new URL(root.dataset[name], location.href).href;
  try {
    const worker = new Worker(url("worker"), { type: "module" });
    worker.onmessage = deliver;
    worker.onerror = (event) => {
      event.preventDefault(); // reported on the page instead of the console
      deliver(event);
    };
    const snapshotURL = root.dataset.snapshot ? url("snapshot") : ""; // none under `mkdocs serve`
    worker.postMessage({ type: "start", indexURL: url("indexUrl"), wheelURL: url("wheel"), frameworkURL: url("framework"), snapshotURL });
    booted.worker = worker;
  } catch (error) {
    booted.error = `the scorer's worker could not be created (${error.message})`;
  }
  return booted;
}

/** Hand the worker's events to `listener`, first those that arrived before it. */
export function listen(listener) {
  booted.listener = listener;
  for (const event of booted.queue.splice(0)) listener(event);
}

const root = document.getElementById("mp-assessment");
if (root) boot(root);
