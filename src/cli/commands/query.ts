import { resolve } from "node:path";
import { usageError } from "../../errors.js";
import { query } from "../../pipeline/query.js";
import { textTable } from "../../report/text-table.js";
import { optFlag, optPath, type Command } from "../command.js";

export const queryCommand: Command = {
  name: "query",
  summary: "run DuckDB SQL over the processed tables, the community corpus and the paper's cells",
  usage: `Usage: slm-energy query "SQL" [--json] [--processed DIR]

Runs DuckDB SQL (https://duckdb.org/docs/sql/introduction) in a fresh in-memory database over
these views, and prints the last statement's rows:
  inferences   data/processed/parquet/inferences/ (one row per inference, as inferences.csv)
  runs         data/processed/parquet/runs/       (one row per run, as runs.csv)
  quarantine   data/processed/parquet/quarantine/ (rejected raw lines, with their run's device, model)
  corpus       data/community/corpus.csv          (others' published measurements)
  paper        the paper's published cells: paper_table, device, backend, model, benchmark
               (NULL for the per-model table), metric, value, printed, file, csv_line, printed_row,
               source_line (as \`slm-energy paper --json\`)
Numbers are DOUBLE (Float64), counts BIGINT, flags BOOLEAN; an empty CSV cell is NULL. The
Parquet folders are hive-partitioned (device=…/model=…/), as ingest and reproduce write them.

Examples:
  slm-energy query "SELECT device, model, sum(energy_gross_j) AS energy_j FROM inferences GROUP BY ALL"
  slm-energy query "SELECT board, median(decode_tok_s) FROM corpus GROUP BY board ORDER BY 2 DESC" --json

Options:
  --json           print {"columns": [names], "rows": [{column: value}]}: integers as numbers when
                   exact in Float64, else as strings; dates and timestamps ISO 8601
  --processed DIR  read inferences, runs and quarantine from DIR/parquet/ (a folder written by
                   \`slm-energy ingest … --out DIR\`) instead of data/processed/
  -h, --help       this help

The text output is an aligned table; cells longer than 48 characters are cut (--json keeps them).
Exit codes: 0 ok, 2 SQL DuckDB refuses (its message, and the views with their columns) or bad usage.`,
  options: { json: { type: "boolean" }, processed: { type: "string" } },
  allowPositionals: true,
  async run(ctx) {
    if (ctx.positionals.length !== 1) {
      throw usageError(
        ctx.positionals.length === 0 ? "give the SQL to run" : "give the SQL as one argument, in quotes",
        'e.g. slm-energy query "SELECT device, count(*) FROM runs GROUP BY device"',
      );
    }
    const processed = optPath(ctx, "processed");
    const result = await query(ctx.positionals[0]!, {
      root: ctx.root,
      ...(processed === undefined ? {} : { processedDir: resolve(processed) }),
    });
    if (optFlag(ctx, "json"))
      ctx.stdout(JSON.stringify({ columns: result.columns, rows: result.rows }, null, 2) + "\n");
    else ctx.stdout(textTable(result.columns, result.types, result.rows));
    return 0;
  },
};
