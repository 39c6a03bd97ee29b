// The local history of answers: dated snapshots (whole answers files) of what was saved before it
// was replaced (a share link, an import, a reset, a restore) and, every ten minutes of answering,
// of what was saved before. The last 20, at most 2 MB together: the oldest go first, never the
// newest. Stored under maturity-playbook:<framework id>:history, newest first. No DOM.
import { byteLength, isObject, PER_QUESTION } from "./limits.mjs";

export const HISTORY = {
  maxSnapshots: 20,
  maxBytes: 2 * 1024 * 1024,
  autosaveEveryMs: 10 * 60 * 1000,
};
// Why a snapshot was taken: the key of the words the list of earlier answers says it with.
export const REASONS = {
  autosave: "history.saved",
  share: "history.share",
  import: "history.import",
  reset: "history.reset",
  restore: "history.restore",
  consensus: "history.consensus",
};

function key(frameworkId) {
  return `maturity-playbook:${frameworkId}:history`;
}

/** Whether a storage key is the history of this framework. */
export function isHistoryKey(frameworkId, storageKey) {
  return storageKey === key(frameworkId);
}

/** The snapshots, newest first: { at (ISO time), reason, file }. Unusable entries are skipped. */
export function readHistory(frameworkId) {
  let data = null;
  try {
    data = JSON.parse(localStorage.getItem(key(frameworkId)));
  } catch {
    data = null;
  }
  if (!Array.isArray(data)) return [];
  return data.filter((s) => isObject(s) && typeof s.at === "string" && typeof s.reason === "string" && isObject(s.file));
}

/** How many answers, notes and evidence lists a file holds (what the list shows). */
export function counts(file) {
  const size = (field) => (isObject(file[field]) ? Object.keys(file[field]).length : 0);
  return { answers: size("answers"), notes: size("notes"), evidence: size("evidence") };
}

function content(file) {
  return JSON.stringify([file.self_estimate ?? null, ...PER_QUESTION.map((field) => file[field] ?? {})]);
}

/** Whether an answers file holds nothing worth keeping. */
export function emptyFile(file) {
  const c = counts(file);
  return !c.answers && !c.notes && !c.evidence && (file.self_estimate ?? null) === null;
}

// Keeps the newest snapshot always; drops the oldest until the count and the byte bound hold.
function trimmed(list) {
  const kept = [];
  let bytes = 0;
  for (const [index, snapshot] of list.entries()) {
    const size = byteLength(JSON.stringify(snapshot));
    if (index > 0 && (kept.length >= HISTORY.maxSnapshots || bytes + size > HISTORY.maxBytes)) break;
    kept.push(snapshot);
    bytes += size;
  }
  return kept;
}

/**
 * Adds a snapshot of `file` (an answers file) taken for `reason`. Returns { at } (also when the
 * newest snapshot already holds the same answers), { at: null } for an empty file, or { error }
 * when the browser keeps no room for it even after dropping every older snapshot.
 */
export function takeSnapshot(frameworkId, file, reason) {
  if (emptyFile(file)) return { at: null };
  const list = readHistory(frameworkId);
  if (list.length && content(list[0].file) === content(file)) return { at: list[0].at };
  let at = new Date().toISOString();
  if (list.some((s) => s.at === at)) at = new Date(Date.parse(list[0].at) + 1).toISOString();
  let next = trimmed([{ at, reason, file }, ...list]);
  for (;;) {
    try {
      localStorage.setItem(key(frameworkId), JSON.stringify(next));
      return { at };
    } catch (error) {
      if (next.length <= 1) return { error: String(error.message || error) };
      next = next.slice(0, -1); // storage is full: the oldest snapshot makes room
    }
  }
}

/** The snapshot taken at `at`, or null. */
export function findSnapshot(frameworkId, at) {
  return readHistory(frameworkId).find((s) => s.at === at) ?? null;
}

/** The time of the newest snapshot (ms), or null. */
export function newestAt(frameworkId) {
  const list = readHistory(frameworkId);
  return list.length ? Date.parse(list[0].at) : null;
}
