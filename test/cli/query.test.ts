import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/io/csv.js";
import { query } from "../../src/pipeline/query.js";
import { ROOT, runCli } from "../helpers.js";
import { ORIN } from "../ingest/bundle/helpers.js";

const csvRows = (name: string) =>
  parseCsv(readFileSync(join(ROOT, "data", name), "utf8"), name).records.map((r) => r.values);

type Json = { columns: string[]; rows: Record<string, unknown>[] };

describe("slm-energy query", () => {
  it("--json prints exactly {columns, rows}, the bundled inferences summed per device as the CSV sums them", async () => {
    const sql =
      "SELECT device, count(*) AS n, sum(energy_gross_j) AS energy_j FROM inferences GROUP BY device ORDER BY device";
    const r = await runCli(["query", sql, "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(Object.keys(j)).toEqual(["columns", "rows"]);
    expect(j.columns).toEqual(["device", "n", "energy_j"]);
    const csv = csvRows("processed/inferences.csv");
    const devices = [...new Set(csv.map((x) => x.device!))].sort();
    expect(j.rows.map((x) => x.device)).toEqual(devices);
    for (const row of j.rows) {
      const mine = csv.filter((x) => x.device === row.device);
      expect(row.n).toBe(mine.length); // BIGINT count → a JSON number
      const sum = mine.reduce((s, x) => s + (x.energy_gross_j === "" ? 0 : Number(x.energy_gross_j)), 0);
      expect(row.energy_j as number).toBeCloseTo(sum, 9);
    }
  });

  it("serves every view over the bundled data: runs, quarantine, corpus (typed, dates ISO) and the paper's cells", async () => {
    const counts = await query(
      "SELECT (SELECT count(*) FROM runs) runs, (SELECT count(*) FROM inferences) inferences, " +
        "(SELECT count(*) FROM quarantine) quarantine, (SELECT count(*) FROM corpus) corpus, (SELECT count(*) FROM paper) paper",
      { root: ROOT },
    );
    expect(counts.rows[0]).toEqual({
      runs: csvRows("processed/runs.csv").length,
      inferences: csvRows("processed/inferences.csv").length,
      quarantine: csvRows("processed/quarantine.csv").length,
      corpus: csvRows("community/corpus.csv").length,
      paper: 368,
    });
    const phi = await query(
      "SELECT value, printed, benchmark FROM paper WHERE device = 'jetson-nano' AND model = 'phi-3-mini' " +
        "AND metric = 'energy_wh' AND benchmark = 'mmlu'",
      { root: ROOT },
    );
    expect(phi.rows).toEqual([{ value: 274.62, printed: "274.62", benchmark: "mmlu" }]);
    const corpus = await query(
      "SELECT row_id, source_date, decode_tok_s, threads FROM corpus ORDER BY row_id LIMIT 1",
      {
        root: ROOT,
      },
    );
    expect(corpus.types).toEqual(["VARCHAR", "DATE", "DOUBLE", "BIGINT"]);
    const first = csvRows("community/corpus.csv").sort((a, b) => (a.row_id! < b.row_id! ? -1 : 1))[0]!;
    expect(corpus.rows[0]!.source_date).toBe(first.source_date === "" ? null : first.source_date);
    expect(corpus.rows[0]!.decode_tok_s).toBe(first.decode_tok_s === "" ? null : Number(first.decode_tok_s));
    const runs = await query("SELECT * FROM runs LIMIT 1", { root: ROOT });
    expect(runs.columns).toEqual(parseCsv(readFileSync(join(ROOT, "data/processed/runs.csv"), "utf8"), "x").header);
  });

  it("gives integers as numbers when exact in Float64, else as strings; dates and timestamps ISO 8601", async () => {
    const r = await query(
      "SELECT 9007199254740993::BIGINT AS big, 42::BIGINT AS small, 12345678901234567890::HUGEINT AS huge, " +
        "1.50 AS dec, DATE '2024-02-03' AS d, TIMESTAMP '2024-02-03 04:05:06.5' AS ts, " +
        "TIMESTAMPTZ '2024-02-03 04:05:06+00' AS tz, 'nan'::DOUBLE AS nan, [1, 2] AS l, {'a': NULL} AS s, 1 AS a, 2 AS a",
      { root: ROOT },
    );
    expect(r.columns).toEqual(["big", "small", "huge", "dec", "d", "ts", "tz", "nan", "l", "s", "a", "a:1"]);
    expect(r.rows[0]).toEqual({
      big: "9007199254740993",
      small: 42,
      huge: "12345678901234567890",
      dec: 1.5,
      d: "2024-02-03",
      ts: "2024-02-03T04:05:06.5",
      tz: "2024-02-03T04:05:06Z",
      nan: "NaN",
      l: [1, 2],
      s: { a: null },
      a: 1,
      "a:1": 2,
    });
  });

  it("prints an aligned table: numbers right, text left, NULL spelled out, the row count last", async () => {
    const sql = "SELECT * FROM (VALUES ('jetson-nano', 5, NULL), ('raspberry-pi-5', 12, 'x')) t(device, n, note)";
    const r = await runCli(["query", sql]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "device           n  note",
        "--------------  --  ----",
        "jetson-nano      5  NULL",
        "raspberry-pi-5  12  x",
        "(2 rows)",
        "",
      ].join("\n"),
    );
  });

  it("refuses bad SQL with exit 2, DuckDB's message and the views with their columns, and no stack trace", async () => {
    const r = await runCli(["query", "SELEC device FROM runs"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/Parser Error: syntax error at or near "SELEC"/);
    expect(r.stderr).toMatch(/hint: the views and their columns:/);
    for (const v of [
      "inferences: run_id, device,",
      "runs: run_id,",
      "quarantine: file, line, text, reason, device, model",
      "corpus: row_id, board,",
      "paper: paper_table, device,",
    ]) {
      expect(r.stderr).toContain(v);
    }
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const unknown = await runCli(["query", "SELECT * FROM run"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Catalog Error: Table with name run does not exist/);
    const column = await runCli(["query", "SELECT energy FROM runs", "--json"]);
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/Binder Error: .*energy/);
  });

  it("is a usage error without SQL or with it split over several arguments", async () => {
    for (const args of [["query"], ["query", "SELECT", "1"], ["query", "  "]]) {
      const r = await runCli(args);
      expect(r.code, args.join(" ")).toBe(2);
    }
  });

  it("--processed DIR reads an ingest --out folder, runs.csv's CO2e columns included and typed", async () => {
    const out = mkdtempSync(join(tmpdir(), "slm-query-"));
    expect((await runCli(["ingest", ORIN, "--out", out, "--grid-intensity", "300"])).code).toBe(0);
    const r = await query("SELECT run_id, energy_wh, co2e_g, grid_intensity_g_per_kwh FROM runs", {
      processedDir: out,
    });
    expect(r.types).toEqual(["VARCHAR", "DOUBLE", "DOUBLE", "DOUBLE"]);
    const csv = parseCsv(readFileSync(join(out, "runs.csv"), "utf8"), "runs.csv").records[0]!.values;
    expect(r.rows).toEqual([
      {
        run_id: csv.run_id,
        energy_wh: Number(csv.energy_wh),
        co2e_g: Number(csv.co2e_g),
        grid_intensity_g_per_kwh: 300,
      },
    ]);
    const all = await query("SELECT * FROM runs", { processedDir: out });
    expect(all.columns).toEqual(parseCsv(readFileSync(join(out, "runs.csv"), "utf8"), "runs.csv").header);
  });

  it("--processed DIR without Parquet says which views are missing and how to write them", async () => {
    const empty = mkdtempSync(join(tmpdir(), "slm-query-"));
    const ok = await runCli(["query", "SELECT count(*) AS n FROM corpus", "--processed", empty, "--json"]);
    expect(ok.code).toBe(0);
    const r = await runCli(["query", "SELECT * FROM runs", "--processed", empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/runs: \(missing: no Parquet files under /);
    expect(r.stderr).toMatch(/inferences, runs, quarantine missing: run `slm-energy reproduce`/);
  });
});
