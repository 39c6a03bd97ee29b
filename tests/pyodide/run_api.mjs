// Sends requests to assessor.api.handle under real Pyodide in Node, from the wheel the site ships,
// exactly as the browser worker does (loadPackage of the wheel, then JSON strings in and out).
// Usage: node run_api.mjs WHEEL REQUESTS_JSON OUT_JSON
// REQUESTS_JSON is a list of request objects; OUT_JSON receives the list of replies.
import { readFileSync, writeFileSync } from "node:fs";
import { args, loadAssessor } from "./assessor.mjs";

const [wheelPath, requestsPath, outPath] = args("node run_api.mjs WHEEL REQUESTS_JSON OUT_JSON", 3);
const { pyodide, api } = await loadAssessor(wheelPath);
const replies = [];
for (const request of JSON.parse(readFileSync(requestsPath, "utf8"))) {
  replies.push(JSON.parse(api.handle(JSON.stringify(request))));
}
const python = pyodide.runPython("import sys; sys.version.split()[0]");
const yaml = pyodide.runPython("import sys; 'yaml' in sys.modules");
api.destroy();
writeFileSync(outPath, JSON.stringify({ python, yaml, replies }));
console.log(`pyodide ${pyodide.version} (Python ${python}): ${replies.length} replies`);
