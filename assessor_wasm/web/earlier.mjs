// "Your earlier answers", under the toolbar: the snapshots of the local history (history.mjs),
// each with a button that brings it back, and the values set aside (aside.mjs), each with a
// download and a delete button. Hidden while both lists are empty; rebuilt whenever they change,
// in this tab or another.
import { asideFileName, listAside, removeAside } from "./aside.mjs";
import { button, fill, h } from "./dom.mjs";
import { counts, readHistory, REASONS } from "./history.mjs";
import { t, when as moment } from "./i18n.mjs";
import { restoreSnapshot } from "./imports.mjs";
import { clip } from "./limits.mjs";
import { byId, download } from "./messages.mjs";

function when(iso) {
  return moment(iso) ?? t("earlier.visit");
}

function snapshotItem(app, snapshot) {
  const c = counts(snapshot.file);
  // An automatic snapshot shows when those answers were saved; the others when they were replaced.
  const date = when(snapshot.reason === "autosave" ? snapshot.file.saved_at ?? snapshot.at : snapshot.at);
  const what = [t("earlier.answers", { count: c.answers }), c.notes ? t("earlier.notes", { count: c.notes }) : null].filter(Boolean).join(", ");
  const label = t("earlier.when", { why: t(REASONS[snapshot.reason] ?? "history.saved"), date });
  return h("li", { "data-at": snapshot.at },
    `${t("earlier.item", { label, what })} `,
    button(t("earlier.restore"), () => restoreSnapshot(app, snapshot.at), { class: "md-button mp-small", "aria-label": t("earlier.restore_label", { label }) }));
}

function asideItem(app, entry) {
  const fw = app.store.state.frameworkId;
  const label = entry.at ? t("earlier.aside", { date: when(entry.at) }) : t("earlier.aside_old");
  const why = entry.problems.length ? t("earlier.aside_why", { label, why: clip(entry.problems[0], 120) }) : t("earlier.aside_item", { label });
  return h("li", { "data-key": entry.key },
    `${why} `,
    button(t("earlier.download"), () => download(entry.value, asideFileName(fw, entry.at)), { class: "md-button mp-small", "aria-label": t("earlier.download_label", { label }) }),
    " ",
    button(t("earlier.delete"), () => {
      if (!window.confirm(t("earlier.delete_confirm"))) return;
      removeAside(entry.key);
      renderEarlier(app);
    }, { class: "md-button mp-small", "aria-label": t("earlier.delete_label", { label }) }));
}

/** Shows (or refreshes) the list of earlier answers and values set aside. */
export function renderEarlier(app) {
  const root = app.view?.root;
  const messages = byId("mp-messages");
  if (!root?.isConnected || !messages || !app.store.state) return;
  app.store.listsChanged = false;
  let box = byId("mp-earlier");
  if (!box) {
    box = h("section", { id: "mp-earlier", class: "mp-earlier", "aria-labelledby": "mp-earlier-title" });
    messages.after(box);
  }
  const open = Boolean(box.querySelector("details")?.open);
  const fw = app.store.state.frameworkId;
  const snapshots = readHistory(fw);
  const aside = listAside(fw);
  box.hidden = !snapshots.length && !aside.length;
  box.dataset.snapshots = String(snapshots.length);
  box.dataset.setAside = String(aside.length);
  const title = t(aside.length ? "earlier.title_aside" : "earlier.title", { count: snapshots.length, aside: aside.length });
  fill(box, h("details", { open },
    h("summary", { id: "mp-earlier-title" }, title),
    snapshots.length
      ? [h("p", {}, t("earlier.snapshots")),
        h("ul", { class: "mp-earlier-snapshots" }, snapshots.map((s) => snapshotItem(app, s)))]
      : null,
    aside.length
      ? [h("p", {}, t("earlier.aside_intro")),
        h("ul", { class: "mp-earlier-aside" }, aside.map((entry) => asideItem(app, entry)))]
      : null));
}
