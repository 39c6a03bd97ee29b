// Runs the golden scoring cases under real Pyodide in Node, the way the browser's worker does:
// `loadPackage` of the wheel the site ships, `import assessor.api`, the site's slim framework.json
// loaded with `verify: false`, then one `score` request per case.
// Usage: node run_golden.mjs WHEEL FRAMEWORK_JSON GOLDEN_JSON OUT_JSON
// Prints "pyodide: N passed, M failed" and writes {case name: result} to OUT_JSON.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { args, loadAssessor } from "./assessor.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const [wheelPath, frameworkPath, goldenPath, outPath] = args(
  "node run_golden.mjs WHEEL FRAMEWORK_JSON GOLDEN_JSON OUT_JSON", 4);
const { pyodide, api } = await loadAssessor(wheelPath);
const call = (request) => JSON.parse(api.handle(JSON.stringify(request)));
const framework = JSON.parse(readFileSync(frameworkPath, "utf8"));
const loadReply = call({ op: "load", framework, verify: false });
if (!loadReply.ok) {
  console.error(`framework.json was refused: ${JSON.stringify(loadReply.error)}`);
  process.exit(1);
}
// The browser path must not need PyYAML: it is not in Pyodide's standard library.
if (pyodide.runPython(`import sys; "yaml" in sys.modules`)) {
  console.error("assessor.api imported yaml");
  process.exit(1);
}
pyodide.FS.writeFile("/tmp/golden.py", readFileSync(path.join(here, "..", "golden.py")));
pyodide.runPython(`import sys; sys.path.insert(0, "/tmp")`);
const golden = pyodide.pyimport("golden");
const results = {};
const failures = [];
for (const testCase of JSON.parse(readFileSync(goldenPath, "utf8")).cases) {
  const reply = call({ op: "score", answers: testCase.answers });
  if (!reply.ok) {
    failures.push(`${testCase.name}: ${reply.error.message} ${reply.error.problems.join("; ")}`);
    continue;
  }
  results[testCase.name] = reply.result;
  const mismatches = golden.mismatches_json(JSON.stringify(reply.result), JSON.stringify(testCase.expect));
  for (const line of JSON.parse(mismatches)) failures.push(`${testCase.name}: ${line}`);
}
writeFileSync(outPath, JSON.stringify(results));
for (const line of failures) console.log(`FAILED ${line}`);
const failedCases = new Set(failures.map((f) => f.split(":")[0]));
const total = JSON.parse(readFileSync(goldenPath, "utf8")).cases.length;
const python = pyodide.runPython("import sys; sys.version.split()[0]");
console.log(`pyodide ${pyodide.version} (Python ${python}): ${total - failedCases.size} passed, ${failedCases.size} failed`);
process.exit(failedCases.size ? 1 : 0);
