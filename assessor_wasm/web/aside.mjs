// Values set aside: saved text the page could not load (or the entries of it that it could not),
// each kept under a key of its own named by the time, so a later one never overwrites an earlier
// one. They stay until the visitor downloads and deletes them ("Your earlier answers"). When the
// browser has no room for a copy, the notice offers it as a download instead. No DOM: notices
// ({ kind, title, details, download? }) come back for the page to show.
import { t } from "./i18n.mjs";

const PREFIX = "maturity-playbook";

function answersKey(store) {
  return `${PREFIX}:${store.state.frameworkId}:answers`;
}

function prefix(frameworkId) {
  return `${PREFIX}:${frameworkId}:set-aside`;
}

/**
 * Keeps `value` (text) with the `problems` that made it unusable; returns its key, or null when
 * the browser refuses (storage full or unavailable).
 */
export function keepAside(frameworkId, value, problems) {
  const at = new Date().toISOString();
  const base = `${prefix(frameworkId)}:${at}`;
  try {
    let key = base;
    for (let n = 2; localStorage.getItem(key) !== null; n += 1) key = `${base}-${n}`;
    localStorage.setItem(key, JSON.stringify({ at, problems, value }));
    return key;
  } catch {
    return null;
  }
}

function record(key, raw) {
  try {
    const data = JSON.parse(raw);
    if (typeof data?.value === "string" && typeof data.at === "string") {
      return { key, at: data.at, problems: Array.isArray(data.problems) ? data.problems.map(String) : [], value: data.value };
    }
  } catch {
    // a value set aside by an earlier version of the page: the raw text itself
  }
  return { key, at: "", problems: [], value: raw };
}

/** Every value set aside for this framework, newest first: { key, at, problems, value }. */
export function listAside(frameworkId) {
  const own = prefix(frameworkId);
  const found = [];
  try {
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i);
      if (key === own || key?.startsWith(`${own}:`)) found.push(record(key, localStorage.getItem(key)));
    }
  } catch {
    return [];
  }
  return found.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** Deletes one value set aside (after the visitor downloaded it). */
export function removeAside(key) {
  try {
    localStorage.removeItem(key);
  } catch {
    // storage became unavailable: the list shows what is still there
  }
}

/** Whether a storage key holds a value set aside for this framework. */
export function isAsideKey(frameworkId, key) {
  const own = prefix(frameworkId);
  return key === own || Boolean(key?.startsWith(`${own}:`));
}

/** The file name a value set aside downloads as. */
export function asideFileName(frameworkId, at) {
  return `${frameworkId}-set-aside-${(at || "earlier").replace(/[^0-9A-Za-z-]/g, "-")}.json`;
}

/**
 * Keeps a whole unusable saved value aside and returns the notice that says why and where. When
 * the browser has no room for a copy, the notice offers it as a download instead, and the next
 * save replaces it: saving never stops because of it.
 */
export function setAside(store, raw, problems) {
  const key = keepAside(store.state.frameworkId, raw, problems);
  store.listsChanged = true;
  const notice = { kind: "error", title: t("aside.unusable"), details: [...problems] };
  if (key) {
    try {
      if (localStorage.getItem(answersKey(store)) === raw) localStorage.removeItem(answersKey(store));
    } catch {
      // unreadable storage: the next save says so
    }
    store.lastRaw = null;
    notice.details.push(t("aside.set_aside", { key }));
  } else {
    store.lastRaw = raw;
    notice.details.push(t("aside.no_room"));
    notice.download = { label: t("aside.download"), text: raw, filename: `${store.state.frameworkId}-saved-value.json` };
  }
  return notice;
}

/** Keeps entries that could not be loaded aside (same shape as an answers file); returns a notice. */
export function setAsideEntries(store, file, rejected, problems) {
  const text = JSON.stringify({ format: file.format, framework: file.framework, ...rejected });
  const key = keepAside(store.state.frameworkId, text, problems);
  store.listsChanged = true;
  const notice = { kind: "warning", title: t("aside.some_unusable"), details: [...problems] };
  if (key) notice.details.push(t("aside.entries_set_aside", { key }));
  else {
    notice.details.push(t("aside.entries_no_room"));
    notice.download = { label: t("aside.download_entries"), text, filename: `${store.state.frameworkId}-set-aside.json` };
  }
  return notice;
}
