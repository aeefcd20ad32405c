/** Write a simulated run as a bundle folder: manifest.json, the raw logs and truth.json. */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { usageError } from "../errors.js";
import { ensureFolder, writeFileAtomic } from "../io/atomic-write.js";
import { stableJson } from "../report/format.js";
import { TRUTH_FILE, type SimulatedRun } from "../simulate/simulate.js";
import type { Written } from "./written.js";

/**
 * Write `run` into `dir`. The folder must be new or empty unless `overwrite` (then only the
 * bundle's own files are rewritten, atomically; identical content is left untouched).
 */
export function writeSimulatedBundle(dir: string, run: SimulatedRun, opts: { overwrite?: boolean } = {}): Written[] {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw usageError(`--out ${dir} is a file, not a folder`, "give a new folder for the bundle");
  }
  if (existsSync(dir) && readdirSync(dir).length > 0 && !opts.overwrite) {
    throw usageError(
      `--out ${dir} exists and is not empty`,
      "choose a new folder for the bundle, or pass --force to rewrite a simulated bundle",
    );
  }
  ensureFolder(dir, "bundle folder");
  const out: Written[] = [];
  const put = (name: string, text: string) => {
    const path = join(dir, name);
    out.push({ path, changed: writeFileAtomic(path, text) });
  };
  put("manifest.json", stableJson(run.manifest));
  for (const f of run.files) put(f.name, f.text);
  put(TRUTH_FILE, stableJson(run.truth));
  return out;
}
