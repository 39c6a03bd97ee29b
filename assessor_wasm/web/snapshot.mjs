// The start-up snapshot's container: how the site build packs Pyodide's memory snapshot (Python
// started, the assessor imported, the framework loaded) and how the worker unpacks it. Shared by
// the build's Node script (hooks/playbook_site/make_snapshot.mjs), the worker and the Node tests,
// so all three use the same code. No DOM, no Node API: plain bytes and streams.
//
// File: gzip of  "MPSNAP01" | u32 LE header length | header JSON | page bitmap | pages.
// The header names the files the snapshot was made from (`key`, also the name of the folder it is
// served from) and the Pyodide version; a snapshot that does not match both is refused. Pyodide's
// own snapshot (its header, then the whole WebAssembly memory) is cut into 4 KiB pages; pages of
// zeros are left out (about 5 MB of never-used heap and stack), and the memory's initial data,
// which pyodide.asm.wasm already carries, is XOR-ed out before packing and back in when the
// instance exists (unchanged bytes become zeros, which compress to nothing).

export const MAGIC = "MPSNAP01";
export const FORMAT = 1;
const PAGE = 4096;
const GZIP = [0x1f, 0x8b];

/** A snapshot that must not be used; the message says why, for the worker's timings. */
export class SnapshotRefused extends Error {}

