// The assessment page: keeps the answers, talks to the scorer's worker, shows results.
// Thin glue: it moves plain JSON between the form, localStorage and the worker, where Python
// validates, scores, imports, exports and compares. Module scope lives for the whole tab, so
// the worker (and Python in it) starts once and survives mkdocs-material's instant navigation.
import { boot, listen } from "./boot.mjs";
import { button, h } from "./dom.mjs";
import { renderComparison, renderResults } from "./render.mjs";

const STORAGE_PREFIX = "maturity-playbook";
const MAX_MESSAGES = 6;

const scorer = { status: "idle", worker: null, starts: 0, info: null, failure: "", progress: "", calls: new Map(), nextId: 1 };
let state = null; // { frameworkId, version, format, selfEstimate, answers: Map, notes: Map }
let touched = new Set(); // what the visitor changed since the saved answers were read ("a:id", "n:id", "self")
let pendingStored = null; // saved text that Python has not checked yet
let pendingShare = null; // a share-link fragment waiting for the scorer
let result = null;
let resultChanges = -1;
let comparison = null;
let changes = 0;
let scoring = false;
let rescore = false;
let storageBroken = false;
let view = null; // the page currently shown
let noteTimer = null;
const mounted = new WeakSet();

// ---------- state ----------

function emptyState(root) {
  return {
    frameworkId: root.dataset.frameworkId,
    version: root.dataset.frameworkVersion,
    format: root.dataset.answersFormat,
    selfEstimate: null,
    answers: new Map(),
    notes: new Map(),
  };
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// Copies only text values: the form can show nothing else, and Python checks everything anyway.
function stateFromFile(file, base) {
  const next = { ...base, selfEstimate: null, answers: new Map(), notes: new Map() };
  if (typeof file.self_estimate === "string") next.selfEstimate = file.self_estimate;
  for (const [field, target] of [["answers", next.answers], ["notes", next.notes]]) {
    if (!isObject(file[field])) continue;
    for (const [id, value] of Object.entries(file[field])) {
      if (typeof value === "string") target.set(id, value);
    }
  }
  return next;
}

function cloneState(source) {
  return { ...source, answers: new Map(source.answers), notes: new Map(source.notes) };
}

function answersFile(savedAt) {
  const file = {
    format: state.format,
    framework: { id: state.frameworkId, version: state.version },
    self_estimate: state.selfEstimate,
    answers: Object.fromEntries(state.answers),
    notes: Object.fromEntries(state.notes),
  };
  if (savedAt) file.saved_at = savedAt;
  return file;
}

function storageKey(suffix) {
  return `${STORAGE_PREFIX}:${state.frameworkId}:${suffix}`;
}

function isEmpty() {
  return !state.answers.size && !state.notes.size && state.selfEstimate === null;
}

function save() {
  if (storageBroken) return;
  try {
    if (isEmpty()) localStorage.removeItem(storageKey("answers"));
    else localStorage.setItem(storageKey("answers"), JSON.stringify(answersFile(new Date().toISOString())));
  } catch (error) {
    storageBroken = true;
    showMessage("warning", "Your answers cannot be saved in this browser", [
      `The browser refused to store them (${error.message}).`,
      "They stay on this page until you leave it: export them to keep them.",
    ]);
  }
}

function setAside(raw, problems) {
  let where = "it could not be kept (browser storage is unavailable)";
  try {
    localStorage.setItem(storageKey("set-aside"), raw);
    localStorage.removeItem(storageKey("answers"));
    where = `it was set aside in this browser's storage under “${storageKey("set-aside")}”`;
  } catch {
    storageBroken = true;
  }
  showMessage("error", "The answers saved in this browser could not be used", [
    ...problems,
    `The saved value was not loaded: ${where}. The questionnaire keeps what you entered on this page.`,
  ]);
}

function loadStored(root) {
  state = emptyState(root);
  touched = new Set();
  pendingStored = null;
  let raw = null;
  try {
    raw = localStorage.getItem(storageKey("answers"));
  } catch (error) {
    storageBroken = true;
    showMessage("warning", "This browser does not let the page keep your answers", [
      `Reading browser storage failed (${error.message}). Export your answers to keep them.`,
    ]);
  }
  if (raw === null) return;
  let data = null;
  try {
    data = JSON.parse(raw);
  } catch {
    data = null;
  }
  // A first look only decides whether the form is filled in now; Python checks it fully later.
  if (!isObject(data) || data.format !== state.format || !isObject(data.framework) || data.framework.id !== state.frameworkId) {
    setAside(raw, ["The saved value is not an answers file for this playbook."]);
    return;
  }
  state = stateFromFile(data, state);
  pendingStored = raw;
}

// ---------- the form ----------

function questions() {
  return view.article.querySelectorAll("fieldset[data-practice]");
}

// What the form shows now, keyed like `touched`: for input made before the page module ran.
function readForm() {
  const found = new Map();
  for (const fieldset of questions()) {
    const id = fieldset.dataset.practice;
    const checked = fieldset.querySelector("input[type=radio]:checked");
    if (checked) found.set(`a:${id}`, checked.value);
    const note = fieldset.querySelector("textarea");
    if (note && note.value) found.set(`n:${id}`, note.value);
  }
  const self = view.article.querySelector("input[name=self-estimate]:checked");
  if (self) found.set("self", self.value || null);
  return found;
}

function applyState() {
  for (const fieldset of questions()) {
    const id = fieldset.dataset.practice;
    const answer = state.answers.get(id);
    for (const input of fieldset.querySelectorAll("input[type=radio]")) input.checked = input.value === answer;
    const note = fieldset.querySelector("textarea");
    if (note) {
      note.value = state.notes.get(id) || "";
      if (note.value) note.closest("details").open = true;
    }
  }
  for (const input of view.article.querySelectorAll("input[name=self-estimate]")) {
    input.checked = state.selfEstimate !== null && input.value === state.selfEstimate;
  }
  updateProgress();
}

function updateProgress() {
  let answered = 0;
  let total = 0;
  for (const fieldset of questions()) {
    total += 1;
    if (state.answers.has(fieldset.dataset.practice)) answered += 1;
  }
  const counter = byId("mp-answered");
  const bar = byId("mp-progress-bar");
  if (counter) counter.textContent = String(answered);
  if (bar) {
    bar.max = total;
    bar.value = answered;
    bar.textContent = `${answered} of ${total}`;
  }
}

function changed() {
  changes += 1;
  if (view) view.root.dataset.changes = String(changes);
  updateProgress();
  save();
  requestScore();
}

function flushNote() {
  if (noteTimer === null) return;
  clearTimeout(noteTimer);
  noteTimer = null;
  save();
}

function onChange(event) {
  const input = event.target;
  if (input instanceof HTMLTextAreaElement) flushNote(); // the note field lost focus
  if (!(input instanceof HTMLInputElement) || input.type !== "radio") return;
  if (input.name === "self-estimate") {
    state.selfEstimate = input.value || null;
    touched.add("self");
  } else {
    const fieldset = input.closest("fieldset[data-practice]");
    if (!fieldset) return;
    state.answers.set(fieldset.dataset.practice, input.value);
    touched.add(`a:${fieldset.dataset.practice}`);
  }
  changed();
}

function onInput(event) {
  const note = event.target;
  if (!(note instanceof HTMLTextAreaElement)) return;
  const fieldset = note.closest("fieldset[data-practice]");
  if (!fieldset) return;
  const id = fieldset.dataset.practice;
  if (note.value) state.notes.set(id, note.value);
  else state.notes.delete(id);
  touched.add(`n:${id}`);
  // Notes do not change the score; saving them can wait for a pause in typing.
  clearTimeout(noteTimer);
  noteTimer = setTimeout(flushNote, 400);
}

// A note typed just before the tab closes is still saved.
window.addEventListener("pagehide", flushNote);

// ---------- messages ----------

function byId(id) {
  return document.getElementById(id);
}

/** Show a message above the questionnaire; kinds: info, success, warning, error. */
function showMessage(kind, title, details = [], actions = []) {
  const area = byId("mp-messages");
  if (!area) return null;
  const box = h("div", { class: `mp-message mp-message--${kind}`, role: kind === "error" ? "alert" : null },
    h("p", { class: "mp-message-title" }, title),
    details.length ? h("ul", {}, details.map((line) => h("li", {}, line))) : null,
  );
  const controls = h("p", { class: "mp-message-actions" });
  for (const [label, action] of actions) {
    controls.append(button(label, () => {
      box.remove();
      action();
    }), " ");
  }
  controls.append(button("Dismiss", () => box.remove(), { class: "md-button mp-small" }));
  box.append(controls);
  area.prepend(box);
  while (area.children.length > MAX_MESSAGES) area.lastElementChild.remove();
  return box;
}

function showError(title, error, after) {
  const details = [error.message, ...error.problems];
  if (error.more) details.push(`… and ${error.more} more.`);
  if (after) details.push(after);
  showMessage("error", title, details);
}

// ---------- the scorer ----------

function setScorerStatus(status, text) {
  scorer.status = status;
  if (text !== undefined) scorer.progress = text;
  renderScorerStatus();
}

function renderScorerStatus() {
  if (!view) return;
  const root = view.root;
  root.dataset.scorer = scorer.status;
  root.dataset.scorerStarts = String(scorer.starts);
  if (scorer.timings) root.dataset.scorerTimings = JSON.stringify(scorer.timings);
  const status = byId("mp-scorer");
  const ready = scorer.status === "ready";
  for (const control of root.querySelectorAll("[data-action]")) {
    if (!["print", "reset"].includes(control.dataset.action)) control.disabled = !ready;
  }
  if (!status) return;
  if (ready) status.textContent = "Scorer ready: the results below update with every answer.";
  else if (scorer.status === "failed") {
    status.textContent = `Results are unavailable: the scorer could not start (${scorer.failure}). ` +
      "Your answers are kept in this browser and the questions still work. Reload the page to try again.";
  } else status.textContent = `Loading the scorer: ${scorer.progress || "starting…"} The questions work meanwhile.`;
}

function fail(message) {
  scorer.failure = message;
  setScorerStatus("failed");
  for (const { reject } of scorer.calls.values()) reject(new Error(message));
  scorer.calls.clear();
  const placeholder = byId("mp-results-placeholder");
  if (placeholder) placeholder.textContent = "Results are unavailable because the scorer could not start. Your answers are kept.";
  showMessage("error", "The scorer could not start", [
    `${message}.`,
    "Your answers are kept in this browser and you can go on answering; results, export and import need the scorer.",
    `Reload the page to try again. If a content blocker or a network filter is active, allow this site's files under ${scorer.runtimePath || "its assets folder"}.`,
  ]);
}

function onWorkerEvent(event) {
  if (event.type === "error") {
    if (scorer.status === "loading") fail(`the scorer's script failed to load (${event.message || "network or script error"})`);
    return;
  }
  const data = event.data;
  if (data.type === "progress") setScorerStatus("loading", data.message);
  else if (data.type === "failed") fail(data.message);
  else if (data.type === "ready") {
    scorer.info = data.info;
    scorer.timings = data.timings;
    setScorerStatus("ready");
    afterReady();
  } else if (data.type === "reply") {
    const pending = scorer.calls.get(data.id);
    scorer.calls.delete(data.id);
    if (pending) pending.resolve(JSON.parse(data.reply));
  }
}

function startScorer(root) {
  if (scorer.status !== "idle") return;
  scorer.starts += 1;
  scorer.runtimePath = new URL(root.dataset.indexUrl, location.href).pathname;
  setScorerStatus("loading", "starting…");
  // Usually already started by boot.mjs, which the page loads early on its own.
  const booted = boot(root);
  if (booted.error) {
    fail(booted.error);
    return;
  }
  scorer.worker = booted.worker;
  listen(onWorkerEvent);
}

/** Send one request to assessor.api.handle; resolves with its reply object. */
function call(request) {
  if (scorer.status !== "ready") return Promise.reject(new Error("the scorer is not ready"));
  const id = scorer.nextId;
  scorer.nextId += 1;
  return new Promise((resolve, reject) => {
    scorer.calls.set(id, { resolve, reject });
    scorer.worker.postMessage({ type: "call", id, request: JSON.stringify(request) });
  });
}

async function afterReady() {
  if (!view) return;
  try {
    if (pendingStored !== null) await checkStored();
    if (pendingShare !== null) await applyShare();
  } catch (error) {
    showMessage("error", "Something went wrong", [String(error.message || error)]);
  }
  requestScore();
}

function requestScore() {
  if (scorer.status !== "ready" || !view) return;
  if (scoring) {
    rescore = true;
    return;
  }
  scoring = true;
  const asOf = changes;
  call({ op: "score", answers: answersFile() })
    .then((reply) => {
      if (reply.ok) {
        result = reply.result;
        resultChanges = asOf;
        renderAll();
      } else showError("Your answers could not be scored", reply.error);
    })
    .catch((error) => showMessage("error", "Your answers could not be scored", [error.message]))
    .finally(() => {
      scoring = false;
      if (rescore) {
        rescore = false;
        requestScore();
      }
    });
}

function context() {
  return {
    siteRoot: new URL(view.root.dataset.siteRoot, location.href),
    labels: new Map((scorer.info?.answer_scale || []).map((o) => [o.id, o.label])),
    onForget: forget,
  };
}

function renderAll() {
  if (!view || !result) return;
  const body = byId("mp-results-body");
  if (!body) return;
  renderResults(body, result, context());
  body.hidden = false;
  const placeholder = byId("mp-results-placeholder");
  if (placeholder) placeholder.hidden = true;
  const summary = byId("mp-summary");
  if (summary) {
    byId("mp-summary-stage").textContent = `${result.evidenced_stage.level} · ${result.evidenced_stage.title}`;
    summary.hidden = false;
  }
  renderCompared();
  view.root.dataset.scored = String(resultChanges);
}

function renderCompared() {
  const box = byId("mp-comparison");
  if (!box) return;
  box.hidden = !comparison;
  if (comparison) renderComparison(box, comparison.comparison, comparison.orphans, context());
}

// ---------- importing ----------

function importDetails(reply, source) {
  const details = [`${reply.imported} answers loaded from ${source}.`];
  if (reply.other_version) {
    details.push(`They were given for version ${reply.from_version} of this playbook; this is version ${state.version}.`);
  }
  for (const [old, now] of Object.entries(reply.migrated)) details.push(`“${old}” is now called “${now}”: its answer was carried over.`);
  const orphans = Object.entries(reply.orphans);
  if (orphans.length) {
    details.push(`${orphans.length} answers name practices this version does not have; they are kept with your answers but not scored: ` +
      orphans.map(([id, answer]) => `${id} (${answer})`).join(", ") + ".");
  }
  return details;
}

async function checkStored() {
  const raw = pendingStored;
  pendingStored = null;
  const reply = await call({ op: "import", source: "storage", payload: { text: raw } });
  const edited = cloneState(state);
  if (reply.ok) {
    state = stateFromFile(reply.answers, state);
    const notable = reply.other_version || Object.keys(reply.orphans).length || Object.keys(reply.migrated).length;
    if (notable) showMessage("info", "Your saved answers were carried over to this version", importDetails(reply, "this browser's storage"));
  } else {
    setAside(raw, [reply.error.message, ...reply.error.problems]);
    state = { ...emptyState(view.root) };
  }
  // What the visitor changed while the check ran wins over the saved value.
  for (const key of touched) {
    const [kind, id] = key === "self" ? ["self", null] : [key.slice(0, 1), key.slice(2)];
    if (kind === "self") state.selfEstimate = edited.selfEstimate;
    else {
      const [from, to] = kind === "a" ? [edited.answers, state.answers] : [edited.notes, state.notes];
      if (from.has(id)) to.set(id, from.get(id));
      else to.delete(id);
    }
  }
  applyState();
  changed();
}

function replaceAnswers(reply, source) {
  const previous = cloneState(state);
  state = stateFromFile(reply.answers, state);
  touched = new Set();
  pendingStored = null;
  applyState();
  changed();
  showMessage("success", `Answers loaded from ${source}`, importDetails(reply, source), [
    ["Undo: bring back my previous answers", () => {
      state = previous;
      applyState();
      changed();
      showMessage("info", "Your previous answers are back.");
    }],
  ]);
}

async function applyShare() {
  const fragment = pendingShare;
  pendingShare = null;
  const reply = await call({ op: "import", source: "share", payload: { fragment } });
  if (reply.ok) replaceAnswers(reply, "the share link");
  else showError("The share link could not be used", reply.error, "Your answers are unchanged.");
}

function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// Sends at most the size limit plus one byte: Python judges the size from `size`.
async function filePayload(file) {
  const limit = scorer.info.limits.max_answers_bytes;
  const bytes = new Uint8Array(await file.slice(0, limit + 1).arrayBuffer());
  return { data_base64: toBase64(bytes), size: file.size };
}

async function onFileChosen(event) {
  const input = event.target;
  const file = input.files && input.files[0];
  input.value = ""; // the same file can be chosen again
  if (!file) return;
  const purpose = input.dataset.purpose;
  try {
    const payload = await filePayload(file);
    if (purpose === "import") {
      const reply = await call({ op: "import", source: "file", payload });
      if (reply.ok) replaceAnswers(reply, `the file ${file.name}`);
      else showError(`${file.name} was not imported`, reply.error, "Your answers are unchanged.");
    } else {
      const reply = await call({ op: "compare", earlier: payload, answers: answersFile() });
      if (reply.ok) {
        comparison = reply;
        renderCompared();
        showMessage("success", `Compared with ${file.name}`, ["The comparison is at the end of the results."], [
          ["Show the comparison", () => byId("mp-comparison")?.scrollIntoView()],
        ]);
      } else showError(`${file.name} could not be compared`, reply.error, "Your answers are unchanged.");
    }
  } catch (error) {
    showMessage("error", `${file.name} could not be read`, [error.message, "Your answers are unchanged."]);
  }
}

// ---------- toolbar ----------

function download(text, filename, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a"); // never attached: no navigation handler sees it
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function exportFile(op) {
  const request = { op, answers: answersFile() };
  if (op === "report") request.base_url = new URL(view.root.dataset.siteRoot, location.href).href;
  const reply = await call(request);
  if (!reply.ok) {
    showError("The export failed", reply.error);
    return;
  }
  download(reply.text, reply.filename, reply.media_type);
  showMessage("success", `Saved ${reply.filename}`, []);
}

async function share() {
  const reply = await call({ op: "share", answers: answersFile() });
  if (!reply.ok) {
    showError("The share link could not be made", reply.error);
    return;
  }
  const link = `${location.origin}${location.pathname}#${reply.fragment}`;
  const box = byId("mp-share");
  const field = byId("mp-share-url");
  field.value = link;
  box.hidden = false;
  field.select();
  try {
    await navigator.clipboard.writeText(link);
    showMessage("success", "Share link copied", ["Anyone who opens it sees these answers in their own browser; they are in the link itself, not stored anywhere."]);
  } catch {
    showMessage("info", "Copy the share link from the box above", []);
  }
}

function reset() {
  const count = state.answers.size;
  if (!window.confirm(`Erase your ${count} answers, your notes and your self-estimate from this page and this browser? Export them first if you may need them.`)) return;
  state = emptyState(view.root);
  touched = new Set();
  pendingStored = null;
  comparison = null;
  applyState();
  changed();
  renderCompared();
  showMessage("info", "All answers were erased.");
}

function forget(ids) {
  for (const id of ids) {
    state.answers.delete(id);
    state.notes.delete(id);
  }
  changed();
}

const ACTIONS = {
  export: () => exportFile("export"),
  report: () => exportFile("report"),
  import: () => byId("mp-import-file").click(),
  compare: () => byId("mp-compare-file").click(),
  share,
  print: () => window.print(),
  reset,
};

function onClick(event) {
  const control = event.target.closest("[data-action]");
  if (!control || control.disabled) return;
  Promise.resolve(ACTIONS[control.dataset.action]?.()).catch((error) => {
    showMessage("error", "That did not work", [String(error.message || error)]);
  });
}

// ---------- share links ----------

// Takes a share link's answers out of the address bar at once; Python checks them when ready.
function takeShareLink() {
  if (!location.hash.startsWith("#a=")) return false;
  pendingShare = location.hash;
  history.replaceState(history.state, "", `${location.pathname}${location.search}`);
  return true;
}

// A share link to this very page, pasted into the address bar, changes only the hash.
window.addEventListener("hashchange", () => {
  if (!view || !view.root.isConnected || !takeShareLink()) return;
  if (scorer.status === "ready") afterReady();
});

// ---------- mounting ----------

/** Wire up the assessment page each time it is shown (first load and instant navigation). */
export function mount(root) {
  if (mounted.has(root)) return;
  mounted.add(root);
  const article = root.closest("article") || root.parentElement;
  view = { root, article };
  const early = readForm();
  if (!state || state.frameworkId !== root.dataset.frameworkId) loadStored(root);
  // Answers given before this script ran (the form works without it) win over saved ones.
  for (const [key, value] of early) {
    touched.add(key);
    if (key === "self") state.selfEstimate = value;
    else (key.startsWith("a:") ? state.answers : state.notes).set(key.slice(2), value);
  }
  applyState();
  if (early.size) {
    save();
    changes += 1;
  }
  article.addEventListener("change", onChange);
  article.addEventListener("input", onInput);
  root.addEventListener("click", onClick);
  for (const input of root.querySelectorAll("input[type=file]")) input.addEventListener("change", onFileChosen);
  takeShareLink();
  root.dataset.changes = String(changes);
  startScorer(root);
  renderScorerStatus();
  if (scorer.status === "ready") {
    if (result && resultChanges === changes && pendingShare === null) renderAll();
    else afterReady();
  } else if (scorer.status === "failed") {
    fail(scorer.failure);
  }
}
