// Entry module, loaded on every page of the site (mkdocs.yml: extra_javascript, type: module).
// It stays tiny: only on the assessment page does it import the page module, whose module scope
// (the scorer's worker, the answers) then lives as long as the tab, across mkdocs-material's
// instant navigation, which swaps the page content without reloading scripts.
const ROOT_ID = "mp-assessment";
let pageModule = null;

function showFailure(root, error) {
  const status = root.querySelector("#mp-scorer");
  root.dataset.scorer = "failed";
  if (status) {
    status.textContent =
      `The assessment's script could not be loaded (${error && error.message}). ` +
      "The questions still work but results need it: reload the page to try again.";
  }
}

function load(root) {
  pageModule ??= import(new URL(root.dataset.module, location.href).href);
  return pageModule;
}

function onPage() {
  const root = document.getElementById(ROOT_ID);
  if (!root) return;
  load(root).then(
    (module) => module.mount(root),
    (error) => {
      pageModule = null; // let the next visit try again
      showFailure(root, error);
    },
  );
}

// mkdocs-material replays the current document to new subscribers and emits on every instant
// navigation; without the theme (or its instant navigation) the page is wired up once.
if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(onPage);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", onPage, { once: true });
} else {
  onPage();
}
