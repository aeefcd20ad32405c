import { loadPaper } from "../../io/paper.js";
import { sourceJson } from "../../paper/cells.js";
import { inferenceCounts } from "../../paper/inferences.js";
import { PAPER_TABLES } from "../../paper/types.js";
import { platformLabel, MODEL_LABELS, BENCHMARK_LABELS } from "../../domain/ids.js";
import { optFlag, optString, type Command } from "../command.js";
import { usageError } from "../../errors.js";

export const paperCommand: Command = {
  name: "paper",
  summary: "print the paper's published cells (from data/paper/)",
  usage: `Usage: slm-energy paper [--json] [--table consolidated|throughput|normalized]

Prints every published cell of the paper's numeric tables, as transcribed in data/paper/.

Options:
  --json          {"cells": [{"table", "device", "backend", "model", "benchmark", "metric", "value"}]}
                  (benchmark is null for the per-model normalized table; also "printed" and "source")
  --table NAME    only one table
  -h, --help      this help

Metrics: accuracy_pct, energy_wh (the benchmark run's total), latency_s (per inference), edp_js,
throughput (ops/s for MMLU, tokens/s otherwise), per_wh, power_wh_per_s, wh_per_b, edp_per_b.`,
  options: { json: { type: "boolean" }, table: { type: "string" } },
  run(ctx) {
    const table = optString(ctx, "table");
    if (table !== undefined && !(PAPER_TABLES as readonly string[]).includes(table)) {
      throw usageError(`unknown table "${table}"`, `use one of ${PAPER_TABLES.join(", ")}`);
    }
    const paper = loadPaper(ctx.root);
    const cells = paper.cells.filter((c) => table === undefined || c.table === table);
    if (optFlag(ctx, "json")) {
      ctx.stdout(
        JSON.stringify(
          {
            cells: cells.map((c) => ({
              table: c.table,
              device: c.device,
              backend: c.backend,
              model: c.model,
              benchmark: c.benchmark,
              metric: c.metric,
              value: c.value,
              printed: c.printed,
              source: sourceJson(c.source),
            })),
          },
          null,
          2,
        ) + "\n",
      );
      return Promise.resolve(0);
    }
    const n = inferenceCounts(paper.cells);
    ctx.stdout(
      `${cells.length} published cells (inferences per benchmark implied by the tables: mmlu ${n.mmlu}, ` +
        `hellaswag ${n.hellaswag}, winogrande ${n.winogrande})\n`,
    );
    for (const c of cells) {
      ctx.stdout(
        `${c.table.padEnd(12)} ${platformLabel(c).padEnd(22)} ${MODEL_LABELS[c.model].padEnd(14)} ` +
          `${(c.benchmark ? BENCHMARK_LABELS[c.benchmark] : "(avg)").padEnd(10)} ${c.metric.padEnd(14)} ` +
          `${c.printed}\n`,
      );
    }
    return Promise.resolve(0);
  },
};
