// The questionnaire form: reading what it shows, showing the answers, and the visitor's edits.
import { changed, persist, updateProgress } from "./results.mjs";

function questions(article) {
  return article.querySelectorAll("fieldset[data-practice]");
}

/**
 * What the form shows now, for input made before the page module ran: answers and notes by
 * practice id, and selfEstimate (undefined when none is chosen).
 */
export function readForm(article) {
  const found = { answers: new Map(), notes: new Map(), selfEstimate: undefined };
  for (const fieldset of questions(article)) {
    const id = fieldset.dataset.practice;
    const checked = fieldset.querySelector("input[type=radio]:checked");
    if (checked) found.answers.set(id, checked.value);
    const note = fieldset.querySelector("textarea");
    if (note && note.value) found.notes.set(id, note.value);
  }
  const self = article.querySelector("input[name=self-estimate]:checked");
  if (self) found.selfEstimate = self.value || null;
  return found;
}

/** Show the stored answers in the form. */
export function applyForm(app) {
  const { state } = app.store;
  const { article } = app.view;
  for (const fieldset of questions(article)) {
    const id = fieldset.dataset.practice;
    const answer = state.answers.get(id);
    for (const input of fieldset.querySelectorAll("input[type=radio]")) input.checked = input.value === answer;
    const note = fieldset.querySelector("textarea");
    if (note) {
      note.value = state.notes.get(id) || "";
      if (note.value) note.closest("details").open = true;
    }
  }
  for (const input of article.querySelectorAll("input[name=self-estimate]")) {
    input.checked = state.selfEstimate !== null && input.value === state.selfEstimate;
  }
  updateProgress(app);
}

/** Save a note still waiting for a pause in typing. */
export function flushNote(app) {
  if (app.noteTimer === null) return;
  clearTimeout(app.noteTimer);
  app.noteTimer = null;
  persist(app);
}

export function onChange(app, event) {
  const { state, touched } = app.store;
  const input = event.target;
  if (input instanceof HTMLTextAreaElement) flushNote(app); // the note field lost focus
  if (!(input instanceof HTMLInputElement) || input.type !== "radio") return;
  if (input.name === "self-estimate") {
    state.selfEstimate = input.value || null;
    touched.selfEstimate = true;
  } else {
    const fieldset = input.closest("fieldset[data-practice]");
    if (!fieldset) return;
    state.answers.set(fieldset.dataset.practice, input.value);
    touched.answers.add(fieldset.dataset.practice);
  }
  changed(app);
}

export function onInput(app, event) {
  const { state, touched } = app.store;
  const note = event.target;
  if (!(note instanceof HTMLTextAreaElement)) return;
  const fieldset = note.closest("fieldset[data-practice]");
  if (!fieldset) return;
  const id = fieldset.dataset.practice;
  if (note.value) state.notes.set(id, note.value);
  else state.notes.delete(id);
  touched.notes.add(id);
  // Notes do not change the score; saving them can wait for a pause in typing.
  clearTimeout(app.noteTimer);
  app.noteTimer = setTimeout(() => flushNote(app), 400);
}
