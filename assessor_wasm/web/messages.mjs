// Messages above the questionnaire (#mp-messages): the page tells the visitor every failure here.
// A message is never shown twice: the same text again replaces the earlier box, and a message
// with an `id` (e.g. the one about saving) replaces the earlier one with that id.
import { button, h } from "./dom.mjs";
import { t } from "./i18n.mjs";

const MAX_MESSAGES = 6;

export function byId(id) {
  return document.getElementById(id);
}

/** Offers `text` as a file download (a link that is never attached to the page). */
export function download(text, filename, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** Show a message above the questionnaire; kinds: info, success, warning, error. */
export function showMessage(kind, title, details = [], actions = [], options = {}) {
  const area = byId("mp-messages");
  if (!area) return null;
  const signature = JSON.stringify([kind, title, details]);
  for (const old of [...area.children]) {
    if (old.dataset.signature === signature || (options.id && old.dataset.id === options.id)) old.remove();
  }
  const box = h("div", { class: `mp-message mp-message--${kind}`, role: kind === "error" ? "alert" : null },
    h("p", { class: "mp-message-title" }, title),
    details.length ? h("ul", {}, details.map((line) => h("li", {}, line))) : null,
  );
  box.dataset.signature = signature;
  if (options.id) box.dataset.id = options.id;
  const controls = h("p", { class: "mp-message-actions" });
  for (const [label, action] of actions) {
    controls.append(button(label, () => {
      if (!options.keepOnAction) box.remove();
      action();
    }), " ");
  }
  controls.append(button(t("messages.dismiss"), () => box.remove(), { class: "md-button mp-small" }));
  box.append(controls);
  area.prepend(box);
  // Too many: the oldest go first, messages with an id (standing warnings) last.
  while (area.children.length > MAX_MESSAGES) {
    const boxes = [...area.children].reverse();
    (boxes.find((b) => !b.dataset.id) || boxes[0]).remove();
  }
  return box;
}

/** Removes the message shown with `id`, if any (what it said is no longer true). */
export function dismissMessage(id) {
  for (const box of byId("mp-messages")?.querySelectorAll(".mp-message") ?? []) {
    if (box.dataset.id === id) box.remove();
  }
}

/** Show notices ({ id?, kind, title, details, download? }, as store.mjs returns them); null shows nothing. */
export function showNotice(notice) {
  for (const one of [notice].flat()) {
    if (!one) continue;
    const actions = one.download
      ? [[one.download.label, () => download(one.download.text, one.download.filename)]]
      : [];
    showMessage(one.kind, one.title, one.details, actions, { id: one.id, keepOnAction: Boolean(one.download) });
  }
}

/** Show an error reply of assessor.api ({ message, problems, more }). */
export function showError(title, error, after) {
  const details = [error.message, ...error.problems];
  if (error.more) details.push(t("messages.more", { count: error.more }));
  if (after) details.push(after);
  showMessage("error", title, details);
}
