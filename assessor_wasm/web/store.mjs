// The visitor's answers and their copy in localStorage. No DOM: what the visitor must be told
// about storage comes back as a notice ({ kind, title, details }) for the page to show.
const ANSWERS_FORMAT_PREFIX = "maturity-playbook/answers@";
const STORAGE_PREFIX = "maturity-playbook";

/** Everything about the answers; one per tab (it survives instant navigation). */
export function createStore() {
  return {
    state: null, // { frameworkId, version, format, selfEstimate, answers, notes, evidence: Maps }
    touched: noTouches(), // what the visitor changed since the saved answers were read
    pendingStored: null, // saved text that Python has not checked yet
    storageBroken: false,
  };
}

/**
 * Nothing changed yet: practice ids whose answer, note or evidence the visitor set, and the
 * self-estimate.
 */
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
    evidence: new Map(), // practice id -> its non-blank evidence items (links or short text)
  };
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// Copies only text values: the form can show nothing else, and Python checks everything anyway.
export function stateFromFile(file, base) {
  const next = { ...base, selfEstimate: null, answers: new Map(), notes: new Map(), evidence: new Map() };
  if (typeof file.self_estimate === "string") next.selfEstimate = file.self_estimate;
  for (const [field, target] of [["answers", next.answers], ["notes", next.notes]]) {
    if (!isObject(file[field])) continue;
    for (const [id, value] of Object.entries(file[field])) {
      if (typeof value === "string") target.set(id, value);
    }
  }
  for (const [id, items] of Object.entries(isObject(file.evidence) ? file.evidence : {})) {
    const texts = Array.isArray(items) ? items.filter((item) => typeof item === "string" && item.trim()) : [];
    if (texts.length) next.evidence.set(id, texts);
  }
  // Who answered, for whom: kept as read so that an export gives them back.
  next.respondent = typeof file.respondent === "string" ? file.respondent : undefined;
  next.team = typeof file.team === "string" ? file.team : undefined;
  return next;
}

export function cloneState(source) {
  return {
    ...source,
    answers: new Map(source.answers),
    notes: new Map(source.notes),
    evidence: new Map([...source.evidence].map(([id, items]) => [id, [...items]])),
  };
}

/** The answers file (the format Python reads and the export writes) of `state`. */
export function answersFile(state, savedAt) {
  const file = {
    format: state.format,
    framework: { id: state.frameworkId, version: state.version },
    self_estimate: state.selfEstimate,
    answers: Object.fromEntries(state.answers),
    evidence: Object.fromEntries(state.evidence),
    notes: Object.fromEntries(state.notes),
  };
  if (typeof state.respondent === "string") file.respondent = state.respondent;
  if (typeof state.team === "string") file.team = state.team;
  if (savedAt) file.saved_at = savedAt;
  return file;
}

/**
 * Takes what the form showed before the page module ran (`input`: answers, notes and evidence
 * items by practice id, and selfEstimate, undefined when none is chosen): it wins over saved
 * answers and counts as touched. Returns how many values it took.
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

function copyEntry(from, to, id) {
  if (from.has(id)) to.set(id, from.get(id));
  else to.delete(id);
}

/** Puts back into `state` what the visitor changed in `edited`, as `touched` lists it. */
export function keepTouched(state, edited, touched) {
  for (const id of touched.answers) copyEntry(edited.answers, state.answers, id);
  for (const id of touched.notes) copyEntry(edited.notes, state.notes, id);
  for (const id of touched.evidence) copyEntry(edited.evidence, state.evidence, id);
  if (touched.selfEstimate) state.selfEstimate = edited.selfEstimate;
}

function storageKey(store, suffix) {
  return `${STORAGE_PREFIX}:${store.state.frameworkId}:${suffix}`;
}

function isEmpty(state) {
  return !state.answers.size && !state.notes.size && !state.evidence.size && state.selfEstimate === null;
}

/** Saves the answers; returns a notice the first time the browser refuses, otherwise null. */
export function save(store) {
  if (store.storageBroken) return null;
  try {
    if (isEmpty(store.state)) localStorage.removeItem(storageKey(store, "answers"));
    else localStorage.setItem(storageKey(store, "answers"), JSON.stringify(answersFile(store.state, new Date().toISOString())));
  } catch (error) {
    store.storageBroken = true;
    return {
      kind: "warning",
      title: "Your answers cannot be saved in this browser",
      details: [
        `The browser refused to store them (${error.message}).`,
        "They stay on this page until you leave it: export them to keep them.",
      ],
    };
  }
  return null;
}

/** Moves an unusable saved value out of the way; returns the notice that says why and where. */
export function setAside(store, raw, problems) {
  let where = "it could not be kept (browser storage is unavailable)";
  try {
    localStorage.setItem(storageKey(store, "set-aside"), raw);
    localStorage.removeItem(storageKey(store, "answers"));
    where = `it was set aside in this browser's storage under “${storageKey(store, "set-aside")}”`;
  } catch {
    store.storageBroken = true;
  }
  return {
    kind: "error",
    title: "The answers saved in this browser could not be used",
    details: [
      ...problems,
      `The saved value was not loaded: ${where}. The questionnaire keeps what you entered on this page.`,
    ],
  };
}

/**
 * Starts again from `blank` and the saved answers, which Python checks once it is ready
 * (`pendingStored`). Returns a notice when storage cannot be read or the saved value is unusable.
 */
export function loadStored(store, blank) {
  store.state = blank;
  store.touched = noTouches();
  store.pendingStored = null;
  let raw = null;
  try {
    raw = localStorage.getItem(storageKey(store, "answers"));
  } catch (error) {
    store.storageBroken = true;
    return {
      kind: "warning",
      title: "This browser does not let the page keep your answers",
      details: [`Reading browser storage failed (${error.message}). Export your answers to keep them.`],
    };
  }
  if (raw === null) return null;
  let data = null;
  try {
    data = JSON.parse(raw);
  } catch {
    data = null;
  }
  // A first look only decides whether the form is filled in now; Python checks it fully later.
  const state = store.state;
  // Any answers-file version: answers saved by an earlier version of the site (format @1) are
  // carried over by Python's full check, never set aside.
  const isAnswers = typeof data?.format === "string" && data.format.startsWith(ANSWERS_FORMAT_PREFIX);
  if (!isObject(data) || !isAnswers || !isObject(data.framework) || data.framework.id !== state.frameworkId) {
    return setAside(store, raw, ["The saved value is not an answers file for this playbook."]);
  }
  store.state = stateFromFile(data, state);
  store.pendingStored = raw;
  return null;
}
