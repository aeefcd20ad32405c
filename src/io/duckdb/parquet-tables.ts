/**
 * The Parquet copy of the processed tables: `<dir>/<table>/device=…/model=…/data_0.parquet`
 * (hive-partitioned), written by DuckDB from the same CSV text as the CSV tables, with the column
 * types of table-types.ts. The whole folder is staged beside its destination and renamed into place,
 * so a reader sees the old set or the new one; unchanged bytes are left untouched.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { SlmError } from "../../errors.js";
import { ensureFolder, removeStaleTemps } from "../atomic-write.js";
import { writeError } from "../files.js";
import { PARQUET_TABLE_TYPES, PARTITION_COLUMNS, type ParquetTable, type SqlType } from "../table-types.js";
import { duckDbMessage, withDuckDb, type DuckDBConnection } from "./database.js";
import { readCsvSql, selectList, sqlPath } from "./sql.js";

/** One table to write: its name and its CSV text (header first; columns named in PARQUET_TABLE_TYPES). */
export interface ParquetSource {
  table: ParquetTable;
  csv: string;
}

/** A Parquet set written into a temporary folder, waiting to be renamed into place (or thrown away). */
export interface StagedParquet {
  /** Where the set will live. */
  dir: string;
  /** Whether it differs from what is there now (any file added, removed or changed). */
  changed: boolean;
  /** Puts the staged set in place (when it changed) and removes the temporary folder. */
  commit(): { path: string; changed: boolean };
  /** Removes the temporary folder; what is in place stays. */
  discard(): void;
}

const tempName = (dir: string, tag = ""): string =>
  join(dirname(dir), `.${basename(dir)}${tag}.${process.pid}.${Date.now()}.tmp`);

/** Every file under `dir`, relative to it, sorted (empty when `dir` is absent). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Whether two folders hold the same files with the same bytes. */
function sameTree(a: string, b: string): boolean {
  const fa = filesUnder(a);
  const fb = filesUnder(b);
  if (fa.length !== fb.length || fa.some((f, i) => f !== fb[i])) return false;
  return fa.every((f) => readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
}

/** The header (first line) of CSV text written by formatCsv, as column names. */
function csvHeader(csv: string): string[] {
  const first = csv.slice(0, csv.indexOf("\n") === -1 ? csv.length : csv.indexOf("\n"));
  return first === "" ? [] : first.split(",").map((h) => h.replace(/^"|"$/g, ""));
}

/** The columns of `source` with their SQL types; a column the schema does not know is an internal error. */
function typedColumns(source: ParquetSource): [string, SqlType][] {
  const types = PARQUET_TABLE_TYPES[source.table];
  return csvHeader(source.csv).map((name) => {
    const type = types[name];
    if (type === undefined) {
      throw new SlmError("E_INTERNAL", `the ${source.table} table has a column "${name}" without an SQL type`, {
        hint: "give it a type in src/io/table-types.ts",
      });
    }
    return [name, type];
  });
}

/** Writes one table's Parquet folder under `root` from its CSV text, DuckDB reading a temporary copy. */
async function copyTable(c: DuckDBConnection, root: string, source: ParquetSource): Promise<void> {
  const columns = typedColumns(source);
  const csvPath = join(root, `.${source.table}.csv`);
  const out = join(root, source.table);
  writeFileSync(csvPath, source.csv);
  const from = `FROM ${readCsvSql(csvPath, columns)}`;
  const partition = selectList(PARTITION_COLUMNS);
  await c.run(
    `COPY (SELECT ${selectList(columns.map(([n]) => n))} ${from}) TO ${sqlPath(out)} ` +
      `(FORMAT parquet, PARTITION_BY (${partition}))`,
  );
  if (filesUnder(out).length === 0) {
    // No rows, so no partition folders: one empty file at the top, partition columns inside it.
    const file = sqlPath(join(out, "data_0.parquet"));
    await c.run(`COPY (SELECT ${selectList(columns.map(([n]) => n))} ${from}) TO ${file} (FORMAT parquet)`);
  }
  rmSync(csvPath);
}

/** Writes every table into the fresh folder `tmp`; a DuckDB failure is an internal error quoting it. */
async function writeAll(tmp: string, sources: readonly ParquetSource[]): Promise<void> {
  try {
    await withDuckDb(
      async (c) => {
        for (const s of sources) await copyTable(c, tmp, s);
      },
      { threads: 1 },
    );
  } catch (e) {
    if (e instanceof SlmError) throw e;
    throw new SlmError("E_INTERNAL", `DuckDB could not write the Parquet tables: ${duckDbMessage(e)}`, {
      file: tmp,
      cause: e,
    });
  }
}

/** Renames the staged folder over `dir` (the old one moved aside first, then removed). */
function swapInto(tmp: string, dir: string): void {
  const old = tempName(dir, "-old");
  try {
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
  } catch (e) {
    if (!existsSync(dir) && existsSync(old)) renameSync(old, dir);
    rmSync(tmp, { recursive: true, force: true });
    throw writeError(e, dir, "Parquet folder");
  }
  rmSync(old, { recursive: true, force: true });
}

/**
 * Writes the Parquet set for `sources` into a temporary folder beside `dir` (DuckDB, one thread,
 * so the bytes are the same on every run) and says whether it differs from `dir`. Nothing in `dir`
 * changes until `commit()`. Temporary folders of dead writers beside `dir` are removed first.
 */
export async function stageParquetTables(dir: string, sources: readonly ParquetSource[]): Promise<StagedParquet> {
  ensureFolder(dirname(dir));
  removeStaleTemps(dirname(dir));
  const tmp = tempName(dir);
  try {
    mkdirSync(tmp);
    await writeAll(tmp, sources);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e instanceof SlmError ? e : writeError(e, dir, "Parquet folder");
  }
  const changed = !sameTree(tmp, dir);
  const discard = () => rmSync(tmp, { recursive: true, force: true });
  return {
    dir,
    changed,
    discard,
    commit() {
      if (changed) swapInto(tmp, dir);
      else discard();
      return { path: dir, changed };
    },
  };
}

/** stageParquetTables, then commit: writes the Parquet set into `dir` at once. */
export async function writeParquetTables(
  dir: string,
  sources: readonly ParquetSource[],
): Promise<{ path: string; changed: boolean }> {
  return (await stageParquetTables(dir, sources)).commit();
}
