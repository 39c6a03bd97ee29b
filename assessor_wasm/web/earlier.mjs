// "Your earlier answers", under the toolbar: the snapshots of the local history (history.mjs),
// each with a button that brings it back, and the values set aside (aside.mjs), each with a
// download and a delete button. Hidden while both lists are empty; rebuilt whenever they change,
// in this tab or another.
import { asideFileName, listAside, removeAside } from "./aside.mjs";
import { button, fill, h } from "./dom.mjs";
import { counts, readHistory, REASONS } from "./history.mjs";
import { restoreSnapshot } from "./imports.mjs";
import { clip } from "./limits.mjs";
import { byId, download } from "./messages.mjs";

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "an earlier visit" : date.toLocaleString();
}

function plural(count, one) {
  return `${count} ${one}${count === 1 ? "" : "s"}`;
}

function snapshotItem(app, snapshot) {
  const c = counts(snapshot.file);
  // An automatic snapshot shows when those answers were saved; the others when they were replaced.
  const date = when(snapshot.reason === "autosave" ? snapshot.file.saved_at ?? snapshot.at : snapshot.at);
  const what = [plural(c.answers, "answer"), c.notes ? plural(c.notes, "note") : null].filter(Boolean).join(", ");
  const label = `${REASONS[snapshot.reason] ?? "Saved"}, ${date}`;
  return h("li", { "data-at": snapshot.at },
    `${label}: ${what}. `,
    button("Restore", () => restoreSnapshot(app, snapshot.at), { class: "md-button mp-small", "aria-label": `Restore: ${label}` }));
}

function asideItem(app, entry) {
  const fw = app.store.state.frameworkId;
  const label = `Set aside ${entry.at ? when(entry.at) : "by an earlier version of this page"}`;
  const why = entry.problems.length ? ` (${clip(entry.problems[0], 120)})` : "";
  return h("li", { "data-key": entry.key },
    `${label}${why}. `,
    button("Download", () => download(entry.value, asideFileName(fw, entry.at)), { class: "md-button mp-small", "aria-label": `Download: ${label}` }),
    " ",
    button("Delete", () => {
      if (!window.confirm("Delete this value from this browser? Download it first if you may need it.")) return;
      removeAside(entry.key);
      renderEarlier(app);
    }, { class: "md-button mp-small", "aria-label": `Delete: ${label}` }));
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
  const title = `Your earlier answers (${snapshots.length})${aside.length ? ` and values set aside (${aside.length})` : ""}`;
  fill(box, h("details", { open },
    h("summary", { id: "mp-earlier-title" }, title),
    snapshots.length
      ? [h("p", {}, "Kept in this browser only. Restoring keeps the answers you have now here too."),
        h("ul", { class: "mp-earlier-snapshots" }, snapshots.map((s) => snapshotItem(app, s)))]
      : null,
    aside.length
      ? [h("p", {}, "Saved values this page could not load, kept as they were:"),
        h("ul", { class: "mp-earlier-aside" }, aside.map((entry) => asideItem(app, entry)))]
      : null));
}
