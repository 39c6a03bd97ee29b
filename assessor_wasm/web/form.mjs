// The questionnaire form: reading what it shows, showing the answers, and the visitor's edits.
import { button, fill, h } from "./dom.mjs";
import { t } from "./i18n.mjs";
import { changed, persist, updateProgress } from "./results.mjs";

function questions(article) {
  return article.querySelectorAll("fieldset[data-practice]");
}

function evidenceInputs(fieldset) {
  return [...fieldset.querySelectorAll("input[data-evidence-item]")];
}

/**
 * What the form shows now, for input made before the page module ran: answers, notes and
 * evidence items by practice id, and selfEstimate (undefined when none is chosen).
 */
export function readForm(article) {
  const config = article.querySelector("#mp-assessment")?.dataset || {};
  const found = { answers: new Map(), notes: new Map(), evidence: new Map(), selfEstimate: undefined };
  for (const fieldset of questions(article)) {
    const id = fieldset.dataset.practice;
    const checked = fieldset.querySelector("input[type=radio]:checked");
    if (checked) found.answers.set(id, checked.value);
    const note = fieldset.querySelector("textarea");
    if (note && note.value) found.notes.set(id, note.value);
    const items = evidenceInputs(fieldset).map((input) => input.value).filter((text) => text.trim() && !refusedScheme(config, text));
    if (items.length) found.evidence.set(id, items);
  }
  const self = article.querySelector("input[name=self-estimate]:checked");
  if (self) found.selfEstimate = self.value || null;
  return found;
}

// --- evidence items ------------------------------------------------------------------------

// Python's own rule (answers.py), handed over by the page root: script-capable link schemes are
// refused, ignoring the control characters and spaces browsers drop from a scheme.
function refusedScheme(data, text) {
  if (!data.evidenceRefused) return null;
  const squeezed = text.slice(0, 100).replace(new RegExp(data.evidenceIgnored, "g"), "");
  if (!new RegExp(`^(?:${data.evidenceRefused})`, "i").test(squeezed)) return null;
  return text.split(":", 1)[0].replace(new RegExp(data.evidenceIgnored, "g"), "").toLowerCase();
}

