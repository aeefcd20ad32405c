/**
 * `query`: DuckDB SQL over the project's tables — the processed tables from their Parquet copy
 * (inferences, runs, quarantine), the community corpus (corpus) and the paper's published cells
 * (paper) — answered as JSON-ready columns and rows.
 */
import { join } from "node:path";
import { SlmError, usageError } from "../errors.js";
import { loadPaper } from "../io/paper.js";
import { projectRoot } from "../io/project-root.js";
import { duckDbMessage, withDuckDb } from "../io/duckdb/database.js";
import { toJsonValue, type JsonValue } from "../io/duckdb/values.js";
import { createViews, viewsHint, type ViewReport } from "../io/duckdb/views.js";
import { PATHS } from "./paths.js";
import { PARQUET_FOLDER } from "./ingest/tables.js";

export type { JsonValue };

export interface QueryOptions {
  /** The project root (default: the one this package lies in, or $SLM_ENERGY_ROOT). */
  root?: string;
  /** A processed-tables folder written by `ingest --out DIR` (default data/processed/ of the project). */
  processedDir?: string;
}

/** A query's answer: column names in order (a repeat made unique as DuckDB does: `a:1`), SQL types, rows. */
export interface QueryResult {
  columns: string[];
  types: string[];
  rows: Record<string, JsonValue>[];
}

/** The error of a query DuckDB refused: its message word for word, and the views with their columns. */
function sqlError(e: unknown, sql: string, views: readonly ViewReport[]): SlmError {
  const missing = views.filter((v) => v.missing !== undefined).map((v) => v.name);
  const run = "run `slm-energy reproduce` (bundled data) or `slm-energy ingest … --out DIR`";
  const fix = missing.length === 0 ? "" : `\n  ${missing.join(", ")} missing: ${run}`;
  return new SlmError("E_INPUT", duckDbMessage(e), { field: "SQL", text: sql, hint: viewsHint(views) + fix, cause: e });
}

/**
 * Runs `sql` (one or more DuckDB statements; the last one's rows are returned) over the views
 * inferences, runs, quarantine, corpus and paper, in a fresh in-memory database. Values are JSON:
 * BIGINT as a number when exact, else a string; dates ISO 8601 (see io/duckdb/values.ts).
 * A statement DuckDB refuses is an input error (exit 2) quoting DuckDB and listing the views.
 */
export async function query(sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
  if (sql.trim() === "") throw usageError("the SQL is empty", 'give a statement, e.g. "SELECT count(*) FROM runs"');
  const root = opts.root ?? projectRoot();
  const processed = opts.processedDir ?? join(root, PATHS.processedDir);
  return withDuckDb(async (c) => {
    const views = await createViews(c, {
      parquetDir: join(processed, PARQUET_FOLDER),
      corpusCsv: join(root, PATHS.communityCorpus),
      paper: () => loadPaper(root).cells,
    });
    let reader;
    try {
      reader = await c.runAndReadAll(sql);
    } catch (e) {
      throw sqlError(e, sql, views);
    }
    const columns = reader.deduplicatedColumnNames();
    const values = reader.getRows();
    return {
      columns,
      types: reader.columnTypes().map(String),
      rows: values.map((row) => Object.fromEntries(columns.map((name, i) => [name, toJsonValue(row[i]!)]))),
    };
  });
}
