import { isAbsolute, join } from "node:path";
import { usageError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { validationJson } from "../../io/model-validation.js";
import { SCHEMES, type Scheme } from "../../model/validate.js";
import { defaultJobs, withPool } from "../../pipeline/pool/pool.js";
import { validateSchemes } from "../../pipeline/model/parallel.js";
import { COMMUNITY_SCHEMES, type CommunityScheme } from "../../model/community/validate.js";
import { runCommunityValidation } from "../../pipeline/model/community.js";
import { validationTable } from "../../model/validation-table.js";
import { optFlag, optInt, optString, type Command, type CommandContext } from "../command.js";
import { dataSelection, loadDataFor } from "./calibrate.js";

export const validateCommand: Command = {
  name: "validate",
  summary: "cross-validate the calibrated model against two baselines (leave a pair, model or platform out)",
  usage: `Usage: slm-energy validate --scheme loo-pair|loo-model|loo-device [--json] [--out FILE]
                          [--data RUNS.csv]... [--no-paper] [--bootstrap N] [--seed S]
                          [--quant MODEL=Q]... [--power-mode DEVICE=MODE]...
       slm-energy validate --scheme loo-board|loo-source|loo-runtime [--json] [--out FILE]

Paper schemes (the calibrated model on the paper's cells and ingested runs):

Holds out one (model, platform) pair (loo-pair), a whole model (loo-model) or a whole platform
(loo-device: a device with one backend), refits everything on the rest — bootstrap included —
and predicts the held-out cells. Reports MAPE, median and max absolute percentage error of the
per-inference latency and energy, overall and per benchmark, and the coverage of the 90%
prediction intervals; beside them the same figures for two baselines:
  statistical            ln y = platform effect + model×benchmark effect (least squares)
  roofline_uncalibrated  the same physics and workload with spec-sheet peaks (η = 1), no
                         overhead, and the power mode's spec power

Corpus schemes (the runtime-aware model on data/community/corpus.csv): hold out every row of one
board (loo-board), one source (loo-source) or one runtime (loo-runtime), refit on the rest and
predict decode and prefill tokens/s and average power of what was held out, beside a statistical
baseline (least squares on sizes and peaks) and the uncalibrated roofline (efficiency 1).
  --json            {"scheme", "folds", "rows_used", "decode"|"prefill"|"power": {"median_ape_pct",
                    "mape_pct", "coverage_pct", "median_signed_pct", "n", "by_board":
                    {"<board>": {"median_ape_pct", "n"}}, "by_runtime": {...}}, "baselines":
                    {"statistical": {...}, "roofline_uncalibrated": {...}}, "peak_bound",
                    "unresolved", "checks": [...]}

Options:
  --scheme S        loo-pair, loo-model, loo-device, loo-board, loo-source or loo-runtime (required)
  --json            {"scheme", "latency": {"mape_pct", "median_ape_pct", "max_ape_pct",
                    "coverage_pct", "n", "by_benchmark"}, "energy": {...}, "baselines":
                    {"statistical": {"latency", "energy"}, "roofline_uncalibrated": {...}},
                    "folds", "bootstrap", "cells": [...]}
  --out FILE        also write the JSON report to FILE (atomically)
  --data FILE       add ingested runs.csv (repeatable); --no-paper leaves the paper out
  --bootstrap N     replicates per fold (default 100)
  --seed S          bootstrap seed (default 1)
  --quant, --power-mode   override the paper profile's assumptions (see calibrate --help)
  --jobs N          worker threads for the folds (default: the cores); the report is the same for every N
  --quiet           no progress lines on stderr
  -h, --help        this help
Exit codes: 0 ok, 1 failure, 2 bad input or usage.`,
  options: {
    scheme: { type: "string" },
    json: { type: "boolean" },
    out: { type: "string" },
    data: { type: "string", multiple: true },
    "no-paper": { type: "boolean" },
    bootstrap: { type: "string" },
    seed: { type: "string" },
    quant: { type: "string", multiple: true },
    "power-mode": { type: "string", multiple: true },
    quiet: { type: "boolean" },
    jobs: { type: "string" },
  },
  async run(ctx) {
    const scheme = optString(ctx, "scheme");
    const all = [...SCHEMES, ...COMMUNITY_SCHEMES].join(", ");
    if (scheme === undefined) throw usageError("--scheme is required", `use one of ${all}`);
    if ((COMMUNITY_SCHEMES as readonly string[]).includes(scheme))
      return runCorpusScheme(ctx, scheme as CommunityScheme);
    if (!(SCHEMES as readonly string[]).includes(scheme))
      throw usageError(`unknown scheme "${scheme}"`, `use one of ${all}`);
    const bootstrap = optInt(ctx, "bootstrap", { min: 0, max: 2000 }) ?? 100;
    const seed = optInt(ctx, "seed", { min: 0 }) ?? 1;
    const data = loadDataFor(ctx, dataSelection(ctx));
    for (const r of data.rejected) ctx.stderr(`slm-energy validate: rejected ${r.file}:${r.line}: ${r.reason}\n`);
    const quiet = optFlag(ctx, "quiet");
    const [report] = await withPool(jobsOf(ctx), (pool) =>
      validateSchemes(pool, data, [scheme as Scheme], {
        bootstrap,
        seed,
        onFold: (done, total, fold) => {
          if (!quiet) ctx.stderr(`slm-energy validate: fold ${done}/${total} (${fold}) done\n`);
        },
      }),
    );
    if (report === undefined) return 1;
    const json = JSON.stringify(validationJson(report), null, 2) + "\n";
    const out = optString(ctx, "out");
    if (out !== undefined) writeFileAtomic(isAbsolute(out) ? out : join(process.cwd(), out), json);
    ctx.stdout(optFlag(ctx, "json") ? json : validationTable(report) + "\n");
    return 0;
  },
};

const jobsOf = (ctx: CommandContext): number => optInt(ctx, "jobs", { min: 1, max: 256 }) ?? defaultJobs();

/** The corpus schemes: the runtime-aware model, cross-validated on the community corpus. */
async function runCorpusScheme(ctx: CommandContext, scheme: CommunityScheme): Promise<number> {
  const quiet = optFlag(ctx, "quiet");
  const r = await runCommunityValidation(ctx.root, scheme, {
    jobs: jobsOf(ctx),
    onFold: (done, total, fold) => {
      if (!quiet) ctx.stderr(`slm-energy validate: fold ${done}/${total} (${fold}) done\n`);
    },
  });
  const out = optString(ctx, "out");
  if (out !== undefined) writeFileAtomic(isAbsolute(out) ? out : join(process.cwd(), out), r.json);
  ctx.stdout(optFlag(ctx, "json") ? r.json : r.table + "\n");
  return 0;
}
