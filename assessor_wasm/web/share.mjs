// Share links: the answers travel in the link's fragment (#a=…), never to the server. Opening one
// replaces the answers only after they became a snapshot, and the message can bring them back.
import { t } from "./i18n.mjs";
import { replaceAnswers } from "./imports.mjs";
import { byId, showError, showMessage } from "./messages.mjs";
import { call } from "./scorer.mjs";
import { answersFile } from "./store.mjs";

// Takes a share link's answers out of the address bar at once; Python checks them when ready.
export function takeShareLink(app) {
  if (!location.hash.startsWith("#a=")) return false;
  app.pendingShare = location.hash;
  history.replaceState(history.state, "", `${location.pathname}${location.search}`);
  return true;
}

/**
 * Loads the answers of the share link taken from the address bar. The theme's instant navigation
 * may hand the same link over twice (it renders the page again and puts the fragment back): while
 * nothing changed since, the link is not applied again, only its message is shown again.
 */
export async function applyShare(app) {
  const fragment = app.pendingShare;
  app.pendingShare = null;
  const last = app.lastShare;
  if (last && last.fragment === fragment && (last.pending || last.changes === app.results.changes)) {
    await last.pending;
    last.show();
    return;
  }
  const entry = { fragment, changes: -1, show: () => {}, pending: null };
  app.lastShare = entry;
  entry.pending = call(app.scorer, { op: "import", source: "share", payload: { fragment } }).then((reply) => {
    entry.show = () => showError(t("share.not_used"), reply.error, t("actions.unchanged"));
    if (reply.ok) entry.show = replaceAnswers(app, reply, t("share.the_link"), "share");
    else entry.show();
    entry.changes = app.results.changes;
  });
  try {
    await entry.pending;
  } finally {
    entry.pending = null;
  }
}

/** Makes a share link of the current answers, shows it and copies it to the clipboard. */
export async function makeShareLink(app) {
  const reply = await call(app.scorer, { op: "share", answers: answersFile(app.store.state) });
  if (!reply.ok) {
    showError(t("share.not_made"), reply.error);
    return;
  }
  const link = `${location.origin}${location.pathname}#${reply.fragment}`;
  const box = byId("mp-share");
  const field = byId("mp-share-url");
  field.value = link;
  box.hidden = false;
  field.select();
  try {
    await navigator.clipboard.writeText(link);
    showMessage("success", t("share.copied"), [t("share.copied_why")]);
  } catch {
    showMessage("info", t("share.copy_it"), []);
  }
}
