import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { withDuckDb } from "../../../src/io/duckdb/database.js";
import { stageParquetTables, writeParquetTables } from "../../../src/io/duckdb/parquet-tables.js";
import { readParquetSql } from "../../../src/io/duckdb/sql.js";
import { parseCsv } from "../../../src/io/csv.js";
import { PARQUET_TABLE_TYPES, type ParquetTable, type SqlType } from "../../../src/io/table-types.js";
import { bundledRawDirs } from "../../../src/pipeline/bundled-raw.js";
import { ingestBundles } from "../../../src/pipeline/ingest/bundle.js";
import { writeProcessedTables } from "../../../src/pipeline/ingest/tables.js";
import { PATHS } from "../../../src/pipeline/paths.js";
import { query } from "../../../src/pipeline/query.js";
import { isSlmError } from "../../../src/errors.js";
import { ORIN } from "../../ingest/bundle/helpers.js";
import { ROOT } from "../../helpers.js";

type Value = string | number | bigint | boolean | null;

/** What a CSV cell of a column of type `t` is as a DuckDB value: empty is NULL. */
function expected(cell: string, t: SqlType): Value {
  if (cell === "") return null;
  if (t === "DOUBLE") return Number(cell);
  if (t === "BIGINT") return BigInt(cell);
  if (t === "BOOLEAN") {
    expect(["true", "false"]).toContain(cell);
    return cell === "true";
  }
  return cell;
}

/** A Parquet table read back with DuckDB: its columns with their types, and its rows as plain values. */
async function readBack(dir: string): Promise<{ types: Record<string, string>; rows: Record<string, Value>[] }> {
  return withDuckDb(async (c) => {
    const r = await c.runAndReadAll(`SELECT * FROM ${readParquetSql(dir)}`);
    const names = r.columnNames();
    const types = Object.fromEntries(names.map((n, i) => [n, String(r.columnTypes()[i])]));
    const rows = r.getRows().map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] as Value])));
    return { types, rows };
  });
}

/** The physical Parquet type of every column of every file under `dir` (DOUBLE, INT64, BOOLEAN, BYTE_ARRAY …). */
async function physicalTypes(dir: string): Promise<Record<string, string>> {
  return withDuckDb(async (c) => {
    const glob = `${dir.replaceAll("'", "''")}/**/*.parquet`;
    const r = await c.runAndReadAll(`SELECT DISTINCT name, type FROM parquet_schema('${glob}') WHERE type IS NOT NULL`);
    return Object.fromEntries(r.getRowObjectsJson().map((x) => [x.name as string, x.type as string]));
  });
}

const key = (table: ParquetTable, r: Record<string, unknown>): string =>
  table === "inferences"
    ? `${String(r.run_id)}\u0000${String(r.index).padStart(9, "0")}`
    : table === "runs"
      ? String(r.run_id)
      : `${String(r.file)}\u0000${String(r.line).padStart(9, "0")}\u0000${String(r.reason)}`;

const byKey = <T extends Record<string, unknown>>(table: ParquetTable, rows: T[]): T[] =>
  [...rows].sort((a, b) => (key(table, a) < key(table, b) ? -1 : key(table, a) > key(table, b) ? 1 : 0));

const processed = join(ROOT, PATHS.processedDir);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe("the Parquet copy of the bundled processed tables", () => {
  for (const table of ["inferences", "runs"] as const) {
    it(`${table}: read back with DuckDB, equals ${table}.csv row for row, values and types`, async () => {
      const csv = parseCsv(readFileSync(join(processed, `${table}.csv`), "utf8"), `${table}.csv`);
      const types = PARQUET_TABLE_TYPES[table];
      const back = await readBack(join(processed, "parquet", table));
      // Every CSV column, with the type the schema gives it (device and model come from the folders).
      expect(Object.keys(back.types).sort()).toEqual([...csv.header].sort());
      for (const col of csv.header) expect(back.types[col], col).toBe(types[col]);
      const want = csv.records.map((rec) =>
        Object.fromEntries(csv.header.map((col) => [col, expected(rec.values[col]!, types[col]!)])),
      );
      expect(back.rows).toHaveLength(want.length);
      expect(byKey(table, back.rows)).toEqual(byKey(table, want));
    });
  }

  it("quarantine: the CSV's rows, each with the device and model of the run its file belongs to", async () => {
    const csv = parseCsv(readFileSync(join(processed, "quarantine.csv"), "utf8"), "quarantine.csv");
    const back = await readBack(join(processed, "parquet", "quarantine"));
    expect(back.types).toEqual({
      file: "VARCHAR",
      line: "BIGINT",
      text: "VARCHAR",
      reason: "VARCHAR",
      device: "VARCHAR",
      model: "VARCHAR",
    });
    const want = csv.records.map((r) => ({
      file: r.values.file!,
      line: BigInt(r.values.line!),
      text: r.values.text!,
      reason: r.values.reason!,
      device: "jetson-orin-nano",
      model: "tinyllama-1.1b",
    }));
    expect(want.every((w) => w.file.startsWith("sim-orin-cpu-tinyllama-winogrande-tegrastats-damaged/"))).toBe(true);
    expect(byKey("quarantine", back.rows)).toEqual(byKey("quarantine", want));
  });

  it("keeps every number Float64 (Parquet DOUBLE, never FLOAT) and counts INT64", async () => {
    const phys = await physicalTypes(join(processed, "parquet", "inferences"));
    expect(phys.energy_gross_j).toBe("DOUBLE");
    expect(phys.start_s).toBe("DOUBLE");
    expect(phys.prompt_tokens).toBe("INT64");
    expect(phys.placed).toBe("BOOLEAN");
    expect(Object.values(phys)).not.toContain("FLOAT");
  });

  it("is laid out hive-style, device=…/model=…/, one folder per table", () => {
    const files = filesUnder(join(processed, "parquet"));
    expect(files).toContain("runs/device=jetson-nano/model=llama-3.2-1b/data_0.parquet");
    expect(files).toContain("quarantine/device=jetson-orin-nano/model=tinyllama-1.1b/data_0.parquet");
    for (const f of files)
      expect(f).toMatch(/^(inferences|runs|quarantine)\/device=[^/]+\/model=[^/]+\/data_0\.parquet$/);
  });

  it("is what ingest writes today, byte for byte, and a second write changes nothing", async () => {
    const out = mkdtempSync(join(tmpdir(), "slm-parquet-"));
    const results = await ingestBundles(bundledRawDirs(ROOT));
    const first = await writeProcessedTables(out, results);
    expect(first.at(-1)).toEqual({ path: join(out, "parquet"), changed: true });
    const second = await writeProcessedTables(out, results);
    expect(second.every((w) => !w.changed)).toBe(true);
    const mine = filesUnder(join(out, "parquet"));
    expect(mine).toEqual(filesUnder(join(processed, "parquet")));
    for (const f of mine) {
      expect(readFileSync(join(out, "parquet", f)).equals(readFileSync(join(processed, "parquet", f))), f).toBe(true);
    }
    expect(readdirSync(out).sort()).toEqual([
      "inferences.csv",
      "ingest-summary.json",
      "parquet",
      "quarantine.csv",
      "runs.csv",
    ]);
  });
});

