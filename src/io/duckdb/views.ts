/**
 * The views `query` offers, created in a DuckDB connection: the processed tables read from their
 * Parquet copy (inferences, runs, quarantine: columns in their CSV order, device and model from the
 * partition folders), the community corpus read from its CSV with fixed types (corpus), and the
 * paper's published cells (paper). A view whose files are missing is left out and says why.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { PaperCell } from "../../paper/types.js";
import { CORPUS_TYPES, PAPER_TYPES, PARQUET_TABLES, PARQUET_TABLE_TYPES, type ParquetTable } from "../table-types.js";
import type { DuckDBConnection } from "./database.js";
import { readCsvSql, readParquetSql, selectList, sqlName } from "./sql.js";

/** The view names, in the order the help and the hints list them. */
export const VIEW_NAMES = [...PARQUET_TABLES, "corpus", "paper"] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

/** Where the views' data lies. */
export interface ViewSources {
  /** The folder holding the Parquet copy: inferences/, runs/, quarantine/. */
  parquetDir: string;
  /** data/community/corpus.csv. */
  corpusCsv: string;
  /** The paper's published cells (read on demand; an error thrown here leaves the view out, saying why). */
  paper: () => PaperCell[];
}

/** A view as created: its columns, or why it is missing. */
export interface ViewReport {
  name: ViewName;
  columns: string[];
  /** Set when the view could not be created (its files are missing or unreadable). */
  missing?: string;
}

const hasParquet = (dir: string): boolean =>
  existsSync(dir) && readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith(".parquet"));

/** The columns a query gives, in order. */
async function columnsOf(c: DuckDBConnection, select: string): Promise<string[]> {
  const r = await c.runAndReadAll(`DESCRIBE ${select}`);
  return r.getRowObjectsJson().map((row) => row.column_name as string);
}

/** A processed table's view over its Parquet folder: the schema's column order first, then any others. */
async function parquetView(c: DuckDBConnection, table: ParquetTable, dir: string): Promise<string[]> {
  const present = await columnsOf(c, `SELECT * FROM ${readParquetSql(dir)}`);
  const known = Object.keys(PARQUET_TABLE_TYPES[table]);
  const order = [...known.filter((k) => present.includes(k)), ...present.filter((p) => !known.includes(p))];
  await c.run(`CREATE VIEW ${sqlName(table)} AS SELECT ${selectList(order)} FROM ${readParquetSql(dir)}`);
  return order;
}

async function corpusView(c: DuckDBConnection, file: string): Promise<string[]> {
  const columns = Object.entries(CORPUS_TYPES);
  await c.run(`CREATE VIEW corpus AS SELECT * FROM ${readCsvSql(file, columns)}`);
  return columns.map(([n]) => n);
}

/** The paper's cells as a table (they are few; parsing the printed numbers is the library's job). */
async function paperTable(c: DuckDBConnection, cells: readonly PaperCell[]): Promise<string[]> {
  const columns = Object.entries(PAPER_TYPES);
  await c.run(`CREATE TABLE paper (${columns.map(([n, t]) => `${sqlName(n)} ${t}`).join(", ")})`);
  const a = await c.createAppender("paper");
  const text = (s: string | null) => (s === null ? a.appendNull() : a.appendVarchar(s));
  for (const cell of cells) {
    for (const s of [cell.table, cell.device, cell.backend, cell.model, cell.benchmark, cell.metric]) text(s);
    a.appendDouble(cell.value);
    text(cell.printed);
    text(cell.source.file);
    for (const n of [cell.source.csvLine, cell.source.printedRow, cell.source.sourceLine]) a.appendBigInt(BigInt(n));
    a.endRow();
  }
  a.closeSync();
  return columns.map(([n]) => n);
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split("\n")[0]!;

/** Creates one view, or reports why it is missing. */
async function createView(c: DuckDBConnection, name: ViewName, src: ViewSources): Promise<ViewReport> {
  try {
    if (name === "corpus") {
      if (!existsSync(src.corpusCsv)) return { name, columns: [], missing: `${src.corpusCsv} does not exist` };
      return { name, columns: await corpusView(c, src.corpusCsv) };
    }
    if (name === "paper") return { name, columns: await paperTable(c, src.paper()) };
    const dir = join(src.parquetDir, name);
    if (!hasParquet(dir)) return { name, columns: [], missing: `no Parquet files under ${dir}` };
    return { name, columns: await parquetView(c, name, dir) };
  } catch (e) {
    return { name, columns: [], missing: message(e) };
  }
}

/** Creates every view in `c`; those that cannot be created are reported missing, with the reason. */
export async function createViews(c: DuckDBConnection, src: ViewSources): Promise<ViewReport[]> {
  const out: ViewReport[] = [];
  for (const name of VIEW_NAMES) out.push(await createView(c, name, src));
  return out;
}

/** `    head a, b, c,` wrapped before 100 characters, later lines indented under the first column. */
function wrap(head: string, columns: readonly string[]): string {
  const indent = " ".repeat(4 + head.length);
  const lines: string[] = [];
  let line = `    ${head}`;
  for (const [i, c] of columns.entries()) {
    const item = i === columns.length - 1 ? c : `${c},`;
    if (line.trim() !== head.trim() && line.length + 1 + item.length > 100) {
      lines.push(line);
      line = indent + item;
    } else line += line.endsWith(" ") ? item : ` ${item}`;
  }
  return [...lines, line].join("\n");
}

/** `name: a, b, c` for each view (or why it is missing), one line each: the hint of a failed query. */
export function viewsHint(views: readonly ViewReport[]): string {
  const lines = views.map((v) =>
    v.missing === undefined ? wrap(`${v.name}: `, v.columns) : `    ${v.name}: (missing: ${v.missing})`,
  );
  return `the views and their columns:\n${lines.join("\n")}`;
}