/** The folder a snapshot URL or path is served from: the key the build named it by. */
export function keyOf(url) {
  const parts = String(url).split(/[?#]/)[0].split("/");
  return parts.length > 1 ? parts[parts.length - 2] : "";
}

// XOR `source` into `target` (same length, both starting at a multiple of 4 in their buffers).
function xorInto(target, source) {
  const words = target.length >>> 2;
  const t32 = new Uint32Array(target.buffer, target.byteOffset, words);
  const s32 = new Uint32Array(source.buffer, source.byteOffset, words);
  for (let i = 0; i < words; i += 1) t32[i] ^= s32[i];
  for (let i = words << 2; i < target.length; i += 1) target[i] ^= source[i];
}

function memoryStart(snapshot) {
  // Pyodide's snapshot header: magic, then the offset at which the memory copy starts.
  return new DataView(snapshot.buffer, snapshot.byteOffset, 8).getUint32(4, true);
}

/**
 * Pack Pyodide's snapshot (`makeMemorySnapshot()`) into the container, uncompressed.
 * `pristine` is the memory as instantiation alone leaves it (see `captureInitialMemory`);
 * `header` carries at least `key` and `pyodide`.
 */
export function packSnapshot(snapshot, pristine, header) {
  const data = new Uint8Array(snapshot); // a copy, 4-byte aligned
  const start = memoryStart(data);
  let end = pristine.length;
  while (end > 0 && pristine[end - 1] === 0) end -= 1;
  end = Math.min((end + 3) & ~3, data.length - start);
  xorInto(data.subarray(start, start + end), pristine.subarray(0, end));
  const pages = Math.ceil(data.length / PAGE);
  const bitmap = new Uint8Array(Math.ceil(pages / 8));
  const kept = [];
  for (let page = 0; page < pages; page += 1) {
    const bytes = data.subarray(page * PAGE, Math.min((page + 1) * PAGE, data.length));
    if (bytes.some((b) => b !== 0)) {
      bitmap[page >> 3] |= 1 << (page & 7);
      kept.push(bytes);
    }
  }
  const json = new TextEncoder().encode(
    JSON.stringify({ ...header, format: FORMAT, length: data.length, memoryStart: start, xorEnd: end, page: PAGE }),
  );
  const size = 12 + json.length + bitmap.length + kept.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  let at = 12;
  for (const part of [json, bitmap, ...kept]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// A reader over a stream of byte chunks that hands out exact byte counts.
function chunkReader(stream) {
  const reader = stream.getReader();
  let chunk = new Uint8Array(0);
  let done = false;
  return {
    async fill() {
      if (chunk.length || done) return chunk.length > 0;
      const next = await reader.read();
      if (next.done) done = true;
      else chunk = next.value;
      return !done || chunk.length > 0;
    },
    async read(count) {
      const out = new Uint8Array(count);
      let at = 0;
      while (at < count) {
        if (!(await this.fill())) throw new SnapshotRefused("the snapshot file is truncated");
        const take = Math.min(count - at, chunk.length);
        out.set(chunk.subarray(0, take), at);
        chunk = chunk.subarray(take);
        at += take;
      }
      return out;
    },
    // Copy `count` bytes straight into `target` at `offset` (no intermediate buffer).
    async copy(target, offset, count) {
      let at = 0;
      while (at < count) {
        if (!(await this.fill())) throw new SnapshotRefused("the snapshot file is truncated");
        const take = Math.min(count - at, chunk.length);
        target.set(chunk.subarray(0, take), offset + at);
        chunk = chunk.subarray(take);
        at += take;
      }
    },
    async atEnd() {
      return !(await this.fill());
    },
    cancel() {
      reader.cancel().catch(() => {});
    },
  };
}

// The file's bytes as a stream: gunzipped when it is gzip (a host may already have removed the
// compression with Content-Encoding, so both are accepted).
async function containerStream(stream) {
  const reader = stream.getReader();
  let first = await reader.read();
  while (!first.done && first.value.length < 2) {
    const more = await reader.read();
    if (more.done) break;
    const joined = new Uint8Array(first.value.length + more.value.length);
    joined.set(first.value);
    joined.set(more.value, first.value.length);
    first = { done: false, value: joined };
  }
  if (first.done) throw new SnapshotRefused("the snapshot file is empty");
  const rest = new ReadableStream({
    start(controller) {
      controller.enqueue(first.value);
    },
    async pull(controller) {
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  if (first.value[0] !== GZIP[0] || first.value[1] !== GZIP[1]) return rest;
  if (typeof DecompressionStream !== "function") {
    throw new SnapshotRefused("this browser cannot unpack the snapshot (no DecompressionStream)");
  }
  return rest.pipeThrough(new DecompressionStream("gzip"));
}

/**
 * Unpack a snapshot file (a ReadableStream of its bytes) made for `expect.key` and Pyodide
 * `expect.pyodide`. Resolves to { bytes, header } (`bytes` still has the initial data XOR-ed
 * out: `snapshotOptions` puts it back); throws SnapshotRefused when the file is not one.
 */
export async function unpackSnapshot(stream, expect) {
  let reader;
  try {
    reader = chunkReader(await containerStream(stream));
    const magic = new TextDecoder().decode(await reader.read(8));
    if (magic !== MAGIC) throw new SnapshotRefused("the file is not a start-up snapshot");
    const length = new DataView((await reader.read(4)).buffer).getUint32(0, true);
    if (length > 1 << 20) throw new SnapshotRefused("the snapshot's header is damaged");
    let header;
    try {
      header = JSON.parse(new TextDecoder().decode(await reader.read(length)));
    } catch {
      throw new SnapshotRefused("the snapshot's header is damaged");
    }
    if (header.format !== FORMAT) throw new SnapshotRefused(`the snapshot has format ${header.format}, this page reads ${FORMAT}`);
    if (header.pyodide !== expect.pyodide) {
      throw new SnapshotRefused(`the snapshot was made with Pyodide ${header.pyodide}, this page runs ${expect.pyodide}`);
    }
    if (header.key !== expect.key) {
      throw new SnapshotRefused(`the snapshot was made from other files (${header.key}, expected ${expect.key})`);
    }
    if (!(header.length > 0 && header.length < 2 ** 31 && header.page === PAGE)) {
      throw new SnapshotRefused("the snapshot's header is damaged");
    }
    const pages = Math.ceil(header.length / PAGE);
    const bitmap = await reader.read(Math.ceil(pages / 8));
    const bytes = new Uint8Array(header.length);
    for (let page = 0; page < pages; page += 1) {
      if (bitmap[page >> 3] & (1 << (page & 7))) {
        const at = page * PAGE;
        await reader.copy(bytes, at, Math.min(PAGE, header.length - at));
      }
    }
    if (!(await reader.atEnd())) throw new SnapshotRefused("the snapshot file has trailing data");
    if (memoryStart(bytes) !== header.memoryStart) throw new SnapshotRefused("the snapshot's header is damaged");
    return { bytes, header };
  } catch (error) {
    reader?.cancel();
    if (error instanceof SnapshotRefused) throw error;
    throw new SnapshotRefused(`the snapshot could not be read (${error.message})`);
  }
}

// Wraps Pyodide's WebAssembly instantiation so `onInstance(memoryBytes)` sees the memory exactly
// as instantiation leaves it (the data segments), before any code of the module has run.
function wrapFactory(factory, onInstance) {
  return (settings) => {
    const instantiate = settings.instantiateWasm;
    if (typeof instantiate !== "function") throw new SnapshotRefused("this Pyodide build instantiates WebAssembly differently");
    settings.instantiateWasm = (imports, receive) =>
      instantiate(imports, (instance, module) => {
        onInstance(new Uint8Array(instance.exports.memory.buffer));
        receive(instance, module);
      });
    return factory(settings);
  };
}

/**
 * loadPyodide options that start from a snapshot: `unpacked` is the promise `unpackSnapshot`
 * returns, so Pyodide fetches its other files while the snapshot downloads. `factory` is the
 * default export of pyodide.asm.mjs. The initial data is XOR-ed back in once the instance exists
 * (before Pyodide copies the snapshot into its memory).
 */
export function snapshotOptions(unpacked, factory) {
  let snapshot = null;
  // Registered before Pyodide awaits `_loadSnapshot` (derived from the same promise): it runs first.
  const bytes = unpacked.then((value) => {
    snapshot = value;
    return value.bytes;
  });
  const createPyodideModule = wrapFactory(factory, (memory) => {
    const { header } = snapshot;
    const start = header.memoryStart;
    xorInto(snapshot.bytes.subarray(start, start + header.xorEnd), memory.subarray(0, header.xorEnd));
  });
  return { _loadSnapshot: bytes, createPyodideModule };
}

/**
 * loadPyodide options for the build (with `_makeSnapshot`): `initial()` then returns a copy of
 * the memory as instantiation left it, which `packSnapshot` needs.
 */
export function captureInitialMemory(factory) {
  let copy = null;
  const createPyodideModule = wrapFactory(factory, (memory) => {
    copy = memory.slice();
  });
  return { createPyodideModule, initial: () => copy };
}
