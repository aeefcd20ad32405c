// DuckDB contender for bench:campaign: the same windows as pandas_windows.py in DuckDB SQL
// (through @duckdb/node-api): read_csv of every bundle's USB-meter CSV, a running trapezoid per
// run (window functions), each inference's edges found by ASOF JOIN and interpolated.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

const root = process.argv[2];
const t0 = process.hrtime.bigint();
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const bundles = readdirSync(root)
  .filter((n) => existsSync(join(root, n, "manifest.json")))
  .sort()
  .map((n) => ({ n, m: JSON.parse(readFileSync(join(root, n, "manifest.json"), "utf8")) }));
const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
const offsets = bundles.map((b) => `(${q(b.n)}, ${b.m.clock_offset_s})`).join(", ");
const power = `[${bundles.map((b) => q(join(root, b.n, b.m.files.power[0]))).join(", ")}]`;
const infs = `[${bundles.map((b) => q(join(root, b.n, b.m.files.inference[0]))).join(", ")}]`;
const run = "regexp_extract(filename, '([^/]+)/[^/]+$', 1)";
await con.run(`CREATE TABLE off AS SELECT * FROM (VALUES ${offsets}) v(run, o)`);
await con.run(`CREATE TABLE seg AS
  SELECT run, t, w, lead(t) OVER r AS t1, lead(w) OVER r AS w1 FROM (
    SELECT p.run, time_s + o AS t, voltage_V * current_A AS w
    FROM (SELECT ${run} AS run, time_s, voltage_V, current_A FROM read_csv(${power}, filename = true, header = true)) p
    JOIN off USING (run))
  WINDOW r AS (PARTITION BY run ORDER BY t)`);
await con.run(`CREATE TABLE cum AS
  SELECT *, coalesce(sum((w + w1) * 0.5 * (t1 - t)) OVER (PARTITION BY run ORDER BY t
    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS c FROM seg`);
await con.run(`CREATE TABLE win AS
  SELECT ${run} AS run, start_s, end_s FROM read_json(${infs}, filename = true, format = 'newline_delimited')`);
const F = (a, x) =>
  `CASE WHEN ${a}.t1 IS NULL THEN ${a}.c ELSE ${a}.c + (${a}.w + (${a}.w + (${a}.w1 - ${a}.w) * (${x} - ${a}.t) / (${a}.t1 - ${a}.t))) * 0.5 * (${x} - ${a}.t) END`;
const reader = await con.runAndReadAll(`
  SELECT win.run AS run, sum(${F("b", "win.end_s")} - ${F("a", "win.start_s")}) AS e, count(*)::BIGINT AS n
  FROM win
  ASOF JOIN cum a ON win.run = a.run AND win.start_s >= a.t
  ASOF JOIN cum b ON win.run = b.run AND win.end_s >= b.t
  GROUP BY win.run ORDER BY win.run`);
const runs = {};
let inferences = 0;
for (const r of reader.getRowObjects()) {
  runs[r.run] = Number(r.e);
  inferences += Number(r.n);
}
const samples = Number((await con.runAndReadAll("SELECT count(*)::BIGINT AS n FROM seg")).getRowObjects()[0].n);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ runs, samples, inferences, seconds }));
