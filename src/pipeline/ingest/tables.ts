import { join } from "node:path";
import { renderTables, TABLE_FILES } from "../../io/processed-tables.js";
import type { BundleResult } from "../../ingest/bundle/result.js";
import { writeFileAtomic } from "../../io/atomic-write.js";

/** Write the processed tables into `outDir`, atomically; returns which files changed. */
export function writeTables(outDir: string, results: readonly BundleResult[]): { path: string; changed: boolean }[] {
  const text = renderTables(results);
  return (Object.keys(TABLE_FILES) as (keyof typeof TABLE_FILES)[]).map((k) => {
    const path = join(outDir, TABLE_FILES[k]);
    return { path, changed: writeFileAtomic(path, text[k]) };
  });
}
