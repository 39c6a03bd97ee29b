// The answers toolbar ([data-action] buttons) and its file choosers: export, report, import,
// compare, share, print, reset and the roadmap as CSV. Import and reset keep the answers they
// replace as a snapshot.
import { t } from "./i18n.mjs";
import { replaceAnswers, replaceWith } from "./imports.mjs";
import { byteLength, LIMITS } from "./limits.mjs";
import { byId, download, showError, showMessage } from "./messages.mjs";
import { renderCompared } from "./results.mjs";
import { call } from "./scorer.mjs";
import { makeShareLink } from "./share.mjs";
import { answersFile, emptyState } from "./store.mjs";

function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// Sends at most the size limit plus one byte: Python judges the size from `size`.
export async function filePayload(app, file) {
  const limit = app.scorer.info.limits.max_answers_bytes;
  const bytes = new Uint8Array(await file.slice(0, limit + 1).arrayBuffer());
  return { data_base64: toBase64(bytes), size: file.size };
}

/** A file was chosen to import (data-purpose="import") or to compare with. */
export async function onFileChosen(app, event) {
  const input = event.target;
  const file = input.files && input.files[0];
  input.value = ""; // the same file can be chosen again
  if (!file) return;
  const purpose = input.dataset.purpose;
  try {
    const payload = await filePayload(app, file);
    if (purpose === "import") {
      const reply = await call(app.scorer, { op: "import", source: "file", payload });
      if (reply.ok) replaceAnswers(app, reply, t("actions.the_file", { name: file.name }), "import");
      else showError(t("actions.not_imported", { name: file.name }), reply.error, t("actions.unchanged"));
    } else {
      const reply = await call(app.scorer, { op: "compare", earlier: payload, answers: answersFile(app.store.state) });
      if (reply.ok) {
        app.results.comparison = reply;
        renderCompared(app);
        showMessage("success", t("actions.compared", { name: file.name }), [t("actions.compared_where")], [
          [t("actions.show_comparison"), () => byId("mp-comparison")?.scrollIntoView()],
        ]);
      } else showError(t("actions.not_compared", { name: file.name }), reply.error, t("actions.unchanged"));
    }
  } catch (error) {
    if (!error.shown) showMessage("error", t("actions.not_read", { name: file.name }), [error.message, t("actions.unchanged")]);
  }
}

// framework.json carries no questions or evidence lists: the roadmap CSV takes this page's.
function pageTexts(article) {
  const texts = {};
  for (const fieldset of article.querySelectorAll("fieldset[data-practice]")) {
    texts[fieldset.dataset.practice] = {
      question: fieldset.querySelector("legend")?.textContent || "",
      evidence: [...fieldset.querySelectorAll(".mp-evidence li")].map((li) => li.textContent),
    };
  }
  return texts;
}

async function exportFile(app, op) {
  const request = { op, answers: answersFile(app.store.state) };
  if (op !== "export") request.base_url = new URL(app.view.root.dataset.siteRoot, location.href).href;
  if (op === "roadmap_csv") request.practices = pageTexts(app.view.article);
  const reply = await call(app.scorer, request);
  if (!reply.ok) {
    showError(t("actions.export_failed"), reply.error);
    return;
  }
  let text = reply.text;
  // Indented, a file near the size limit would not import again: then it is written compactly.
  if (op === "export" && byteLength(text) > LIMITS.maxAnswersBytes) text = `${JSON.stringify(JSON.parse(text))}\n`;
  download(text, reply.filename, reply.media_type);
  showMessage("success", t("actions.saved", { name: reply.filename }), []);
}

function reset(app) {
  const count = app.store.state.answers.size;
  if (!window.confirm(t("actions.erase", { count }))) return;
  app.results.comparison = null;
  const info = replaceWith(app, emptyState(app.view.root.dataset), "reset");
  renderCompared(app);
  showMessage("info", t("actions.erased"), info.details,
    info.actions.map(([label, action, undo]) => [undo ? t("actions.undo_reset") : label, action]));
}

const ACTIONS = {
  export: (app) => exportFile(app, "export"),
  report: (app) => exportFile(app, "report"),
  roadmap: (app) => exportFile(app, "roadmap_csv"),
  import: () => byId("mp-import-file").click(),
  compare: () => byId("mp-compare-file").click(),
  share: makeShareLink,
  print: () => window.print(),
  reset,
};

/** A click in the page root: runs the toolbar action of the button, if any. */
/** A link to a question of this page is followed by the browser, not the theme. */
export function onQuestionLink(event) {
  const jump = event.target.closest('a[href^="#q-"]');
  if (!jump || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const target = document.getElementById(jump.getAttribute("href").slice(1));
  if (!target) return;
  // The theme's instant navigation would render the page again (it takes same-page links and
  // popstate, which setting location.hash fires), and the answers would blink out meanwhile.
  event.preventDefault();
  event.stopPropagation();
  history.pushState(history.state, "", jump.getAttribute("href"));
  target.scrollIntoView();
}

export function onClick(app, event) {
  const control = event.target.closest("[data-action]");
  if (!control || control.disabled) return;
  Promise.resolve(ACTIONS[control.dataset.action]?.(app)).catch((error) => {
    if (!error.shown) showMessage("error", t("actions.failed"), [String(error.message || error)]);
  });
}
