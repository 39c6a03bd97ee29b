// The limits of an answers file, the same for saving and for loading: what the page saves, Python
// (assessor/answers.py) reads back. tests/test_csp.py keeps these numbers equal to Python's. No DOM.
import { num, t } from "./i18n.mjs";

export const LIMITS = {
  maxAnswersBytes: 1048576, // MAX_ANSWERS_BYTES: the whole file, UTF-8
  maxEntries: 20000, // MAX_ENTRIES: per map (answers, notes, evidence)
  maxNoteChars: 4000, // MAX_NOTE_CHARS
  maxIdChars: 100, // MAX_ID_LENGTH
  maxEvidenceItems: 10, // MAX_EVIDENCE_ITEMS
  maxEvidenceChars: 500, // MAX_EVIDENCE_CHARS
  maxNameChars: 200, // MAX_NAME_CHARS: respondent, team
  maxVersionChars: 64, // MAX_VERSION_CHARS
  maxSavedAtChars: 64,
};
// SLUG_PATTERN, matched whole: JavaScript's $ never matches before a final newline.
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SCRIPT_SCHEME = /^(javascript|vbscript|data|file|blob):/i;
// The maps keyed by practice id; each holds one per-question field.
export const PER_QUESTION = ["answers", "notes", "evidence"];
const TOP_LEVEL = ["format", "framework", "respondent", "team", "self_estimate", ...PER_QUESTION, "saved_at"];
const ENCODER = new TextEncoder();

/** Characters as Python counts them (code points, not UTF-16 units). */
export function codePoints(text) {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    count += 1;
  }
  return count;
}

export function byteLength(text) {
  return ENCODER.encode(text).length;
}

/** Whether `text` can be written as UTF-8 (no lone surrogate). */
export function wellFormed(text) {
  return typeof text.isWellFormed === "function" ? text.isWellFormed() : !/[\ud800-\udfff]/u.test(text);
}

export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function validId(id) {
  return typeof id === "string" && id.length <= LIMITS.maxIdChars && SLUG.test(id);
}

function text(value, max) {
  return typeof value === "string" && codePoints(value) <= max && wellFormed(value);
}

function evidenceOk(items) {
  if (!Array.isArray(items) || items.length > LIMITS.maxEvidenceItems) return false;
  return items.every((item) => text(item, LIMITS.maxEvidenceChars) &&
    !SCRIPT_SCHEME.test(item.slice(0, 100).replace(/[\x00-\x20]/g, "")));
}


/**
 * Why `text` (an answers file as JSON) could not be loaded back, or [] when it can. The page runs
 * this before every save, so it never stores a value it would refuse on the next visit.
 */
export function savingProblems(file, text) {
  const problems = [];
  const size = byteLength(text);
  if (size > LIMITS.maxAnswersBytes) {
    problems.push(t("limits.too_large", { size: num(size / 1024 / 1024, 1), limit: LIMITS.maxAnswersBytes / 1024 / 1024 }));
  }
  for (const field of PER_QUESTION) {
    const count = isObject(file[field]) ? Object.keys(file[field]).length : 0;
    if (count > LIMITS.maxEntries) problems.push(t("limits.entries", { count, field, limit: LIMITS.maxEntries }));
  }
  return problems;
}

/**
 * Splits a saved answers file (already an object of this framework) into what can be loaded and
 * what cannot. `allowed.answers(id)` gives the answers a practice accepts (null: any known
 * answer); `allowed.stages` the self-estimates. Returns { file, rejected, problems }: `rejected`
 * holds every refused entry unchanged (same shape), `problems` one line per refused entry.
 */
export function splitFile(data, allowed) {
  const file = {};
  const rejected = {};
  const problems = [];
  const refuse = (field, id, value, why) => {
    if (id === null) rejected[field] = value;
    else (rejected[field] ??= {})[id] = value;
    if (problems.length < 20) problems.push(`${id === null ? field : `${field}.${clip(id, 60)}`}: ${why}`);
    else if (problems.length === 20) problems.push("… and more.");
  };
  for (const [key, value] of Object.entries(data)) {
    if (!TOP_LEVEL.includes(key)) refuse(key, null, value, t("limits.unknown_key"));
  }
  file.format = data.format;
  file.framework = { id: data.framework.id };
  const version = data.framework.version;
  if (version !== undefined && version !== null && !text(version, LIMITS.maxVersionChars)) {
    refuse("framework.version", null, version, t("limits.text", { count: LIMITS.maxVersionChars }));
  } else if (version !== undefined) file.framework.version = version;
  for (const key of ["respondent", "team"]) {
    if (data[key] === undefined || data[key] === null) continue;
    if (text(data[key], LIMITS.maxNameChars)) file[key] = data[key];
    else refuse(key, null, data[key], t("limits.text", { count: LIMITS.maxNameChars }));
  }
  const estimate = data.self_estimate;
  if (estimate === undefined || estimate === null || (typeof estimate === "string" && allowed.stages.has(estimate))) {
    file.self_estimate = estimate ?? null;
  } else refuse("self_estimate", null, estimate, t("limits.stage"));
  const checks = {
    answers: (id, value) => typeof value === "string" && (allowed.answers(id) ?? allowed.anyAnswer).has(value),
    notes: (id, value) => text(value, LIMITS.maxNoteChars),
    evidence: (id, value) => evidenceOk(value),
  };
  for (const field of PER_QUESTION) {
    const map = data[field];
    if (map === undefined || map === null) continue;
    if (!isObject(map) || Object.keys(map).length > LIMITS.maxEntries) {
      refuse(field, null, map, isObject(map) ? t("limits.too_many", { count: LIMITS.maxEntries }) : t("limits.object"));
      continue;
    }
    file[field] = {};
    for (const [id, value] of Object.entries(map)) {
      if (!validId(id)) refuse(field, id, value, t("limits.id"));
      else if (!checks[field](id, value)) refuse(field, id, value, t(field === "answers" ? "limits.answer" : "limits.value"));
      else file[field][id] = value;
    }
  }
  if (typeof data.saved_at === "string" && data.saved_at.length <= LIMITS.maxSavedAtChars) file.saved_at = data.saved_at;
  else if (data.saved_at !== undefined && data.saved_at !== null) refuse("saved_at", null, data.saved_at, t("limits.timestamp"));
  return { file, rejected, problems };
}

/** At most `max` characters of untrusted text, for a message. */
export function clip(value, max = 80) {
  const shown = String(value);
  return shown.length <= max ? shown : `${shown.slice(0, max - 1)}…`;
}
