// Entry module, loaded on every page of the site (mkdocs.yml: extra_javascript, type: module).
// It stays tiny: only on the assessment page (and the team and organisation pages) does it
// import the page's module (the root's data-module), whose module scope (the scorer's worker,
// the answers) then lives as long as the tab, across mkdocs-material's instant navigation,
// which swaps the page content without reloading scripts.
//
// When the page module (or a module it imports) cannot be loaded, a fallback here still shows
// the saved answers and saves new ones, in the same format and with the same per-question times
// (store.mjs, tabs.mjs), so nothing the visitor enters is lost. It imports nothing on purpose: its
// words come in the page root's data-fallback-text (the catalog's assessment.fallback* texts;
// on the team pages, teams.failure).
const ROOT = ".mp-app[data-module]";
const MAX_BYTES = 1048576; // limits.mjs maxAnswersBytes
const pageModules = new Map(); // module URL -> import promise
const fallbackRoots = new WeakSet();

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return undefined; // unreadable or not JSON: never overwritten from here
  }
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// One of the fallback's texts in the page's language, its {placeholders} filled.
function say(root, key, values = {}) {
  let texts = {};
  try {
    texts = JSON.parse(root.dataset.fallbackText);
  } catch {
    // a page without its texts still says something: the key
  }
  return String(texts[key] ?? key).replace(/\{([a-z][a-z0-9_]*)\}/g, (_, name) => values[name]);
}

// Shows the saved answers where the visitor has not answered yet; returns what they had entered.
function fill(article, file) {
  const early = [];
  for (const fieldset of article.querySelectorAll("fieldset[data-practice]")) {
    const id = fieldset.dataset.practice;
    const checked = fieldset.querySelector("input[type=radio]:checked");
    if (checked) early.push(["answers", id, checked.value]);
    else for (const input of fieldset.querySelectorAll("input[type=radio]")) input.checked = input.value === file.answers?.[id];
    const note = fieldset.querySelector("textarea");
    if (note?.value) early.push(["notes", id, note.value]);
    else if (note && typeof file.notes?.[id] === "string") note.value = file.notes[id];
  }
  const self = article.querySelector("input[name=self-estimate]:checked");
  if (self) early.push(["self_estimate", null, self.value || null]);
  else for (const input of article.querySelectorAll("input[name=self-estimate]")) input.checked = input.value === file.self_estimate;
  return early;
}

// Saves one changed value into the saved answers file; returns why not, or "".
function saveValue(root, field, id, value) {
  const prefix = `maturity-playbook:${root.dataset.frameworkId}:`;
  let file = read(`${prefix}answers`);
  if (file === null) {
    file = { format: root.dataset.answersFormat, framework: { id: root.dataset.frameworkId, version: root.dataset.frameworkVersion },
      self_estimate: null, answers: {}, evidence: {}, notes: {} };
  }
  if (!isObject(file) || !isObject(file.framework) || file.framework.id !== root.dataset.frameworkId) {
    return say(root, "foreign");
  }
  const key = field === "self_estimate" ? field : `${field}/${id}`;
  if (field === "self_estimate") file.self_estimate = value;
  else {
    if (!isObject(file[field])) file[field] = {};
    if (value === null) delete file[field][id];
    else file[field][id] = value;
  }
  file.saved_at = new Date().toISOString();
  const text = JSON.stringify(file);
  if (new TextEncoder().encode(text).length > MAX_BYTES) return say(root, "too_large");
  const clock = read(`${prefix}clock`);
  const times = isObject(clock?.times) ? clock.times : {};
  const generation = Number.isFinite(clock?.generation) ? clock.generation : 0;
  times[key] = Math.max(Date.now(), generation + 1);
  try {
    localStorage.setItem(`${prefix}answers`, text);
    localStorage.setItem(`${prefix}clock`, JSON.stringify({ for: file.saved_at, generation, times }));
  } catch (error) {
    return say(root, "refused", { error: error.message });
  }
  return "";
}

function showFallback(root, error) {
  const article = root.closest("article") || root.parentElement;
  const status = root.querySelector("#mp-scorer");
  const tell = (trouble) => {
    if (!status) return;
    status.textContent = [
      say(root, "fallback", { error: error && error.message }),
      trouble ? say(root, "not_saving", { trouble }) : say(root, "saving"),
      say(root, "end"),
    ].join(" ");
  };
  root.dataset.scorer = "failed";
  root.dataset.fallback = "on";
  tell("");
  if (fallbackRoots.has(root)) return;
  fallbackRoots.add(root);
  const saved = read(`maturity-playbook:${root.dataset.frameworkId}:answers`);
  const usable = isObject(saved) && isObject(saved.framework) && saved.framework.id === root.dataset.frameworkId;
  const early = fill(article, usable ? saved : {});
  tell(early.map(([field, id, value]) => saveValue(root, field, id, value)).find(Boolean) || "");
  const onEdit = (event) => {
    const input = event.target;
    const fieldset = input.closest("fieldset[data-practice]");
    let trouble = "";
    if (input.name === "self-estimate") trouble = saveValue(root, "self_estimate", null, input.value || null);
    else if (fieldset && input.type === "radio") trouble = saveValue(root, "answers", fieldset.dataset.practice, input.value);
    else if (fieldset && input instanceof HTMLTextAreaElement) trouble = saveValue(root, "notes", fieldset.dataset.practice, input.value || null);
    else return;
    tell(trouble);
  };
  article.addEventListener("change", onEdit);
  article.addEventListener("input", onEdit);
}

// The team and organisation pages: nothing to keep, the files stay on the visitor's disk.
function showFailure(root, error) {
  const status = root.querySelector("#mp-scorer");
  root.dataset.scorer = "failed";
  if (status) {
    status.textContent = say(root, "failure", { error: error && error.message });
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
      if (root.id === "mp-assessment") showFallback(root, error);
      else showFailure(root, error);
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
