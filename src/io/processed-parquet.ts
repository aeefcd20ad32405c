/**
 * What the Parquet copy of the processed tables is written from: the CSV text of inferences.csv and
 * runs.csv as rendered, and quarantine.csv's rows with the device and model of the run each rejected
 * line came from (the columns its Parquet copy is partitioned by). Pure.
 */
import { formatCsv } from "./csv.js";
import { QUARANTINE_COLUMNS, sortQuarantine, type TABLE_FILES } from "./processed-tables.js";
import { PARTITION_COLUMNS } from "./table-types.js";
import type { BundleResult } from "../ingest/bundle/result.js";
import type { QuarantineEntry } from "../ingest/types.js";
import type { ParquetSource } from "./duckdb/parquet-tables.js";

/** quarantine.csv's rows in its order, each with its run's device and model. */
export function quarantineWithPartitions(results: readonly BundleResult[]): string {
  const run = new Map<QuarantineEntry, { device: string; model: string }>();
  for (const b of results)
    for (const q of b.quarantined) run.set(q, { device: b.manifest.device, model: b.manifest.model });
  const rows = sortQuarantine([...run.keys()]).map((q) => ({
    file: q.file,
    line: String(q.line),
    text: q.text,
    reason: q.reason,
    ...run.get(q)!,
  }));
  return formatCsv([...QUARANTINE_COLUMNS, ...PARTITION_COLUMNS], rows);
}

/** The tables the Parquet copy holds, from the rendered CSV text of the same ingest. */
export function parquetSources(
  results: readonly BundleResult[],
  text: Record<keyof typeof TABLE_FILES, string>,
): ParquetSource[] {
  return [
    { table: "inferences", csv: text.inferences },
    { table: "runs", csv: text.runs },
    { table: "quarantine", csv: quarantineWithPartitions(results) },
  ];
}
