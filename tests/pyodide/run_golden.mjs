// Runs the golden scoring cases under real Pyodide in Node, from the same wheel the site ships.
// Usage: node run_golden.mjs WHEEL FRAMEWORK_JSON GOLDEN_JSON OUT_JSON
// Prints "pyodide: N passed, M failed" and writes {case name: result} to OUT_JSON.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const [wheelPath, frameworkPath, goldenPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error("usage: node run_golden.mjs WHEEL FRAMEWORK_JSON GOLDEN_JSON OUT_JSON");
  process.exit(2);
}

const { loadPyodide } = await import(path.join(root, "node_modules", "pyodide", "pyodide.mjs"));
const pyodide = await loadPyodide();
// Install the wheel the way the browser does not need PyYAML: if it did, the import fails here.
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
pyodide.FS.writeFile("/tmp/golden.py", readFileSync(path.join(here, "..", "golden.py")));
pyodide.globals.set("framework_json", readFileSync(frameworkPath, "utf8"));
pyodide.globals.set("golden_json", readFileSync(goldenPath, "utf8"));
const out = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/tmp")
import assessor, golden
assert "yaml" not in sys.modules
framework = assessor.Framework.from_dict(json.loads(framework_json))
results, failures = {}, []
for case in json.loads(golden_json)["cases"]:
    result = assessor.score(framework, case["answers"])
    results[case["name"]] = result
    for line in golden.mismatches(result, case["expect"]):
        failures.append(case["name"] + ": " + line)
json.dumps({"python": sys.version.split()[0], "results": results, "failures": failures})
`);
const { python, results, failures } = JSON.parse(out);
writeFileSync(outPath, JSON.stringify(results));
for (const line of failures) console.log(`FAILED ${line}`);
const failedCases = new Set(failures.map((f) => f.split(":")[0]));
const total = Object.keys(results).length;
console.log(`pyodide ${pyodide.version} (Python ${python}): ${total - failedCases.size} passed, ${failedCases.size} failed`);
process.exit(failedCases.size ? 1 : 0);
