// DuckDB contender: read_csv (through @duckdb/node-api) and the trapezoid in SQL over the same
// file. Prints the energy and the in-process time as JSON.
import { DuckDBInstance } from "@duckdb/node-api";

const path = process.argv[2];
const t0 = process.hrtime.bigint();
const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
const sql = `
  SELECT count(*)::BIGINT AS n, sum((power_w + pp) * 0.5 * (time_s - pt)) AS e FROM (
    SELECT time_s, power_w, lag(time_s) OVER w AS pt, lag(power_w) OVER w AS pp
    FROM read_csv('${path.replaceAll("'", "''")}', header = true, columns = {'time_s': 'DOUBLE', 'power_w': 'DOUBLE'})
    WINDOW w AS (ORDER BY time_s))`;
const reader = await con.runAndReadAll(sql);
const [row] = reader.getRowObjects();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ samples: Number(row.n), energyJ: Number(row.e), seconds }));
