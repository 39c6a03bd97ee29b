// Answers that come from elsewhere (this browser's storage, a file, a share link) after Python
// has checked, migrated and normalised them through the "import" request.
import { applyForm } from "./form.mjs";
import { showMessage, showNotice } from "./messages.mjs";
import { changed } from "./results.mjs";
import { call } from "./scorer.mjs";
import { cloneState, emptyState, keepTouched, noTouches, setAside, stateFromFile } from "./store.mjs";

/** What an import reply says about the answers, as lines of a message. */
export function importDetails(reply, source, version) {
  const details = [`${reply.imported} answers loaded from ${source}.`];
  if (reply.other_version) {
    details.push(`They were given for version ${reply.from_version} of this playbook; this is version ${version}.`);
  }
  for (const [old, now] of Object.entries(reply.migrated)) details.push(`“${old}” is now called “${now}”: its answer was carried over.`);
  const orphans = Object.entries(reply.orphans);
  if (orphans.length) {
    details.push(`${orphans.length} answers name practices this version does not have; they are kept with your answers but not scored: ` +
      orphans.map(([id, answer]) => `${id} (${answer})`).join(", ") + ".");
  }
  return details;
}

/** Has Python check the saved answers read at mount; what the visitor changed meanwhile wins. */
export async function checkStored(app) {
  const store = app.store;
  const raw = store.pendingStored;
  store.pendingStored = null;
  const reply = await call(app.scorer, { op: "import", source: "storage", payload: { text: raw } });
  const edited = cloneState(store.state);
  if (reply.ok) {
    store.state = stateFromFile(reply.answers, store.state);
    const notable = reply.other_version || Object.keys(reply.orphans).length || Object.keys(reply.migrated).length;
    if (notable) {
      showMessage("info", "Your saved answers were carried over to this version",
        importDetails(reply, "this browser's storage", store.state.version));
    }
  } else {
    showNotice(setAside(store, raw, [reply.error.message, ...reply.error.problems]));
    store.state = { ...emptyState(app.view.root.dataset) };
  }
  // What the visitor changed while the check ran wins over the saved value.
  keepTouched(store.state, edited, store.touched);
  applyForm(app);
  changed(app);
}

/** Replaces all answers by an import reply's, with an undo in the success message. */
export function replaceAnswers(app, reply, source) {
  const store = app.store;
  const previous = cloneState(store.state);
  store.state = stateFromFile(reply.answers, store.state);
  store.touched = noTouches();
  store.pendingStored = null;
  applyForm(app);
  changed(app);
  showMessage("success", `Answers loaded from ${source}`, importDetails(reply, source, store.state.version), [
    ["Undo: bring back my previous answers", () => {
      store.state = previous;
      applyForm(app);
      changed(app);
      showMessage("info", "Your previous answers are back.");
    }],
  ]);
}
