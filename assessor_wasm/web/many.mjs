// What the team calibration and organisation roll-up pages share: files are chosen or dropped
// (folders too), read here with their progress shown, and sent with the page's request ("team"
// or "org") to the scorer's worker, the very worker and Python of the self-assessment
// (scorer.mjs, boot.mjs); the page's module (team.mjs, org.mjs) renders the reply. Files are
// sent as bytes, so Python judges their size and encoding as the CLI does. Nothing leaves the
// browser. Module scope lives as long as the tab: the files stay when the visitor navigates away
// and back.
import { button, fill, h } from "./dom.mjs";
import { call, createScorer, startScorer } from "./scorer.mjs";

const READERS = 8; // files read at once
const MAX_MESSAGES = 4;
const states = new Map(); // page kind -> { inputs: Map(name -> payload), unreadable, reply, runs }
const mounted = new WeakSet();
let view = null; // the page shown now: { root, page, state, queue }
const waiting = []; // callers waiting for Python to be ready

const scorer = createScorer({
  status: () => view && showScorer(view),
  failed: () => {
    for (const w of waiting.splice(0)) w.reject(new Error(`the scorer could not start (${scorer.failure})`));
  },
  ready: () => {
    for (const w of waiting.splice(0)) w.resolve();
  },
});

const byId = (v, id) => v.root.querySelector(`#${id}`);

function whenReady() {
  if (scorer.status === "ready") return Promise.resolve();
  if (scorer.status === "failed") return Promise.reject(new Error(`the scorer could not start (${scorer.failure})`));
  return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
}

function showScorer(v) {
  v.root.dataset.scorer = scorer.status === "idle" ? "waiting" : scorer.status;
  const texts = {
    loading: `Starting Python (${scorer.progress || "…"}). You can add the files meanwhile.`,
    ready: "Ready: files are read and scored in this browser.",
    failed: `The scorer could not start (${scorer.failure}). Reload the page to try again.`,
  };
  byId(v, "mp-scorer").textContent = texts[scorer.status] || "Starting…";
}

/** A message above the results; kinds: info, success, warning, error. */
export function notice(v, kind, title, details = []) {
  const area = byId(v, "mp-messages");
  const box = h("div", { class: `mp-message mp-message--${kind}`, role: kind === "error" ? "alert" : null },
    h("p", { class: "mp-message-title" }, title),
    details.length ? h("ul", {}, details.map((line) => h("li", {}, line))) : null);
  box.append(h("p", { class: "mp-message-actions" },
    button("Dismiss", () => box.remove(), { class: "md-button mp-small" })));
  area.prepend(box);
  while (area.children.length > MAX_MESSAGES) area.lastElementChild.remove();
}

function reading(v, text, done = null, total = null) {
  byId(v, "mp-reading-text").textContent = text;
  const bar = byId(v, "mp-reading-bar");
  bar.hidden = total === null;
  if (total !== null) {
    bar.max = Math.max(total, 1);
    bar.value = done;
  }
}

function setState(v, state) {
  v.root.dataset.state = state;
  const busy = state === "reading" || state === "scoring";
  const hasReply = !!v.state.reply;
  for (const control of v.root.querySelectorAll("[data-action]")) {
    const action = control.dataset.action;
    control.disabled = action === "clear" ? busy || (!v.state.inputs.size && !v.state.unreadable.length)
      : action === "links" ? busy : busy || !hasReply;
  }
}

function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// A file over the size limit is not read at all: Python refuses it by its size.
async function payloadOf(file, limit) {
  if (file.size > limit) return { data_base64: "", size: file.size };
  return { data_base64: toBase64(new Uint8Array(await file.arrayBuffer())), size: file.size };
}

async function readAll(v, entries) {
  const limit = Number(v.root.dataset.maxBytes);
  const total = entries.length;
  const out = new Array(total);
  let next = 0;
  let done = 0;
  reading(v, `Read 0 of ${total} files`, 0, total);
  async function reader() {
    while (next < total) {
      const index = next;
      next += 1;
      try {
        out[index] = await payloadOf(entries[index].file, limit);
      } catch (error) {
        out[index] = null;
        v.state.unreadable.push({ file: entries[index].name, message: `could not be read (${error.message || error})` });
      }
      done += 1;
      reading(v, `Read ${done} of ${total} files`, done, total);
    }
  }
  await Promise.all(Array.from({ length: Math.min(READERS, total) }, reader));
  return out;
}

async function run(v) {
  const files = [...v.state.inputs].map(([name, payload]) => ({ name, payload }));
  const state = v.state;
  state.reply = null;
  if (!files.length) {
    render(v);
    return;
  }
  setState(v, "scoring");
  const noun = files.length === 1 ? "file" : "files";
  reading(v, `Scoring ${files.length} ${noun}…${scorer.status === "ready" ? "" : " (waiting for Python to start)"}`);
  await whenReady();
  const reply = await call(scorer, { op: v.page.op, files });
  if (reply.ok) {
    state.reply = reply;
  } else {
    const details = [reply.error.message, ...reply.error.problems];
    if (reply.error.more) details.push(`… and ${reply.error.more} more.`);
    notice(v, "error", files.length === 1 ? "The file could not be used" : `None of the ${files.length} files could be used`, details);
  }
  render(v);
}

