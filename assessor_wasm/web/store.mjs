// The visitor's answers and their copy in localStorage. No DOM: what the visitor must be told
// about storage comes back as a notice ({ id?, kind, title, details, download? }) for the page.
//
// Keys (maturity-playbook:<framework id>:…): `answers` (an answers file, never over the limits
// of limits.mjs), `clock` (when each value changed, tabs.mjs; `for` names the `saved_at` of the
// answers it belongs to, so a write of another tab seen half-way is never mixed up), `history`
// (history.mjs) and `set-aside:<time>` (aside.mjs). Every save first merges what another tab
// saved meanwhile.
import { setAside, setAsideEntries } from "./aside.mjs";
import { emptyFile, HISTORY, newestAt, takeSnapshot } from "./history.mjs";
import { t } from "./i18n.mjs";
import { clip, isObject, PER_QUESTION, savingProblems, splitFile } from "./limits.mjs";
import {
  clockData, cloneClock, flatten, merge, newClock, readClock, sameClock, sameFlat, stamp, unflatten,
} from "./tabs.mjs";

const ANSWERS_FORMAT_PREFIX = "maturity-playbook/answers@";
const STORAGE_PREFIX = "maturity-playbook";

/** Everything about the answers; one per tab (it survives instant navigation). */
export function createStore() {
  return {
    state: null, // { frameworkId, version, format, selfEstimate, answers, notes, evidence: Map, respondent?, team? }
    touched: noTouches(), // what the visitor changed since the saved answers were read (form.mjs)
    pendingStored: null, // the saved answers file (text) that Python has not checked yet
    pendingFlat: null, // the values it held, to tell the visitor's later changes from it
    allowed: null, // what the page's questions accept (limits.mjs splitFile)
    clock: newClock(), // when each value last changed (tabs.mjs)
    seen: new Map(), // the values whose changes the clock already holds
    storedFlat: new Map(), // the values of the saved answers as last read or written
    storedClock: newClock(), // their clock
    storedAt: undefined, // and when they were saved
    lastRaw: null, // the saved text as last read or written (null: none)
    lastClockRaw: null, // and the saved clock
    syncedAt: 0, // when this tab last read or wrote them (ms)
    historyNewest: null, // when the newest snapshot was taken (ms)
    saveTrouble: false, // a notice about saving is showing
    listsChanged: false, // a snapshot was taken or a value set aside: "Your earlier answers" changed
    onMerged: null, // runs when another tab's answers were merged in
  };
}

/** Nothing changed yet: practice ids whose answer, note or evidence the visitor set, and the self-estimate. */
export function noTouches() {
  return { answers: new Set(), notes: new Set(), evidence: new Set(), selfEstimate: false };
}

/** No answers, for the framework that `config` (the page root's dataset) names. */
export function emptyState(config) {
  return {
    frameworkId: config.frameworkId,
    version: config.frameworkVersion,
    format: config.answersFormat,
    selfEstimate: null,
    answers: new Map(),
    notes: new Map(),
    evidence: new Map(),
  };
}

const VALUE_OK = {
  answers: (value) => typeof value === "string",
  notes: (value) => typeof value === "string",
  evidence: (value) => Array.isArray(value) && value.every((item) => typeof item === "string"),
};

// Copies only values the form can show; Python checks everything anyway.
export function stateFromFile(file, base) {
  const next = { ...base, selfEstimate: null };
  for (const field of PER_QUESTION) next[field] = new Map();
  if (typeof file.self_estimate === "string") next.selfEstimate = file.self_estimate;
  for (const field of ["respondent", "team"]) {
    if (typeof file[field] === "string") next[field] = file[field];
    else delete next[field];
  }
  for (const field of PER_QUESTION) {
    if (!isObject(file[field])) continue;
    for (const [id, value] of Object.entries(file[field])) {
      if (VALUE_OK[field](value)) next[field].set(id, field === "evidence" ? [...value] : value);
    }
  }
  return next;
}

export function cloneState(source) {
  const copy = { ...source };
  for (const field of PER_QUESTION) copy[field] = new Map(source[field] ?? []);
  return copy;
}

/** The answers file (the format Python reads and the export writes) of `state`. */
export function answersFile(state, savedAt) {
  const file = { format: state.format, framework: { id: state.frameworkId, version: state.version } };
  for (const field of ["respondent", "team"]) if (typeof state[field] === "string") file[field] = state[field];
  file.self_estimate = state.selfEstimate;
  for (const field of PER_QUESTION) file[field] = Object.fromEntries(state[field] ?? []);
  if (savedAt) file.saved_at = savedAt;
  return file;
}

/**
 * Takes what the form showed before the page module ran (`input`: answers, notes and evidence by
 * practice id, and selfEstimate, undefined when none is chosen): it wins over saved answers and
 * counts as touched. Returns how many values it took.
 */
