// Files for the team and organisation pages: which ones the visitor chose (a file input, a
// folder input, a drop of files or folders) and their bytes, read a few at a time. No DOM of
// the page: progress goes to a callback. Bytes travel as base64, so Python judges the size and
// the encoding of every file as the CLI does.
import { t } from "./i18n.mjs";

const READERS = 8; // files read at once

const isJson = (name) => name.toLowerCase().endsWith(".json");
const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// Folder members in the CLI's order: sorted by path, folder by folder.
function byPath(a, b) {
  const x = a.split("/");
  const y = b.split("/");
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    if (x[i] !== y[i]) return compare(x[i], y[i]);
  }
  return x.length - y.length;
}

/** The files of a file input as [{file, name}]: a folder input's .json files directly in it. */
export function chosen(input) {
  if (!input.hasAttribute("webkitdirectory")) return [...input.files].map((file) => ({ file, name: file.name }));
  return [...input.files].filter((file) => isJson(file.name) && file.webkitRelativePath.split("/").length === 2)
    .map((file) => ({ file, name: file.webkitRelativePath })).sort((a, b) => byPath(a.name, b.name));
}

// A dropped folder stands for the .json files directly in it, sorted by name, as in the CLI (a
// folder of last quarter's exports inside this quarter's must not join the roll-up).
async function collect(entry, out) {
  const file = (item) => new Promise((resolve, reject) => item.file(resolve, reject));
  if (entry.isFile) {
    out.push({ file: await file(entry), name: entry.name });
    return;
  }
  const reader = entry.createReader();
  const children = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    children.push(...batch.filter((child) => child.isFile && isJson(child.name)));
  }
  children.sort((a, b) => compare(a.name, b.name));
  for (const child of children) out.push({ file: await file(child), name: `${entry.name}/${child.name}` });
}

/** The files of a drop event's DataTransfer as [{file, name}] (call it in the event handler). */
export function dropped(transfer) {
  // Entries must be taken while the drop event runs: the items are gone after it.
  const entries = [...(transfer.items || [])]
    .map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
  const files = [...transfer.files];
  return (async () => {
    if (!entries.length) return files.map((file) => ({ file, name: file.name }));
    const out = [];
    for (const entry of entries) await collect(entry, out);
    return out;
  })();
}

function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// A file over the size limit is not read at all: Python refuses it by its size.
async function payloadOf(file, limit) {
  if (file.size > limit) return { data_base64: "", size: file.size };
  return { data_base64: toBase64(new Uint8Array(await file.arrayBuffer())), size: file.size };
}

/**
 * Reads [{file, name}]: resolves with { payloads (null for a file that could not be read),
 * unreadable: [{file, message}] }; `progress(done, total)` runs after each file.
 */
export async function readAll(entries, limit, progress) {
  const total = entries.length;
  const payloads = new Array(total);
  const unreadable = [];
  let next = 0;
  let done = 0;
  progress(0, total);
  async function reader() {
    while (next < total) {
      const index = next;
      next += 1;
      try {
        payloads[index] = await payloadOf(entries[index].file, limit);
      } catch (error) {
        payloads[index] = null;
        unreadable.push({ file: entries[index].name, message: t("files.unreadable", { error: error.message || error }) });
      }
      done += 1;
      progress(done, total);
    }
  }
  await Promise.all(Array.from({ length: Math.min(READERS, total) }, reader));
  return { payloads, unreadable };
}
