// Answers that come from elsewhere (this browser's storage, a file, a share link, the history)
// after Python has checked, migrated and normalised them through the "import" request. Nothing
// replaces the answers silently: the current ones become a snapshot first (history.mjs), and the
// message that says so can bring them back.
import { setAside, setAsideEntries } from "./aside.mjs";
import { applyForm } from "./form.mjs";
import { findSnapshot } from "./history.mjs";
import { t } from "./i18n.mjs";
import { clip, splitFile } from "./limits.mjs";
import { download, showMessage, showNotice } from "./messages.mjs";
import { changed } from "./results.mjs";
import { call } from "./scorer.mjs";
import {
  answersFile, isEmptyState, replaceState, snapshotCurrent, stateFromFile,
} from "./store.mjs";
import { flatten, same, unflatten } from "./tabs.mjs";

const MAX_LISTED = 10;
// A version as frameworks write them; anything else is quoted, so it cannot pass for page text.
const PLAIN_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,39}$/;
// Where a problem Python found sits in an answers file: "<source>: answers.<id>: …".
const PROBLEM_PATH = /: (?:(answers|notes|evidence)\.([a-z0-9-]+)(?:\[\d+\])?|(self_estimate|respondent|team|saved_at|framework\.version)): /;

/** What an import reply says about the answers, as lines of a message. */
export function importDetails(reply, source, version) {
  const details = [t("imports.loaded", { count: reply.imported, source })];
  if (reply.other_version) {
    const from = PLAIN_VERSION.test(reply.from_version ?? "") ? reply.from_version : t("imports.quoted", { text: clip(reply.from_version, 40) });
    details.push(t("imports.other_version", { from, version }));
  }
  for (const [old, now] of Object.entries(reply.migrated)) details.push(t("imports.renamed", { old, now }));
  const orphans = Object.entries(reply.orphans);
  if (orphans.length) {
    let listed = orphans.slice(0, MAX_LISTED).map(([id, answer]) => `${clip(id, 60)} (${clip(answer, 20)})`).join(", ");
    if (orphans.length > MAX_LISTED) listed = t("imports.and_more", { listed, count: orphans.length - MAX_LISTED });
    details.push(t("imports.orphans", { count: orphans.length, listed }));
  }
  return details;
}

// Takes out of `file` the entries Python's problems name; returns { rest, removed, count }.
function withoutNamed(file, problems) {
  const rest = structuredClone(file);
  const removed = {};
  let count = 0;
  for (const problem of problems) {
    const match = PROBLEM_PATH.exec(problem);
    if (!match) continue;
    const [, field, id, key] = match;
    if (field && rest[field] && Object.hasOwn(rest[field], id)) {
      (removed[field] ??= {})[id] = rest[field][id];
      delete rest[field][id];
      count += 1;
    } else if (key === "framework.version" && Object.hasOwn(rest.framework, "version")) {
      delete rest.framework.version;
      count += 1;
    } else if (key && key !== "framework.version" && Object.hasOwn(rest, key)) {
      removed[key] = rest[key];
      delete rest[key];
      count += 1;
    }
  }
  return { rest, removed, count };
}

// Values of `now` that differ from `loaded` (changed here or in another tab since) win over `base`.
function withChangesSince(base, loaded, now) {
  for (const key of new Set([...loaded.keys(), ...now.keys()])) {
    if (same(loaded.get(key), now.get(key))) continue;
    if (now.has(key)) base.set(key, now.get(key));
    else base.delete(key);
  }
  return base;
}

/**
 * Has Python check the saved answers read at mount. Entries it refuses are set aside and the rest
 * is kept; what changed on the page meanwhile wins over the saved value.
 */
export async function checkStored(app) {
  const store = app.store;
  const loaded = store.pendingFlat;
  const first = store.pendingStored;
  let text = first;
  store.pendingStored = null;
  let reply = null;
  let removed = {};
  let problems = [];
  for (let round = 0; round < 3; round += 1) {
    reply = await call(app.scorer, { op: "import", source: "storage", payload: { text } });
    if (reply.ok) break;
    const cut = withoutNamed(JSON.parse(text), reply.error.problems);
    if (!cut.count) break;
    removed = { ...removed, ...cut.removed };
    problems = [...problems, ...reply.error.problems];
    text = JSON.stringify(cut.rest);
  }
  const file = JSON.parse(text);
  let base = new Map();
  if (reply.ok) {
    if (problems.length) showNotice(setAsideEntries(store, file, removed, problems));
    base = flatten(stateFromFile(reply.answers, store.state));
    const notable = reply.other_version || Object.keys(reply.orphans).length || Object.keys(reply.migrated).length;
    if (notable) {
      showMessage("info", t("imports.carried_over"),
        importDetails(reply, t("imports.storage"), store.state.version));
    }
  } else {
    showNotice(setAside(store, first, [reply.error.message, ...reply.error.problems]));
  }
  const others = stateFromFile(reply.ok ? reply.answers : {}, store.state); // respondent, team
  store.state = unflatten(withChangesSince(base, loaded, flatten(store.state)), others);
  applyForm(app);
  changed(app);
}

/** What a message says (and offers) about the answers a replacement kept: { details, actions }. */
function keptInfo(app, kept, previous) {
  if (kept.at) {
    return {
      details: [t("imports.kept")],
      actions: [[t("imports.undo"), () => restoreSnapshot(app, kept.at), true]],
    };
  }
  if (kept.error) {
    const text = JSON.stringify(previous, null, 2);
    return {
      details: [t("imports.not_kept", { error: clip(kept.error) })],
      actions: [[t("imports.download_previous"), () => download(text, `${previous.framework.id}-previous-answers.json`)]],
    };
  }
  return { details: [], actions: [] };
}

/**
 * Replaces all the answers by `next` (a state) for `reason` (history.mjs REASONS): the current
 * ones become a snapshot first. Returns what to tell the visitor: { details, actions }.
 */
export function replaceWith(app, next, reason) {
  const store = app.store;
  const previous = answersFile(store.state, new Date().toISOString());
  const kept = isEmptyState(store.state) ? { at: null } : snapshotCurrent(store, reason);
  replaceState(store, next);
  applyForm(app);
  changed(app);
  app.refreshEarlier?.();
  return keptInfo(app, kept, previous);
}

/**
 * Replaces all answers by an import reply's; the message can bring the previous ones back.
 * Returns a function that shows that message again.
 */
export function replaceAnswers(app, reply, source, reason) {
  const info = replaceWith(app, stateFromFile(reply.answers, app.store.state), reason);
  const details = [...importDetails(reply, source, app.store.state.version), ...info.details];
  const show = () => showMessage("success", t("imports.loaded_title", { source }), details, info.actions);
  show();
  return show;
}

/** Brings back the snapshot taken at `at`; the answers it replaces become a snapshot in turn. */
export function restoreSnapshot(app, at) {
  const store = app.store;
  const snapshot = findSnapshot(store.state.frameworkId, at);
  if (!snapshot) {
    showMessage("error", t("imports.gone"), [t("actions.unchanged")]);
    return;
  }
  const split = splitFile({ ...snapshot.file, framework: { ...snapshot.file.framework, id: store.state.frameworkId } }, store.allowed);
  if (split.problems.length) showNotice(setAsideEntries(store, snapshot.file, split.rejected, split.problems));
  const info = replaceWith(app, stateFromFile(split.file, store.state), "restore");
  showMessage("info", t("imports.back"), info.details, info.actions);
}