export function takeFormInput(store, input) {
  const { state, touched } = store;
  for (const [id, value] of input.answers) {
    touched.answers.add(id);
    state.answers.set(id, value);
  }
  for (const [id, value] of input.notes) {
    touched.notes.add(id);
    state.notes.set(id, value);
  }
  for (const [id, items] of input.evidence) {
    touched.evidence.add(id);
    state.evidence.set(id, items);
  }
  const self = input.selfEstimate !== undefined;
  if (self) {
    touched.selfEstimate = true;
    state.selfEstimate = input.selfEstimate;
  }
  return input.answers.size + input.notes.size + input.evidence.size + (self ? 1 : 0);
}

export function storageKey(store, suffix) {
  return `${STORAGE_PREFIX}:${store.state.frameworkId}:${suffix}`;
}

export function isEmptyState(state) {
  return emptyFile(answersFile(state));
}

/** Whether `data` (parsed) is an answers file of this framework, any format version. */
export function isOwnAnswers(data, frameworkId) {
  return isObject(data) && typeof data.format === "string" && data.format.startsWith(ANSWERS_FORMAT_PREFIX) &&
    isObject(data.framework) && data.framework.id === frameworkId;
}

function parse(raw) {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/**
 * Starts again from `blank` and the saved answers: the entries the page's questions cannot take
 * (`allowed`) are set aside, the rest is shown at once and checked by Python once it is ready
 * (`pendingStored`). Returns the notices to show.
 */
export function loadStored(store, blank, allowed) {
  Object.assign(store, { state: blank, touched: noTouches(), pendingStored: null, pendingFlat: null, allowed });
  Object.assign(store, { clock: newClock(), seen: new Map(), storedFlat: new Map(), storedClock: newClock() });
  Object.assign(store, { lastRaw: null, lastClockRaw: null, syncedAt: Date.now() });
  let raw = null;
  try {
    raw = localStorage.getItem(storageKey(store, "answers"));
    store.lastClockRaw = localStorage.getItem(storageKey(store, "clock"));
    store.historyNewest = newestAt(blank.frameworkId);
  } catch (error) {
    store.saveTrouble = true;
    return [{ id: "save", kind: "warning", title: t("store.no_storage"),
      details: [t("store.read_failed", { error: clip(error.message) })] }];
  }
  if (raw === null) return [];
  store.lastRaw = raw;
  const data = parse(raw);
  // Any answers-file version: answers saved by an earlier version of the site (format @1) are
  // carried over by Python's full check, never set aside.
  if (!isOwnAnswers(data, blank.frameworkId)) return [setAside(store, raw, [t("store.not_answers")])];
  store.clock = readClock(clockOf(store.lastClockRaw, data.saved_at) ?? {});
  store.storedClock = cloneClock(store.clock);
  const split = splitFile(data, allowed);
  const notices = [];
  if (split.problems.length) notices.push(setAsideEntries(store, data, split.rejected, split.problems));
  store.state = stateFromFile(split.file, blank);
  store.seen = flatten(store.state);
  store.storedFlat = store.seen;
  store.storedAt = typeof data.saved_at === "string" ? data.saved_at : undefined;
  store.pendingStored = JSON.stringify(split.file);
  store.pendingFlat = store.seen;
  if (split.problems.length && !notices[0].download) {
    store.storedFlat = new Map(); // the saved copy still holds the entries set aside: rewrite it
    notices.push(...save(store));
  }
  return notices;
}

// The saved clock's data when it belongs to answers saved at `savedAt` (null: none saved), or
// null when it belongs to other answers: another tab's write is seen half-way.
function clockOf(clockRaw, savedAt) {
  const data = clockRaw === null ? null : parse(clockRaw);
  if (data === null) return {}; // answers saved by an earlier version of the page: no times
  return data.for === (savedAt ?? null) ? data : null;
}

// Merges the saved answers, when another tab wrote (or removed) them since this one last did.
// Returns { merged, differs, notice }; `merged` is false while the saved copy is seen half-way.
function mergeSaved(store) {
  let raw = localStorage.getItem(storageKey(store, "answers"));
  const clockRaw = localStorage.getItem(storageKey(store, "clock"));
  if (raw === store.lastRaw && clockRaw === store.lastClockRaw) return { merged: false, notice: null };
  let notice = null;
  let data = raw === null ? {} : parse(raw);
  if (raw !== null && !isOwnAnswers(data, store.state.frameworkId)) {
    notice = setAside(store, raw, [t("store.not_answers_elsewhere")]);
    raw = store.lastRaw;
    data = {};
  }
  let times = clockOf(clockRaw, raw === null ? null : data.saved_at);
  if (times === null) return { merged: false, notice };
  // Removed with no clock left: cleared elsewhere, after everything this tab had read or written.
  if (raw === null && clockRaw === null) times = { generation: store.syncedAt + 1 };
  const other = { flat: flatten(stateFromFile(data, store.state)), clock: readClock(times) };
  const mine = { flat: flatten(store.state), clock: store.clock };
  const merged = merge(mine, other);
  const changed = !sameFlat(merged.flat, mine.flat);
  store.state = unflatten(merged.flat, store.state);
  Object.assign(store, { clock: merged.clock, seen: merged.flat, storedFlat: other.flat, storedClock: other.clock });
  Object.assign(store, { storedAt: data.saved_at, lastRaw: raw, lastClockRaw: clockRaw, syncedAt: Date.now() });
  if (changed) store.onMerged?.();
  const differs = !sameFlat(merged.flat, other.flat) || !sameClock(merged.clock, other.clock);
  return { merged: true, differs, notice };
}

function autosnapshot(store, flat, now) {
  if (!store.storedFlat.size || sameFlat(store.storedFlat, flat)) return;
  if (store.historyNewest !== null && now - store.historyNewest < HISTORY.autosaveEveryMs) return;
  const kept = takeSnapshot(store.state.frameworkId, answersFile(unflatten(store.storedFlat, store.state), store.storedAt), "autosave");
  store.historyNewest = now;
  store.listsChanged = true;
  return kept;
}

function write(store, now) {
  const file = answersFile(store.state, new Date(now).toISOString());
  const text = JSON.stringify(file);
  const problems = savingProblems(file, text);
  if (problems.length) {
    store.saveTrouble = true;
    return { id: "save", kind: "warning", title: t("store.not_saved"), details: [
      t("store.not_loadable", { problems: problems.join("; ") }),
      t("store.earlier_kept"),
    ] };
  }
  const flat = flatten(store.state);
  const unchanged = sameFlat(flat, store.storedFlat) && sameClock(store.clock, store.storedClock);
  // Nothing new to keep: the saved copy stays as it is (and other tabs hear nothing).
  if (!store.saveTrouble && unchanged && (store.lastRaw !== null || !flat.size)) return null;
  // No answers left: the saved value goes; the clock stays (with a reset's generation).
  const saved = emptyFile(file) ? null : text;
  const clock = JSON.stringify({ for: saved === null ? null : file.saved_at, ...clockData(store.clock) });
  try {
    autosnapshot(store, flat, now);
    if (saved === null) localStorage.removeItem(storageKey(store, "answers"));
    else localStorage.setItem(storageKey(store, "answers"), saved);
    localStorage.setItem(storageKey(store, "clock"), clock);
    Object.assign(store, { lastRaw: saved, lastClockRaw: clock, storedFlat: flat, storedClock: cloneClock(store.clock) });
    Object.assign(store, { storedAt: file.saved_at, syncedAt: now });
  } catch (error) {
    store.saveTrouble = true;
    return { id: "save", kind: "warning", title: t("store.cannot_save"), details: [
      t("store.refused", { error: clip(error.message) }),
      t("store.stay"),
    ] };
  }
  if (!store.saveTrouble) return null;
  store.saveTrouble = false;
  return { id: "save", kind: "success", title: t("store.saved_again"), details: [] };
}

/**
 * Saves the answers, after merging what another tab saved meanwhile. `onlyIfNeeded` (a storage
 * event): writes only when this tab holds changes the saved copy lacks. Returns the notices to show.
 */
export function save(store, onlyIfNeeded = false) {
  const now = Math.max(Date.now(), store.clock.generation + 1);
  const flat = flatten(store.state);
  stamp(store.clock, store.seen, flat, now);
  store.seen = flat;
  let sync;
  try {
    sync = mergeSaved(store);
  } catch (error) {
    store.saveTrouble = true;
    return [{ id: "save", kind: "warning", title: t("store.cannot_save"),
      details: [t("store.read_failed", { error: clip(error.message) })] }];
  }
  if (onlyIfNeeded && !(sync.merged && sync.differs)) return [sync.notice].filter(Boolean);
  return [sync.notice, write(store, now)].filter(Boolean);
}

/** Replaces all the answers (a reset, an import, a share link, a restore): a new generation. */
export function replaceState(store, next) {
  const latest = Math.max(store.clock.generation, ...store.clock.times.values());
  store.clock = newClock(Math.max(Date.now(), latest + 1));
  store.state = next;
  store.seen = flatten(next);
  store.touched = noTouches();
  store.pendingStored = null;
}

/** Keeps the current answers as a snapshot before they are replaced; returns { at } or { error }. */
export function snapshotCurrent(store, reason) {
  const kept = takeSnapshot(store.state.frameworkId, answersFile(store.state, new Date().toISOString()), reason);
  if (kept.at) store.historyNewest = Date.now();
  store.listsChanged = true;
  return kept;
}
