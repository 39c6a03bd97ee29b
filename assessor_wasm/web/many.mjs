// What the team calibration and organisation roll-up pages share: files are chosen or dropped
// (folders too; files.mjs), read here with their progress shown, and sent with the page's
// request ("team" or "org") to the scorer's worker, the very worker and Python of the
// self-assessment (scorer.mjs, boot.mjs); the page's module (team.mjs, org.mjs) renders the
// reply. Nothing leaves the browser. Module scope lives as long as the tab: the files stay when
// the visitor navigates away and back.
import { button, fill, h } from "./dom.mjs";
import { chosen, dropped, readAll } from "./files.mjs";
import { num, t, tp } from "./i18n.mjs";
import { call, createScorer, startScorer } from "./scorer.mjs";

const MAX_MESSAGES = 4;
// Per page (team, org), for the whole tab: { page, root (the one shown last), inputs: Map(name ->
// payload), unreadable, reply, runs, queue }. A run that ends after the visitor left and came back
// renders into the page shown now.
const views = new Map();
const mounted = new WeakSet();
let view = null; // the page shown now
const waiting = []; // callers waiting for Python to be ready

const scorer = createScorer({
  status: () => view && showScorer(view),
  failed: () => {
    for (const w of waiting.splice(0)) w.reject(new Error(t("many.not_started", { failure: scorer.failure })));
  },
  ready: () => {
    for (const w of waiting.splice(0)) w.resolve();
  },
});

const byId = (v, id) => v.root.querySelector(`#${id}`);

function whenReady() {
  if (scorer.status === "ready") return Promise.resolve();
  if (scorer.status === "failed") return Promise.reject(new Error(t("many.not_started", { failure: scorer.failure })));
  return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
}

function showScorer(v) {
  v.root.dataset.scorer = scorer.status === "idle" ? "waiting" : scorer.status;
  const texts = {
    loading: () => t("many.loading", { progress: scorer.progress || "…" }),
    ready: () => t("many.ready"),
    failed: () => t("many.failed", { failure: scorer.failure }),
  };
  byId(v, "mp-scorer").textContent = texts[scorer.status]?.() || t("many.starting");
}

/** A message above the results; kinds: info, success, warning, error. */
function notice(v, kind, title, details = []) {
  const area = byId(v, "mp-messages");
  const box = h("div", { class: `mp-message mp-message--${kind}`, role: kind === "error" ? "alert" : null },
    h("p", { class: "mp-message-title" }, title),
    details.length ? h("ul", {}, details.map((line) => h("li", {}, line))) : null);
  box.append(h("p", { class: "mp-message-actions" },
    button(t("many.dismiss"), () => box.remove(), { class: "md-button mp-small" })));
  area.prepend(box);
  while (area.children.length > MAX_MESSAGES) area.lastElementChild.remove();
}

function reading(v, text, done = null, total = null) {
  v.reading = [text, done, total]; // shown again when the visitor comes back
  byId(v, "mp-reading-text").textContent = text;
  const bar = byId(v, "mp-reading-bar");
  bar.hidden = total === null;
  if (total !== null) {
    bar.max = Math.max(total, 1);
    bar.value = done;
  }
}

function setState(v, state) {
  v.state = state;
  v.root.dataset.state = state;
  const busy = state === "reading" || state === "scoring";
  const hasReply = !!v.reply;
  for (const control of v.root.querySelectorAll("[data-action]")) {
    const action = control.dataset.action;
    control.disabled = action === "clear" ? busy || (!v.inputs.size && !v.unreadable.length)
      : action === "links" ? busy : busy || !hasReply;
  }
}

async function run(v) {
  const files = [...v.inputs].map(([name, payload]) => ({ name, payload }));
  v.reply = null;
  if (!files.length) {
    render(v);
    return;
  }
  setState(v, "scoring");
  reading(v, t("many.scoring", { count: files.length }) + (scorer.status === "ready" ? "" : t("many.waiting")));
  await whenReady();
  // Marks for bench/org_page.py: where the time between a drop and the results goes.
  performance.mark("mp-request");
  const reply = await call(scorer, { op: v.page.op, files });
  performance.mark("mp-reply");
  if (reply.ok) {
    v.reply = reply;
  } else {
    const details = [reply.error.message, ...reply.error.problems];
    if (reply.error.more) details.push(t("many.more", { count: reply.error.more }));
    notice(v, "error", files.length === 1 ? t("many.not_used") : t("many.none_used", { count: files.length }), details);
  }
  render(v);
}