// Only https: links become links; anything else stays text in its field.
function httpsLink(text) {
  try {
    const url = new URL(text.trim());
    return url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function maxItems(app) {
  return Number(app.view.root.dataset.evidenceMaxItems) || 10;
}

// The link or the refusal shown after one item's field; the field itself is left alone (focus).
function describeItem(app, item) {
  const input = item.querySelector("input");
  const after = item.querySelector(".mp-ev-after");
  const hint = input.getAttribute("aria-describedby").split(" ")[0];
  const scheme = refusedScheme(app.view.root.dataset, input.value);
  const link = scheme ? null : httpsLink(input.value);
  input.setAttribute("aria-invalid", scheme ? "true" : "false");
  input.setAttribute("aria-describedby", scheme ? `${hint} ${after.id}` : hint);
  fill(after,
    scheme ? h("span", { class: "mp-ev-error" }, t("form.refused", { scheme })) : null,
    link ? h("a", { href: link, target: "_blank", rel: "noopener noreferrer" }, t("form.open")) : null,
  );
}

function itemRow(app, fieldset, id, index, text) {
  const number = index + 1;
  const field = `ev-${id}-${number}`;
  const input = h("input", {
    type: "text", id: field, "data-evidence-item": "", maxlength: app.view.root.dataset.evidenceMaxChars,
    autocomplete: "off", "aria-describedby": `ev-hint-${id}`,
  });
  input.value = text;
  const item = h("li", {},
    h("label", { for: field }, t("form.item", { number })), " ", input, " ",
    button(t("form.remove"), () => removeItem(app, fieldset, index), { class: "md-button mp-small", "aria-label": t("form.remove_item", { number }) }),
    " ", h("span", { class: "mp-ev-after", id: `${field}-after` }),
  );
  describeItem(app, item);
  return item;
}

// Shows `texts` (at least one field, empty when there is nothing) with the add button.
function renderEvidence(app, fieldset, texts) {
  const box = fieldset.querySelector("details[data-evidence]");
  if (!box) return;
  const id = fieldset.dataset.practice;
  const list = box.querySelector(".mp-ev-items");
  const shown = texts.length ? texts : [""];
  const current = evidenceInputs(fieldset).map((input) => input.value);
  // Rebuilt only when it shows something else, so that a field being typed in keeps the focus.
  const same = box.querySelector(".mp-ev-after") && current.length === shown.length && current.every((text, i) => text === shown[i]);
  if (!same) fill(list, shown.map((text, index) => itemRow(app, fieldset, id, index, text)));
  let add = box.querySelector(".mp-ev-add");
  if (!add) {
    add = button(t("form.add"), () => addItem(app, fieldset), { class: "md-button mp-small mp-ev-add" });
    box.append(add);
  }
  add.disabled = shown.length >= maxItems(app);
  if (texts.some((text) => text.trim())) box.open = true;
}

// The items the visitor typed, minus blank ones and refused links: what the answers file gets.
function typedItems(app, fieldset) {
  return evidenceInputs(fieldset).map((input) => input.value).filter((text) => text.trim() && !refusedScheme(app.view.root.dataset, text));
}

function setEvidence(app, fieldset, texts) {
  const { state, touched } = app.store;
  const id = fieldset.dataset.practice;
  const had = state.evidence.has(id);
  if (texts.length) state.evidence.set(id, texts);
  else state.evidence.delete(id);
  touched.evidence.add(id);
  // Only having evidence or not changes the score; other edits are saved after a pause in typing.
  clearTimeout(app.noteTimer);
  app.noteTimer = null;
  if (had !== texts.length > 0) changed(app);
  else app.noteTimer = setTimeout(() => flushNote(app), 400);
}

function addItem(app, fieldset) {
  const inputs = evidenceInputs(fieldset);
  if (inputs.length >= maxItems(app)) return;
  renderEvidence(app, fieldset, [...inputs.map((input) => input.value), ""]);
  evidenceInputs(fieldset).at(-1).focus();
}

function removeItem(app, fieldset, index) {
  const texts = evidenceInputs(fieldset).map((input) => input.value);
  texts.splice(index, 1);
  renderEvidence(app, fieldset, texts);
  const inputs = evidenceInputs(fieldset);
  inputs[Math.min(index, inputs.length - 1)].focus();
  setEvidence(app, fieldset, typedItems(app, fieldset));
}

/** Opens a question's evidence and puts the cursor in an empty item (added if need be). */
export function focusEvidence(app, id) {
  const fieldset = document.getElementById(`q-${id}`);
  if (!fieldset || !app.view) return;
  const box = fieldset.querySelector("details[data-evidence]");
  if (box) box.open = true;
  const empty = evidenceInputs(fieldset).find((input) => !input.value.trim());
  if (empty) empty.focus();
  else if (evidenceInputs(fieldset).length < maxItems(app)) addItem(app, fieldset);
  else evidenceInputs(fieldset).at(-1).focus();
}

// --- the whole form --------------------------------------------------------------------------

// A kept answer the question does not offer (a refused "not applicable"): said, not hidden.
function showKept(fieldset, answer) {
  let kept = fieldset.querySelector(".mp-q-kept");
  const offered = answer === undefined || [...fieldset.querySelectorAll("input[type=radio]")].some((input) => input.value === answer);
  if (offered) {
    kept?.remove();
    return;
  }
  if (!kept) {
    kept = h("p", { class: "mp-q-kept" });
    fieldset.querySelector(".mp-options").before(kept);
  }
  kept.textContent = t("form.kept", { answer: answer === "na" ? t("render.na") : answer });
}

/** Show the stored answers in the form. */
export function applyForm(app) {
  const { state } = app.store;
  const { article } = app.view;
  for (const fieldset of questions(article)) {
    const id = fieldset.dataset.practice;
    const answer = state.answers.get(id);
    for (const input of fieldset.querySelectorAll("input[type=radio]")) input.checked = input.value === answer;
    showKept(fieldset, answer);
    const note = fieldset.querySelector("textarea");
    if (note) {
      note.value = state.notes.get(id) || "";
      if (note.value) note.closest("details").open = true;
    }
    renderEvidence(app, fieldset, state.evidence.get(id) || []);
  }
  for (const input of article.querySelectorAll("input[name=self-estimate]")) {
    input.checked = state.selfEstimate !== null && input.value === state.selfEstimate;
  }
  updateProgress(app);
}

/** Save a note or evidence still waiting for a pause in typing. */
export function flushNote(app) {
  if (app.noteTimer === null) return;
  clearTimeout(app.noteTimer);
  app.noteTimer = null;
  persist(app);
}

export function onChange(app, event) {
  const { state, touched } = app.store;
  const input = event.target;
  if (input instanceof HTMLTextAreaElement || input.dataset?.evidenceItem !== undefined) flushNote(app); // a text field lost focus
  if (!(input instanceof HTMLInputElement) || input.type !== "radio") return;
  if (input.name === "self-estimate") {
    state.selfEstimate = input.value || null;
    touched.selfEstimate = true;
  } else {
    const fieldset = input.closest("fieldset[data-practice]");
    if (!fieldset) return;
    state.answers.set(fieldset.dataset.practice, input.value);
    touched.answers.add(fieldset.dataset.practice);
    showKept(fieldset, input.value);
  }
  changed(app);
}

export function onInput(app, event) {
  const { state, touched } = app.store;
  const field = event.target;
  const fieldset = field.closest?.("fieldset[data-practice]");
  if (!fieldset) return;
  if (field instanceof HTMLInputElement && field.dataset.evidenceItem !== undefined) {
    describeItem(app, field.closest("li"));
    setEvidence(app, fieldset, typedItems(app, fieldset));
    return;
  }
  if (!(field instanceof HTMLTextAreaElement)) return;
  const id = fieldset.dataset.practice;
  const had = Boolean(state.notes.get(id)?.trim());
  if (field.value) state.notes.set(id, field.value);
  else state.notes.delete(id);
  touched.notes.add(id);
  // A note is a reason for "not applicable", so its presence can change the warnings; its text
  // changes nothing, and saving it can wait for a pause in typing.
  clearTimeout(app.noteTimer);
  app.noteTimer = null;
  if (had !== Boolean(field.value.trim())) changed(app);
  else app.noteTimer = setTimeout(() => flushNote(app), 400);
}
