// The assessment page: mounting and wiring. Thin glue: the modules it wires move plain JSON
// between the form (form.mjs), localStorage (store.mjs, tabs.mjs, history.mjs) and the scorer's
// worker (scorer.mjs), where Python validates, scores, imports, exports and compares;
// results.mjs, imports.mjs, share.mjs, actions.mjs and earlier.mjs show what comes back. Every
// function gets the one `app` object below. Module scope lives for the whole tab, so the worker
// (and Python in it) starts once and survives mkdocs-material's instant navigation, and so do the
// answers.
import { onClick, onFileChosen, onQuestionLink } from "./actions.mjs";
import { isAsideKey } from "./aside.mjs";
import { renderEarlier } from "./earlier.mjs";
import { applyForm, flushNote, onChange, onInput, readForm } from "./form.mjs";
import { isHistoryKey } from "./history.mjs";
import { t } from "./i18n.mjs";
import { checkStored } from "./imports.mjs";
import { dismissMessage, showMessage, showNotice } from "./messages.mjs";
import {
  createResults, persist, renderAll, renderScorerStatus, requestScore, showScorerFailure,
} from "./results.mjs";
import { createScorer, startScorer } from "./scorer.mjs";
import { applyShare, takeShareLink } from "./share.mjs";
import { createStore, emptyState, loadStored, save, storageKey, takeFormInput } from "./store.mjs";
import { mountTimeline, renderTimelineStatus } from "./timeline.mjs";

/** All the page's state, created once per tab. */
function createApp() {
  const app = {
    view: null, // the page currently shown: { root, article }
    store: createStore(), // the answers and their copy in this browser
    scorer: null, // the worker client
    results: createResults(), // change counts, the latest result and comparison
    pendingShare: null, // a share-link fragment waiting for the scorer
    lastShare: null, // the share link applied last: { fragment, changes, show }
    noteTimer: null, // a note waiting for a pause in typing before it is saved
    mounted: new WeakSet(), // page roots already wired up
    windowListening: false,
    refreshEarlier: () => renderEarlier(app),
  };
  app.scorer = createScorer({
    status: () => {
      renderScorerStatus(app);
      renderTimelineStatus(app);
    },
    failed: () => showScorerFailure(app),
    ready: () => afterReady(app),
  });
  app.store.onMerged = () => afterMerge(app);
  return app;
}

const app = createApp();

// Python is ready: check the saved answers, take a share link, then score.
async function afterReady(app) {
  if (!app.view) return;
  dismissMessage("scorer"); // it started again after a failure
  try {
    if (app.store.pendingStored !== null) await checkStored(app);
    if (app.pendingShare !== null) await applyShare(app);
  } catch (error) {
    if (!error.shown) showMessage("error", t("page.failed"), [String(error.message || error)]);
  }
  requestScore(app);
}

// Another tab's answers were merged into these: show and score them (they are saved already).
function afterMerge(app) {
  if (!app.view?.root.isConnected) return; // mount() shows them when the page is back
  applyForm(app);
  app.results.changes += 1;
  app.view.root.dataset.changes = String(app.results.changes);
  requestScore(app);
}

function onStorage(app, event) {
  const state = app.store.state;
  if (!state || event.storageArea !== localStorage) return;
  const key = event.key;
  if (key === null || key === storageKey(app.store, "answers") || key === storageKey(app.store, "clock")) {
    showNotice(save(app.store, true));
  }
  if (key === null || isHistoryKey(state.frameworkId, key) || isAsideKey(state.frameworkId, key)) renderEarlier(app);
}

function listenToWindow(app) {
  if (app.windowListening) return;
  app.windowListening = true;
  // A note typed just before the tab closes is still saved.
  window.addEventListener("pagehide", () => flushNote(app));
  // A share link to this very page, pasted into the address bar, changes only the hash.
  window.addEventListener("hashchange", () => {
    if (!app.view || !app.view.root.isConnected || !takeShareLink(app)) return;
    if (app.scorer.status === "ready") afterReady(app);
  });
  // Another tab of this browser saved answers, snapshots or values set aside.
  window.addEventListener("storage", (event) => onStorage(app, event));
}

/** What the page's questions accept, for loading saved answers (limits.mjs splitFile). */
function allowedAnswers(article) {
  const byPractice = new Map();
  const any = new Set();
  for (const fieldset of article.querySelectorAll("fieldset[data-practice]")) {
    const values = new Set([...fieldset.querySelectorAll("input[type=radio]")].map((input) => input.value));
    byPractice.set(fieldset.dataset.practice, values);
    for (const value of values) any.add(value);
  }
  // "na" is kept wherever the scale offers it at all: Python decides where it counts.
  if (any.has("na")) for (const values of byPractice.values()) values.add("na");
  const stages = new Set();
  for (const input of article.querySelectorAll("input[name=self-estimate]")) if (input.value) stages.add(input.value);
  return { answers: (id) => byPractice.get(id) ?? null, anyAnswer: any, stages };
}

function moveMessages(from, to) {
  const source = from.querySelector("#mp-messages");
  const target = to.querySelector("#mp-messages");
  if (source && target) target.prepend(...source.children);
}

/** Wire up the assessment page each time it is shown (first load and instant navigation). */
export function mount(root) {
  if (app.mounted.has(root)) return;
  app.mounted.add(root);
  listenToWindow(app);
  const { store, scorer, results } = app;
  const article = root.closest("article") || root.parentElement;
  const previous = app.view?.root;
  app.view = { root, article };
  // The theme may render the page again (instant navigation, also on a link to this very page):
  // messages shown a moment ago on the replaced copy move over, so none is lost.
  if (previous && !previous.isConnected) moveMessages(previous, root);
  const early = readForm(article);
  if (!store.state || store.state.frameworkId !== root.dataset.frameworkId) {
    showNotice(loadStored(store, emptyState(root.dataset), allowedAnswers(article)));
  }
  // Answers given before this script ran (the form works without it) win over saved ones.
  const taken = takeFormInput(store, early);
  applyForm(app);
  if (taken) {
    persist(app);
    results.changes += 1;
  }
  renderEarlier(app);
  article.addEventListener("change", (event) => onChange(app, event));
  article.addEventListener("input", (event) => onInput(app, event));
  article.addEventListener("click", onQuestionLink);
  root.addEventListener("click", (event) => onClick(app, event));
  for (const input of root.querySelectorAll("input[type=file]")) {
    input.addEventListener("change", (event) => onFileChosen(app, event));
  }
  mountTimeline(app, article);
  takeShareLink(app);
  root.dataset.changes = String(results.changes);
  startScorer(scorer, root);
  renderScorerStatus(app);
  if (scorer.status === "ready") {
    if (results.result && results.resultChanges === results.changes && app.pendingShare === null) renderAll(app);
    else afterReady(app);
  } else if (scorer.status === "failed") {
    showScorerFailure(app);
  }
}