function render(v) {
  const state = v.state;
  const results = byId(v, "mp-many-results");
  const reply = state.reply;
  const leftOut = [...state.unreadable, ...(reply ? reply[v.page.op].rejected : [])];
  const used = reply ? v.page.used(reply) : 0;
  const context = { info: scorer.info, siteRoot: v.root.dataset.siteRoot, notice: (...args) => notice(v, ...args) };
  fill(results, reply ? v.page.render(reply, context) : null, leftOut.length ? leftOutList(leftOut) : null);
  results.hidden = !reply && !leftOut.length;
  const total = state.inputs.size + state.unreadable.length;
  reading(v, total ? `${total} ${total === 1 ? "file" : "files"}: ${used} used, ${leftOut.length} left out.` : "No files yet.");
  state.runs += 1;
  v.root.dataset.runs = String(state.runs);
  setState(v, reply ? "done" : total ? "failed" : "empty");
}

function leftOutList(items) {
  return h("section", { class: "mp-left-out", "aria-labelledby": "mp-left-out-title" },
    h("h2", { id: "mp-left-out-title" }, `Files left out (${items.length})`),
    h("p", {}, "These files were not used; the others were. Each says why:"),
    h("ul", { id: "mp-left-out" }, items.map((item) =>
      h("li", { "data-file": item.file }, h("strong", {}, item.file), `: ${item.message}`))));
}

function enqueue(v, task) {
  v.queue = v.queue.then(task).catch((error) => {
    notice(v, "error", "That did not work", [String(error.message || error)]);
    render(v);
  });
}

/** Adds files ([{file, name}]): read with progress, then everything is scored again. */
export function addFiles(v, entries) {
  if (!entries.length) return;
  enqueue(v, async () => {
    setState(v, "reading");
    const payloads = await readAll(v, entries);
    entries.forEach((entry, i) => {
      if (payloads[i]) v.state.inputs.set(entry.name, payloads[i]);
    });
    await run(v);
  });
}

/** Adds inputs that need no reading ([{name, payload}]), then everything is scored again. */
export function addInputs(v, inputs) {
  if (!inputs.length) return;
  enqueue(v, async () => {
    for (const { name, payload } of inputs) v.state.inputs.set(name, payload);
    await run(v);
  });
}

const isJson = (name) => name.toLowerCase().endsWith(".json");

// A dropped folder stands for its .json files (in subfolders too), sorted by name, as in the CLI.
async function collect(entry, out, top) {
  if (entry.isFile) {
    if (top || isJson(entry.name)) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      out.push({ file, name: top ? entry.name : entry.fullPath.replace(/^\//, "") });
    }
    return;
  }
  const reader = entry.createReader();
  const children = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    children.push(...batch);
  }
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of children) await collect(child, out, false);
}

function dropped(transfer) {
  // Entries must be taken while the drop event runs: the items are gone after it.
  const entries = [...(transfer.items || [])].map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
  const files = [...transfer.files];
  return (async () => {
    if (!entries.length) return files.map((file) => ({ file, name: file.name }));
    const out = [];
    for (const entry of entries) await collect(entry, out, true);
    return out;
  })();
}

function wire(v) {
  const { root } = v;
  root.addEventListener("click", (event) => {
    const control = event.target.closest("[data-action]");
    if (!control || control.disabled) return;
    if (control.dataset.action === "clear") {
      enqueue(v, async () => {
        v.state.inputs.clear();
        v.state.unreadable = [];
        await run(v);
      });
      return;
    }
    Promise.resolve(v.page.actions[control.dataset.action]?.(v)).catch((error) => {
      notice(v, "error", "That did not work", [String(error.message || error)]);
    });
  });
  for (const input of root.querySelectorAll("input[type=file]")) {
    input.addEventListener("change", () => {
      const folder = input.hasAttribute("webkitdirectory");
      const files = [...input.files].filter((file) => !folder || isJson(file.name));
      input.value = ""; // the same files can be chosen again
      addFiles(v, files.map((file) => ({ file, name: (folder && file.webkitRelativePath) || file.name })));
    });
  }
  const zone = byId(v, "mp-drop");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("mp-drop--over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("mp-drop--over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("mp-drop--over");
    dropped(event.dataTransfer).then((entries) => addFiles(v, entries), (error) => {
      notice(v, "error", "The dropped files could not be read", [String(error.message || error)]);
    });
  });
}

/** Wires a team or organisation page up each time it is shown; `page` = { op, render, used, actions }. */
export function mountPage(root, page) {
  if (mounted.has(root)) return;
  mounted.add(root);
  if (!states.has(page.op)) states.set(page.op, { inputs: new Map(), unreadable: [], reply: null, runs: 0 });
  view = { root, page, state: states.get(page.op), queue: Promise.resolve() };
  wire(view);
  startScorer(scorer, root);
  showScorer(view);
  if (view.state.inputs.size || view.state.unreadable.length) render(view);
  else setState(view, "empty");
}

/** Saves text as a file. */
export function download(text, filename, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a"); // never attached: no navigation handler sees it
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** Today's date as YYYY-MM-DD (for file names). */
export function today() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

/** "2 · Managed" for a stage id of `stages` ([{id, level, title}]). */
export function stageName(stages, id) {
  if (id === null || id === undefined) return "not given";
  const stage = stages.find((s) => s.id === id);
  return stage ? `${stage.level} · ${stage.title}` : id;
}

/** A reality gap as text: +1, 0, -1, or a dash without a self-estimate. */
export function gapText(gap) {
  return gap === null || gap === undefined ? "–" : gap > 0 ? `+${gap}` : String(gap);
}

/** A link to a practice page (`url` is site-relative, as in every result). */
export function practiceLink(context, url, title) {
  return h("a", { href: context.siteRoot + url }, title);
}

/** An evidence item: an https link opens; anything else stays text. */
export function evidenceItem(text) {
  return /^https:\/\/\S+$/i.test(text.trim())
    ? h("a", { href: text.trim(), rel: "noopener noreferrer", target: "_blank" }, text)
    : text;
}
