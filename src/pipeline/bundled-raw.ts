import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { ingestBundles } from "./ingest/bundle.js";
import { writeProcessedTables } from "./ingest/tables.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import { readTruthFile, type TruthFile } from "../io/truth.js";
import { TRUTH_FILE } from "../simulate/simulate.js";
import { simulatedVsTruthCsv } from "../simulate/vs-truth.js";
import { PATHS } from "./paths.js";
import type { Written } from "./written.js";

/** Bundle folders under data/raw (each holding a manifest.json), sorted. */
export function bundledRawDirs(root: string): string[] {
  const dir = join(root, PATHS.rawDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory() && existsSync(join(dir, n, "manifest.json")))
    .sort()
    .map((n) => join(dir, n));
}

/** The truth.json of every bundle folder that has one, by run id (the folder's name). */
export function readTruths(dirs: readonly string[]): Map<string, TruthFile> {
  const out = new Map<string, TruthFile>();
  for (const dir of dirs) {
    const file = join(dir, TRUTH_FILE);
    if (existsSync(file)) out.set(basename(dir), readTruthFile(file));
  }
  return out;
}

/**
 * Ingest every bundle under `data/raw/` into `data/processed/` (inferences.csv, runs.csv,
 * quarantine.csv, ingest-summary.json, and their Parquet copy in parquet/) and write
 * `simulated-vs-truth.csv` for those with a truth.json. Idempotent: unchanged files are not rewritten.
 */
export async function ingestBundledRaw(root: string): Promise<Written[]> {
  const dirs = bundledRawDirs(root);
  if (dirs.length === 0) return [];
  const results = await ingestBundles(dirs);
  const written: Written[] = (await writeProcessedTables(join(root, PATHS.processedDir), results)).map((w) => ({
    path: relative(root, w.path),
    changed: w.changed,
  }));
  const vs = join(root, PATHS.simulatedVsTruthCsv);
  written.push({
    path: PATHS.simulatedVsTruthCsv,
    changed: writeFileAtomic(vs, simulatedVsTruthCsv(results, readTruths(dirs))),
  });
  return written;
}
