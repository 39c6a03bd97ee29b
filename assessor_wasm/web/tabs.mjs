// Several tabs on one browser's answers. Every per-question value (an answer, a note, an evidence
// list) and the self-estimate carries the time it was last changed; a change that replaces all the
// answers (a reset, an import, a share link, a restore) starts a new "generation" and everything
// older than it is gone. Two copies of the answers then merge the same way in every tab: per
// value, the latest change wins (a removal is a change too). No DOM.
import { PER_QUESTION } from "./limits.mjs";

/** A clock with nothing changed since the answers were last replaced at `generation` (ms). */
export function newClock(generation = 0) {
  return { generation, times: new Map() };
}

/** The clock as it is saved (store.mjs adds which answers it belongs to). */
export function clockData(clock) {
  return { generation: clock.generation, times: Object.fromEntries(clock.times) };
}

/** A saved clock; anything unusable reads as "never changed". */
export function readClock(data) {
  const clock = newClock();
  if (Number.isFinite(data?.generation)) clock.generation = data.generation;
  if (data?.times !== null && typeof data?.times === "object") {
    for (const [key, time] of Object.entries(data.times)) {
      if (Number.isFinite(time) && time > clock.generation) clock.times.set(key, time);
    }
  }
  return clock;
}

export function cloneClock(clock) {
  return { generation: clock.generation, times: new Map(clock.times) };
}

/** The state as one map: "self_estimate" and "<field>/<practice id>" to their values. */
export function flatten(state) {
  const flat = new Map();
  if (state.selfEstimate !== null && state.selfEstimate !== undefined) flat.set("self_estimate", state.selfEstimate);
  for (const field of PER_QUESTION) {
    if (!(state[field] instanceof Map)) continue;
    for (const [id, value] of state[field]) flat.set(`${field}/${id}`, value);
  }
  return flat;
}

/** The state of `flat`, with everything else (framework, format) from `base`. */
export function unflatten(flat, base) {
  const state = { ...base, selfEstimate: flat.get("self_estimate") ?? null };
  for (const field of PER_QUESTION) state[field] = new Map();
  for (const [key, value] of flat) {
    const slash = key.indexOf("/");
    if (slash > 0) state[key.slice(0, slash)]?.set(key.slice(slash + 1), value);
  }
  return state;
}

export function same(a, b) {
  return a === b || (typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b));
}

/** Whether two flat states hold the same values. */
export function sameFlat(a, b) {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) {
    if (!b.has(key) || !same(value, b.get(key))) return false;
  }
  return true;
}

/** Gives every value that differs between `before` and `after` the time `now` in `clock`. */
export function stamp(clock, before, after, now) {
  for (const [key, value] of after) {
    if (!before.has(key) || !same(before.get(key), value)) clock.times.set(key, now);
  }
  for (const key of before.keys()) {
    if (!after.has(key)) clock.times.set(key, now);
  }
}

function entry(copy, key) {
  const time = copy.clock.times.get(key) ?? copy.clock.generation;
  return { time, has: copy.flat.has(key), value: copy.flat.get(key) };
}

// The later change wins; on a tie, the same side in every tab (a value over a removal, then the
// larger value), so two tabs merging each other's copies end with the same answers.
function later(a, b) {
  if (a.time !== b.time) return a.time > b.time ? a : b;
  if (a.has !== b.has) return a.has ? a : b;
  return JSON.stringify(a.value ?? null) >= JSON.stringify(b.value ?? null) ? a : b;
}

/**
 * Merges two copies ({ flat, clock }) of the answers. Returns { flat, clock }: values changed
 * before the later generation are dropped (a reset elsewhere is never undone), then per value
 * the latest change wins.
 */
export function merge(mine, other) {
  const generation = Math.max(mine.clock.generation, other.clock.generation);
  const clock = newClock(generation);
  const flat = new Map();
  const keys = new Set([...mine.flat.keys(), ...mine.clock.times.keys(), ...other.flat.keys(), ...other.clock.times.keys()]);
  for (const key of keys) {
    const alive = [entry(mine, key), entry(other, key)].filter((e) => e.time >= generation);
    if (!alive.length) continue;
    const winner = alive.length === 2 ? later(alive[0], alive[1]) : alive[0];
    if (winner.has) flat.set(key, winner.value);
    if (winner.time > generation) clock.times.set(key, winner.time);
  }
  return { flat, clock };
}

/** Whether two clocks say the same. */
export function sameClock(a, b) {
  if (a.generation !== b.generation || a.times.size !== b.times.size) return false;
  for (const [key, time] of a.times) if (b.times.get(key) !== time) return false;
  return true;
}
