import { renderTables, TABLE_FILES } from "../../io/processed-tables.js";
import type { BundleResult } from "../../ingest/bundle/result.js";
import type { GridIntensity } from "../../catalog/grid-intensity.js";
import { writeFileSet, withFolderLockSync } from "../../io/atomic-write.js";
import { join } from "node:path";

/**
 * Write the processed tables into `outDir` as one set (all new or all old, even after kill -9),
 * under the folder's lock; returns which files changed. With `grid`, runs.csv carries CO2e columns.
 */
export function writeTables(
  outDir: string,
  results: readonly BundleResult[],
  grid: GridIntensity | null = null,
): { path: string; changed: boolean }[] {
  const text = renderTables(results, grid);
  const keys = Object.keys(TABLE_FILES) as (keyof typeof TABLE_FILES)[];
  const changed = withFolderLockSync(outDir, "ingest", () =>
    writeFileSet(
      outDir,
      keys.map((k) => ({ name: TABLE_FILES[k], content: text[k] })),
    ),
  );
  return keys.map((k, i) => ({ path: join(outDir, TABLE_FILES[k]), changed: changed[i]! }));
}
