// Sends requests to assessor.api.handle under real Pyodide in Node, from the wheel the site ships,
// exactly as the browser worker does (loadPackage of the wheel, then JSON strings in and out).
// Usage: node run_api.mjs WHEEL REQUESTS_JSON OUT_JSON
// REQUESTS_JSON is a list of request objects; OUT_JSON receives the list of replies.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const [wheelPath, requestsPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error("usage: node run_api.mjs WHEEL REQUESTS_JSON OUT_JSON");
  process.exit(2);
}

const { loadPyodide } = await import(path.join(root, "node_modules", "pyodide", "pyodide.mjs"));
const pyodide = await loadPyodide();
const errors = [];
const loaded = await pyodide.loadPackage(pathToFileURL(path.resolve(wheelPath)).href, {
  messageCallback: () => {},
  errorCallback: (message) => errors.push(message),
});
if (loaded.length !== 1 || errors.length) {
  console.error(`the wheel did not load: ${errors.join(" ")}`);
  process.exit(1);
}
const api = pyodide.pyimport("assessor.api");
const replies = [];
for (const request of JSON.parse(readFileSync(requestsPath, "utf8"))) {
  replies.push(JSON.parse(api.handle(JSON.stringify(request))));
}
const python = pyodide.runPython("import sys; sys.version.split()[0]");
const yaml = pyodide.runPython("import sys; 'yaml' in sys.modules");
api.destroy();
writeFileSync(outPath, JSON.stringify({ python, yaml, replies }));
console.log(`pyodide ${pyodide.version} (Python ${python}): ${replies.length} replies`);
