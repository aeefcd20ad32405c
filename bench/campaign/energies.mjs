// Per-run total inference energy (J) from an ingest's inferences.csv, as JSON like the baselines'.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";

const rows = parse(readFileSync(join(process.argv[2], "inferences.csv"), "utf8"), { columns: true });
const runs = {};
for (const r of rows) runs[r.run_id] = (runs[r.run_id] ?? 0) + Number(r.energy_gross_j);
console.log(JSON.stringify({ runs, inferences: rows.length }));
