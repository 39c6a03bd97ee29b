// Entry module, loaded on every page of the site (mkdocs.yml: extra_javascript, type: module).
// It stays tiny: only on the assessment page (and the team and organisation pages) does it
// import the page's module (the root's data-module), whose module scope (the scorer's worker,
// the answers) then lives as long as the tab, across mkdocs-material's instant navigation,
// which swaps the page content without reloading scripts.
const ROOT = ".mp-app[data-module]";
const pageModules = new Map(); // module URL -> import promise

function showFailure(root, error) {
  const status = root.querySelector("#mp-scorer");
  root.dataset.scorer = "failed";
  if (status) {
    const still = root.id === "mp-assessment" ? "The questions still work but results need it" : "The files cannot be read without it";
    status.textContent =
      `The assessment's script could not be loaded (${error && error.message}). ` +
      `${still}: reload the page to try again.`;
  }
}

function onPage() {
  const root = document.querySelector(ROOT);
  if (!root) return;
  const url = new URL(root.dataset.module, location.href).href;
  if (!pageModules.has(url)) pageModules.set(url, import(url));
  pageModules.get(url).then(
    (module) => module.mount(root),
    (error) => {
      pageModules.delete(url); // let the next visit try again
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
