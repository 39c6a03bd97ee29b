// Shared by the Node runners: load real Pyodide from node_modules and install the assessor wheel
// exactly as the browser's worker does (loadPackage of the wheel, whose result is checked because
// it reports failures through errorCallback instead of throwing).
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "..", "..");

/** Command-line arguments, or exit 2 with the usage line when some are missing. */
export function args(usage, count) {
  const values = process.argv.slice(2);
  if (values.length < count) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return values;
}

/** Pyodide with the wheel installed, and `assessor.api` imported. */
export async function loadAssessor(wheelPath) {
  const { loadPyodide } = await import(path.join(root, "node_modules", "pyodide", "pyodide.mjs"));
  const pyodide = await loadPyodide();
  const errors = [];
  const loaded = await pyodide.loadPackage(pathToFileURL(path.resolve(wheelPath)).href, {
    messageCallback: () => {},
    errorCallback: (message) => errors.push(message),
  });
  if (errors.length || !loaded.some((pkg) => pkg.fileName === path.basename(wheelPath))) {
    console.error(`the wheel was not installed: ${errors.join(" ") || "nothing was loaded"}`);
    process.exit(1);
  }
  return { pyodide, api: pyodide.pyimport("assessor.api") };
}
