// Starts the scorer under real Pyodide in Node with the worker's own start-up code
// (assessor_wasm/web/startup.mjs: the build's snapshot when it fits, else the plain start), then
// runs the golden cases through the handle it returns.
// Usage: node run_snapshot.mjs WHEEL FRAMEWORK_JSON SNAPSHOT GOLDEN_JSON OUT_JSON
// SNAPSHOT is the snapshot file's path inside its key folder (…/<key>/<name>), or "" for none.
// Writes {start, fallback, timings, results: {case name: result}} to OUT_JSON.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { args, root } from "./assessor.mjs";

const [wheelPath, frameworkPath, snapshotPath, goldenPath, outPath] = args(
  "node run_snapshot.mjs WHEEL FRAMEWORK_JSON SNAPSHOT GOLDEN_JSON OUT_JSON", 5);
const web = path.join(root, "assessor_wasm", "web");
const { startScorer, StartError } = await import(pathToFileURL(path.join(web, "startup.mjs")).href);
const { SnapshotRefused } = await import(pathToFileURL(path.join(web, "snapshot.mjs")).href);
const indexDir = path.join(root, "node_modules", "pyodide") + path.sep;
const { loadPyodide, version } = await import(pathToFileURL(path.join(indexDir, "pyodide.mjs")).href);

const scorer = await startScorer({
  version,
  loadPyodide: (options) => loadPyodide({ indexURL: indexDir, stdout: () => {}, stderr: () => {}, ...options }),
  factory: async () => (await import(pathToFileURL(path.join(indexDir, "pyodide.asm.mjs")).href)).default,
  open: async (file) => {
    if (!existsSync(file)) throw new SnapshotRefused(`the snapshot could not be downloaded (no file ${file})`);
    return new Blob([readFileSync(file)]).stream();
  },
  text: async (file, what) => {
    if (!existsSync(file)) throw new StartError(`${what} could not be downloaded`);
    return readFileSync(file, "utf8");
  },
  progress: () => {},
  snapshotURL: snapshotPath,
  wheelURL: pathToFileURL(path.resolve(wheelPath)).href,
  frameworkURL: frameworkPath,
});
const results = {};
for (const testCase of JSON.parse(readFileSync(goldenPath, "utf8")).cases) {
  const reply = JSON.parse(scorer.handle(JSON.stringify({ op: "score", answers: testCase.answers })));
  results[testCase.name] = reply.ok ? reply.result : { error: reply.error };
}
const { start, fallback } = scorer.timings;
writeFileSync(outPath, JSON.stringify({ start, fallback, info: scorer.info, timings: scorer.timings, results }));
console.log(`start: ${start}${fallback ? ` (${fallback})` : ""}; ${Object.keys(results).length} cases scored`);