// The results of the last run (or nothing), as they are now.
function show(v) {
  const results = byId(v, "mp-many-results");
  const reply = v.reply;
  const leftOut = [...v.unreadable, ...(reply ? reply[v.page.op].rejected : [])];
  const context = { info: scorer.info, siteRoot: v.root.dataset.siteRoot };
  fill(results, reply ? v.page.render(reply, context) : null, leftOut.length ? leftOutList(leftOut) : null);
  results.hidden = !reply && !leftOut.length;
  return leftOut.length;
}

// A run ended: show its results and count it (`data-runs`, what tests and benchmarks wait on).
function render(v) {
  const leftOut = show(v);
  const used = v.reply ? v.page.used(v.reply) : 0;
  const total = v.inputs.size + v.unreadable.length;
  reading(v, total ? t("many.counts", { count: total, used, left: leftOut }) : t("many.no_files"));
  v.runs += 1;
  v.root.dataset.runs = String(v.runs);
  setState(v, v.reply ? "done" : total ? "failed" : "empty");
}

function leftOutList(items) {
  return h("section", { class: "mp-left-out", "aria-labelledby": "mp-left-out-title" },
    h("h2", { id: "mp-left-out-title" }, t("many.left_out", { count: items.length })),
    h("p", {}, t("many.left_out_intro")),
    h("ul", { id: "mp-left-out" }, items.map((item) =>
      h("li", { "data-file": item.file }, tp("many.left_out_item", { file: h("strong", {}, item.file), message: item.message })))));
}

function enqueue(v, task) {
  v.queue = v.queue.then(task).catch((error) => {
    notice(v, "error", t("many.failed_action"), [String(error.message || error)]);
    render(v);
  });
}

/** Adds files ([{file, name}]): read with progress, then everything is scored again. */
function addFiles(v, entries) {
  if (!entries.length) {
    notice(v, "warning", t("many.none_added"), [t("many.folder_hint")]);
    return;
  }
  enqueue(v, async () => {
    setState(v, "reading");
    const { payloads, unreadable } = await readAll(entries, Number(v.root.dataset.maxBytes),
      (done, total) => reading(v, t("many.read", { done, total }), done, total));
    v.unreadable.push(...unreadable);
    entries.forEach((entry, i) => {
      if (payloads[i]) v.inputs.set(entry.name, payloads[i]);
    });
    await run(v);
  });
}

/** Adds inputs that need no reading ([{name, payload}]), then everything is scored again. */
export function addInputs(v, inputs) {
  if (!inputs.length) return;
  enqueue(v, async () => {
    for (const { name, payload } of inputs) v.inputs.set(name, payload);
    await run(v);
  });
}

function wire(v) {
  const { root } = v;
  root.addEventListener("click", (event) => {
    const control = event.target.closest("[data-action]");
    if (!control || control.disabled) return;
    if (control.dataset.action === "clear") {
      enqueue(v, async () => {
        v.inputs.clear();
        v.unreadable = [];
        await run(v);
      });
      return;
    }
    Promise.resolve(v.page.actions[control.dataset.action]?.(v)).catch((error) => {
      notice(v, "error", t("many.failed_action"), [String(error.message || error)]);
    });
  });
  for (const input of root.querySelectorAll("input[type=file]")) {
    input.addEventListener("change", () => {
      const entries = chosen(input);
      const any = input.files.length > 0;
      input.value = ""; // the same files can be chosen again
      if (any) addFiles(v, entries);
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
      notice(v, "error", t("many.drop_failed"), [String(error.message || error)]);
    });
  });
}

/** Wires a team or organisation page up each time it is shown; `page` = { op, render, used, actions }. */
export function mountPage(root, page) {
  if (mounted.has(root)) return;
  mounted.add(root);
  if (!views.has(page.op)) {
    views.set(page.op, {
      page, root, inputs: new Map(), unreadable: [], reply: null, runs: 0, queue: Promise.resolve(),
      state: "empty", reading: [t("many.no_files"), null, null],
    });
  }
  view = views.get(page.op);
  view.root = root;
  root.dataset.runs = String(view.runs);
  wire(view);
  startScorer(scorer, root);
  showScorer(view);
  show(view);
  reading(view, ...view.reading);
  setState(view, view.state);
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
  if (id === null || id === undefined) return t("many.not_given");
  const stage = stages.find((s) => s.id === id);
  return stage ? `${stage.level} · ${stage.title}` : id;
}

// The page language's decimal mark: "." or ",".
const DECIMAL = num(0.5).replace(/\d/g, "");

/** A number with every digit Python gave (0.3333; Intl would stop at 0.333), in the page's
 * language: 0,3333 in French. */
export function exact(n) {
  return String(n).replace(".", DECIMAL);
}

/** A reality gap as text: +1, 0, -1, +0.4706, or a dash without a self-estimate. */
export function gapText(gap) {
  if (gap === null || gap === undefined) return "–";
  return gap > 0 ? `+${exact(gap)}` : exact(gap);
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
