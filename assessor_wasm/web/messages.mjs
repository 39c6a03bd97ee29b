// Messages above the questionnaire (#mp-messages): the page tells the visitor every failure here.
import { button, h } from "./dom.mjs";

const MAX_MESSAGES = 6;

export function byId(id) {
  return document.getElementById(id);
}

/** Show a message above the questionnaire; kinds: info, success, warning, error. */
export function showMessage(kind, title, details = [], actions = []) {
  const area = byId("mp-messages");
  if (!area) return null;
  const box = h("div", { class: `mp-message mp-message--${kind}`, role: kind === "error" ? "alert" : null },
    h("p", { class: "mp-message-title" }, title),
    details.length ? h("ul", {}, details.map((line) => h("li", {}, line))) : null,
  );
  const controls = h("p", { class: "mp-message-actions" });
  for (const [label, action] of actions) {
    controls.append(button(label, () => {
      box.remove();
      action();
    }), " ");
  }
  controls.append(button("Dismiss", () => box.remove(), { class: "md-button mp-small" }));
  box.append(controls);
  area.prepend(box);
  while (area.children.length > MAX_MESSAGES) area.lastElementChild.remove();
  return box;
}

/** Show a notice ({ kind, title, details }, as store.mjs returns them); null shows nothing. */
export function showNotice(notice) {
  if (notice) showMessage(notice.kind, notice.title, notice.details);
}

/** Show an error reply of assessor.api ({ message, problems, more }). */
export function showError(title, error, after) {
  const details = [error.message, ...error.problems];
  if (error.more) details.push(`… and ${error.more} more.`);
  if (after) details.push(after);
  showMessage("error", title, details);
}
