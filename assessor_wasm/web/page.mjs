// The assessment page: mounting and wiring. Thin glue: the modules it wires move plain JSON
// between the form (form.mjs), localStorage (store.mjs) and the scorer's worker (scorer.mjs),
// where Python validates, scores, imports, exports and compares; results.mjs, imports.mjs,
// share.mjs and actions.mjs show what comes back. Every function gets the one `app` object
// below. Module scope lives for the whole tab, so the worker (and Python in it) starts once and
// survives mkdocs-material's instant navigation, and so do the answers.
import { onClick, onFileChosen } from "./actions.mjs";
import { applyForm, flushNote, onChange, onInput, readForm } from "./form.mjs";
import { checkStored } from "./imports.mjs";
import { showMessage, showNotice } from "./messages.mjs";
import {
  createResults, persist, renderAll, renderScorerStatus, requestScore, showScorerFailure,
} from "./results.mjs";
import { createScorer, fail, startScorer } from "./scorer.mjs";
import { applyShare, takeShareLink } from "./share.mjs";
import { createStore, emptyState, loadStored, takeFormInput } from "./store.mjs";
import { mountTimeline, renderTimelineStatus } from "./timeline.mjs";

/** All the page's state, created once per tab. */
function createApp() {
  const app = {
    view: null, // the page currently shown: { root, article }
    store: createStore(), // the answers and their copy in this browser
    scorer: null, // the worker client
    results: createResults(), // change counts, the latest result and comparison
    pendingShare: null, // a share-link fragment waiting for the scorer
    noteTimer: null, // a note waiting for a pause in typing before it is saved
    mounted: new WeakSet(), // page roots already wired up
    windowListening: false,
  };
  app.scorer = createScorer({
    status: () => {
      renderScorerStatus(app);
      renderTimelineStatus(app);
    },
    failed: () => showScorerFailure(app),
    ready: () => afterReady(app),
  });
  return app;
}

const app = createApp();

// Python is ready: check the saved answers, take a share link, then score.
async function afterReady(app) {
  if (!app.view) return;
  try {
    if (app.store.pendingStored !== null) await checkStored(app);
    if (app.pendingShare !== null) await applyShare(app);
  } catch (error) {
    showMessage("error", "Something went wrong", [String(error.message || error)]);
  }
  requestScore(app);
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
}

/** Wire up the assessment page each time it is shown (first load and instant navigation). */
export function mount(root) {
  if (app.mounted.has(root)) return;
  app.mounted.add(root);
  listenToWindow(app);
  const { store, scorer, results } = app;
  const article = root.closest("article") || root.parentElement;
  app.view = { root, article };
  const early = readForm(article);
  if (!store.state || store.state.frameworkId !== root.dataset.frameworkId) {
    showNotice(loadStored(store, emptyState(root.dataset)));
  }
  // Answers given before this script ran (the form works without it) win over saved ones.
  const taken = takeFormInput(store, early);
  applyForm(app);
  if (taken) {
    persist(app);
    results.changes += 1;
  }
  article.addEventListener("change", (event) => onChange(app, event));
  article.addEventListener("input", (event) => onInput(app, event));
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
    fail(scorer, scorer.failure);
  }
}
