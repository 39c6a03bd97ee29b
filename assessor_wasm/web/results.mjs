// From an edit to the results: every change is counted (data-changes), saved and scored again;
// the latest result (data-scored: the change count it belongs to), the comparison, the progress
// counter and the scorer's status are shown here.
import { focusEvidence } from "./form.mjs";
import { t } from "./i18n.mjs";
import { byId, showError, showMessage, showNotice } from "./messages.mjs";
import { renderComparison, renderResults } from "./render.mjs";
import { call, restartScorer } from "./scorer.mjs";
import { answersFile, save } from "./store.mjs";

/** What the results area shows and how far scoring has got. */
export function createResults() {
  return {
    changes: 0, // edits since the tab opened the page
    result: null,
    standards: [], // coverage per standard of `result` (assessor.standards), when there are any
    resultChanges: -1, // the value of `changes` that `result` was scored for
    comparison: null,
    scoring: false,
    rescore: false,
  };
}

/** Save the answers, telling the visitor if the browser refuses. */
export function persist(app) {
  showNotice(save(app.store));
  if (app.store.listsChanged) app.refreshEarlier?.(); // a snapshot was taken or a value set aside
}

export function updateProgress(app) {
  let answered = 0;
  let total = 0;
  for (const fieldset of app.view.article.querySelectorAll("fieldset[data-practice]")) {
    total += 1;
    if (app.store.state.answers.has(fieldset.dataset.practice)) answered += 1;
  }
  const counter = byId("mp-answered");
  const bar = byId("mp-progress-bar");
  if (counter) counter.textContent = String(answered);
  if (bar) {
    bar.max = total;
    bar.value = answered;
    bar.textContent = t("results.progress", { answered, total });
  }
}

/** The answers changed: count, show progress, save, score. */
export function changed(app) {
  app.results.changes += 1;
  if (app.view) app.view.root.dataset.changes = String(app.results.changes);
  updateProgress(app);
  persist(app);
  requestScore(app);
}

/** Score the current answers; while a call runs, one more follows it. */
export function requestScore(app) {
  const results = app.results;
  if (app.scorer.status !== "ready" || !app.view) return;
  if (results.scoring) {
    results.rescore = true;
    return;
  }
  results.scoring = true;
  const asOf = results.changes;
  call(app.scorer, { op: "score", answers: answersFile(app.store.state) })
    .then((reply) => {
      if (reply.ok) {
        results.result = reply.result;
        results.standards = reply.standards || [];
        results.resultChanges = asOf;
        renderAll(app);
      } else showError(t("results.not_scored"), reply.error);
    })
    .catch((error) => {
      if (!error.shown) showMessage("error", t("results.not_scored"), [error.message]);
    })
    .finally(() => {
      results.scoring = false;
      if (results.rescore) {
        results.rescore = false;
        requestScore(app);
      }
    });
}

function forget(app, ids) {
  for (const id of ids) {
    app.store.state.answers.delete(id);
    app.store.state.notes.delete(id);
    app.store.state.evidence.delete(id);
  }
  changed(app);
}

// How the page names an answer: by the label of its practice's own scale.
function answerLabels(info) {
  const scales = new Map(Object.entries(info?.answer_scales || {}).map(([name, options]) => [name, new Map(options.map((o) => [o.id, o.label]))]));
  const fallback = new Map((info?.answer_scale || []).map((o) => [o.id, o.label]));
  const own = info?.practice_scales || {};
  return (id, answer) => (scales.get(own[id]) || fallback).get(answer);
}

export function context(app) {
  const info = app.scorer.info;
  return {
    siteRoot: new URL(app.view.root.dataset.siteRoot, location.href),
    label: answerLabels(info),
    groups: info?.groups || [],
    standards: app.results.standards,
    onForget: (ids) => forget(app, ids),
    onAddEvidence: (id) => focusEvidence(app, id),
  };
}

export function renderAll(app) {
  const { result, resultChanges } = app.results;
  if (!app.view || !result) return;
  const body = byId("mp-results-body");
  if (!body) return;
  renderResults(body, result, context(app));
  body.hidden = false;
  const placeholder = byId("mp-results-placeholder");
  if (placeholder) placeholder.hidden = true;
  const summary = byId("mp-summary");
  if (summary) {
    byId("mp-summary-stage").textContent = `${result.evidenced_stage.level} · ${result.evidenced_stage.title}`;
    summary.hidden = false;
  }
  renderCompared(app);
  app.view.root.dataset.scored = String(resultChanges);
}

export function renderCompared(app) {
  const comparison = app.results.comparison;
  const box = byId("mp-comparison");
  if (!box) return;
  box.hidden = !comparison;
  if (comparison) renderComparison(box, comparison.comparison, comparison.orphans, context(app));
}

/** Show the scorer's status (data-scorer, #mp-scorer) and enable what needs it. */
export function renderScorerStatus(app) {
  const { scorer, view } = app;
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
  if (ready) status.textContent = t("results.ready");
  else if (scorer.status === "failed" && scorer.stalled) status.textContent = t("results.paused", { why: scorer.failure });
  else if (scorer.status === "failed") status.textContent = t("results.unavailable", { why: scorer.failure });
  else status.textContent = t("results.loading", { progress: scorer.progress || t("scorer.starting") });
}

/** Tell the visitor that the scorer could not start or stopped, what still works, and offer a restart. */
export function showScorerFailure(app) {
  const scorer = app.scorer;
  const restart = [[t(scorer.stalled ? "results.restart" : "results.try_again"), () => restartScorer(scorer, app.view.root)]];
  if (scorer.stalled) {
    showMessage("error", t("results.stopped"), [
      `${scorer.failure}.`,
      t("results.kept"),
      t("results.restart_why"),
    ], restart, { id: "scorer" });
    return;
  }
  const placeholder = byId("mp-results-placeholder");
  if (placeholder) placeholder.textContent = t("results.no_results");
  showMessage("error", t("results.no_start"), [
    `${scorer.failure}.`,
    t("results.kept"),
    scorer.runtimePath ? t("results.reload", { path: scorer.runtimePath }) : t("results.reload_assets"),
  ], restart, { id: "scorer" });
}
