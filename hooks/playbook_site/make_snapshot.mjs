// Makes the scorer's start-up snapshot at site-build time (called by snapshot.py): real Pyodide in
// Node, the exact wheel the site ships installed the way the worker installs it, every assessor
// module imported, the site's framework.json loaded, each API operation run once (so what they
// import lazily is in memory too), then Pyodide's memory snapshot, packed by the same module the
// worker unpacks it with (assessor_wasm/web/snapshot.mjs) and gzip-compressed.
//
// Usage: node make_snapshot.mjs PYODIDE_DIR WHEEL FRAMEWORK_JSON KEY OUT
// Prints one JSON line of figures (bytes at each step) on success; exits 1 with a message if not.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const { captureInitialMemory, packSnapshot } = await import(
  pathToFileURL(path.join(here, "..", "..", "assessor_wasm", "web", "snapshot.mjs")).href
);

function fail(message) {
  console.error(`make_snapshot: ${message}`);
  process.exit(1);
}

// An error's first and last lines: Pyodide's errors otherwise print a megabyte of minified source.
process.on("uncaughtException", (error) => {
  const lines = String(error && error.message ? error.message : error).trim().split("\n");
  fail(lines.length > 2 ? `${lines[0]} … ${lines[lines.length - 1]}` : lines.join(" "));
});

const [pyodideDir, wheelPath, frameworkPath, key, outPath] = process.argv.slice(2);
if (!outPath) fail("usage: node make_snapshot.mjs PYODIDE_DIR WHEEL FRAMEWORK_JSON KEY OUT");

const { loadPyodide, version } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const factory = (await import(pathToFileURL(path.join(pyodideDir, "pyodide.asm.mjs")).href)).default;
const capture = captureInitialMemory(factory);
const output = [];
const pyodide = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  _makeSnapshot: true,
  createPyodideModule: capture.createPyodideModule,
  stdout: (line) => output.push(line),
  stderr: (line) => output.push(line),
});

// The wheel's files (loadPackage would leave JavaScript references behind that a snapshot cannot
// hold; unpacking the same wheel gives the same files).
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
// Every module of the package (but __main__, the command line): after the snapshot is restored the
// wheel's files are gone (the file system is not part of it), so nothing may be left to import.
pyodide.runPython(`
import importlib, pkgutil, assessor
for module in pkgutil.iter_modules(assessor.__path__):
    if not module.ispkg and not module.name.startswith("_"):
        importlib.import_module("assessor." + module.name)
`);
const api = pyodide.pyimport("assessor.api");
const call = (request) => JSON.parse(api.handle(JSON.stringify(request)));
const info = call({ op: "load", framework: JSON.parse(readFileSync(frameworkPath, "utf8")), verify: false });
if (!info.ok) fail(`framework.json was refused: ${JSON.stringify(info.error)}`);
// One call of each operation: lazy imports, compiled regular expressions and caches end up in
// memory, so the visitor's first calls are as fast as the later ones. Nothing of them is kept:
// the API keeps no state but the framework.
const answers = { format: info.format, framework: { id: info.framework.id, version: info.framework.version }, answers: {} };
const scored = call({ op: "score", answers });
if (!scored.ok) fail(`scoring failed: ${JSON.stringify(scored.error)}`);
// The worker repeats this request a few times before it says it is ready (startup.mjs): in the
// browser the restored interpreter's WebAssembly is compiled lazily, function by function, and
// optimised only after some use, so without it the visitor's first answers would pay for that.
// Every practice answered, cycling through its own scale, so scoring takes all its paths.
pyodide.globals.set("framework_text", readFileSync(frameworkPath, "utf8"));
const everyAnswer = JSON.parse(pyodide.runPython(`
import json
from assessor.codec import framework_from_trusted_dict
framework = framework_from_trusted_dict(json.loads(framework_text))
json.dumps({p.id: framework.scale_of(p)[i % len(framework.scale_of(p))].id
            for i, p in enumerate(framework.practices)})
`));
pyodide.runPython("del framework_text, framework, json, framework_from_trusted_dict");
const warmup = { op: "score", answers: { ...answers, answers: everyAnswer } };
const warmed = call(warmup);
if (!warmed.ok) fail(`the warm-up request failed: ${JSON.stringify(warmed.error)}`);
const exported = call({ op: "export", answers, saved_at: "2000-01-01T00:00:00Z" });
const shared = call({ op: "share", answers });
for (const request of [
  { op: "report", answers, base_url: "" },
  { op: "import", source: "file", payload: { text: exported.text ?? "" } },
  { op: "import", source: "share", payload: { fragment: shared.fragment ?? "" } },
  { op: "compare", answers, earlier: { text: exported.text ?? "" } },
]) {
  const reply = call(request);
  if (!reply.ok) fail(`the warm-up call ${request.op} failed: ${JSON.stringify(reply.error)}`);
}
api.destroy();
if (pyodide.runPython(`import sys; "yaml" in sys.modules`)) fail("assessor.api imported yaml");
const modules = pyodide.runPython("import gc, sys; gc.collect(); len(sys.modules)");

// Freed heap memory still holds old objects, which compress badly: allocate every free chunk
// (never growing the heap: the footprint limit makes malloc fail instead), zero it, free it.
const M = pyodide._module;
let zeroed = 0;
const plainSnapshot = pyodide.makeMemorySnapshot();
if (M._malloc_footprint && M._malloc_set_footprint_limit && M._malloc_usable_size) {
  const limit = M._malloc_footprint_limit();
  M._malloc_set_footprint_limit(M._malloc_footprint());
  const held = [];
  for (let size = 1 << 24; size >= 8; size >>>= 1) {
    for (let p = M._malloc(size); p; p = M._malloc(size)) {
      const usable = M._malloc_usable_size(p);
      M.HEAPU8.fill(0, p, p + usable);
      zeroed += usable;
      held.push(p);
    }
  }
  for (const p of held) M._free(p);
  M._malloc_set_footprint_limit(limit);
}
// The stack below the current frame is dead too.
const stackEnd = M._emscripten_stack_get_end();
const stackNow = M._emscripten_stack_get_current();
M.HEAPU8.fill(0, stackEnd, stackNow - 1024);

const snapshot = pyodide.makeMemorySnapshot();
const python = pyodide.runPython("import sys; sys.version.split()[0]");
const packed = packSnapshot(snapshot, capture.initial(), { key, pyodide: version, python, info, warmup });
const compressed = gzipSync(packed, { level: 9 });
writeFileSync(outPath + ".part", compressed);
renameSync(outPath + ".part", outPath);
const gzip6 = (bytes) => gzipSync(bytes, { level: 6 }).length;
console.log(
  JSON.stringify({
    pyodide: version,
    python,
    modules,
    output: output.length,
    plain: { raw: plainSnapshot.length, gzip: gzip6(plainSnapshot) },
    zeroed: { freed: zeroed, raw: snapshot.length, gzip: gzip6(snapshot) },
    packed: { raw: packed.length, gzip: gzip6(packed) },
    file: compressed.length,
  }),
);
