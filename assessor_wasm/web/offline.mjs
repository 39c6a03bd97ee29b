// Site-wide module (mkdocs.yml: extra_javascript, type: module): keeps an offline copy of the
// playbook with the service worker the build writes at the site root (sw.js, made by
// hooks/playbook_site/offline.py). After one visit every page and the assessment, scoring
// included, work without a network. It registers the worker only once the page is quiet (on the
// assessment page: once the scorer has started, so Python's start has the network and the CPU to
// itself), and never when the browser asks to save data.
//
// `mkdocs serve` builds this module with the line below emptied: it then removes any service
// worker and offline copy an earlier build of the site left in this browser, so development
// never runs on a stale cache.
const SERVICE_WORKER = "sw.js";
const CACHE_PREFIX = "maturity-playbook-offline:";
// This module is served two folders below the site root (runtime.py: OFFLINE_MODULE).
const root = new URL("../../", import.meta.url);
const html = document.documentElement;

// Installing the copy costs the CPU some seconds (on a 2-core machine it slowed re-scores made
// meanwhile from 33 to 47 ms, medians): it waits until the visitor has not touched the page for
// QUIET_MS, and then for an idle moment.
const QUIET_MS = 2000;

function whenQuiet() {
  return new Promise((resolve) => {
    const events = ["pointerdown", "keydown", "input", "change", "scroll"];
    let timer = 0;
    const done = () => {
      for (const name of events) removeEventListener(name, restart, true);
      if (typeof requestIdleCallback === "function") requestIdleCallback(() => resolve(), { timeout: 5000 });
      else resolve();
    };
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(done, QUIET_MS);
    };
    for (const name of events) addEventListener(name, restart, { capture: true, passive: true });
    restart();
  });
}

function loaded() {
  if (document.readyState === "complete") return Promise.resolve();
  return new Promise((resolve) => addEventListener("load", () => resolve(), { once: true }));
}

// On the assessment page: until the scorer is ready (or has failed).
function scorerSettled() {
  const app = document.getElementById("mp-assessment");
  const settled = () => !app || app.dataset.scorer === "ready" || app.dataset.scorer === "failed";
  if (settled()) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (settled()) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(app, { attributes: true, attributeFilter: ["data-scorer"] });
  });
}

function activated(worker) {
  if (!worker || worker.state === "activated") return Promise.resolve();
  return new Promise((resolve, reject) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated") resolve();
      else if (worker.state === "redundant") reject(new Error("the new offline copy could not be installed"));
    });
  });
}

async function keepOfflineCopy() {
  await loaded();
  await scorerSettled();
  await whenQuiet();
  const registration = await navigator.serviceWorker.register(new URL(SERVICE_WORKER, root).href, { scope: root.href });
  // register() does not look for a new build when this one is known; update() does (offline it
  // fails, and the copy in place stays). A new build's worker is then installing: wait for it.
  await registration.update().catch(() => {});
  await activated(registration.installing || registration.waiting || registration.active);
  html.dataset.offline = "ready"; // every page of this build is in the offline copy
}

async function forgetOfflineCopy() {
  for (const registration of await navigator.serviceWorker.getRegistrations()) {
    if (registration.scope === root.href) await registration.unregister();
  }
  for (const name of await caches.keys()) {
    if (name.startsWith(`${CACHE_PREFIX}${root.href}:`)) await caches.delete(name);
  }
  html.dataset.offline = "off";
}

if (!("serviceWorker" in navigator) || root.protocol !== location.protocol) {
  html.dataset.offline = "unsupported";
} else if (!SERVICE_WORKER) {
  forgetOfflineCopy().catch(() => {});
} else if (navigator.connection && navigator.connection.saveData) {
  html.dataset.offline = "save-data"; // no megabytes the visitor did not ask for
} else {
  keepOfflineCopy().catch((error) => {
    html.dataset.offline = "failed";
    console.warn(`The offline copy of this site could not be kept: ${error.message}`);
  });
}
