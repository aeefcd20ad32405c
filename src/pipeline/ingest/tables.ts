import { renderTables, TABLE_FILES } from "../../io/processed-tables.js";
import type { BundleResult } from "../../ingest/bundle/result.js";
import type { GridIntensity } from "../../catalog/grid-intensity.js";
import { writeFileSet, withFolderLock, withFolderLockSync } from "../../io/atomic-write.js";
import { stageParquetTables } from "../../io/duckdb/parquet-tables.js";
import { parquetSources } from "../../io/processed-parquet.js";
import { join } from "node:path";

/** The folder, inside a processed-tables folder, that holds their Parquet copy (one folder per table). */
export const PARQUET_FOLDER = "parquet";

/** Writes the rendered tables into `outDir` as one file set; returns which files changed. */
function writeTableSet(
  outDir: string,
  text: Record<keyof typeof TABLE_FILES, string>,
): { path: string; changed: boolean }[] {
  const keys = Object.keys(TABLE_FILES) as (keyof typeof TABLE_FILES)[];
  const changed = writeFileSet(
    outDir,
    keys.map((k) => ({ name: TABLE_FILES[k], content: text[k] })),
  );
  return keys.map((k, i) => ({ path: join(outDir, TABLE_FILES[k]), changed: changed[i]! }));
}

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
  return withFolderLockSync(outDir, "ingest", () => writeTableSet(outDir, text));
}

/**
 * writeTables, and the same tables as Parquet in `outDir/parquet/` (inferences/, runs/ and
 * quarantine/, each hive-partitioned by device and model), written by DuckDB from the same text.
 * The Parquet set is staged first, so a DuckDB failure leaves both the CSV and the Parquet as they
 * were; then the CSV set is committed and the Parquet folder renamed into place. The last entry
 * of the result is the Parquet folder (changed when any of its files did).
 */
export async function writeProcessedTables(
  outDir: string,
  results: readonly BundleResult[],
  grid: GridIntensity | null = null,
): Promise<{ path: string; changed: boolean }[]> {
  const text = renderTables(results, grid);
  return withFolderLock(outDir, "ingest", async () => {
    const staged = await stageParquetTables(join(outDir, PARQUET_FOLDER), parquetSources(results, text));
    let csv: { path: string; changed: boolean }[];
    try {
      csv = writeTableSet(outDir, text);
    } catch (e) {
      staged.discard();
      throw e;
    }
    return [...csv, staged.commit()];
  });
}