describe("writing Parquet tables", () => {
  it("writes an empty table as one empty file at its top, partition columns inside, so readers still see its columns", async () => {
    const out = mkdtempSync(join(tmpdir(), "slm-parquet-"));
    const results = await ingestBundles([ORIN]);
    expect(results[0]!.quarantined).toHaveLength(0);
    await writeProcessedTables(out, results);
    const q = join(out, "parquet", "quarantine");
    expect(filesUnder(q)).toEqual(["data_0.parquet"]);
    const back = await readBack(q);
    expect(back.rows).toEqual([]);
    expect(Object.keys(back.types)).toEqual(["file", "line", "text", "reason", "device", "model"]);
    const view = await query("SELECT * FROM quarantine", { processedDir: out });
    expect(view.columns).toEqual(["file", "line", "text", "reason", "device", "model"]);
    expect(view.types).toEqual(["VARCHAR", "BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"]);
    expect(view.rows).toEqual([]);
  });

  it("escapes partition values that are not folder names", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "slm-parquet-")), "parquet");
    const csv = "file,line,text,reason,device,model\na,1,x,y,my board/2,model=1 b\n";
    await writeParquetTables(dir, [{ table: "quarantine", csv }]);
    expect(filesUnder(dir)).toEqual(["quarantine/device=my%20board%2F2/model=model%3D1%20b/data_0.parquet"]);
    const back = await readBack(join(dir, "quarantine"));
    expect(back.rows).toEqual([
      { file: "a", line: 1n, text: "x", reason: "y", device: "my board/2", model: "model=1 b" },
    ]);
  });

  it("changes nothing in place until commit, and a failed write leaves the old set and no temporary folder", async () => {
    const parent = mkdtempSync(join(tmpdir(), "slm-parquet-"));
    const dir = join(parent, "parquet");
    const one = "file,line,text,reason,device,model\na,1,x,y,d,m\n";
    const two = "file,line,text,reason,device,model\na,1,x,y,d,m\nb,2,x,y,d,n\n";
    await writeParquetTables(dir, [{ table: "quarantine", csv: one }]);
    const before = filesUnder(dir);
    const staged = await stageParquetTables(dir, [{ table: "quarantine", csv: two }]);
    expect(staged.changed).toBe(true);
    expect(filesUnder(dir)).toEqual(before);
    expect(staged.commit()).toEqual({ path: dir, changed: true });
    expect(filesUnder(dir)).toEqual([...before, "quarantine/device=d/model=n/data_0.parquet"].sort());

    const bad = "file,line,text,reason,device,model,colour\na,1,x,y,d,m,red\n";
    const err = await writeParquetTables(dir, [{ table: "quarantine", csv: bad }]).catch((e: unknown) => e);
    expect(isSlmError(err) && err.code).toBe("E_INTERNAL");
    expect(String((err as Error).message)).toMatch(/column "colour" without an SQL type/);
    const notANumber = "file,line,text,reason,device,model\na,one,x,y,d,m\n";
    const err2 = await writeParquetTables(dir, [{ table: "quarantine", csv: notANumber }]).catch((e: unknown) => e);
    expect(String((err2 as Error).message)).toMatch(/DuckDB could not write the Parquet tables: .*Conversion Error/s);
    expect(filesUnder(dir)).toHaveLength(2);
    expect(readdirSync(parent)).toEqual(["parquet"]);
  });

  it("removes the temporary folders a dead writer left beside the set", async () => {
    const parent = mkdtempSync(join(tmpdir(), "slm-parquet-"));
    const stale = join(parent, ".parquet.999999999.1700000000000.tmp");
    mkdirSync(join(stale, "runs"), { recursive: true });
    writeFileSync(join(stale, "runs", "x.parquet"), "half");
    cpSync(stale, join(parent, ".parquet-old.999999999.1700000000001.tmp"), { recursive: true });
    await writeParquetTables(join(parent, "parquet"), [
      { table: "quarantine", csv: "file,line,text,reason,device,model\n" },
    ]);
    expect(readdirSync(parent)).toEqual(["parquet"]);
    expect(existsSync(stale)).toBe(false);
  });
});
